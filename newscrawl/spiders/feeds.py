"""Feeds: autodiscovery on HTML pages, and RSS 2.0 / RSS 1.0 / Atom entries with their titles and dates."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from parsel import Selector

from newscrawl.spiders.dates import parse_date
from newscrawl.spiders.entries import Entry
from newscrawl.spiders.xmlsource import child_text, iter_records, local_name

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_COMMENTS = re.compile(r"\bcomments?\b", re.IGNORECASE)


def feed_links(selector: Selector, base_url: str) -> list[str]:
    """Feeds a page declares with <link rel="alternate" type="application/rss+xml|atom+xml">.

    Comment feeds are left out: they announce comments, not articles.
    >>> page = Selector(text='<link rel="alternate" type="application/rss+xml" title="Site Feed" href="/feed/">'
    ...                      '<link rel="alternate" type="application/rss+xml" title="Site Comments Feed" href="/comments/feed/">')
    >>> feed_links(page, "https://a.example/")
    ['https://a.example/feed/']
    """
    found: dict[str, None] = {}
    for link in selector.css("link[href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        href = link.attrib["href"].strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        if _COMMENTS.search(link.attrib.get("title") or "") or _COMMENTS.search(href):
            continue
        found.setdefault(urljoin(base_url, href), None)
    return list(found)


def read_feed(data: bytes, feed_url: str) -> list[Entry]:
    """The entries of an RSS 2.0, RSS 1.0 (RDF) or Atom document, in feed order; [] for anything else."""
    entries = []
    for root, record in iter_records(data):
        entry = _atom_entry(record, feed_url) if root == "feed" else _rss_item(record, feed_url)
        if entry:
            entries.append(entry)
    return entries


def _rss_item(item, feed_url: str) -> Entry | None:
    link = child_text(item, "origlink") or child_text(item, "link")  # feedburner:origLink first
    if not link:
        guid = next((node for node in item if local_name(node.tag) == "guid"), None)
        if guid is not None and (guid.get("isPermaLink") or "true").lower() != "false":
            link = (guid.text or "").strip() or None
    if not link:
        return None
    published = parse_date(child_text(item, "pubdate") or child_text(item, "date"))  # dc:date in RSS 1.0
    updated = parse_date(child_text(item, "updated") or child_text(item, "modified"))
    return Entry(urljoin(feed_url, link), title=_plain(child_text(item, "title")),
                 published=published, modified=updated, lastmod=updated)


def _atom_entry(entry, feed_url: str) -> Entry | None:
    base = urljoin(feed_url, entry.base or "")  # xml:base of the entry or the feed, if any
    link = None
    for node in entry:
        if local_name(node.tag) != "link" or not node.get("href"):
            continue
        rel = (node.get("rel") or "alternate").lower()
        kind = (node.get("type") or "text/html").lower()
        if rel == "alternate" and ("html" in kind):
            link = urljoin(base, node.get("href").strip())
            break
    if not link:
        return None
    updated = parse_date(child_text(entry, "updated"))
    return Entry(link, title=_plain(child_text(entry, "title")),
                 published=parse_date(child_text(entry, "published") or child_text(entry, "issued")),
                 modified=updated, lastmod=updated)


def _plain(text: str | None) -> str | None:
    """Feed titles may carry escaped HTML; keep the words only.

    >>> _plain("Rates &lt;b&gt;rise&lt;/b&gt;".replace("&lt;", "<").replace("&gt;", ">"))
    'Rates rise'
    """
    if text and "<" in text:
        try:
            text = lxml.html.fragment_fromstring(text, create_parent="div").text_content()
        except (ValueError, etree.ParserError):
            pass
    text = " ".join((text or "").split())
    return text or None
