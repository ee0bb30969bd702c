"""End to end: `scrapy crawl news` finds articles through home pages, feeds and sitemaps.

Each fixture site under tests/fixtures/discovery/ is reachable one way only, so the exact stored set
shows that the way works, and the server's request log shows what was (not) fetched.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURE_SITES
from discovery_helpers import DISCOVERY, crawl, gzip_route

SITEMAPS = DISCOVERY / "sitemaps"
FEEDS = DISCOVERY / "feeds"
HOME = DISCOVERY / "home"
# The profile tests start from a page without article links: the run's health check would
# (rightly, for section crawls) call that a broken listing, which is not what they test.
NO_HEALTH = ("-s", "NEWSCRAWL_HEALTH=0")


def sitemap_routes():
    return {path: gzip_route(SITEMAPS) for path in ("/sitemap_index.xml.gz", "/sitemaps/posts-2026.xml.gz")}


def assert_clean(run):
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert "Traceback" not in run.result.stderr, run.result.stderr[-3000:]


# -- sitemaps: robots.txt -> gzip index -> gzip / plain / Google News / text sitemaps ------------
@pytest.fixture(scope="module")
def sitemap_crawl(tmp_path_factory):
    return crawl(SITEMAPS, tmp_path_factory.mktemp("sitemaps"), {"url": "ORIGIN/"}, routes=sitemap_routes())


def test_sitemap_only_site_is_crawled_through_robots_txt_sitemaps(sitemap_crawl):
    assert_clean(sitemap_crawl)
    assert sitemap_crawl.stored == {
        "/news/ferry-timetable-changes/", "/news/market-hall-reopens/", "/news/lighthouse-repainted/",
        "/news/old-pier-closes/", "/news/storm-warning-issued/", "/news/fish-market-prices-fall/",
        "/news/harbour-pilots-vote/",
    }
    requested = sitemap_crawl.requested
    for path in ("/sitemap_index.xml.gz", "/sitemaps/posts-2026.xml.gz", "/sitemaps/posts-2019.xml",
                 "/news-sitemap.xml", "/sitemaps/pages.txt"):
        assert requested.count(path) == 1, path
    assert "/our-history/" in requested  # listed in the text sitemap, fetched, not an article
    assert not any(path.startswith("/private/") for path in requested)  # robots.txt Disallow


def test_google_news_title_and_date_fill_what_the_page_lacks(sitemap_crawl):
    storm = sitemap_crawl.rows["/news/storm-warning-issued/"]  # the page declares no date
    assert storm["date_published"] == "2026-03-13T08:00:00+00:00"
    assert storm["title"] == "Storm warning issued for the coast"
    pilots = sitemap_crawl.rows["/news/harbour-pilots-vote/"]  # the page declares no title
    assert pilots["title"] == "Harbour pilots vote to strike"  # news:title, not the image:title
    assert pilots["date_published"] == "2026-03-11T07:00:00+00:00"
    ferry = sitemap_crawl.rows["/news/ferry-timetable-changes/"]  # the page's own date wins
    assert ferry["date_published"] == "2026-03-12T09:00:00+00:00"


def test_since_skips_older_sitemap_entries_without_fetching_them(tmp_path):
    run = crawl(SITEMAPS, tmp_path, {"url": "ORIGIN/", "since": "2026-03-05"}, routes=sitemap_routes())
    assert_clean(run)
    assert run.stored == {
        "/news/ferry-timetable-changes/", "/news/storm-warning-issued/", "/news/harbour-pilots-vote/",
        "/news/lighthouse-repainted/",  # published 2026-03-02, but its lastmod is 2026-03-08
    }
    never = {"/news/market-hall-reopens/", "/news/fish-market-prices-fall/", "/news/old-pier-closes/",
             "/sitemaps/posts-2019.xml"}  # the last: a child sitemap whose lastmod predates since
    assert never.isdisjoint(run.requested), sorted(never & set(run.requested))
    assert run.stats["newscrawl/skipped/since"] == 2
    assert run.stats["newscrawl/skipped/since_sitemap"] == 1


def test_profile_sitemaps_are_read(tmp_path):
    profile = '[sites.gazette]\nstart_urls = ["ORIGIN/about/"]\nsitemaps = ["ORIGIN/news-sitemap.xml"]\n'
    run = crawl(SITEMAPS, tmp_path, {"site": "gazette"}, *NO_HEALTH, sites_toml=profile)
    assert_clean(run)
    assert run.stored == {"/news/storm-warning-issued/", "/news/fish-market-prices-fall/",
                          "/news/harbour-pilots-vote/"}
    assert "/sitemap_index.xml.gz" not in run.requested  # robots.txt sitemaps are for -a url= runs


# -- feeds: RSS and Atom declared on the home page ----------------------------------------------
@pytest.fixture(scope="module")
def feed_crawl(tmp_path_factory):
    return crawl(FEEDS, tmp_path_factory.mktemp("feeds"), {"url": "ORIGIN/"})


def test_feed_only_site_is_crawled_through_its_rss_and_atom_feeds(feed_crawl):
    assert_clean(feed_crawl)
    assert feed_crawl.stored == {
        "/news/bridge-toll-scrapped/", "/news/orchard-harvest-record/",  # RSS
        "/news/rail-line-electrified/", "/news/council-water-rates/", "/news/old-mill-fire/",  # Atom
    }
    requested = feed_crawl.requested
    assert requested.count("/feed.xml") == 1 and requested.count("/atom.xml") == 1
    assert "/comments/feed.xml" not in requested  # the comments feed announces comments
    assert "/news/comment-only-story/" not in requested
    assert "/tag/valley/" not in requested  # a feed item that is not an article
    assert feed_crawl.stats["newscrawl/refused/offsite"] == 1  # the partner's item


def test_feed_titles_and_dates_fill_what_the_page_lacks(feed_crawl):
    orchard = feed_crawl.rows["/news/orchard-harvest-record/"]  # no date on the page: RSS pubDate
    assert orchard["date_published"] == "2026-03-09T06:30:00+00:00"
    water = feed_crawl.rows["/news/council-water-rates/"]  # no title on the page: Atom title
    assert water["title"] == "Council sets water rates"
    assert water["date_published"] == "2026-03-07T15:00:00+00:00"  # the page's own
    assert water["date_modified"] == "2026-03-08T09:00:00+00:00"  # Atom <updated>
    toll = feed_crawl.rows["/news/bridge-toll-scrapped/"]
    assert toll["title"] == "Bridge toll scrapped" and toll["date_modified"] is None  # RSS has no updated


def test_since_skips_older_feed_entries_without_fetching_them(tmp_path):
    run = crawl(FEEDS, tmp_path, {"url": "ORIGIN/", "since": "2026-03-01"})
    assert_clean(run)
    assert "/news/old-mill-fire/" not in run.requested
    assert run.stored == {"/news/bridge-toll-scrapped/", "/news/orchard-harvest-record/",
                          "/news/rail-line-electrified/", "/news/council-water-rates/"}


def test_profile_feeds_are_read(tmp_path):
    profile = '[sites.courier]\nstart_urls = ["ORIGIN/about/"]\nfeeds = ["ORIGIN/atom.xml"]\n'
    run = crawl(FEEDS, tmp_path, {"site": "courier"}, *NO_HEALTH, sites_toml=profile)
    assert_clean(run)
    assert run.stored == {"/news/rail-line-electrified/", "/news/council-water-rates/", "/news/old-mill-fire/"}
    assert "/feed.xml" not in run.requested


# -- home page: sections from the menu and category links ----------------------------------------
def test_home_page_only_site_is_crawled_through_its_sections(tmp_path):
    run = crawl(HOME, tmp_path, {"url": "ORIGIN/"})
    assert_clean(run)
    assert run.stored == {
        "/2026/03/14/mayor-opens-new-library/", "/2026/03/13/hospital-wing-approved/",  # the home page's
        "/2026/03/12/river-treaty-signed/", "/2026/03/11/embassy-moves-downtown/",
        "/2026/03/10/aid-flight-lands/",  # World, page 2
        "/2026/03/09/budget-vote-delayed/", "/2026/03/08/new-party-registered/",  # Politics
        "/2026/03/07/comet-visible-tonight/",  # Science: a category link, not in the menu
    }
    listings = {p for p in run.requested if not p.startswith("/2026/") and p != "/robots.txt"}
    # not sections: About, Contact (site pages), the Elections tag, the footer's Archive link
    assert listings == {"/", "/world/", "/world/page/2/", "/politics/", "/category/science/"}
    assert "/2026/03/04/trending-only-story/" not in run.requested  # sidebar links are not headlines


def test_home_page_of_the_wordpress_fixture_finds_its_sections(tmp_path):
    metro = FIXTURE_SITES / "metro"
    run = crawl(metro, tmp_path, {"url": "ORIGIN/"})
    assert_clean(run)
    expected = json.loads((metro / "crawl-expected.json").read_text(encoding="utf-8"))
    assert run.stored == set(expected["articles"])


# -- politeness and arguments ---------------------------------------------------------------------
@pytest.mark.parametrize("setting, agent", [
    ("NEWSCRAWL_CONTACT_URL=https://example.org/crawler", re.compile(r"newscrawl/[\d.]+ \(\+https://example\.org/crawler\)")),
    ("USER_AGENT=ArchiveBot/2 (+mailto:ops@example.org)", re.compile(re.escape("ArchiveBot/2 (+mailto:ops@example.org)"))),
])
def test_user_agent_names_the_project_and_the_contact_url(setting, agent, tmp_path):
    agents = []

    def remember(handler):
        agents.append(handler.headers.get("User-Agent"))
        handler.send_static()

    run = crawl(HOME, tmp_path, {"start_urls": "ORIGIN/politics/"}, "-s", setting, routes={"/politics/": remember})
    assert_clean(run)
    assert len(agents) == 1 and agent.fullmatch(agents[0]), agents


@pytest.mark.parametrize("arguments, extra, message", [
    ({"url": "http://127.0.0.1:9/", "since": "last week"}, (), "-a since: expected a day as YYYY-MM-DD, got 'last week'"),
    ({"url": "http://127.0.0.1:9/", "since": "2026-02-30"}, (), "-a since: expected a day as YYYY-MM-DD"),
    ({"url": "ftp://127.0.0.1/"}, (), "-a url: 'ftp://127.0.0.1/' is not an http(s) URL"),
    ({"url": "http://127.0.0.1:9/"}, ("-s", "NEWSCRAWL_CONTACT_URL=call me"), "setting NEWSCRAWL_CONTACT_URL"),
])
def test_bad_discovery_input_gives_one_clear_line(arguments, extra, message, tmp_path):
    from conftest import run_crawl

    result = run_crawl(arguments, tmp_path, *extra, timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]


def test_politeness_defaults():
    from newscrawl import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert 0 < settings.DOWNLOAD_DELAY <= settings.AUTOTHROTTLE_START_DELAY <= settings.AUTOTHROTTLE_MAX_DELAY <= 60
    assert settings.AUTOTHROTTLE_TARGET_CONCURRENCY <= settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 8
    assert settings.NEWSCRAWL_CONTACT_URL.startswith("https://")


def test_fixture_sites_match_their_generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("discovery_build", DISCOVERY / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.stale() == [], "run .venv/bin/python tests/fixtures/discovery/build.py"
