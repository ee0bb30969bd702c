"""Discovery without configuration, on markup: article links, sections, next pages, feeds, sitemaps."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from parsel import Selector

from newscrawl.spiders.entries import Entry, newest_first
from newscrawl.spiders.feeds import feed_links, read_feed
from newscrawl.spiders.listing import article_links
from newscrawl.spiders.pagination import next_page_url
from newscrawl.spiders.sections import section_links
from newscrawl.spiders.sitemaps import read_sitemap, robots_sitemaps
from newscrawl.spiders.xmlsource import decompress

BASE = "https://news.example/world/"


def links(markup: str, base: str = BASE, pattern=None) -> list[str]:
    return [link.url.replace("https://news.example", "") for link in article_links(Selector(text=markup), base, pattern)]


# -- article links ----------------------------------------------------------------------------
WORDPRESS_LISTING = """
<body class="archive category has-sidebar">
<header id="masthead" class="site-header"><nav class="main-navigation"><ul class="menu">
  <li><a href="/world/">World</a></li><li><h3><a href="/2026/03/01/featured-in-menu/">Featured</a></h3></li></ul></nav></header>
<div class="offcanvas"><h3><a href="/2026/03/02/offcanvas-story/">Fly-out story</a></h3></div>
<div id="content" class="site-content right-sidebar"><main id="primary">
<article class="post type-post category-world tag-trade">
  <header class="entry-header"><h2 class="entry-title"><a href="/2026/03/14/pact-signed/" rel="bookmark">Pact signed</a></h2></header>
  <div class="entry-meta">By <a href="/author/anna/">Anna</a> in <a href="/category/world/" rel="category tag">World</a>
    <a href="/tag/trade/">Trade</a> <a href="/2026/03/14/pact-signed/#comments">4 Comments</a></div>
  <div class="sharedaddy"><a href="https://twitter.com/intent/tweet?url=x">Tweet</a><a href="/2026/03/14/pact-signed/?share=facebook">Share</a></div>
  <a class="more-link" href="/2026/03/14/pact-signed/">Continue reading</a>
</article>
<article class="post type-post category-world tag-aid">
  <header class="entry-header"><h2 class="entry-title"><a href="/2026/03/13/convoy-arrives/" rel="bookmark">Convoy arrives</a></h2></header>
  <a href="/2026/03/13/convoy-arrives/comment-page-2/">Older comments</a>
