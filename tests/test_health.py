"""Exit status and summary for cron: a broken run exits 4 and says why; thresholds come from settings."""

from __future__ import annotations

import re
import sqlite3

import pytest
from scrapy.settings import Settings

from conftest import run_crawl
from opskit import generate_site, stories, summary
from siteserver import serve_site

from newscrawl.health import Thresholds, problems
from newscrawl.sites import ConfigError
from newscrawl.store import open_store

SUMMARY = ["-s", "NEWSCRAWL_SUMMARY_FILE=summary.json"]


def healthy(**changes) -> dict:
    base = {
        "finish_reason": "finished",
        "pages": {"fetched": 60, "listing": 5, "article": 50, "other": 5},
        "articles": {"new": 50, "revised": 0, "unchanged": 0, "duplicate": 0, "dropped": 0,
                     "dropped_by_reason": {}},
        "coverage": {"articles": 50, "title": 1.0, "byline": 0.5, "date_published": 1.0, "body": 1.0},
        "errors": {"failed_requests": {}, "spider": 0, "store": 0},
        "start_urls": {"total": 2, "failed": {}},
        "listing_pages": {"parsed": 5, "without_links": 0},
    }
    for key, value in changes.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) else value
    return base


@pytest.mark.parametrize("changes, expected", [
    ({}, None),
    ({"finish_reason": "closespider_timeout"}, None),
    ({"finish_reason": "shutdown"}, "did not finish (shutdown)"),
    ({"start_urls": {"failed": {"http://a.example/world/": "HTTP 404"}}}, "1 start URL(s) could not be fetched"),
    ({"errors": {"store": 2}}, "2 store error(s)"),
    ({"listing_pages": {"parsed": 5, "without_links": 5}}, "none of the 5 listing page(s) linked to an article"),
    ({"articles": {"dropped": 11, "dropped_by_reason": {"not_article": 11}}}, "22% of 50 article pages dropped"),
    ({"articles": {"dropped": 10}}, None),  # 20% is the limit, not over it
    ({"errors": {"failed_requests": {"article": 20}}}, "29% of 70 article requests failed"),
    ({"coverage": {"date_published": 0.5}}, "date_published found in 50% of 50 new articles"),
    ({"coverage": {"articles": 3, "date_published": 0.0}}, None),  # too few to judge
    ({"pages": {"article": 4}, "articles": {"dropped": 4}}, None),
])
def test_health_checks(changes, expected):
    found = problems(healthy(**changes), Thresholds())
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


def test_thresholds_from_settings():
    limits = Thresholds.from_settings(Settings({
        "NEWSCRAWL_HEALTH_MAX_DROPPED": "0.5", "NEWSCRAWL_HEALTH_MIN_SAMPLE": "3",
        "NEWSCRAWL_HEALTH_MIN_COVERAGE": '{"byline": 0.9, "date_published": 0.95}'}))
    assert (limits.max_dropped, limits.min_sample) == (0.5, 3)
    assert limits.min_coverage == {"byline": 0.9, "date_published": 0.95}
    assert "byline found in 50%" in problems(healthy(), limits)[0]
    for name, value, message in [
        ("NEWSCRAWL_HEALTH_MAX_DROPPED", "lots", "expected a fraction"),
        ("NEWSCRAWL_HEALTH_MAX_FAILED", "1.5", "expected a fraction"),
        ("NEWSCRAWL_HEALTH_MIN_SAMPLE", "-1", "expected 0 or more"),
        ("NEWSCRAWL_HEALTH_MIN_COVERAGE", '{"dates": 0.8}', "unknown field 'dates'"),
        ("NEWSCRAWL_HEALTH_MIN_COVERAGE", "[1, 2", "expected a JSON object"),
    ]:
        with pytest.raises(ConfigError, match=message):
            Thresholds.from_settings(Settings({name: value}))


def test_bad_threshold_setting_is_bad_input(tmp_path):
    result = run_crawl({"start_urls": "http://127.0.0.1:9/"}, tmp_path, "-s", "NEWSCRAWL_HEALTH_MAX_DROPPED=lots",
                       timeout=60)
    assert result.returncode == 2
    assert "newscrawl: error: setting NEWSCRAWL_HEALTH_MAX_DROPPED" in result.stderr


# -- end to end --------------------------------------------------------------------------------
def crawl_site(site, work, *extra, prepare=None):
    generated = generate_site(site, articles=12, sections=1, per_page=6, dated_urls=False)
    if prepare:
        prepare(site)
    with serve_site(site) as origin:
        return run_crawl({"start_urls": origin + generated["start_paths"][0]}, work, *SUMMARY, *extra)


def rewrite_articles(site, change):
    for story in stories(site):
        page = site / story["path"].strip("/") / "index.html"
        page.write_text(change(page.read_text()))


