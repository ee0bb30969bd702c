"""Reading listing pages: which links are articles, and where the next page is."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from parsel import Selector

# Paths that are never articles: archives, people, search, site furniture.
NON_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|topic|topics|category|categories|section|author|authors|search|page|feed|"
    r"wp-json|wp-admin|wp-login\.php|about|about-us|contact|contact-us|privacy|privacy-policy|terms|"
    r"cookie-policy|advertise|subscribe|newsletter|login|register|account|comments?)(?:/|$|\.|-)",
    re.IGNORECASE,
)
NON_ARTICLE_QUERY = re.compile(r"(?:^|&)(?:s|q|replytocom|share|print)=", re.IGNORECASE)
NON_HTML_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|xml|rss|json|css|js)$", re.IGNORECASE)

# Where headline links sit on a listing, most specific first.
HEADLINE_LINKS = (
    "a[rel~=bookmark]",
    "article h1 a, article h2 a, article h3 a, article h4 a",
    ".entry-title a, .post-title a, .headline a, .story-title a, .title a",
    "main h2 a, main h3 a, #content h2 a, #content h3 a, .content h2 a, .content h3 a",
    "h2 a, h3 a",
)
NEXT_PAGE_LINKS = (
    "link[rel~=next]::attr(href)",
    "a[rel~=next]::attr(href)",
    "a.next::attr(href), a.next-page::attr(href), .nav-previous a::attr(href), .pagination-next a::attr(href)",
)
NEXT_PAGE_TEXT = re.compile(r"^\W*(?:next(?: page)?|older(?: posts| entries| stories)?|more(?: stories| news)?|load more)\W*$", re.I)


def looks_like_article_url(url: str) -> bool:
    """A link that might be an article (not an archive, person, search or file).

    >>> looks_like_article_url("https://a.example/2026/03/14/big-news/")
    True
    >>> looks_like_article_url("https://a.example/tag/world/")
    False
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    path = parts.path or "/"
    if path == "/" or NON_ARTICLE_PATH.search(path) or NON_HTML_SUFFIX.search(path):
        return False
    return not NON_ARTICLE_QUERY.search(parts.query)


def _in_chrome(link) -> bool:
    """Inside header, footer, navigation, sidebars or related/trending lists."""
    return bool(link.xpath(
        "ancestor::*[self::header or self::footer or self::nav or self::aside or "
        "contains(concat(' ', normalize-space(@class), ' '), ' sidebar ') or "
        "contains(concat(' ', normalize-space(@class), ' '), ' widget ') or "
        "contains(concat(' ', normalize-space(@class), ' '), ' related ') or "
        "contains(concat(' ', normalize-space(@class), ' '), ' trending ') or "
        "contains(concat(' ', normalize-space(@class), ' '), ' offcanvas ')]"
    ))


def article_links(selector: Selector, base_url: str, pattern: re.Pattern | None = None) -> list[str]:
    """Absolute URLs of the listing's headline links, in page order, without repeats."""
    found: dict[str, None] = {}
    for query in HEADLINE_LINKS:
        for link in selector.css(query):
            href = link.attrib.get("href")
            if not href or _in_chrome(link):
                continue
            url = urljoin(base_url, href.strip())
            if pattern is not None:
                if not pattern.search(urlsplit(url).path):
                    continue
            elif not looks_like_article_url(url):
                continue
            found.setdefault(url.split("#")[0], None)
        if found and pattern is None:
            break  # the most specific rule that matched is the listing's own markup
    return list(found)


def next_page_url(selector: Selector, base_url: str) -> str | None:
    """The next listing page, from rel=next, a 'next' class or a 'Next'/'Older posts' link."""
    for query in NEXT_PAGE_LINKS:
        href = selector.css(query).get()
        if href and href.strip():
            return urljoin(base_url, href.strip())
    for link in selector.css("a[href]"):
        text = " ".join(link.css("::text").getall())
        if NEXT_PAGE_TEXT.match(text.strip()):
            return urljoin(base_url, link.attrib["href"].strip())
    return None
