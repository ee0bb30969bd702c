"""Incremental runs: what a repeated `scrapy crawl news` asks the server for, and what it stores.

A generated site (bench/synthsite.py) is served on 127.0.0.1 and crawled several times by real
`scrapy crawl` processes; the server's request log shows what each run fetched.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import crawl_stats, run_crawl
from opskit import (article_paths, generate_site, listing_paths, pg_store, query, requested, stories,  # noqa: F401
                    summary)
from synthsite import add_articles, revise_article
from siteserver import serve_site

SECTIONS = ("world", "politics")


def section_pages(site_stories, per_page: int) -> dict[str, int]:
    counts = {s: sum(1 for story in site_stories if story["section"] == s) for s in SECTIONS}
    return {s: -(-n // per_page) for s, n in counts.items()}


def page_path(section: str, number: int) -> str:
    return f"/category/{section}/" if number == 1 else f"/category/{section}/page/{number}/"


def unslash(site, path: str) -> None:
    front = site / "category/world/index.html"
    text = front.read_text()
    assert f'href="{path}"' in text
    front.write_text(text.replace(f'href="{path}"', f'href="{path[:-1]}"'))


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Four runs on one site and one store: first, after 4 new articles, with nothing new, full=1."""
    base = tmp_path_factory.mktemp("incremental")
    site, work = base / "site", base / "work"
    work.mkdir()
    generated = generate_site(site, articles=40, sections=2, per_page=8)
    # The newest world article is linked from the section front without its trailing slash: the
    # server answers 301 with the real URL.
    redirected = [s for s in stories(site) if s["section"] == "world"][-1]["path"]
    unslash(site, redirected)
    runs = {}
    with serve_site(site) as origin:
        starts = ",".join(origin + p for p in generated["start_paths"])

        def crawl(name, **arguments):
            mark = len(origin.requests)
            result = run_crawl({"start_urls": starts, **arguments}, work,
                               "-s", f"NEWSCRAWL_SUMMARY_FILE={name}.json")
            runs[name] = {"result": result, "paths": requested(origin, mark),
                          "summary": summary(work, f"{name}.json"), "stats": crawl_stats(result.stderr)}

        crawl("first")
        added = add_articles(site, 4)
        unslash(site, redirected)
        crawl("second")
        crawl("quiet")
        crawl("full", full="1")
    return {"runs": runs, "added": added["article_paths"], "site": site, "db": work / "newscrawl.db",
            "redirected": redirected}


def test_every_run_exits_cleanly(history):
    for name, run in history["runs"].items():
        assert run["result"].returncode == 0, (name, run["result"].stderr[-3000:])
        assert "Traceback" not in run["result"].stderr, name
        assert run["summary"]["health"]["ok"], (name, run["summary"]["health"])


def test_first_run_archives_every_article(history):
    first = history["runs"]["first"]
    assert first["summary"]["articles"]["new"] == 40
    assert set(article_paths(first["paths"])) >= {s["path"] for s in stories(history["site"])[:40]}


def test_second_run_fetches_only_the_new_articles(history):
    second = history["runs"]["second"]
    assert sorted(article_paths(second["paths"])) == sorted(history["added"])
    assert second["summary"]["articles"] == {**second["summary"]["articles"], "new": 4, "revised": 0,
                                             "unchanged": 0, "duplicate": 0, "dropped": 0}
    assert second["stats"]["newscrawl/skipped/archived"] > 0


def test_pagination_stops_at_the_first_all_archived_page(history):
    """A section with new articles: its front page, then page 2 (all archived): stop. Without: front only."""
    new_by_section = {s: 0 for s in SECTIONS}
    for story in stories(history["site"]):
        if story["path"] in history["added"]:
            new_by_section[story["section"]] += 1
    expected = []
    for section, count in new_by_section.items():
        expected += [page_path(section, 1)] + ([page_path(section, 2)] if count else [])
    assert sorted(listing_paths(history["runs"]["second"]["paths"])) == sorted(expected)
    assert history["runs"]["second"]["summary"]["skipped"]["listing"] == len(SECTIONS)


def test_run_with_nothing_new_fetches_only_section_fronts(history):
    quiet = history["runs"]["quiet"]
    assert article_paths(quiet["paths"]) == []
    assert sorted(listing_paths(quiet["paths"])) == sorted(page_path(s, 1) for s in SECTIONS)
    assert quiet["summary"]["articles"]["new"] == 0


def test_full_walks_and_fetches_everything_again(history):
    full = history["runs"]["full"]
    every = {s["path"] for s in stories(history["site"])}
    assert set(article_paths(full["paths"])) >= every
    pages = section_pages(stories(history["site"]), 8)
    assert set(listing_paths(full["paths"])) == {page_path(s, n) for s, total in pages.items()
                                                 for n in range(1, total + 1)}
    articles = full["summary"]["articles"]
    assert (articles["new"], articles["revised"], articles["unchanged"]) == (0, 0, 44)


def test_a_redirected_link_is_remembered_under_the_linked_url(history):
    slashless = history["redirected"][:-1]
    assert slashless in history["runs"]["first"]["paths"]
    for name in ("second", "quiet"):
        assert slashless not in history["runs"][name]["paths"], name
        assert history["redirected"] not in history["runs"][name]["paths"], name


