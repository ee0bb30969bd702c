"""`scrapy crawl` for cron: checks before anything is fetched, one run per store, a meaningful exit status.

Exit status:
  0  the run finished and passed its health checks
  1  Scrapy could not start the crawl (an error in the log says why)
  2  bad input: arguments, sites.toml, settings, store URL or unreachable Redis (one line on stderr)
  3  another crawl holds the store's run lock (NEWSCRAWL_LOCK_WAIT=SECONDS waits for it)
  4  the run failed: interrupted, start URLs unreachable, store errors, or extraction health under
     the NEWSCRAWL_HEALTH_* thresholds (the summary on stderr lists why)
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newscrawl.crawlstore import stores_articles
from newscrawl.distributed import check_redis
from newscrawl.failures import check_settings as check_failure_settings
from newscrawl.health import Thresholds
from newscrawl.runlock import LockBusy, NoLock, acquire_run_lock
from newscrawl.safety import check_settings as check_safety_settings
from newscrawl.sites import ConfigError
from newscrawl.store import StoreError, open_store
from newscrawl.summary import run_summary
from newscrawl.warc import check_settings as check_warc_settings

EXIT_OK = 0
EXIT_SCRAPY_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3
EXIT_RUN_FAILED = 4



def lock_wait(settings) -> float:
    value = settings.get("NEWSCRAWL_LOCK_WAIT", 0)
    try:
        seconds = float(value or 0)
    except (TypeError, ValueError):
        raise ConfigError(f"setting NEWSCRAWL_LOCK_WAIT: expected a number of seconds, got {value!r}") from None
    if seconds < 0:
        raise ConfigError(f"setting NEWSCRAWL_LOCK_WAIT: expected 0 or more seconds, got {value!r}")
    return seconds


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return ("Run a spider, after checking its arguments, settings and store. Exit status: 0 ok; "
                "1 Scrapy could not start; 2 bad input; 3 another crawl holds the store's run lock "
                "(-s NEWSCRAWL_LOCK_WAIT=SECONDS waits); 4 the run failed (the summary on stderr says why).")

    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl news -a start_urls=URL")
        try:
            self.check_before_start(args[0], opts.spargs)
            lock = self.take_lock(lock_wait(self.settings))
        except (ConfigError, StoreError) as exc:
            return self.fail(EXIT_BAD_INPUT, exc)
        except LockBusy as exc:
            return self.fail(EXIT_LOCKED, exc)
        with lock:
            self.crawler = self._create_crawler(args[0])
            self.crawler_process.crawl(self.crawler, **opts.spargs)
            self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_SCRAPY_FAILED
            return
        summary = run_summary(self.crawler)
        if summary is not None and summary["health"]["enforced"] and not summary["health"]["ok"]:
            self.exitcode = EXIT_RUN_FAILED

    def fail(self, status: int, exc: Exception) -> None:
        print(f"newscrawl: error: {exc}", file=sys.stderr)
        self.exitcode = status

    def check_before_start(self, spider_name: str, spider_arguments: dict) -> None:
        spider_class = self.crawler_process.spider_loader.load(spider_name)
        check = getattr(spider_class, "check_arguments", None)
        if check is not None:
            check(spider_arguments, self.settings)
        if stores_articles(self.settings):
            open_store(self.settings.get("NEWSCRAWL_STORE")).close()
        Thresholds.from_settings(self.settings)
        check_safety_settings(self.settings)  # NEWSCRAWL_SAFETY_ENABLED
        check_failure_settings(self.settings)  # NEWSCRAWL_RETRY_AFTER_MAX
        check_warc_settings(self.settings)
        check_redis(self.settings)  # REDIS_URL set: Redis must answer and scrapy-redis be installed

    def take_lock(self, wait: float):
        """The store's run lock; none when nothing is stored, or when distributed workers share it."""
        settings = self.settings
        if (not settings.getbool("NEWSCRAWL_LOCK", True) or settings.get("REDIS_URL")
                or not stores_articles(settings)):
            return NoLock()
        return acquire_run_lock(settings.get("NEWSCRAWL_STORE"), wait=wait)
