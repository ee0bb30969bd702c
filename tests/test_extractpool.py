"""NEWSCRAWL_EXTRACT_PROCESSES: page -> item work in worker processes stores the same archive,
a bad value stops the crawl before it starts, and a dead worker costs no article."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FAST, FIXTURE_SITES, ROOT, crawl_stats, run_crawl, stored_articles
from newscrawl.extractpool import ExtractPool, WorkerCrashed
from siteserver import serve_site

POOL_STARTED = "page -> item work runs in 2 worker processes"
# Store bookkeeping that differs between any two runs; every item field but crawled_at is compared.
NOT_COMPARED = {"id", "crawled_at", "first_seen", "last_changed"}


def metro_start(origin: str) -> tuple[str, dict[str, set[str]]]:
    """The metro site's start URLs, and its expected articles: canonical URL -> URLs it is fetched at."""
    text = (FIXTURE_SITES / "metro" / "crawl-expected.json").read_text(encoding="utf-8")
    expected = json.loads(text.replace("{{ORIGIN}}", origin))
    articles = {origin + path: {origin + path, *(origin + copy.split("?")[0] for copy in fields.get("also_at", ()))}
                for path, fields in expected["articles"].items()}
    return ",".join(origin + p for p in expected["start_paths"]), articles


def comparable(db: Path) -> dict[str, dict]:
    return {url: {k: v for k, v in row.items() if k not in NOT_COMPARED} for url, row in stored_articles(db).items()}


@pytest.fixture(scope="module")
def inline_and_pooled(tmp_path_factory):
    """The metro site crawled twice from one server: inline, then with 2 workers."""
    runs = {}
    with serve_site(FIXTURE_SITES / "metro") as origin:
        start_urls, articles = metro_start(origin)
        for name, extra in (("inline", ["-s", "NEWSCRAWL_EXTRACT_PROCESSES=0"]),
                            ("pooled", ["-s", "NEWSCRAWL_EXTRACT_PROCESSES=2"])):
            workdir = tmp_path_factory.mktemp(name)
            result = run_crawl({"start_urls": start_urls}, workdir, *extra)
            runs[name] = (result, workdir)
    return runs, articles


def test_pooled_crawl_stores_the_same_rows_as_inline(inline_and_pooled):
    runs, articles = inline_and_pooled
    for name, (result, _) in runs.items():
        assert result.returncode == 0, (name, result.stderr[-3000:])
        assert "Traceback" not in result.stderr, (name, result.stderr[-3000:])
    assert POOL_STARTED in runs["pooled"][0].stderr  # the workers really did the work
    assert "page -> item work runs in" not in runs["inline"][0].stderr
    inline, pooled = (comparable(runs[name][1] / "newscrawl.db") for name in ("inline", "pooled"))
    assert set(inline) == set(articles)
    for canonical, fetched_at in articles.items():
        if len(fetched_at) > 1:  # url: whichever copy arrived first, in either mode
            assert inline[canonical].pop("url") in fetched_at
            assert pooled[canonical].pop("url") in fetched_at
    assert pooled == inline
    assert all(row["simhash"] is not None for row in pooled.values())
    # Whether a copy of an article is fetched at all depends on arrival order too: compare outcomes.
    for name in ("inline", "pooled"):
        stats = crawl_stats(runs[name][0].stderr)
        assert stats.get("newscrawl/articles/new") == len(articles), name
        assert not [key for key in stats if key.startswith("newscrawl/dropped/")], name
        assert "newscrawl/extract/worker_crashes" not in stats, name


@pytest.mark.parametrize("value", ["two", "-1"])
def test_bad_value_stops_before_the_crawl(value, tmp_path):
    result = run_crawl({"start_urls": "http://127.0.0.1:9/"}, tmp_path,
                       "-s", f"NEWSCRAWL_EXTRACT_PROCESSES={value}", timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]
    assert len(errors) == 1 and "NEWSCRAWL_EXTRACT_PROCESSES" in errors[0] and repr(value) in errors[0]
    assert "Traceback" not in result.stderr


def pool_workers(pid: int) -> list[int]:
    """The crawl process's multiprocessing workers (its resource tracker is a child too, not a worker)."""
    workers = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue  # a thread that just ended
        for child in children:
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                workers.append(int(child))
    return workers


