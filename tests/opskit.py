"""Helpers for the cron-grade tests (incremental, resume, lock, health): generated sites, crawls
running in the background, what the server was asked for, the run summary."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import FAST, ROOT

sys.path.append(str(ROOT / "bench"))  # appended: bench/incremental.py must not shadow the `incremental` package
PG_BASE = os.environ.get("NEWSCRAWL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

from synthsite import generate_site, stories  # noqa: E402,F401  (re-exported for the tests)


def crawl_args(arguments: dict, *extra) -> list[str]:
    args = ["crawl", "news", *FAST]
    for name, value in arguments.items():
        args += ["-a", f"{name}={value}"]
    return [*args, *extra]


def popen_crawl(arguments: dict, cwd, *extra, log_name="crawl.log", env=None) -> subprocess.Popen:
    """`scrapy crawl news` in the background; its stderr goes to cwd/log_name."""
    environment = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    environment.update(env or {})
    log = open(Path(cwd) / log_name, "w")
    process = subprocess.Popen([sys.executable, "-m", "scrapy", *crawl_args(arguments, *extra)],
                               cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    process.log_path = Path(cwd) / log_name
    log.close()
    return process


def wait_until(condition, timeout=60.0, interval=0.05, process=None):
    """Poll until condition() is true; fail if the process ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the crawl ended (status {process.returncode}) before the condition held:\n"
                                 + process.log_path.read_text()[-3000:])
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def kill(process, sig=signal.SIGKILL, timeout=60) -> int:
    process.send_signal(sig)
    return process.wait(timeout=timeout)


def article_count(db_path) -> int:
    """Committed articles, read like another process would (WAL: no uncommitted rows)."""
    if not Path(db_path).exists():
        return 0
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        connection.close()


def query(db_path, sql, params=()):
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def requested(origin, start: int = 0) -> list[str]:
    """Paths the fixture server was asked for since request number `start` (query kept)."""
    return [path for _method, path in origin.requests[start:]]


def article_paths(paths) -> list[str]:
    return [p for p in paths if p.startswith(("/20", "/story/"))]


def listing_paths(paths) -> list[str]:
    return [p for p in paths if p.startswith("/category/")]


def summary(workdir, name="summary.json") -> dict:
    return json.loads((Path(workdir) / name).read_text(encoding="utf-8"))


@pytest.fixture
def pg_store():
    """A PostgreSQL store URL in a throwaway schema (skipped without a server unless CI=true)."""
    try:
        import psycopg
        from psycopg import sql
        admin = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL required when CI=true: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    schema = f"nc_ops_{uuid.uuid4().hex[:12]}"
    admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    sep = "&" if "?" in PG_BASE else "?"
    yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}", schema
    admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    admin.close()
