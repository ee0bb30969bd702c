"""Crash safety: SIGKILL `scrapy crawl` at random moments (10 seeded trials on one archive).

After every kill the SQLite store opens, PRAGMA integrity_check and the FTS5 index check say ok,
and every stored article is whole (title and body exactly as served, fingerprint and word count
matching the body, FTS rows matching the article). Then a rerun completes the set.
The site answers slowly (200 ms a page, 2 at a time, NEWSCRAWL_STORE_BATCH=5) so kills land while
batches are being written, whatever the machine's speed. About 40 s.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from conftest import FAST, ROOT
from faultserver import serve_plain_site
from newscrawl.fingerprints import body_fingerprint
from newscrawl.store import open_store

TRIALS = 10
SEED = 20260314
ARTICLES = 160
DELAY = 0.2  # seconds per answer; 2 requests at a time: at most 10 pages/s on any machine, so
# 10 trials (at most 25 s of crawling) can never finish the 160 articles before the final rerun
CRAWL_WINDOW = 2.5  # seconds after "Spider opened" in which kills fall


def crawl_command(site, db):
    return [
        sys.executable, "-m", "scrapy", "crawl", "news", *FAST, "-a", f"start_urls={site.start_url}",
        "-s", f"NEWSCRAWL_STORE=sqlite:///{db}", "-s", "NEWSCRAWL_STORE_BATCH=5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    ]


def environment():
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}


def crawl_and_kill(site, db, cwd, delay: float) -> dict:
    """Start a crawl, SIGKILL it `delay` s after the spider opens; return what happened."""
    process = subprocess.Popen(crawl_command(site, db), cwd=cwd, env=environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    opened = threading.Event()
    lines: list[str] = []

    def drain():
        for line in process.stderr:
            lines.append(line)
            if "Spider opened" in line:
                opened.set()
        opened.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        opened.wait(timeout=60)
        time.sleep(delay)
        finished_first = process.poll() is not None
        if not finished_first:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=10)
    return {"killed": not finished_first, "returncode": process.returncode, "log": "".join(lines)}


def check_archive(db, site) -> int:
    """Assert the archive is sound and holds only whole articles; return how many it holds."""
    if not db.exists():
        return 0
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        connection.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        rows = connection.execute(
            "SELECT id, canonical_url, title, body, fingerprint, word_count, authors, tags FROM articles").fetchall()
        for row_id, canonical, title, body, fingerprint, words, authors, tags in rows:
            path = canonical[len(site.origin):]
            assert canonical.startswith(site.origin) and path in site.good, canonical
            assert title == site.good[path]["title"], (canonical, title)
            assert body == site.good[path]["body"], (canonical, "body differs")
            assert fingerprint == body_fingerprint(body)
            assert words == len(body.split())
            assert isinstance(json.loads(authors or "[]"), list) and isinstance(json.loads(tags or "[]"), list)
            indexed = connection.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                         (f'"{title.split()[-1]}"',)).fetchall()
            assert (row_id,) in indexed, (canonical, "not in the full-text index")
        orphans = connection.execute(
            "SELECT COUNT(*) FROM seen_urls WHERE canonical_url NOT IN (SELECT canonical_url FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        connection.close()
    with open_store(f"sqlite:///{db}") as store:  # the store's own view agrees
        assert store.count() == len(rows)
    return len(rows)


def test_sigkill_at_random_moments_loses_nothing_whole(tmp_path):
    rng = random.Random(SEED)
    db = tmp_path / "archive.db"
    trials = []
    with serve_plain_site(tmp_path / "site", ARTICLES, delay=DELAY) as site:
        for trial in range(TRIALS):
            delay = rng.uniform(0.0, CRAWL_WINDOW)
            outcome = crawl_and_kill(site, db, tmp_path, delay)
            assert "Traceback" not in outcome["log"], outcome["log"][-3000:]
            stored = check_archive(db, site)  # raises on a broken archive or a half-written article
            trials.append((round(delay, 2), outcome["killed"], stored))
        rerun = subprocess.run(crawl_command(site, db), cwd=tmp_path, env=environment(),
                               capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert "Traceback" not in rerun.stderr
        assert check_archive(db, site) == ARTICLES
    killed = [t for t in trials if t[1]]
    print(f"\ncrash trials (delay after spider opened, killed, articles stored): {trials}")
    assert len(killed) >= TRIALS * 0.8, trials  # most trials must really kill a running crawl
    assert len({t[2] for t in killed}) > 1, trials  # ... at different points of the crawl