def undated(text: str) -> str:
    """A theme update that lost every machine-readable date."""
    text = re.sub(r'"date(Published|Modified)": "[^"]*", ', "", text)
    text = re.sub(r'<meta property="article:published_time"[^>]*>', "", text)
    return re.sub(r"<time[^>]*>.*?</time>", "", text)


def test_healthy_run_exits_0_with_summary(tmp_path):
    result = crawl_site(tmp_path / "site", tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    data = summary(tmp_path)
    assert data["finish_reason"] == "finished" and data["health"] == {"ok": True, "enforced": True, "problems": []}
    assert data["articles"]["new"] == 12 and data["pages"]["article"] == 12 and data["pages"]["listing"] == 2
    assert data["requests"] == data["pages"]["fetched"] == 15  # robots.txt, 2 listing pages, 12 articles
    assert data["coverage"]["articles"] == 12
    assert data["coverage"]["title"] == data["coverage"]["body"] == data["coverage"]["date_published"] == 1.0
    expected_bylines = sum(1 for s in stories(tmp_path / "site") if s["authors"]) / 12
    assert data["coverage"]["byline"] == pytest.approx(expected_bylines)
    assert data["start_urls"] == {"total": 1, "failed": {}}
    assert data["duration_seconds"] > 0
    block = result.stderr[result.stderr.index("--- newscrawl summary"):]
    assert "articles   12 new, 0 revised, 0 unchanged, 0 duplicate, 0 dropped" in block
    assert block.rstrip().endswith("health     OK")


def test_unreachable_start_url_exits_4(tmp_path):
    result = run_crawl({"start_urls": "http://127.0.0.1:9/category/world/"}, tmp_path, *SUMMARY,
                       "-s", "RETRY_TIMES=0", timeout=60)
    assert result.returncode == 4, result.stderr[-3000:]
    data = summary(tmp_path)
    assert list(data["start_urls"]["failed"]) == ["http://127.0.0.1:9/category/world/"]
    assert "1 start URL(s) could not be fetched" in data["health"]["problems"][0]
    assert "FAILED (exit status 4)" in result.stderr


def test_dates_lost_in_a_layout_change_exit_4_unless_allowed(tmp_path):
    prepare = lambda site: rewrite_articles(site, undated)  # noqa: E731
    result = crawl_site(tmp_path / "site", tmp_path, prepare=prepare)
    assert result.returncode == 4, result.stderr[-3000:]
    data = summary(tmp_path)
    assert data["coverage"]["date_published"] == 0.0
    assert data["health"]["problems"] == [
        "date_published found in 0% of 12 new articles, under the 80% minimum"]
    assert "  - date_published found in 0% of 12 new articles" in result.stderr

    for name in ("allowed", "report_only"):
        (tmp_path / name).mkdir()
    allowed = crawl_site(tmp_path / "site2", tmp_path / "allowed",
                         "-s", 'NEWSCRAWL_HEALTH_MIN_COVERAGE={"date_published": 0}', prepare=prepare)
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    report_only = crawl_site(tmp_path / "site3", tmp_path / "report_only", "-s", "NEWSCRAWL_HEALTH=0",
                             prepare=prepare)
    assert report_only.returncode == 0
    assert "FAILED (not enforced: NEWSCRAWL_HEALTH=0)" in report_only.stderr


def test_article_pages_that_are_no_longer_articles_exit_4(tmp_path):
    def gutted(text: str) -> str:  # a cookie wall in front of every story
        return re.sub(r'<main id="primary".*</main>', '<main id="primary"><p>Please accept cookies.</p></main>',
                      re.sub(r"<script type=\"application/ld\+json\".*?</script>", "", text), flags=re.S)
    result = crawl_site(tmp_path / "site", tmp_path, prepare=lambda site: rewrite_articles(site, gutted))
    assert result.returncode == 4, result.stderr[-3000:]
    problems_found = summary(tmp_path)["health"]["problems"]
    assert len(problems_found) == 1 and "100% of 12 article pages dropped" in problems_found[0]


def test_listings_without_article_links_exit_4(tmp_path):
    def no_teasers(site):
        for page in (site / "category").rglob("index.html"):
            page.write_text(re.sub(r"<article .*?</article>", "", page.read_text(), flags=re.S))
    result = crawl_site(tmp_path / "site", tmp_path, prepare=no_teasers)
    assert result.returncode == 4, result.stderr[-3000:]
    assert summary(tmp_path)["health"]["problems"] == [
        "none of the 1 listing page(s) linked to an article: has the site's layout changed?"]


def test_store_errors_exit_4(tmp_path):
    open_store(str(tmp_path / "newscrawl.db")).close()
    connection = sqlite3.connect(tmp_path / "newscrawl.db")
    connection.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    connection.commit()
    connection.close()
    result = crawl_site(tmp_path / "site", tmp_path)
    assert result.returncode == 4, result.stderr[-3000:]
    data = summary(tmp_path)
    assert data["errors"]["store"] == 12
    assert data["health"]["problems"] == ["12 store error(s): see the log"]
