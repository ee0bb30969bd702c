"""Distributed mode: `scrapy crawl news` workers sharing one scrapy-redis frontier and a PostgreSQL store.

Needs Redis (NEWSCRAWL_TEST_REDIS, default redis://127.0.0.1:6379/0) and PostgreSQL (NEWSCRAWL_TEST_PG,
default postgresql://postgres@127.0.0.1:5432/test). Unreachable servers skip these tests locally and fail
them under CI=true. Each test uses its own Redis key prefix and its own PostgreSQL schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from scrapy.settings import Settings

from conftest import FAST, FIXTURE_SITES, ROOT, crawl_stats, run_crawl
from newscrawl.distributed import DUPEFILTER, SCHEDULER, RedisFrontier
from siteserver import serve_site

REDIS_URL = os.environ.get("NEWSCRAWL_TEST_REDIS", "redis://127.0.0.1:6379/0")
PG_BASE = os.environ.get("NEWSCRAWL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# Slow enough that one worker cannot finish the fixture site before the other has started, and
# CONCURRENT_REQUESTS small so a worker cannot pull the whole frontier into its own downloader.
WORKER = [*FAST, "-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS=2",
          "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
          "-s", "NEWSCRAWL_REDIS_IDLE_GRACE=2", "-s", "NEWSCRAWL_REDIS_HEARTBEAT=0.25"]


# -- services --------------------------------------------------------------------------------------
def _unavailable(what: str, exc: Exception):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} required when CI=true: {exc}")
    pytest.skip(f"{what} unreachable: {exc}")


@pytest.fixture(scope="module")
def redis_server():
    try:
        import redis
        import scrapy_redis  # noqa: F401

        server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        server.ping()
    except Exception as exc:  # ImportError or connection failure
        _unavailable("Redis (and scrapy-redis)", exc)
    yield server
    server.close()


@pytest.fixture(scope="module")
def pg_admin():
    try:
        import psycopg

        admin = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except Exception as exc:
        _unavailable("PostgreSQL", exc)
    yield admin
    admin.close()


@contextmanager
def fresh_schema(admin):
    """A new PostgreSQL schema; yields the store URL that works in it."""
    from psycopg import sql

    schema = f"nc_dist_{uuid.uuid4().hex[:12]}"
    admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@contextmanager
def fresh_prefix(server):
    """A Redis key prefix nobody else uses; every key under it is deleted afterwards."""
    prefix = f"nctest-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        keys = list(server.scan_iter(f"{prefix}:*"))
        if keys:
            server.delete(*keys)


def start_crawl(arguments: dict, cwd, *extra) -> subprocess.Popen:
    """`scrapy crawl news` as a background process, like conftest.run_crawl."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "scrapy", "crawl", "news", *WORKER]
    for name, value in arguments.items():
        args += ["-a", f"{name}={value}"]
    return subprocess.Popen([*args, *extra], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen, timeout: float = 180) -> subprocess.CompletedProcess:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"worker did not finish in {timeout}s:\n{err[-3000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def stored(store_url: str) -> dict[str, dict]:
    from newscrawl.store import open_store

    store = open_store(store_url, readonly=True)
    try:
        return {row["canonical_url"]: row for row in store.iter_articles()}
    finally:
        store.close()


def largest_site() -> str:
    def size(site):
        return len(json.loads((site / "crawl-expected.json").read_text(encoding="utf-8"))["articles"])

    sites = [p for p in FIXTURE_SITES.iterdir() if (p / "crawl-expected.json").exists()]
    return max(sites, key=size).name


def absolute(origin: str, path: str) -> str:
    return path if path.startswith("http") else origin + path


# -- the add-on, as Scrapy calls it ------------------------------------------------------------------
def test_addon_does_nothing_without_redis_url():
    settings = Settings({"SCHEDULER": "scrapy.core.scheduler.Scheduler"})
    RedisFrontier().update_settings(settings)
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert "newscrawl.distributed.WorkerPool" not in str(settings.getdict("EXTENSIONS"))