</article>
<div class="related-posts"><h3><a href="/2026/01/10/related-story/" rel="bookmark">Related</a></h3></div>
</main>
<aside id="secondary"><section class="widget"><h3><a href="/2026/03/10/trending/" rel="bookmark">Trending</a></h3></section></aside>
</div>
<footer id="colophon" class="site-footer"><h3><a href="/2026/02/02/footer-story/">Footer</a></h3><a href="/about/">About</a></footer>
</body>"""


def test_headline_links_not_chrome_author_tag_share_or_comment_links():
    assert links(WORDPRESS_LISTING) == ["/2026/03/14/pact-signed/", "/2026/03/13/convoy-arrives/"]


def test_links_around_headings_without_rel_bookmark():
    markup = """<main><div class="card"><a href="/world/harbour-strike-ends"><h3>Harbour strike ends</h3></a></div>
                <div class="card"><h3 class="title"><a href="/world/ferry-fares-rise">Ferry fares rise</a></h3></div></main>"""
    assert links(markup) == ["/world/harbour-strike-ends", "/world/ferry-fares-rise"]


def test_dated_or_slugged_links_when_a_listing_has_no_headline_markup():
    markup = """<div class="list"><ul>
      <li><a href="/world/council-votes-on-new-budget">Council votes on new budget</a></li>
      <li><a href="/2026/03/12/story">Ferry runs again after storm</a></li>
      <li><a href="/world/">World</a></li>
      <li><a href="/world/some-short-link-here">More</a></li>
      <li><a href="/about/our-team-and-values">About our team and values</a></li></ul></div>"""
    assert links(markup) == ["/world/council-votes-on-new-budget", "/2026/03/12/story"]


def test_newest_first_when_every_teaser_is_dated_else_page_order():
    def teaser(path, day):
        time = f'<time datetime="2026-03-{day}T08:00:00+00:00"></time>' if day else ""
        return f'<article><h2><a href="{path}">{path}</a></h2>{time}</article>'

    dated = teaser("/world/a-b-c", "10") + teaser("/world/d-e-f", "12") + teaser("/world/g-h-i", "11")
    assert links(dated) == ["/world/d-e-f", "/world/g-h-i", "/world/a-b-c"]
    partly = teaser("/world/a-b-c", "10") + teaser("/world/d-e-f", None) + teaser("/world/g-h-i", "11")
    assert links(partly) == ["/world/a-b-c", "/world/d-e-f", "/world/g-h-i"]


def test_profile_article_pattern_narrows_the_links():
    pattern = re.compile(r"^/2026/03/13/")
    assert links(WORDPRESS_LISTING, pattern=pattern) == ["/2026/03/13/convoy-arrives/"]


# -- sections -----------------------------------------------------------------------------------
def test_sections_from_menus_and_category_links():
    markup = """<header><nav class="main-navigation"><ul class="menu">
      <li><a href="/">Home</a></li><li><a href="/world/">World</a></li>
      <li><a href="/world/europe/">Europe</a></li><li><a href="/about/">About</a></li>
      <li><a href="/contact-us/">Contact</a></li><li><a href="/tag/elections/">Elections</a></li>
      <li><a href="https://shop.other.example/">Shop</a></li><li><a href="#top">Top</a></li>
      <li><a href="/2026/03/14/big-story/">Big story</a></li><li><a href="/feed/">RSS</a></li>
      <li><a href="/a-very-long-featured-article-slug-in-the-menu/">Featured</a></li></ul></nav></header>
      <main><article><a href="/category/science/" rel="category tag">Science</a>
      <h2><a href="/2026/03/13/comet/">Comet</a></h2></article></main>
      <footer><ul class="footer-menu"><li><a href="/privacy-policy/">Privacy</a></li><li><a href="/sport/">Sport</a></li></ul></footer>"""
    found = section_links(Selector(text=markup), "https://news.example/")
    assert found == ["https://news.example/world/", "https://news.example/world/europe/",
                     "https://news.example/sport/", "https://news.example/category/science/"]


# -- next page ----------------------------------------------------------------------------------
PAGERS = {
    "rel next link": ('<link rel="next" href="/world/page/2/">', "/world/page/2/"),
    "rel next anchor": ('<a rel="next nofollow" href="/world/page/2/">2</a>', "/world/page/2/"),
    "older posts": ('<div class="nav-links"><a href="/world/older/">Older posts</a></div>', "/world/older/"),
    "next arrow text": ('<p><a href="/world/b/">Next ›</a></p>', "/world/b/"),
    "more stories": ('<p><a href="/world/more/">More stories</a></p>', "/world/more/"),
    "wordpress older/newer": ('<div class="nav-links"><div class="nav-next"><a href="/world/">Newer posts</a></div>'
                              '<div class="nav-previous"><a href="/world/page/3/">Older posts</a></div></div>',
                              "/world/page/3/"),
    "aria label": ('<a aria-label="Next page" href="/world/x/"><svg></svg></a>', "/world/x/"),
    "wordpress next class": ('<nav class="navigation pagination"><a class="next page-numbers" href="/world/p2/">'
                             '<span>→</span></a></nav>', "/world/p2/"),
    "numbered only": ('<div class="pages"><span class="current">1</span> <a href="/world/2/">2</a> '
                      '<a href="/world/3/">3</a></div>', "/world/2/"),
    "icon to /page/2/": ('<a class="arrow" href="/world/page/2/"><svg></svg></a>', "/world/page/2/"),
    "icon to ?page=2": ('<a class="arrow" href="/world/?page=2"><svg></svg></a>', "/world/?page=2"),
    "load more data-*": ('<button class="load-more" data-next-url="/world/more/2/">Load more</button>', "/world/more/2/"),
    "load more href": ('<a class="btn" href="/world/?offset=10">Show more</a>', "/world/?offset=10"),
    "load more in data-href": ('<div id="infinite-handle" data-href="/world/?paged=2"><span>Older</span></div>', "/world/?paged=2"),
}


@pytest.mark.parametrize("case", sorted(PAGERS))
def test_next_page_in_every_style(case):
    markup, expected = PAGERS[case]
    page = f'<main><article><h2><a href="/2026/03/14/x-y-z/">Loadmore and Next</a></h2></article>{markup}</main>'
    assert next_page_url(Selector(text=page), BASE) == "https://news.example" + expected


def test_next_page_numbered_from_the_current_page_marker():
    markup = '<div class="pages"><a href="/world/">1</a> <span aria-current="page">2</span> <a href="/world/3/">3</a></div>'
    assert next_page_url(Selector(text=markup), "https://news.example/world/2/") == "https://news.example/world/3/"


@pytest.mark.parametrize("markup", [
    '<header><nav><ul class="menu"><li><a href="/more/">More</a></li><li><a href="/next/">Next</a></li></ul></nav></header>',
    '<aside class="widget"><a href="/world/page/2/">Next</a></aside>',
    '<article><h2><a href="/2026/03/14/load-more-of-this/">Load more stories</a></h2><a href="/2026/x/#comments">2</a></article>',
    '<div class="share" data-url="/2026/03/14/x/"><a href="#">Share</a></div>',
    '<a href="javascript:void(0)" class="load-more">Load more</a>',
    '<div class="pages"><a href="/world/">1</a> <span class="current">2</span></div>',
])
def test_no_next_page(markup):
    assert next_page_url(Selector(text=markup), "https://news.example/world/2/") is None


# -- feeds ----------------------------------------------------------------------------------------
def test_feed_autodiscovery_skips_comment_feeds():
    markup = """<head><link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" href="/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed" href="/comments/feed/">
      <link rel="alternate" type="application/atom+xml" href="https://feeds.example/site.atom">
      <link rel="alternate" hreflang="de" href="/de/"><link rel="stylesheet" href="/s.css"></head>"""
    assert feed_links(Selector(text=markup), "https://news.example/") == [
        "https://news.example/feed/", "https://feeds.example/site.atom"]


def test_rss_items_with_links_guids_and_dates():
    rss = b"""<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
    <channel><title>S</title><image><url>https://news.example/logo.png</url></image>
    <item><title>Rates &lt;b&gt;rise&lt;/b&gt;</title><link>https://feeds.example/~r/x/1</link>
      <feedburner:origLink>https://news.example/2026/03/14/rates-rise/</feedburner:origLink>
      <pubDate>Sat, 14 Mar 2026 09:30:00 +0100</pubDate></item>
    <item><title>By guid</title><guid>https://news.example/by-guid/</guid></item>
    <item><title>Not a link</title><guid isPermaLink="false">post-123</guid></item>
    </channel></rss>"""
    assert read_feed(rss, "https://news.example/feed/") == [
        Entry("https://news.example/2026/03/14/rates-rise/", title="Rates rise", published="2026-03-14T09:30:00+01:00"),
        Entry("https://news.example/by-guid/", title="By guid"),
    ]


def test_atom_entries_resolve_relative_links_and_keep_updated():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/blog/">
    <entry><title type="html">A &lt;em&gt;b&lt;/em&gt;</title><link rel="replies" href="c/#comments"/>
      <link rel="alternate" type="text/html" href="2026/a/"/><published>2026-03-10T08:00:00Z</published>
      <updated>2026-03-11T08:00:00+01:00</updated></entry>
    <entry><title>No link</title><updated>2026-03-09T08:00:00Z</updated></entry></feed>"""
    assert read_feed(atom, "https://news.example/atom.xml") == [
        Entry("https://news.example/blog/2026/a/", title="A b", published="2026-03-10T08:00:00+00:00",
              modified="2026-03-11T08:00:00+01:00", lastmod="2026-03-11T08:00:00+01:00")]


