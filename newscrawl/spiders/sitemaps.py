"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes, url sets with Google News fields, text sitemaps.

Scrapy's own sitemap helper keeps only the direct children of <url>, so the Google News
<news:news> block (publication date, title) would be lost; this reader keeps it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from newscrawl.spiders.dates import parse_date
from newscrawl.spiders.entries import Entry
from newscrawl.spiders.xmlsource import child, child_text, iter_records

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_HTTP = re.compile(r"^https?://\S+$")


def robots_sitemaps(robots_txt: str, robots_url: str) -> list[str]:
    """Absolute URLs of the `Sitemap:` lines of a robots.txt, in order, without repeats.

    >>> robots_sitemaps("User-agent: *\\nSitemap: /a.xml\\nsitemap:https://x.example/b.xml.gz", "https://x.example/robots.txt")
    ['https://x.example/a.xml', 'https://x.example/b.xml.gz']
    """
    found = (urljoin(robots_url, m.group(1)) for m in _SITEMAP_LINE.finditer(robots_txt))
    return list(dict.fromkeys(u for u in found if u.startswith(("http://", "https://"))))


def read_sitemap(data: bytes, base_url: str) -> tuple[list[Entry], list[Entry]]:
    """(pages, child sitemaps) of a decompressed sitemap; ([], []) for anything that is not one."""
    pages: list[Entry] = []
    sitemaps: list[Entry] = []
    for root, record in iter_records(data):
        if root == "urlset":
            entry = _url_entry(record, base_url)
            if entry:
                pages.append(entry)
        elif root == "sitemapindex":
            loc = _loc(record, base_url)
            if loc:
                sitemaps.append(Entry(loc, lastmod=parse_date(child_text(record, "lastmod"))))
    if not pages and not sitemaps and not data.lstrip()[:1] == b"<":
        pages = [Entry(u) for u in text_sitemap(data)]
    return pages, sitemaps


def text_sitemap(data: bytes) -> list[str]:
    """A plain-text sitemap: one absolute URL per line.

    >>> text_sitemap(b"https://a.example/x\\n\\nhttps://a.example/y\\nnot a url\\n")
    ['https://a.example/x', 'https://a.example/y']
    """
    lines = (line.strip() for line in data.decode("utf-8", "replace").splitlines())
    return [line for line in lines if _HTTP.match(line)]


def _loc(record, base_url: str) -> str | None:
    loc = child_text(record, "loc")
    return urljoin(base_url, loc) if loc else None


def _url_entry(record, base_url: str) -> Entry | None:
    loc = _loc(record, base_url)
    if not loc:
        return None
    news = child(record, "news")  # <news:news>: only its children are the article's own fields
    title = published = None
    if news is not None:
        title = child_text(news, "title")
        published = parse_date(child_text(news, "publication_date"))
    return Entry(loc, title=title, published=published, lastmod=parse_date(child_text(record, "lastmod")))