def test_addon_switches_to_scrapy_redis_and_keeps_command_line_values():
    settings = Settings({"NEWSCRAWL_REDIS_PREFIX": "job7"}, priority="project")
    settings.set("REDIS_URL", "redis://example:6379/3", priority="cmdline")
    settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.FifoQueue", priority="cmdline")
    RedisFrontier().update_settings(settings)
    assert settings.get("SCHEDULER") == SCHEDULER
    assert settings.get("DUPEFILTER_CLASS") == DUPEFILTER
    assert settings.getbool("SCHEDULER_PERSIST") is True
    assert settings.get("SCHEDULER_QUEUE_KEY") % {"spider": "news"} == "job7:news:requests"
    assert settings.get("SCHEDULER_DUPEFILTER_KEY") % {"spider": "news"} == "job7:news:dupefilter"
    assert settings.get("SCHEDULER_QUEUE_CLASS") == "scrapy_redis.queue.FifoQueue"  # -s wins
    assert any("WorkerPool" in str(k) for k in settings.getdict("EXTENSIONS"))


def test_addon_refuses_a_prefix_that_breaks_key_formatting():
    settings = Settings({"REDIS_URL": "redis://example:6379/0", "NEWSCRAWL_REDIS_PREFIX": "100%"})
    with pytest.raises(ValueError, match="NEWSCRAWL_REDIS_PREFIX"):
        RedisFrontier().update_settings(settings)


# -- two workers against the fixture site ------------------------------------------------------------
@pytest.fixture(scope="module")
def two_workers(redis_server, pg_admin, tmp_path_factory):
    """One plain single-process crawl and one two-worker distributed crawl of the same served site."""
    site = largest_site()
    expected = json.loads((FIXTURE_SITES / site / "crawl-expected.json").read_text(encoding="utf-8"))
    with serve_site(FIXTURE_SITES / site) as origin, \
            fresh_schema(pg_admin) as single_store, fresh_schema(pg_admin) as shared_store, \
            fresh_prefix(redis_server) as prefix:
        arguments = {"start_urls": ",".join(absolute(origin, p) for p in expected["start_paths"])}
        single = run_crawl(arguments, tmp_path_factory.mktemp("single"),
                           "-s", f"NEWSCRAWL_STORE={single_store}", timeout=180)
        single_fetches = list(origin.requests)

        shared = ["-s", f"NEWSCRAWL_STORE={shared_store}", "-s", f"REDIS_URL={REDIS_URL}",
                  "-s", f"NEWSCRAWL_REDIS_PREFIX={prefix}"]
        processes = [start_crawl(arguments, tmp_path_factory.mktemp(f"worker{n}"), *shared)
                     for n in (1, 2)]
        workers = [finish(p) for p in processes]
        worker_fetches = origin.requests[len(single_fetches):]
        leftover = sorted(k.decode() for k in redis_server.scan_iter(f"{prefix}:*"))
        return {
            "origin": origin, "expected": expected, "single": single, "workers": workers,
            "single_rows": stored(single_store), "shared_rows": stored(shared_store),
            "single_fetches": single_fetches, "worker_fetches": worker_fetches, "leftover": leftover,
        }


def test_workers_exit_cleanly(two_workers):
    for result in [two_workers["single"], *two_workers["workers"]]:
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
    for result in two_workers["workers"]:
        assert "joined the frontier" in result.stderr
        assert "'finish_reason': 'finished'" in result.stderr


def test_both_workers_did_work(two_workers):
    stats = [crawl_stats(w.stderr) for w in two_workers["workers"]]
    dequeued = [s.get("scheduler/dequeued/redis", 0) for s in stats]
    assert all(n >= 1 for n in dequeued), f"requests taken from the shared frontier per worker: {dequeued}"