def test_rss_1_0_items():
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>S</title></channel>
      <item><title>One</title><link>https://news.example/one/</link><dc:date>2026-03-01T10:00:00Z</dc:date></item></rdf:RDF>"""
    assert read_feed(rdf, "https://news.example/index.rdf") == [
        Entry("https://news.example/one/", title="One", published="2026-03-01T10:00:00+00:00")]


# -- sitemaps -------------------------------------------------------------------------------------
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://news.example/a/</loc><lastmod>2026-03-14</lastmod>
  <image:image><image:loc>https://news.example/a.jpg</image:loc><image:title>A photo</image:title></image:image>
  <news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
  <news:publication_date>2026-03-13T08:00:00Z</news:publication_date><news:title>A &amp; B</news:title></news:news></url>
<url><loc>https://news.example/b/</loc></url>
</urlset>"""


def test_google_news_fields_are_kept_and_image_titles_ignored():
    pages, children = read_sitemap(NEWS_SITEMAP, "https://news.example/news-sitemap.xml")
    assert children == []
    assert pages == [Entry("https://news.example/a/", title="A & B", published="2026-03-13T08:00:00+00:00",
                           lastmod="2026-03-14"),
                     Entry("https://news.example/b/")]


def test_sitemap_index_gzip_and_text_sitemaps():
    index = b"""<sitemapindex><sitemap><loc>https://news.example/s1.xml.gz</loc><lastmod>2019-01-01</lastmod></sitemap>
                <sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>"""
    data = decompress(gzip.compress(index))
    assert read_sitemap(data, "https://news.example/sitemap.xml") == ([], [
        Entry("https://news.example/s1.xml.gz", lastmod="2019-01-01"), Entry("https://news.example/s2.xml")])
    assert read_sitemap(b"https://news.example/x/\nnot a url\n", "https://news.example/s.txt") == (
        [Entry("https://news.example/x/")], [])
    assert read_sitemap(b"<!DOCTYPE html><html><body>Not found</body></html>", "https://news.example/s.xml") == ([], [])


def test_sitemaps_expand_no_entities_and_fetch_nothing():
    hostile = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY file SYSTEM "file:///etc/hostname">
      <!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <urlset><url><loc>https://news.example/&file;</loc></url><url><loc>https://news.example/&b;</loc></url></urlset>"""
    pages, _ = read_sitemap(hostile, "https://news.example/s.xml")
    assert len(pages) == 2
    assert all("aaaa" not in entry.url for entry in pages)  # no entity expansion
    secret = Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").exists() else ""
    assert not secret or all(secret not in entry.url for entry in pages)  # no local file read


