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
    """Publication date: declared (JSON-LD, meta, microdata), checked against the page and URL."""
    declared = _declared_published(page)
    url_day = dates.date_from_url(url)
    if declared is None:
        seen = visible_date(page, None)
        if seen and url_day and abs(dates.days_between(url_day, seen)) > 1:
            return url_day
        return seen or url_day
    if url_day and abs(dates.days_between(url_day, declared)) > 1:
        return url_day  # a dated URL is written once, at publication; metadata is often re-stamped
    if dates.is_utc(declared):
        local = visible_date(page, None)
        if local and dates.same_instant_elsewhere(declared, local):
            return local  # the page prints the local time of the same moment: keep its calendar day
    return declared


def _declared_published(page: Page) -> str | None:
    ld = page.jsonld
    for node in (ld.article, ld.page_node()):
        if node:
            for key in ("datePublished", "dateCreated", "uploadDate"):
                d = dates.parse_iso(first_str(node.get(key)))
                if d:
                    return d
    for key in PUBLISHED_META:
        for v in page.meta.get(key, ()):
            d = dates.parse_iso(v)
            if d:
                return d
    for el in page.itemprops.get("datePublished", []) + page.itemprops.get("dateCreated", []):
        d = _el_date(el)
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
            d = dates.parse_text(text, dayfirst=not (page.lang or "").lower().startswith("en-us"))
            if d:
                return d
    return dates.date_from_url(url)


def modified(page: Page) -> str | None:
    ld = page.jsonld
    for node in (ld.article, ld.page_node()):
        if node:
            d = dates.parse_iso(first_str(node.get("dateModified")))
            if d:
                return d
    for key in MODIFIED_META:
        for v in page.meta.get(key, ()):
            d = dates.parse_iso(v)
            if d:
                return d
    for el in page.itemprops.get("dateModified", []):
        d = _el_date(el)
        if d:
            return d
    for t in page.times + page.date_els:
        if _is_modified_el(t) and not in_bad_region(t):
            d = _el_date(t)
            if d:
                return d
    return None


