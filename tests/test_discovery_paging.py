"""End to end: every pagination style is followed to its end, to max_pages, or until a page repeats.

tests/fixtures/discovery/paged/ has one section per style; expected.json lists the listing pages a
crawl of that section must fetch and the articles it must store. Every listing page also carries a
header menu (with a "More" entry) and a "Trending" sidebar, neither of which may be followed.
"""

from __future__ import annotations

import json

import pytest

from discovery_helpers import DISCOVERY, crawl, repeat_route

PAGED = DISCOVERY / "paged"
EXPECTED = json.loads((PAGED / "expected.json").read_text(encoding="utf-8"))
TRENDING = "/2026/01/05/trending-decoy/"


def listing_requests(run) -> list[str]:
    return [p for p in run.requested if not p.startswith("/2026/") and p != "/robots.txt"]


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_pagination_style_is_followed_to_its_end(style, tmp_path):
    run = crawl(PAGED, tmp_path, {"start_urls": f"ORIGIN/{style}/"}, routes={"/repeat/": repeat_route(PAGED)})
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert run.stored == set(EXPECTED[style]["articles"])
    pages = EXPECTED[style]["pages"]
    if style == "repeat":
        # page 3 is answered with page 2's articles: fetched once, recognised, not followed
        assert listing_requests(run) == [*pages, "/repeat/?page=3"]
        assert run.stats["newscrawl/pagination/repeated"] == 1
    else:
        assert listing_requests(run) == pages  # in order, each once, nothing past the last page
    assert TRENDING not in run.requested


def test_max_pages_stops_the_walk(tmp_path):
    run = crawl(PAGED, tmp_path, {"start_urls": "ORIGIN/numbered/", "max_pages": "2"})
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert run.stored == set(EXPECTED["numbered"]["articles"][:4])
    assert listing_requests(run) == ["/numbered/", "/numbered/2/"]


def test_since_skips_dated_links_and_stops_at_a_page_of_older_ones(tmp_path):
    # /older/ lists stories 1-2 (Feb 28, 27), 3-4 (Feb 26, 25), 5-6 (Feb 24, 23), dated in URL and <time>
    run = crawl(PAGED, tmp_path, {"start_urls": "ORIGIN/older/", "since": "2026-02-27"})
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert run.stored == {"/2026/02/28/older-story-1/", "/2026/02/27/older-story-2/"}
    assert listing_requests(run) == ["/older/", "/older/earlier/"]  # page 2 is all older: no page 3
    assert not any("older-story-3" in p or "older-story-4" in p for p in run.requested)