def test_oversized_or_corrupt_gzip_is_refused():
    bomb = gzip.compress(b"<urlset>" + b" " * (2 * 1024 * 1024) + b"</urlset>")
    assert decompress(bomb, max_size=1024 * 1024) is None
    assert decompress(b"\x1f\x8b\x08\x00garbage") is None


def test_robots_txt_sitemap_lines():
    robots = "User-agent: *\nDisallow: /private/\nSitemap: https://news.example/sitemap_index.xml\nSITEMAP: /news.xml\n"
    assert robots_sitemaps(robots, "https://news.example/robots.txt") == [
        "https://news.example/sitemap_index.xml", "https://news.example/news.xml"]


# -- since and order -------------------------------------------------------------------------------
def test_entries_older_than_since_and_newest_first():
    from datetime import date

    since = date(2026, 3, 5)
    assert Entry("u", published="2026-03-01", lastmod="2026-03-08").older_than(since) is False  # changed since
    assert Entry("u", published="2026-03-04T23:00:00-05:00").older_than(since) is True  # the publisher's day
    assert Entry("u").older_than(since) is False  # undated entries are fetched
    ordered = newest_first([Entry("old", published="2026-03-01"), Entry("undated"),
                            Entry("new", published="2026-03-02T10:00:00+00:00")])
    assert [e.url for e in ordered] == ["new", "old", "undated"]


# -- the doctest examples in the spider package's helpers are tests too ------------------------------
SPIDER_MODULES = ["chrome", "dates", "entries", "feeds", "listing", "pagination", "politeness", "sections",
                  "sitemaps", "xmlsource"]


@pytest.mark.parametrize("name", SPIDER_MODULES)
def test_doctests(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"newscrawl.spiders.{name}"), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