def held_article() -> str:
    """Path of the metro article a test's server holds back, so the crawl is still running."""
    text = (FIXTURE_SITES / "metro" / "crawl-expected.json").read_text(encoding="utf-8")
    return sorted(json.loads(text)["articles"])[-1]


def start_pooled_crawl(origin: str, cwd, processes: int, **popen) -> subprocess.Popen:
    """`scrapy crawl news` of the metro site with NEWSCRAWL_EXTRACT_PROCESSES=processes, in the background."""
    start_urls, _ = metro_start(origin)
    environment = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "news", *FAST, "-a", f"start_urls={start_urls}",
         "-s", f"NEWSCRAWL_EXTRACT_PROCESSES={processes}"], cwd=cwd, env=environment, **popen)


def wait_for_workers(process: subprocess.Popen) -> list[int]:
    deadline = time.monotonic() + 60
    while not (workers := pool_workers(process.pid)) and time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before its pool started"
        time.sleep(0.05)
    assert workers, "no pool worker appeared"
    return workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers through /proc")
def test_killed_worker_is_counted_and_no_article_is_lost(tmp_path):
    """A worker is killed mid-crawl; one article page is held back until then, so it meets the
    broken pool. The crash is counted, the pool restarts and every article is still stored."""
    released = threading.Event()

    def held(handler):
        released.wait(60)
        handler.send_static()

    with serve_site(FIXTURE_SITES / "metro", routes={held_article(): held}) as origin:
        _, articles = metro_start(origin)
        process = start_pooled_crawl(origin, tmp_path, 2, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            os.kill(wait_for_workers(process)[0], signal.SIGKILL)
        finally:
            released.set()
            try:
                _, stderr = process.communicate(timeout=120)
            finally:
                process.kill()  # only if it hung: leave no crawl behind
    assert process.returncode == 0, stderr[-3000:]
    stats = crawl_stats(stderr)
    assert stats.get("newscrawl/extract/worker_crashes") == 1, stderr[-3000:]
    assert "newscrawl/dropped/extract_crashed" not in stats
    assert set(stored_articles(tmp_path / "newscrawl.db")) == set(articles)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers through /proc")
def test_workers_end_when_the_crawl_is_killed(tmp_path):
    """SIGKILL gives the crawl no chance to stop its pool: the workers notice and end by themselves."""
    released = threading.Event()
    with serve_site(FIXTURE_SITES / "metro", routes={held_article(): lambda handler: released.wait(60)}) as origin:
        process = start_pooled_crawl(origin, tmp_path, 2, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            workers = wait_for_workers(process)
        finally:
            process.kill()
            process.wait(timeout=30)
            released.set()
    deadline = time.monotonic() + 10
    while (alive := [pid for pid in workers if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in alive:
        os.kill(pid, signal.SIGKILL)  # do not leave them behind when the test fails
    assert not alive, "pool workers outlived the crawl process"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_work_that_kills_its_worker_is_given_up_alone():
    """os._exit kills the worker in the pool and again alone: WorkerCrashed for it only; the calls
    in flight beside it when the pool died are run again and succeed."""

    class Stats(dict):
        def inc_value(self, key, count=1):
            self[key] = self.get(key, 0) + count

    async def main():
        pool = ExtractPool(2, max_in_flight=8, stats=Stats())
        try:
            await pool.run(abs, -1)  # workers up before the crash
            calls = [pool.run(time.sleep, 0.5) for _ in range(3)] + [pool.run(os._exit, 3)]
            results = await asyncio.gather(*calls, return_exceptions=True)
            after = await pool.run(abs, -2)  # the restarted pool serves on
        finally:
            pool.close()
        return results, after, pool.stats

    results, after, stats = asyncio.run(main())
    assert results[:3] == [None, None, None]
    assert isinstance(results[3], WorkerCrashed)
    assert after == 2
    assert stats == {"newscrawl/extract/worker_crashes": 2}  # the pool, then the lone retry


def test_inline_by_default_runs_in_this_process():
    async def main():
        pool = ExtractPool(0)
        return await pool.run(os.getpid)

    assert asyncio.run(main()) == os.getpid()


def test_calls_waiting_together_go_in_batches_and_each_gets_its_own_outcome():
    """Calls that wait while the worker is busy are handed off together, fewer hand-offs than
    calls; each caller still gets its own result, or its own exception, in any order."""
    submits = []

    async def main():
        pool = ExtractPool(1, max_in_flight=64)
        executor = pool._start()
        submit = executor.submit

        def counting_submit(function, calls):
            submits.append(len(calls))
            return submit(function, calls)

        executor.submit = counting_submit
        try:
            values = [str(n) if n % 7 else f"bad{n}" for n in range(60)]
            return values, await asyncio.gather(*(pool.run(int, v) for v in values), return_exceptions=True)
        finally:
            pool.close()

    values, results = asyncio.run(main())
    for value, result in zip(values, results):
        if value.startswith("bad"):
            assert isinstance(result, ValueError) and value in str(result)
        else:
            assert result == int(value)
    assert sum(submits) == 60
    assert len(submits) < 60 and max(submits) > 1, submits


def test_pages_beyond_what_the_pool_may_hold_are_done_in_the_crawl_process():
    """The workers hold max_in_flight calls; one more runs inline at once instead of waiting."""

    async def main():
        pool = ExtractPool(1, max_in_flight=2)
        try:
            await pool.run(abs, -1)  # the worker is up
            return await asyncio.gather(pool.run(time.sleep, 0.3), pool.run(time.sleep, 0.3),
                                        pool.run(os.getpid), pool.run(os.getpid))
        finally:
            pool.close()

    _, _, *pids = asyncio.run(main())
    assert pids == [os.getpid(), os.getpid()]


@pytest.mark.parametrize("cpus, expected", [(1, 0), (2, 1), (3, 2), (16, 4)])
def test_auto_leaves_scrapy_a_core_and_caps_the_workers(cpus, expected, monkeypatch):
    from scrapy.settings import Settings

    import newscrawl.extractpool as extractpool
    monkeypatch.setattr(extractpool, "available_cpus", lambda: cpus)
    settings = Settings({"TWISTED_REACTOR": extractpool.ASYNCIO_REACTOR, "NEWSCRAWL_EXTRACT_PROCESSES": "auto"})
    assert extractpool.extract_processes(settings) == expected


def test_auto_is_inline_under_another_reactor_where_a_number_is_an_error():
    from scrapy.settings import Settings

    import newscrawl.extractpool as extractpool
    from newscrawl.sites import ConfigError
    other = "twisted.internet.selectreactor.SelectReactor"
    assert extractpool.extract_processes(Settings({"TWISTED_REACTOR": other,
                                                   "NEWSCRAWL_EXTRACT_PROCESSES": "auto"})) == 0
    with pytest.raises(ConfigError, match="TWISTED_REACTOR"):
        extractpool.extract_processes(Settings({"TWISTED_REACTOR": other, "NEWSCRAWL_EXTRACT_PROCESSES": "2"}))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers through /proc")
def test_ctrl_c_stops_a_pooled_crawl_gracefully(tmp_path):
    """Ctrl-C in a terminal signals the crawl and its workers alike: the workers leave it to the crawl,
    which stops gracefully, stores what it fetched and exits, with no worker counted as crashed."""
    released = threading.Event()

    def held(handler):
        released.wait(60)
        handler.send_static()

    with serve_site(FIXTURE_SITES / "metro", routes={held_article(): held}) as origin:
        # its own process group, as a terminal's foreground job
        process = start_pooled_crawl(origin, tmp_path, 1, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        try:
            wait_for_workers(process)
            time.sleep(1.0)  # the workers are past start-up and have pages
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.5)
            released.set()
            _, stderr = process.communicate(timeout=60)
        finally:
            released.set()
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # it hung: leave nothing behind
                process.wait()
    assert "Received SIGINT" in stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    stats = crawl_stats(stderr)
    assert "'finish_reason': 'shutdown'" in stderr, stderr[-2000:]
    assert "newscrawl/extract/worker_crashes" not in stats, stderr[-3000:]


def test_a_machine_without_worker_processes_runs_the_work_inline(monkeypatch, caplog):
    """Where processes cannot be started (no sem_open, no fork), the crawl goes on inline."""
    import newscrawl.extractpool as extractpool

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise OSError("This platform lacks a functioning sem_open implementation")

    class Spider:
        class crawler:
            stats = None

    monkeypatch.setattr(extractpool, "ProcessPoolExecutor", NoProcesses)

    async def main():
        pool = ExtractPool(2)
        pool.spider_opened(Spider)
        try:
            return pool.processes, await pool.run(os.getpid)
        finally:
            pool.close()

    processes, pid = asyncio.run(main())
    assert (processes, pid) == (0, os.getpid())
    assert "runs inline" in caplog.text
