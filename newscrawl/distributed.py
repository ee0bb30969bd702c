"""Distributed crawling: several `scrapy crawl news` processes share one scrapy-redis frontier.

`-s REDIS_URL=redis://host:6379/0` turns it on; without REDIS_URL nothing here does anything.

- `RedisFrontier` (an add-on, in ADDONS) switches SCHEDULER and DUPEFILTER_CLASS to scrapy-redis's
  Scheduler and RFPDupeFilter, keyed under NEWSCRAWL_REDIS_PREFIX, and enables `WorkerPool`.
  SCHEDULER_PERSIST is on: with it off, the first worker to stop wipes the frontier the others are
  still crawling (scrapy-redis flushes queue and seen-set in Scheduler.close).
- `WorkerPool` (an extension) keeps an idle worker open while the shared queue holds requests or
  another worker is busy (a plain spider on scrapy-redis closes the moment its own engine is idle,
  even when a peer is about to enqueue more), and lets every worker close once the queue has been
  empty and all workers idle for NEWSCRAWL_REDIS_IDLE_GRACE seconds. The last worker out clears
  the seen-set when nothing is queued, so the next run starts afresh; a crawl stopped with requests
  still queued keeps queue and seen-set, and the next run with the same prefix resumes it.

Redis keys, for PREFIX and spider NAME: PREFIX:NAME:requests (sorted set, scrapy-redis
PriorityQueue), PREFIX:NAME:dupefilter (set of request fingerprints), PREFIX:NAME:workers (set of
worker ids) and PREFIX:NAME:worker:ID (JSON state, expires unless refreshed).

Progress:  python -m newscrawl.distributed redis://host:6379/0 [PREFIX [SPIDER]]
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import socket
import sys
import warnings
from datetime import datetime, timezone
from time import monotonic

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured, ScrapyDeprecationWarning

logger = logging.getLogger(__name__)

SCHEDULER = "scrapy_redis.scheduler.Scheduler"
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"
QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"

# Leaving atomically: drop this worker, forget dead ones, and if nobody is left and the queue is
# empty, clear the seen-set. Returns {live workers left, 1 if cleared else 0}.
_LEAVE = """
redis.call('SREM', KEYS[1], ARGV[1])
redis.call('DEL', ARGV[2] .. ARGV[1])
local live = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[2] .. id) == 1 then live = live + 1
  else redis.call('SREM', KEYS[1], id) end
end
local kind = redis.call('TYPE', KEYS[2]).ok
local queued = 0
if kind == 'zset' then queued = redis.call('ZCARD', KEYS[2])
elseif kind == 'list' then queued = redis.call('LLEN', KEYS[2]) end
if live == 0 and queued == 0 then
  redis.call('DEL', KEYS[3])
  return {live, 1}
