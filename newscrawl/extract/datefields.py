"""Date fields: the publication date (declared, checked against the printed date and the URL)
and the last-modified date."""
from __future__ import annotations

import re

from . import dates
from .jsonld import first_str
from .metadata import Page, in_bad_region
from .text import classes_of, el_text

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "og:published_time", "published_time", "publish-date", "publishdate", "publish_date", "pubdate",
    "publication_date", "date_published", "article.published", "dc.date.issued", "dcterms.issued",
    "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "date", "displaydate", "originalpublicationdate",
    "citation_publication_date", "rnews:datepublished", "article:post_date", "og:pubdate", "pubdate",
    "release_date", "created", "datecreated",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "article:modified", "datemodified", "modified_time",
    "og:modified_time", "dc.date.modified", "dcterms.modified", "last-modified", "lastmod",
    "article.updated", "updated_time", "date_modified", "article:updated_time",
)
_PUBLISHED_CLASS = re.compile(r"publish|posted|pubdate|created|entry-date|post-date|article-date|dateline|"
                              r"date-pub|datum|fecha", re.I)
_FUZZY_PUBLISHED = re.compile(r"publi[cs]\w*[\W_]*(?:date|time|at|on)|pub[\W_]?date|release[\W_]?date", re.I)
_MODIFIED_CLASS = re.compile(r"updated|modified|update|revised|changed", re.I)
# a printed date introduced like this is the last-modified date, not the publication date
_MODIFIED_TEXT = re.compile(r"^\W*(?:last\s+)?(?:updated|modified|revised|edited|aktualisiert|geändert|"
                            r"mis à jour|modifié|actualizado|actualización|aggiornato|bijgewerkt|"
                            r"atualizado|zaktualizowano|päivitetty|oppdatert|uppdaterad|opdateret)\b", re.I)


# where a byline goes on to print the update time ("By Ann Lee | Updated March 9")
_MODIFIED_AFTER = re.compile(r"\b(?:last\s+)?(?:updated|modified|aktualisiert|mis à jour|actualizado|"
                             r"aggiornato)\b", re.I)


def _is_modified_el(el) -> bool:
    """A date element that prints the update time (by class, or by an "Updated" lead word)."""
    if _MODIFIED_CLASS.search(classes_of(el)):
        return True
    return bool(_MODIFIED_TEXT.match(el_text(el)[:40]))

def _el_date(el) -> str | None:
    for attr in ("datetime", "content", "data-datetime", "data-date", "data-timestamp", "title"):
        v = el.get(attr)
        if v:
            d = dates.parse_iso(v)
            if d:
                return d
    return dates.parse_text(el_text(el)[:200])


def published(page: Page, url: str) -> str | None:
    """Publication date: declared (JSON-LD, meta, microdata), checked against the page and URL.

    A dated URL overrides a declared date more than a day away, unless the page prints a date
    that confirms the declared one (date_printed_beats_url); a UTC declaration gives way to the
    printed local time of the same moment (utc_vs_local_date). Undeclared: the printed date
    (<time>, date-classed elements, the byline: date_in_byline), the URL, a date printed right
    under the headline (date_near_headline), a date-stamped article id (date_url_id)."""
    declared = _declared_published(page)
    url_day = dates.date_from_url(url)
    if declared is None:
        seen = visible_date(page, None)
        if seen and url_day and abs(dates.days_between(url_day, seen)) > 1:
            return url_day
        return seen or url_day or date_near_headline(page) or dates.date_from_url_id(url)
    shown = visible_date(page, None)
    confirmed = bool(shown) and (abs(dates.days_between(shown, declared)) <= 1)
    if url_day and abs(dates.days_between(url_day, declared)) > 1 and not confirmed:
        return url_day  # a dated URL is written once, at publication; metadata is often re-stamped
    if dates.is_utc(declared) and shown and dates.same_instant_elsewhere(declared, shown):
        return shown  # the page prints the local time of the same moment: keep its calendar day
    return declared