def test_no_page_fetched_twice_across_workers(two_workers):
    """The shared dupefilter: a URL one worker fetched is never fetched by the other (robots.txt
    aside: every worker reads it). Which tracking-parameter or syndicated copies get fetched at all
    depends on timing (SkipArchived skips links to articles already stored), so the set of pages is
    not compared with the single process's; the stored articles are, below."""
    shared = [path for _, path in two_workers["worker_fetches"] if path != "/robots.txt"]
    assert shared, "the workers fetched nothing"
    assert len(shared) == len(set(shared)), sorted({p for p in shared if shared.count(p) > 1})


def test_every_article_stored_exactly_once(two_workers):
    rows = two_workers["shared_rows"]
    origin, expected = two_workers["origin"], two_workers["expected"]
    assert set(rows) == {absolute(origin, p) for p in expected["articles"]}
    new = sum(crawl_stats(w.stderr).get("newscrawl/articles/new", 0) for w in two_workers["workers"])
    assert new == len(rows), "every article written once, by one worker"
    for row in rows.values():
        assert row["revision"] == 1, row["canonical_url"]


def test_union_equals_single_process(two_workers):
    """Field for field, the workers' archive is the single process's archive.

    `url` (where the article was fetched) may name another of its addresses when a different
    worker reached it first, so it is compared with the addresses the fixture declares.
    """
    single, shared = two_workers["single_rows"], two_workers["shared_rows"]
    origin, articles = two_workers["origin"], two_workers["expected"]["articles"]
    assert single and set(shared) == set(single)
    ignored = {"url", "crawled_at"}
    for canonical, row in shared.items():
        mine = {k: v for k, v in row.items() if k not in ignored}
        theirs = {k: v for k, v in single[canonical].items() if k not in ignored}
        assert mine == theirs, canonical
        path = canonical[len(origin):]
        addresses = {canonical, *(absolute(origin, p) for p in articles[path].get("also_at", []))}
        assert row["url"].split("?")[0] in {a.split("?")[0] for a in addresses}, row["url"]


def test_finished_crawl_leaves_no_frontier_behind(two_workers):
    """The last worker out clears the seen-set, so the next run re-reads the section pages."""
    assert two_workers["leftover"] == []


def test_stopped_crawl_resumes_from_the_shared_frontier(redis_server, tmp_path):
    """A crawl stopped with requests queued keeps queue and seen-set; the next run picks them up,
    and together the two runs store every article once. Then the frontier is cleared."""
    site = largest_site()
    expected = json.loads((FIXTURE_SITES / site / "crawl-expected.json").read_text(encoding="utf-8"))
    with serve_site(FIXTURE_SITES / site) as origin, fresh_prefix(redis_server) as prefix:
        arguments = {"start_urls": ",".join(absolute(origin, p) for p in expected["start_paths"])}
        common = ["-s", f"REDIS_URL={REDIS_URL}", "-s", f"NEWSCRAWL_REDIS_PREFIX={prefix}",
                  "-s", f"NEWSCRAWL_STORE=sqlite:///{tmp_path / 'archive.db'}"]
        first = finish(start_crawl(arguments, tmp_path, *common, "-s", "CLOSESPIDER_PAGECOUNT=6"))
        assert "'finish_reason': 'closespider_pagecount'" in first.stderr, first.stderr[-3000:]
        assert "frontier kept" in first.stderr
        queued = redis_server.zcard(f"{prefix}:news:requests")
        assert queued > 0
        second = finish(start_crawl(arguments, tmp_path, *common))
        assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr[-3000:]
        assert f"({queued} requests queued)" in second.stderr
        archived = set(stored(f"sqlite:///{tmp_path / 'archive.db'}"))
        assert archived == {absolute(origin, p) for p in expected["articles"]}
        new = [crawl_stats(run.stderr).get("newscrawl/articles/new", 0) for run in (first, second)]
        assert sum(new) == len(archived)
        assert sorted(k.decode() for k in redis_server.scan_iter(f"{prefix}:*")) == []


