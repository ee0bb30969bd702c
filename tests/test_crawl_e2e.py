"""End to end: `scrapy crawl news` as a real process against the fixture sites on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from newscrawl.fingerprints import canonicalize
from conftest import FIXTURE_SITES, crawl_stats, run_crawl, stored_articles
from siteserver import serve_site

SITES = sorted(p.name for p in FIXTURE_SITES.iterdir() if (p / "crawl-expected.json").exists())


def expected_crawl(site: str, origin: str) -> dict:
    text = (FIXTURE_SITES / site / "crawl-expected.json").read_text(encoding="utf-8")
    return json.loads(text.replace("{{ORIGIN}}", origin))


def fetched_copies(articles: dict, origin: str) -> list[str]:
    """Other URLs of an article that are fetched (tracking-parameter variants are cleaned before fetching)."""
    return [
        copy
        for path, fields in articles.items()
        for copy in fields.get("also_at", ())
        if canonicalize(absolute(origin, copy)) != canonicalize(absolute(origin, path))
    ]


def absolute(origin: str, path: str) -> str:
    return path if path.startswith("http") else origin + path


@pytest.fixture(scope="module", params=SITES)
def crawled(request, tmp_path_factory):
    """One crawl per fixture site, shared by the assertions below."""
    site = request.param
    workdir = tmp_path_factory.mktemp(site)
    with serve_site(FIXTURE_SITES / site) as origin:
        expected = expected_crawl(site, origin)
        start_urls = ",".join(absolute(origin, p) for p in expected["start_paths"])
        result = run_crawl({"start_urls": start_urls}, workdir, "-O", "feed.jsonl")
    return {"site": site, "origin": origin, "expected": expected, "result": result, "workdir": workdir}


def test_crawl_exits_cleanly(crawled):
    result = crawled["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def test_crawl_opens_no_listening_console(crawled):
    """Telnet console and remote control run arbitrary Python: never on in an unattended crawl."""
    stderr = crawled["result"].stderr
    assert "Telnet console listening" not in stderr and "Remote control HTTP server listening" not in stderr


def test_stores_exactly_the_articles(crawled):
    stored = stored_articles(crawled["workdir"] / "newscrawl.db")
    expected = {absolute(crawled["origin"], p) for p in crawled["expected"]["articles"]}
    assert set(stored) == expected


def test_stored_fields_match(crawled):
    stored = stored_articles(crawled["workdir"] / "newscrawl.db")
    origin = crawled["origin"]
    for path, fields in crawled["expected"]["articles"].items():
        row = stored[absolute(origin, path)]
        for name, value in fields.items():
            if name == "also_at":
                continue
            if name in ("authors", "tags") and row[name] is not None:
                assert json.loads(row[name]) == value, (path, name)
            else:
                assert row[name] == value, (path, name)
        assert row["fingerprint"] and row["word_count"] > 20
        assert row["crawled_at"].endswith("+00:00")


def test_feed_holds_the_same_items(crawled):
    lines = (crawled["workdir"] / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    canonical = [item["canonical_url"] for item in items]
    assert len(canonical) == len(set(canonical)), "duplicate in feed"
    stored = stored_articles(crawled["workdir"] / "newscrawl.db")
    assert set(canonical) == set(stored)
    fields = ["url", "canonical_url", "site", "section", "title", "byline", "authors", "date_published",
              "date_modified", "body", "description", "tags", "image", "language", "word_count",
              "fingerprint", "crawled_at"]
    for item in items:
        assert list(item) == fields


def test_duplicates_counted_not_stored(crawled):
    """Tracking-parameter and syndicated copies are fetched, recognised and counted, not stored."""
    stats = crawl_stats(crawled["result"].stderr)
    duplicates = sum(v for k, v in stats.items() if k.startswith("newscrawl/duplicates/"))
    assert duplicates == len(fetched_copies(crawled["expected"]["articles"], crawled["origin"]))
    assert stats.get("newscrawl/articles/new") == len(crawled["expected"]["articles"])