end
return {live, 0}
"""


def check_prefix(prefix: str) -> str:
    """The key prefix, refused when it could not be a Redis key part or a %-format string."""
    if not prefix or "%" in prefix or any(c.isspace() for c in prefix):
        raise ValueError(f"NEWSCRAWL_REDIS_PREFIX {prefix!r}: use letters, digits, ':', '-', '_'")
    return prefix


def _mask(url: str) -> str:
    return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", url)


def check_redis(settings) -> None:
    """Before a crawl starts: with REDIS_URL set, Redis must answer and scrapy-redis be installed.

    Raises newscrawl.sites.ConfigError with one line saying what is wrong.
    """
    from newscrawl.sites import ConfigError

    url = settings.get("REDIS_URL")
    if not url:
        return
    try:
        check_prefix(settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl")
        import redis
        import scrapy_redis  # noqa: F401
    except ValueError as exc:
        raise ConfigError(f"setting {exc}") from None
    except ImportError:
        raise ConfigError("REDIS_URL needs scrapy-redis: pip install 'newscrawl[distributed]'") from None
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        server.ping()
        server.close()
    except (ValueError, redis.RedisError) as exc:
        raise ConfigError(f"setting REDIS_URL: cannot use Redis at {_mask(url)}: {exc}") from None


class RedisFrontier:
    """Add-on: with REDIS_URL set, the frontier (queue + seen requests) lives in Redis.

    Values are set at add-on priority, so `-s` on the command line still wins.
    """

    def update_settings(self, settings) -> None:
        if not settings.get("REDIS_URL"):
            return
        prefix = check_prefix(settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl")
        for name, value in (
            ("SCHEDULER", SCHEDULER),
            ("DUPEFILTER_CLASS", DUPEFILTER),
            ("SCHEDULER_QUEUE_CLASS", QUEUE_CLASS),
            ("SCHEDULER_PERSIST", True),
            ("SCHEDULER_QUEUE_KEY", f"{prefix}:%(spider)s:requests"),
            ("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:%(spider)s:dupefilter"),
        ):
            settings.set(name, value, priority="addon")
        # setdefault: -s 'EXTENSIONS={"newscrawl.distributed.WorkerPool": null}' turns it off
        settings.setdefault_in_component_priority_dict("EXTENSIONS", WorkerPool, 500)
        # scrapy-redis 0.9.1 passes spider= to StatsCollector and calls Spider.log(): harmless
        # deprecations on Scrapy 2.19 that would otherwise fill every worker's log.
        warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module=r"scrapy_redis\.")


class WorkerPool:
    """Keep workers sharing a Redis frontier open until the whole crawl is done, then close them all.

    Each worker publishes its state (busy/idle, pages, items) every NEWSCRAWL_REDIS_HEARTBEAT
    seconds under a key that expires after NEWSCRAWL_REDIS_WORKER_TTL, so a killed worker stops
    counting as busy. Stats: newscrawl/redis/idle_waits (times this worker was kept open).
    """

    def __init__(self, crawler, server):
        settings = crawler.settings
        self.crawler = crawler
        self.server = server
        self.prefix = check_prefix(settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl")
        self.grace = settings.getfloat("NEWSCRAWL_REDIS_IDLE_GRACE", 15.0)
        self.heartbeat = settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT", 2.0)
        self.ttl_ms = int(1000 * max(settings.getfloat("NEWSCRAWL_REDIS_WORKER_TTL", 30.0), 3 * self.heartbeat))
        self.queue_key_format = settings.get("SCHEDULER_QUEUE_KEY")
        self.seen_key_format = settings.get("SCHEDULER_DUPEFILTER_KEY")
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        self.published: str | None = None
        self.quiet_since: float | None = None
        self.waiting = False  # the engine is idle and was kept open by spider_idle
        self.task = None
        if not settings.getbool("SCHEDULER_PERSIST"):
            logger.warning("SCHEDULER_PERSIST is off: the first worker to stop will empty the shared "
                           "frontier under the others' feet; leave it on with several workers")

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured
        if settings.get("SCHEDULER") != SCHEDULER:
            raise NotConfigured(f"REDIS_URL is set but SCHEDULER is {settings.get('SCHEDULER')!r}")
        from scrapy_redis.connection import get_redis_from_settings

        store = str(settings.get("NEWSCRAWL_STORE") or "")
        if store and not store.lower().startswith(("postgresql://", "postgres://")):
            logger.warning("REDIS_URL is set but NEWSCRAWL_STORE is not PostgreSQL: each machine's "
                           "workers write their own archive; share one postgresql:// store instead")
        pool = cls(crawler, get_redis_from_settings(settings))
        crawler.signals.connect(pool.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pool.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(pool.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pool.got_work, signal=signals.request_reached_downloader)
        return pool

    # -- keys --------------------------------------------------------------------------------
    def spider_opened(self, spider):
        name = spider.name
        self.queue_key = self.queue_key_format % {"spider": name}
        self.seen_key = self.seen_key_format % {"spider": name}
        self.workers_key = f"{self.prefix}:{name}:workers"
        self.worker_key_prefix = f"{self.prefix}:{name}:worker:"
        self.server.sadd(self.workers_key, self.worker_id)
        self.publish("busy")
        from scrapy.utils.asyncio import create_looping_call

        self.task = create_looping_call(self.beat)
        self.task.start(self.heartbeat, now=False)
        logger.info("Worker %s joined the frontier %s (%d requests queued)",
                    self.worker_id, self.queue_key, self.queued())

    # -- state ---------------------------------------------------------------------------------
    def publish(self, state: str) -> None:
        stats = self.crawler.stats
        value = json.dumps({
            "state": state, "host": socket.gethostname(), "pid": os.getpid(), "started": self.started,
            "pages": stats.get_value("response_received_count", 0),
            "items": stats.get_value("item_scraped_count", 0),
        })
        self.server.set(self.worker_key_prefix + self.worker_id, value, px=self.ttl_ms)
        self.published = state

    def beat(self) -> None:
        if self.waiting:  # poll the frontier at our pace: the engine's own idle poll is 5 s
            self.wake_engine()
            return
        try:
            self.publish("idle" if self.crawler.engine.spider_is_idle() else "busy")
        except RuntimeError:  # the engine has no slot: closing
            return
        except Exception as exc:  # Redis unreachable for a moment: keep beating, say so
            logger.warning("Worker %s could not publish its state: %s", self.worker_id, exc)

    def wake_engine(self) -> None:
        """Make an idle engine ask the scheduler for requests now, not at its next 5 s heartbeat;
        with none it fires spider_idle again, which re-checks the frontier and peers.

        Scrapy has no public call for this; without the private slot the 5 s heartbeat still works.
        """
        nextcall = getattr(getattr(self.crawler.engine, "_slot", None), "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def got_work(self, request, spider):
        self.quiet_since = None
        self.waiting = False
        if self.published != "busy":
            self.publish("busy")  # at once: a peer deciding to close must see it

    def queued(self) -> int:
        kind = self.server.type(self.queue_key)
        kind = kind.decode() if isinstance(kind, bytes) else kind
        if kind == "zset":
            return self.server.zcard(self.queue_key)
        return self.server.llen(self.queue_key) if kind == "list" else 0

    def busy_peers(self) -> list[str]:
        ids = [i.decode() if isinstance(i, bytes) else i for i in self.server.smembers(self.workers_key)]
        ids = [i for i in ids if i != self.worker_id]
        if not ids:
            return []
        states = self.server.mget([self.worker_key_prefix + i for i in ids])
        return [i for i, raw in zip(ids, states) if raw and json.loads(raw)["state"] == "busy"]

    # -- closing ---------------------------------------------------------------------------
    def spider_idle(self, spider):
        self.waiting = True
        self.publish("idle")
        queued, busy = self.queued(), self.busy_peers()
        if queued or busy:
            self.quiet_since = None
            self.crawler.stats.inc_value("newscrawl/redis/idle_waits")
            logger.debug("Idle, kept open: %d queued, busy peers %s", queued, busy)
            raise DontCloseSpider
        now = monotonic()
        if self.quiet_since is None:
            self.quiet_since = now
        if now - self.quiet_since < self.grace:
            self.crawler.stats.inc_value("newscrawl/redis/idle_waits")
            raise DontCloseSpider
        self.waiting = False
        logger.info("Frontier %s empty and all workers idle for %.0fs: closing", self.queue_key, self.grace)

    def spider_closed(self, spider, reason):
        if self.task is None:
            return  # never joined
        if self.task.running:
            self.task.stop()
        leave = self.server.register_script(_LEAVE)
        try:
            live, cleared = leave(
                keys=[self.workers_key, self.queue_key, self.seen_key],
                args=[self.worker_id, self.worker_key_prefix],
            )
        except Exception as exc:  # Redis gone: our state key expires on its own
            logger.error("Could not leave the frontier %s cleanly: %s", self.queue_key, exc)
            return
        if cleared:
            logger.info("Last worker out (%s), nothing queued: cleared %s; the next run starts afresh",
                        reason, self.seen_key)
        elif live:
            logger.info("Worker %s left; %d other worker(s) still on the frontier", self.worker_id, live)
        else:
            logger.info("Crawl ended (%s) with %d requests queued: frontier kept, the next run with "
                        "the same REDIS_URL and prefix resumes it", reason, self.queued())


def status(redis_url: str, prefix: str = "newscrawl", spider: str = "news") -> str:
    """A few lines on a shared frontier: queued and seen requests, each live worker's state."""
    import redis

    server = redis.Redis.from_url(redis_url, decode_responses=True)
    base = f"{check_prefix(prefix)}:{spider}"
    kind = server.type(f"{base}:requests")
    queued = server.zcard(f"{base}:requests") if kind == "zset" else server.llen(f"{base}:requests")
    lines = [f"frontier {base}: {queued} requests queued, {server.scard(f'{base}:dupefilter')} seen"]
    for worker in sorted(server.smembers(f"{base}:workers")):
        raw = server.get(f"{base}:worker:{worker}")
        if raw is None:
            lines.append(f"  {worker}: gone (no heartbeat)")
            continue
        state = json.loads(raw)
        lines.append(f"  {worker}: {state['state']}, {state['pages']} pages, {state['items']} items, "
                     f"since {state['started']}")
    return "\n".join(lines)


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 4:
        sys.exit("usage: python -m newscrawl.distributed REDIS_URL [PREFIX [SPIDER]]")
    print(status(*sys.argv[1:]))