# -- the idle problem, shown and solved ------------------------------------------------------------
def held_listing(release: threading.Event):
    """A route that answers the first section page only once `release` is set (or after 60 s)."""
    def route(handler):
        release.wait(60)
        handler.send_static()
    return route


def late_joiner(redis_server, tmp_path, *extra):
    """Worker A takes the only start URL and is busy on it (the response is held) when worker B
    starts with the same arguments: B's start request is a duplicate and the queue is empty.

    Returns (A, B) results. The held response is released when B has joined the frontier (its
    worker id is registered) or has exited.
    """
    site = largest_site()
    expected = json.loads((FIXTURE_SITES / site / "crawl-expected.json").read_text(encoding="utf-8"))
    start_path = expected["start_paths"][0]
    release = threading.Event()
    with serve_site(FIXTURE_SITES / site, routes={start_path: held_listing(release)}) as origin, \
            fresh_prefix(redis_server) as prefix:
        arguments = {"start_urls": origin + start_path}
        common = ["-s", f"REDIS_URL={REDIS_URL}", "-s", f"NEWSCRAWL_REDIS_PREFIX={prefix}",
                  "-s", "NEWSCRAWL_STORE=sqlite:///archive.db", *extra]
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
        first = start_crawl(arguments, tmp_path / "a", *common)
        deadline = time.monotonic() + 60
        while ("GET", start_path) not in origin.requests and first.poll() is None:
            assert time.monotonic() < deadline, "worker A never asked for the section page"
            time.sleep(0.1)
        second = start_crawl(arguments, tmp_path / "b", *common)
        workers_key = f"{prefix}:news:workers"
        while second.poll() is None and redis_server.scard(workers_key) < 2:
            assert time.monotonic() < deadline + 60, "worker B neither joined nor exited"
            time.sleep(0.1)
        time.sleep(0.5)  # B is idle now: its only start request was a duplicate
        release.set()
        return finish(first), finish(second)


def test_plain_scrapy_redis_worker_quits_while_its_peer_is_busy(redis_server, tmp_path):
    """Why WorkerPool exists: without it, scrapy-redis leaves an idle worker to Scrapy's engine,
    which closes it at once although its peer is about to fill the frontier."""
    a, b = late_joiner(redis_server, tmp_path, "-s", 'EXTENSIONS={"newscrawl.distributed.WorkerPool": null}')
    assert a.returncode == 0 and b.returncode == 0, b.stderr[-3000:]
    assert crawl_stats(b.stderr).get("scheduler/dequeued/redis", 0) == 0
    assert crawl_stats(a.stderr).get("scheduler/dequeued/redis", 0) > 1


def test_idle_worker_waits_for_busy_peer_and_shares_its_work(redis_server, tmp_path):
    a, b = late_joiner(redis_server, tmp_path)
    assert a.returncode == 0 and b.returncode == 0, b.stderr[-3000:]
    b_stats = crawl_stats(b.stderr)
    assert b_stats.get("newscrawl/redis/idle_waits", 0) >= 1, "B was kept open"
    assert b_stats.get("scheduler/dequeued/redis", 0) >= 1, "B took requests A enqueued"
    assert "'finish_reason': 'finished'" in a.stderr and "'finish_reason': 'finished'" in b.stderr


def test_unreachable_or_malformed_redis_is_one_clear_line():
    """What `scrapy crawl` reports before starting (newscrawl.distributed.check_redis)."""
    from newscrawl.distributed import check_redis
    from newscrawl.sites import ConfigError

    check_redis(Settings({}))  # not distributed: nothing to check
    for url, message in (("redis://user:secret@127.0.0.1:9/0", "cannot use Redis at redis://user:***@127.0.0.1:9/0"),
                         ("http://127.0.0.1:6379/0", "must specify one of the following schemes")):
        with pytest.raises(ConfigError, match="setting REDIS_URL") as caught:
            check_redis(Settings({"REDIS_URL": url}))
        assert message in str(caught.value) and "\n" not in str(caught.value)
        assert "secret" not in str(caught.value)
