"""Which links on a listing page are articles: headline links, not the page's chrome. Newest first."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from newscrawl.spiders.chrome import in_chrome
from newscrawl.spiders.dates import day_of, parse_date, url_date

# Paths that are never articles: archives, people, search, site furniture.
NON_ARTICLE_PATH = re.compile(
    r"/(?:tag|tags|topic|topics|category|categories|section|author|authors|search|page|feed|"
    r"wp-json|wp-admin|wp-login\.php|about|about-us|contact|contact-us|privacy|privacy-policy|terms|"
    r"cookie-policy|advertise|subscribe|newsletter|login|register|account|comments?|comment-page-\d+)(?:/|$|\.|-)",
    re.IGNORECASE,
)
NON_ARTICLE_QUERY = re.compile(r"(?:^|&)(?:s|q|replytocom|share|print|amp)=", re.IGNORECASE)
NON_HTML_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|xml|rss|json|css|js)$", re.IGNORECASE)

# Where headline links sit on a listing (taken together, in page order; chrome is filtered after).
HEADLINE_LINKS = (
    "a[rel~=bookmark]",
    "h1 a", "h2 a", "h3 a", "h4 a", "a h2", "a h3", "a h4",
    ".entry-title a", ".post-title a", ".headline a", ".story-title a", ".card-title a", ".title a",
)
_HEADLINE_QUERY = ", ".join(HEADLINE_LINKS)
# Last resort, for listings without headline markup: a link with a dated or slugged URL and a
# headline-length text.
_SLUG = re.compile(r"/[a-z0-9]+(?:-[a-z0-9]+){2,}(?:\.html?)?/?$", re.IGNORECASE)
MIN_HEADLINE_WORDS = 3


class ArticleLink(NamedTuple):
    url: str
    day: date | None  # publication day from the URL or the teaser's <time>, if shown


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


def article_links(selector: Selector, base_url: str, pattern: re.Pattern | None = None) -> list[ArticleLink]:
    """The listing's article links, absolute, without repeats: newest first when every one is dated,
    else in page order (which is how listings are ordered)."""
    found: dict[str, ArticleLink] = {}
    _collect(selector.css(_HEADLINE_QUERY), base_url, pattern, found)
    if not found:
        candidates = [a for a in selector.css("a[href]") if _headline_like(a)]
        _collect(candidates, base_url, pattern, found)
    links = list(found.values())
    if links and all(link.day for link in links):
        links.sort(key=lambda link: link.day, reverse=True)  # stable: same-day links keep page order
    return links


def _collect(nodes, base_url: str, pattern, found: dict) -> None:
    for link in nodes:
        if link.root.tag != "a":  # a heading inside its link: <a><h2>...</h2></a>
            parents = link.xpath("ancestor::a[1]")
            if not parents:
                continue
            link = parents[0]
        href = (link.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")) or in_chrome(link):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if pattern is not None:
            if not pattern.search(urlsplit(url).path):
                continue
        elif not looks_like_article_url(url):
            continue
        if url not in found:
            found[url] = ArticleLink(url, url_date(url) or _teaser_day(link))


def _headline_like(link) -> bool:
    url = link.attrib.get("href", "")
    words = " ".join(link.css("::text").getall()).split()
    return len(words) >= MIN_HEADLINE_WORDS and bool(url_date(url) or _SLUG.search(url.split("?")[0]))


def _teaser_day(link) -> date | None:
    """The <time datetime> of the teaser (nearest <article> or list item) holding the link."""
    value = link.xpath("ancestor::*[self::article or self::li][1]//time/@datetime").get()
    return day_of(parse_date(value)) if value else None
