"""No overlapping runs on one store: exit status 3 at once, NEWSCRAWL_LOCK_WAIT waits, a killed
holder never blocks. SQLite (lock file beside the store) and PostgreSQL (advisory lock)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, run_crawl
from opskit import (article_count, article_paths, generate_site, kill, pg_store, popen_crawl,  # noqa: F401
                    requested, wait_until)
from siteserver import serve_site

from newscrawl.runlock import LockBusy, acquire_run_lock

NOWHERE = {"start_urls": "http://127.0.0.1:9/category/world/"}  # never fetched when the lock is busy

HOLDER = """
import sys, time
from newscrawl.runlock import acquire_run_lock
lock = acquire_run_lock(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""


def hold_lock(store: str, seconds: float) -> subprocess.Popen:
    """Another process holding the store's run lock for `seconds`."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, store, str(seconds)], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout.readline().strip() == "locked"
    return process


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]


def test_second_crawl_exits_3_while_a_crawl_runs_and_a_killed_one_does_not_block(tmp_path):
    site = tmp_path / "site"
    generated = generate_site(site, articles=40, sections=1, per_page=10)
    with serve_site(site) as origin:
        arguments = {"start_urls": origin + generated["start_paths"][0]}
        running = popen_crawl(arguments, tmp_path, "-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS=1")
        try:
            wait_until(lambda: len(article_paths(requested(origin))) >= 3, process=running)
            started = time.monotonic()
            second = run_crawl(arguments, tmp_path, timeout=60)
            took = time.monotonic() - started
        finally:
            status = kill(running)
        assert second.returncode == 3, second.stderr[-2000:]
        errors = error_lines(second)
        assert len(errors) == 1 and "another crawl is running on the store" in errors[0], second.stderr[-2000:]
        assert f"pid {running.pid}" in errors[0] and "NEWSCRAWL_LOCK_WAIT" in errors[0]
        assert "Spider opened" not in second.stderr and took < 30
        # The lock died with the killed crawl: the next run starts and completes its work.
        assert status == -signal.SIGKILL
        third = run_crawl(arguments, tmp_path)
        assert third.returncode == 0, third.stderr[-3000:]
        assert article_count(tmp_path / "newscrawl.db") == 40


def test_lock_wait_waits_for_the_running_crawl(tmp_path):
    holder = hold_lock(str(tmp_path / "newscrawl.db"), 2.0)
    started = time.monotonic()
    result = run_crawl(NOWHERE, tmp_path, "-s", "NEWSCRAWL_LOCK_WAIT=60", "-s", "NEWSCRAWL_HEALTH=0",
                       "-s", "RETRY_TIMES=0", timeout=120)
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Spider opened" in result.stderr
    assert time.monotonic() - started >= 1.5


def test_lock_wait_gives_up_with_status_3(tmp_path):
    holder = hold_lock(f"sqlite:///{tmp_path / 'archive.db'}", 60)
    try:
        started = time.monotonic()
        result = run_crawl(NOWHERE, tmp_path, "-s", f"NEWSCRAWL_STORE=sqlite:///{tmp_path / 'archive.db'}",
                           "-s", "NEWSCRAWL_LOCK_WAIT=1", timeout=60)
        took = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3, result.stderr[-2000:]
    errors = error_lines(result)
    assert len(errors) == 1 and "still after waiting 1 s" in errors[0] and "archive.db" in errors[0]
    assert took >= 1


def test_other_store_is_not_blocked(tmp_path):
    holder = hold_lock(str(tmp_path / "other.db"), 60)
    try:
        lock = acquire_run_lock(str(tmp_path / "newscrawl.db"))
        lock.release()
    finally:
        holder.kill()
        holder.wait()


def test_bad_lock_wait_is_bad_input(tmp_path):
    result = run_crawl(NOWHERE, tmp_path, "-s", "NEWSCRAWL_LOCK_WAIT=soon", timeout=60)
    assert result.returncode == 2
    assert "NEWSCRAWL_LOCK_WAIT: expected a number of seconds" in error_lines(result)[0]


def test_postgres_advisory_lock(pg_store, tmp_path):
    url, schema = pg_store
    holder = hold_lock(url, 60)
    result = run_crawl(NOWHERE, tmp_path, "-s", f"NEWSCRAWL_STORE={url}", timeout=60)
    assert result.returncode == 3, result.stderr[-2000:]
    errors = error_lines(result)
    assert len(errors) == 1 and f"PostgreSQL store test.{schema}" in errors[0]
    assert f"pid {holder.pid}" in errors[0]
    # Another schema is another store: not blocked.
    acquire_run_lock(url.replace(schema, "public")).release()
    with pytest.raises(LockBusy):
        acquire_run_lock(url)
    # The holder is killed: PostgreSQL ends its session and the lock with it.
    kill(holder)
    deadline = time.monotonic() + 10
    while True:
        try:
            acquire_run_lock(url).release()
            break
        except LockBusy:
            assert time.monotonic() < deadline, "the killed holder's lock was not released"
            time.sleep(0.1)