def test_no_article_stored_twice(history):
    db = history["db"]
    assert query(db, "SELECT count(*), count(DISTINCT canonical_url), max(revision) FROM articles") == [(44, 44, 1)]
    assert query(db, "SELECT count(*) FROM revisions") == [(0,)]


def test_refresh_days_refetches_recent_articles_and_keeps_revisions(tmp_path):
    site, work = tmp_path / "site", tmp_path / "work"
    work.mkdir()
    now = datetime.now(timezone.utc)
    generated = generate_site(site, articles=36, sections=2, per_page=3, newest=now - timedelta(hours=1),
                              interval_hours=8)
    all_stories = stories(site)
    cutoff = datetime.combine(now.date() - timedelta(days=2), datetime.min.time(), timezone.utc)
    recent = {s["path"] for s in all_stories if datetime.fromisoformat(s["published"]) >= cutoff}
    assert 3 <= len(recent) < 18
    newest, oldest = all_stories[-1]["path"], all_stories[0]["path"]
    with serve_site(site) as origin:
        starts = ",".join(origin + p for p in generated["start_paths"])
        first = run_crawl({"start_urls": starts}, work)
        assert first.returncode == 0, first.stderr[-3000:]
        revise_article(site, newest, "The council corrected the figures on Tuesday.")
        revise_article(site, oldest, "This old story changed too, but is past the refresh window.")
        mark = len(origin.requests)
        second = run_crawl({"start_urls": starts, "refresh_days": "2"}, work, "-s", "NEWSCRAWL_SUMMARY_FILE=s.json")
        paths = requested(origin, mark)
    assert second.returncode == 0, second.stderr[-3000:]
    assert set(article_paths(paths)) == recent
    assert len(listing_paths(paths)) < sum(section_pages(all_stories, 3).values())
    articles = summary(work, "s.json")["articles"]
    assert (articles["new"], articles["revised"], articles["unchanged"]) == (0, 1, len(recent) - 1)
    db = work / "newscrawl.db"
    rows = dict(query(db, "SELECT url, revision FROM articles"))
    assert rows[origin + newest] == 2 and rows[origin + oldest] == 1
    old = query(db, "SELECT r.revision, r.body FROM revisions r JOIN articles a ON a.id = r.article_id"
                    " WHERE a.url = ?", (origin + newest,))
    assert len(old) == 1 and old[0][0] == 1 and "corrected the figures" not in old[0][1]
    latest = query(db, "SELECT body FROM articles WHERE url = ?", (origin + newest,))[0][0]
    assert "corrected the figures" in latest


def test_sitemap_lastmod_newer_than_the_archive_refetches(tmp_path):
    site, work = tmp_path / "site", tmp_path / "work"
    work.mkdir()
    generate_site(site, articles=12, sections=1, per_page=6)
    changed = stories(site)[3]["path"]
    with serve_site(site) as origin:
        (work / "sites.toml").write_text(
            f'[sites.gen]\nstart_urls = ["{origin}/category/world/"]\nsitemaps = ["{origin}/sitemap.xml"]\n')
        first = run_crawl({"site": "gen"}, work)
        assert first.returncode == 0, first.stderr[-3000:]
        time.sleep(1.1)  # lastmod and crawl times have whole seconds
        revise_article(site, changed, "A correction was appended.")
        mark = len(origin.requests)
        second = run_crawl({"site": "gen"}, work)
        paths = requested(origin, mark)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "/sitemap.xml" in paths
    assert article_paths(paths) == [changed]
    stats = crawl_stats(second.stderr)
    assert stats.get("newscrawl/refresh/lastmod") == 1
    assert stats.get("newscrawl/articles/revised") == 1


@pytest.mark.parametrize("arguments, message", [
    ({"full": "maybe"}, "-a full: expected 1 or 0"),
    ({"refresh_days": "week"}, "-a refresh_days: expected a whole number of days"),
    ({"refresh_days": "-3"}, "-a refresh_days: expected 0 or more days"),
])
def test_bad_incremental_arguments_stop_at_start(arguments, message, tmp_path):
    result = run_crawl({"start_urls": "http://127.0.0.1:9/category/world/", **arguments}, tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]
    assert len(errors) == 1 and message in errors[0]


def test_incremental_run_on_postgres(pg_store, tmp_path):
    url, _schema = pg_store
    site = tmp_path / "site"
    generated = generate_site(site, articles=20, sections=1, per_page=5)
    with serve_site(site) as origin:
        arguments = {"start_urls": origin + generated["start_paths"][0]}
        store = ["-s", f"NEWSCRAWL_STORE={url}"]
        first = run_crawl(arguments, tmp_path, *store)
        assert first.returncode == 0, first.stderr[-3000:]
        added = add_articles(site, 2)["article_paths"]
        mark = len(origin.requests)
        second = run_crawl(arguments, tmp_path, *store, "-s", "NEWSCRAWL_SUMMARY_FILE=s.json")
        paths = requested(origin, mark)
    assert second.returncode == 0, second.stderr[-3000:]
    assert sorted(article_paths(paths)) == sorted(added)
    assert listing_paths(paths) == ["/category/world/", "/category/world/page/2/"]
    data = summary(tmp_path, "s.json")
    assert data["articles"]["new"] == 2 and data["coverage"]["articles"] == 2
