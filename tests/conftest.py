"""Shared test helpers: run `scrapy crawl` / `scrapy <command>` as a real process."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITES = ROOT / "tests" / "fixtures" / "sites"

# Fast but otherwise production settings for crawls against the loopback fixture server.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"]


def run_scrapy(args, cwd, *, timeout=120, env=None):
    """Run `python -m scrapy ARGS` in cwd with the project settings; returns CompletedProcess."""
    environment = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout,
    )


def run_crawl(arguments, cwd, *extra, timeout=120, env=None):
    """`scrapy crawl news` with -a NAME=VALUE for each argument, plus extra raw args."""
    args = ["crawl", "news", *FAST]
    for name, value in arguments.items():
        args += ["-a", f"{name}={value}"]
    return run_scrapy([*args, *extra], cwd, timeout=timeout, env=env)


def crawl_stats(stderr: str) -> dict[str, int]:
    """Integer stats from the 'Dumping Scrapy stats' block of a crawl's log."""
    return {key: int(value) for key, value in re.findall(r"'([\w/.-]+)': (\d+),?\n", stderr)}


def stored_articles(db_path) -> dict[str, dict]:
    """Rows of the SQLite archive keyed by canonical URL."""
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        return {row["canonical_url"]: dict(row) for row in connection.execute("SELECT * FROM articles")}
    finally:
        connection.close()


@pytest.fixture
def workdir(tmp_path):
    return tmp_path