def _declared(page: Page, ld_keys, meta_keys, itemprops) -> str | None:
    """The first date declared in JSON-LD (the article node, then the page node), meta tags, then
    microdata, each in the order of the keys given."""
    ld = page.jsonld
    for node in (ld.article, ld.page_node()):
        if node:
            for key in ld_keys:
                d = dates.parse_iso(first_str(node.get(key)))
                if d:
                    return d
    for key in meta_keys:
        for v in page.meta.get(key, ()):
            d = dates.parse_iso(v)
            if d:
                return d
    for prop in itemprops:
        for el in page.itemprops.get(prop, []):
            d = _el_date(el)
            if d:
                return d
    return None


def _declared_published(page: Page) -> str | None:
    d = _declared(page, ("datePublished", "dateCreated", "uploadDate"), PUBLISHED_META,
                  ("datePublished", "dateCreated"))
    if d:
        return d
    for key, vals in page.meta.items():  # spelling variants: "article:published:time", "pub_date" ...
        if _FUZZY_PUBLISHED.search(key) and not _MODIFIED_CLASS.search(key):
            for v in vals:
                d = dates.parse_iso(v)
                if d:
                    return d
    return None


def visible_date(page: Page, url: str) -> str | None:
    times = [t for t in page.times if not in_bad_region(t)]
    for t in times:  # explicitly marked publication times first
        if t.get("pubdate") is not None or _PUBLISHED_CLASS.search(classes_of(t) + " " + classes_of(t.getparent())):
            d = _el_date(t)
            if d:
                return d
    for t in times:
        if _is_modified_el(t):
            continue
        d = _el_date(t)
        if d:
            return d
    els = [e for e in page.date_els if not in_bad_region(e)]
    for want_pub in (True, False):
        for e in els:
            c = classes_of(e)
            if want_pub and not _PUBLISHED_CLASS.search(c):
                continue
            if _is_modified_el(e):
                continue
            text = el_text(e)
            if len(text) > 160:
                continue
            d = dates.parse_text(text, dayfirst=_dayfirst(page))
            if d:
                return d
    for e in page.byline_els:  # "By Ann Lee | March 9, 2026"
        if in_bad_region(e):
            continue
        text = el_text(e)
        if len(text) <= 160:
            d = dates.parse_text(_MODIFIED_AFTER.split(text, 1)[0], dayfirst=_dayfirst(page))
            if d:
                return d
    return dates.date_from_url(url)


def _dayfirst(page: Page) -> bool:
    return not (page.lang or "").lower().startswith("en-us")


_SKIP = frozenset(("script", "style", "noscript", "template", "svg", "button", "select"))
NEAR_HEADLINE_ELEMENTS = 80


def _after(el, limit: int):
    """Elements after `el` in document order (not its own subtree), at most `limit`."""
    node, n = el, 0
    while n < limit:
        nxt = node.getnext()
        while nxt is None:
            node = node.getparent()
            if node is None:
                return
            nxt = node.getnext()
        node = nxt
        for sub in node.iter():
            if isinstance(sub.tag, str):
                yield sub
                n += 1
                if n >= limit:
                    return


def date_near_headline(page: Page) -> str | None:
    """A date printed between the headline and the article text (a dateline in unmarked markup)."""
    h1s = [h for h in page.h1s if not in_bad_region(h)]
    if not h1s:
        return None
    paragraphs = 0
    for el in _after(h1s[0], NEAR_HEADLINE_ELEMENTS):
        if el.tag in _SKIP or el.tag == "h1" or in_bad_region(el, 4):
            continue
        for text in (el.text, el.tail):
            text = (text or "").strip()
            if el.tag == "p" and len(text) > 150:
                paragraphs += 1
                if paragraphs > 1:
                    return None  # past the standfirst: the article text has begun
            if 6 <= len(text) <= 120 and not _MODIFIED_TEXT.match(text):
                d = dates.parse_text(_MODIFIED_AFTER.split(text, 1)[0], dayfirst=_dayfirst(page))
                if d:
                    return d
    return None


def modified(page: Page) -> str | None:
    d = _declared(page, ("dateModified",), MODIFIED_META, ("dateModified",))
    if d:
        return d
    for t in page.times + page.date_els:
        if _is_modified_el(t) and not in_bad_region(t):
            d = _el_date(t)
            if d:
                return d
    return None


