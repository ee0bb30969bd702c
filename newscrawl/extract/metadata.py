"""One pass over the parsed page collecting the declared metadata: <meta>, <link>, JSON-LD,
microdata itemprops, <time> elements, headings and byline-looking elements.

The field resolvers (fields.py) then pick values from this in priority order.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .jsonld import JsonLd
from .text import classes_of, clean, el_text

# class/id/rel words of elements that print the byline
BYLINE_HINT = re.compile(r"byline|by-line|author|writer|reporter|contributor|journalist|autor|auteur|"
                         r"posted-by|credit-name|article-source", re.I)
# ... and of elements that are an author's bio box rather than a byline
BYLINE_EXCLUDE = re.compile(r"bio|box|about|description|avatar|image|img|photo|pic|social|follow|"
                            r"more|other|related|comment|info-text|desc|card", re.I)
# links to an author's page ("/author/jane-doe/")
AUTHOR_HREF = re.compile(r"/(?:author|authors|autor|autoren|auteur|auteurs|people|staff|profile|profiles|"
                         r"writer|writers|journalist|journalists|contributor|contributors|redakteur|"
                         r"reporter|reporters|columnist|columnists)/[^/?#]+", re.I)
DATE_HINT = re.compile(r"date|time|publish|posted|dateline|byline|meta|stamp|datum|fecha|data|tarih|zeit|"
                       r"hora|giorno|päiväys|dato", re.I)


_ANY_HINT = re.compile(BYLINE_HINT.pattern + "|" + DATE_HINT.pattern)  # class strings are lower-case


@lru_cache(maxsize=8192)
def class_role(cls: str) -> int:
    """1 for a byline-looking class/id, 2 for a date-looking one, 0 otherwise.

    >>> class_role("post-byline"), class_role("entry-date"), class_role("author-bio"), class_role("x")
    (1, 2, 0, 0)
    """
    if not _ANY_HINT.search(cls):  # most classes: one search
        return 0
    if BYLINE_HINT.search(cls) and not BYLINE_EXCLUDE.search(cls):
        return 1
    return 2 if DATE_HINT.search(cls) else 0


# class/id words of regions that list other items (a date or name there is not this article's);
# a word counts at a word start ("__next", a framework root, and "nextgen" are not "next"), and a
# layout flag ("has-sidebar", "with-comments") on a wrapper is not the region itself
_BAD_ANCESTOR = re.compile(r"(?<![a-z0-9_])(?<!has-)(?<!with-)(?<!no-)(?:comment(?!ary)|related|sidebar|widget|"
                           r"footer|recommend|teaser|trending|popular|more-|next(?![a-z])|"
                           r"prev(?![a-z])|reply)", re.I)
_GOOD_ANCESTOR = re.compile(r"article|entry|post-content|story", re.I)
_PAGE_TAGS = frozenset(("body", "html"))


def in_bad_region(el, depth: int = 12) -> bool:
    """Inside an aside, footer, nav, or a region of other items (comments, related, sidebar ...).

    >>> from .text import parse
    >>> root = parse('<div id="__next"><div class="related"><time>x</time></div><p>y</p></div>')
    >>> in_bad_region(root.find(".//time")), in_bad_region(root.find(".//p"))
    (True, False)
    """
    node = el.getparent()
    while node is not None and depth > 0:
        if node.tag in _PAGE_TAGS:
            return False
        c = classes_of(node)
        if c and _BAD_ANCESTOR.search(c) and not _GOOD_ANCESTOR.search(c):
            return True
        if node.tag in ("aside", "footer", "nav"):
            return True
        node = node.getparent()
        depth -= 1
    return False


_DATE_TAGS = frozenset(("span", "div", "p", "li", "small", "em", "strong", "time", "abbr", "dd", "b", "i"))


class Page:
    """What the page declares, gathered in one walk."""

    __slots__ = ("meta", "links", "jsonld", "lang", "times", "h1s", "h2s", "title_tag", "itemprops",
                 "byline_els", "date_els", "rel_tags", "rel_categories", "base", "author_links")

    def __init__(self):
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.jsonld: JsonLd | None = None
        self.lang: str | None = None
        self.times: list = []
        self.h1s: list = []
        self.h2s: list = []  # the first few: the displayed headline when the h1 is a breadcrumb
        self.title_tag: str | None = None
        self.itemprops: dict[str, list] = {}
        self.byline_els: list = []
        self.date_els: list = []
        self.rel_tags: list = []
        self.rel_categories: list = []
        self.base: str | None = None
        self.author_links: list = []

    def first(self, *keys: str) -> str | None:
        """First non-empty meta value among keys (lower-case name/property)."""
        for k in keys:
            for v in self.meta.get(k, ()):
                v = clean(v)
                if v:
                    return v
        return None

    def all(self, key: str) -> list[str]:
        return [c for c in (clean(v) for v in self.meta.get(key, ())) if c]


def collect(root) -> Page:
    """Walk the tree once and gather the metadata (the tree is not modified)."""
    page = Page()
    ld_blocks: list[str] = []
    page.lang = clean(root.get("lang") or root.get("xml:lang"))
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == "meta":
            content = el.get("content")
            if content is None:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = el.get(attr)
                if key:
                    page.meta.setdefault(key.strip().lower(), []).append(content)
            if el.get("itemprop"):
                page.itemprops.setdefault(el.get("itemprop").strip(), []).append(el)
            continue
        if tag == "link":
            rel = (el.get("rel") or "").lower().split()
            href = el.get("href")
            if href:
                for r in rel:
                    page.links.setdefault(r, href)
            if el.get("itemprop"):
                page.itemprops.setdefault(el.get("itemprop").strip(), []).append(el)
            continue
        if tag == "script":
            if "ld+json" in (el.get("type") or "").lower() and el.text:
                ld_blocks.append(el.text)
            continue
        if tag == "title":
            if page.title_tag is None:
                page.title_tag = clean(el_text(el))
            continue
        if tag == "base" and el.get("href"):
            page.base = el.get("href")
            continue
        if tag == "time":
            page.times.append(el)
        elif tag == "h1":
            page.h1s.append(el)
        elif tag == "h2" and len(page.h2s) < 12:
            page.h2s.append(el)
        prop = el.get("itemprop")
        if prop:
            for p in prop.split():
                page.itemprops.setdefault(p, []).append(el)
        if tag == "a":
            href = el.get("href")
            if href and AUTHOR_HREF.search(href):
                page.author_links.append(el)
        rel = el.get("rel")
        if rel and tag == "a":
            rl = rel.lower()
            if "author" in rl:
                page.byline_els.append(el)
            if "category" in rl:
                page.rel_categories.append(el)
            elif "tag" in rl.split():
                page.rel_tags.append(el)
        cls = classes_of(el)
        if cls and tag not in ("html", "body", "article", "main"):
            role = class_role(cls)
            if role == 1:
                page.byline_els.append(el)
            elif role == 2 and tag in _DATE_TAGS:
                page.date_els.append(el)
    page.jsonld = JsonLd(ld_blocks)
    return page
