"""extract_article's contract beyond the fixture pages: the keys, never raising, time, bytes,
overrides and page kinds. Exercised through the public surface only."""
from __future__ import annotations

import time

import pytest

from newscrawl.extract import extract_article, page_kind

KEYS = {"title", "byline", "authors", "date_published", "date_modified", "body", "canonical_url",
        "section", "tags", "description", "image", "language", "site", "page_kind"}

PARA = ("<p>The river authority opened the new flood gates on Monday after four years of work, "
        "promising fewer closures of the lower town during the spring melt, officials said ({}).</p>")


def paras(n: int) -> str:
    return "".join(PARA.format(i) for i in range(n))
ARTICLE = ("<html><head><title>Gates open | Valley Post</title>"
           "<meta property='og:type' content='article'>"
           "<meta property='article:published_time' content='2026-04-06T08:00:00+01:00'></head>"
           "<body><article><h1>Gates open</h1><p class='byline'>By Ana Ruiz</p>"
           "<div class='story-text'>" + paras(4) + "</div>"
           "<div class='meta-tags'><a rel='tag' href='/t/river'>river</a></div></article></body></html>")


@pytest.mark.parametrize("html", [
    "", "   ", b"", None, "<", "<html>", b"\x00\x01\x02\xff\xfe", "plain text, no tags",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
    "<html><head><script type='application/ld+json'>{broken json,,}</script></head></html>",
    "<html><head><script type='application/ld+json'>[1, \"a\", null, {\"@graph\": 5}]</script></head></html>",
    "<div>" * 5000 + "deep" + "</div>" * 5000,
    "<html><body>" + "<p>" + "word " * 20000 + "</p></body></html>",
])
def test_never_raises_and_has_the_keys(html):
    item = extract_article(html, "https://x.example/a")
    assert set(item) == KEYS
    assert isinstance(item["authors"], list) and isinstance(item["tags"], list)
    assert item["page_kind"] in ("article", "listing", "other")
    for key in KEYS - {"authors", "tags", "page_kind"}:
        assert item[key] is None or (isinstance(item[key], str) and item[key]), key


def test_a_big_page_returns_within_one_second():
    page = ("<html><body><nav>" + "<a href='/x'>link</a>" * 3000 + "</nav><article><h1>T</h1>"
            + paras(400) + "</article>" + "<div class='related'><p>teaser text here</p></div>" * 500
            + "</body></html>")
    t0 = time.perf_counter()
    item = extract_article(page, "https://x.example/a")
    assert time.perf_counter() - t0 < 1.0
    assert item["body"] and item["body"].count("\n\n") >= 399


def test_article_fields_from_a_plain_page():
    item = extract_article(ARTICLE, "https://valley.example/news/gates/")
    assert item["title"] == "Gates open"
    assert item["byline"] == "By Ana Ruiz" and item["authors"] == ["Ana Ruiz"]
    assert item["date_published"] == "2026-04-06T08:00:00+01:00"
    assert item["body"].count("\n\n") == 3 and "By Ana Ruiz" not in item["body"]
    assert item["tags"] == ["river"]
    assert item["page_kind"] == "article"


def test_bytes_and_text_give_the_same_item():
    assert extract_article(ARTICLE.encode("utf-8"), "https://v.example/a") == \
        extract_article(ARTICLE, "https://v.example/a")


def test_overrides_win_over_generic_results():
    item = extract_article(ARTICLE, "https://v.example/a", {
        "title": "css:p.byline",
        "authors": "xpath://h1",
        "body": "div.story-text",
        "date_published": "css:h1",          # no date in it: the generic value stays
        "section": "css:[unclosed",           # invalid selector: ignored, never raises
    })
    assert item["title"] == "By Ana Ruiz"
    assert item["authors"] == ["Gates open"]
    assert item["body"].startswith("The river authority")
    assert item["date_published"] == "2026-04-06T08:00:00+01:00"
    assert item["section"] is None


LISTING = ("<html><head><title>World | Valley Post</title></head><body><h1>World</h1>"
           + "".join(f"<article><h2><a href='/n/{i}/'>Story number {i} about the river gates</a></h2>"
                     f"<p>Short teaser for story {i}.</p><time datetime='2026-04-0{i % 9 + 1}'>Apr</time></article>"
                     for i in range(12))
           + "<a rel='next' href='/world/page/2/'>Older</a></body></html>")
ABOUT = ("<html><head><title>About us | Valley Post</title></head><body><h1>About us</h1>"
         + "<p>The Valley Post has covered the river towns since 1921 and is owned by its readers, "
           "who elect the board every spring at the annual meeting in the town hall.</p>" * 3
         + "</body></html>")


@pytest.mark.parametrize("html, kind", [(ARTICLE, "article"), (LISTING, "listing"), (ABOUT, "other")])
def test_page_kind(html, kind):
    assert page_kind(html, "https://v.example/x/") == kind
    assert extract_article(html, "https://v.example/x/")["page_kind"] == kind
