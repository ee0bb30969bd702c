"""Resume: a crawl killed mid-run (a real SIGKILL) and started again completes, no article lost or twice.

The store commits in batches (NEWSCRAWL_STORE_BATCH), so the kill loses the open batch: those
articles were fetched and parsed but never committed. The rerun must fetch exactly those again,
and nothing that was committed.
"""

from __future__ import annotations

import signal

import pytest

from conftest import crawl_stats, run_crawl
from opskit import (article_count, article_paths, generate_site, kill, popen_crawl, query, requested,
                    stories, summary, wait_until)
from siteserver import serve_site

ARTICLES = 80
SLOW = ["-s", "CONCURRENT_REQUESTS=2", "-s", "DOWNLOAD_DELAY=0.03", "-s", "NEWSCRAWL_STORE_BATCH=10",
        "-s", "LOG_LEVEL=DEBUG"]


def scraped(process) -> int:
    return process.log_path.read_text().count("Scraped from <")


@pytest.fixture
def site(tmp_path):
    directory = tmp_path / "site"
    generated = generate_site(directory, articles=ARTICLES, sections=2, per_page=10)
    work = tmp_path / "work"
    work.mkdir()
    with serve_site(directory) as origin:
        yield {"origin": origin, "work": work, "db": work / "newscrawl.db", "dir": directory,
               "start_urls": ",".join(origin + p for p in generated["start_paths"])}


def kill_mid_batch(site, *extra, sig=signal.SIGKILL) -> tuple[int, int]:
    """Start a slow crawl, kill it once a batch is committed and the next one is part-filled."""
    process = popen_crawl({"start_urls": site["start_urls"]}, site["work"], *SLOW, *extra)
    try:
        wait_until(lambda: article_count(site["db"]) >= 10 and scraped(process) >= article_count(site["db"]) + 3,
                   process=process)
    except BaseException:
        process.kill()
        raise
    status = kill(process, sig)
    return status, article_count(site["db"])


def assert_complete(site):
    """Every article stored exactly once, never revised."""
    expected = {site["origin"] + s["path"] for s in stories(site["dir"])}
    rows = query(site["db"], "SELECT canonical_url, revision FROM articles")
    assert {url for url, _ in rows} == expected
    assert len(rows) == ARTICLES and {revision for _, revision in rows} == {1}
    assert query(site["db"], "SELECT count(*) FROM revisions") == [(0,)]


def test_sigkill_then_rerun_with_jobdir_completes(site):
    status, committed = kill_mid_batch(site, "-s", "JOBDIR=job")
    assert status == -signal.SIGKILL
    assert 10 <= committed < ARTICLES
    mark = len(site["origin"].requests)
    rerun = run_crawl({"start_urls": site["start_urls"]}, site["work"], "-s", "JOBDIR=job",
                      "-s", "NEWSCRAWL_SUMMARY_FILE=rerun.json")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "was killed before it could save its queue" in rerun.stderr
    assert_complete(site)
    # The lost batch and the rest were fetched; nothing committed was fetched again.
    fetched = article_paths(requested(site["origin"], mark))
    assert len(fetched) == len(set(fetched)) == ARTICLES - committed
    articles = summary(site["work"], "rerun.json")["articles"]
    assert (articles["new"], articles["unchanged"], articles["revised"]) == (ARTICLES - committed, 0, 0)
    assert crawl_stats(rerun.stderr).get("newscrawl/jobdir/recovered") == 1

    # The same JOBDIR in the next (cron) run: a finished crawl is not "resumed" into a no-op.
    mark = len(site["origin"].requests)
    again = run_crawl({"start_urls": site["start_urls"]}, site["work"], "-s", "JOBDIR=job")
    assert again.returncode == 0, again.stderr[-3000:]
    assert crawl_stats(again.stderr).get("newscrawl/jobdir/restarted") == 1
    paths = requested(site["origin"], mark)
    assert "/category/world/" in paths and article_paths(paths) == []


def test_sigkill_without_jobdir_is_completed_by_the_next_run(site):
    """No JOBDIR: the next incremental run walks the interrupted sections to their end."""
    status, committed = kill_mid_batch(site)
    assert status == -signal.SIGKILL and committed < ARTICLES
    mark = len(site["origin"].requests)
    rerun = run_crawl({"start_urls": site["start_urls"]}, site["work"])
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "did not finish: following its pagination to the end" in rerun.stderr
    assert_complete(site)
    fetched = article_paths(requested(site["origin"], mark))
    assert len(fetched) == len(set(fetched)) == ARTICLES - committed


def test_graceful_stop_resumes_from_the_saved_queue(site):
    status, committed = kill_mid_batch(site, "-s", "JOBDIR=job", sig=signal.SIGTERM)
    assert status == 4  # the run did not finish: cron hears about it
    stopped = article_count(site["db"])
    assert committed <= stopped < ARTICLES
    log = (site["work"] / "crawl.log").read_text()
    assert "the crawl did not finish (shutdown)" in log
    mark = len(site["origin"].requests)
    rerun = run_crawl({"start_urls": site["start_urls"]}, site["work"], "-s", "JOBDIR=job")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert crawl_stats(rerun.stderr).get("newscrawl/jobdir/resumed") == 1
    assert_complete(site)
    fetched = article_paths(requested(site["origin"], mark))
    assert len(fetched) == len(set(fetched)) == ARTICLES - stopped
