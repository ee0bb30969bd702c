"""A home page's sections: the links of its menus and its category links."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from newscrawl.spiders.dates import url_date
from newscrawl.spiders.listing import NON_ARTICLE_QUERY, NON_HTML_SUFFIX

# Where a site lists its sections: menus (wherever they sit) and links marked as categories.
SECTION_LINKS = (
    "nav a[href]",
    "[role=navigation] a[href]",
    "[class*=menu] a[href]",
    "[id*=menu] a[href]",
    "a[rel~=category]",
    "a[href*='/category/']",
    "a[href*='/section/']",
)
# Menu entries that are not sections: people, tags, search, feeds, the site's own pages, accounts.
NOT_A_SECTION = re.compile(
    r"/(?:tag|tags|author|authors|search|feed|rss|wp-json|wp-admin|wp-login\.php|about|about-us|"
    r"contact|contact-us|privacy|privacy-policy|terms|cookie-policy|cookies|imprint|impressum|"
    r"advertise|subscribe|newsletter|login|register|account|donate|careers|jobs|shop|page/\d+)(?:/|$|\.|-)",
    re.IGNORECASE,
)
# A section slug is a few words; a longer one in a menu is a featured article.
MAX_SLUG_WORDS = 4
MAX_SECTIONS = 100


def section_links(selector: Selector, home_url: str) -> list[str]:
    """Absolute URLs of the home page's sections on its own host, in page order, without repeats.

    >>> page = Selector(text='<nav><a href="/">Home</a><a href="/world/">World</a><a href="/about/">About</a>'
    ...                      '<a href="https://other.example/x/">X</a><a href="/2026/03/14/story/">S</a></nav>'
    ...                      '<article><a rel="category tag" href="/category/science/">Science</a></article>')
    >>> section_links(page, "https://a.example/")
    ['https://a.example/world/', 'https://a.example/category/science/']
    """
    home = urlsplit(home_url)
    found: dict[str, None] = {}
    for query in SECTION_LINKS:
        for link in selector.css(query):
            url = _section_url(link.attrib.get("href", ""), home_url, home)
            if url:
                found.setdefault(url, None)
    return list(found)[:MAX_SECTIONS]


def _section_url(href: str, home_url: str, home) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    url = urljoin(home_url, href).split("#", 1)[0]
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not (host == home.hostname or host.endswith("." + (home.hostname or ""))):
        return None
    path = parts.path or "/"
    if path.rstrip("/") == home.path.rstrip("/") and not parts.query:
        return None  # the home page itself
    if NOT_A_SECTION.search(path) or NON_HTML_SUFFIX.search(path) or NON_ARTICLE_QUERY.search(parts.query):
        return None
    if url_date(url) or any(len(s.split("-")) > MAX_SLUG_WORDS for s in path.split("/")):
        return None
    return url
