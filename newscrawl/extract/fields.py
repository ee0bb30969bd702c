"""Field resolvers: each picks one item field from the collected metadata in priority order
JSON-LD > microdata / OpenGraph / meta > the visible page."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .authors import clean_byline, people_first, split_names
from .jsonld import first_str, str_list
from .metadata import Page, in_bad_region
from .text import absolute, clean, el_text

AUTHOR_META = ("author", "article:author", "og:article:author", "parsely-author", "sailthru.author",
               "dc.creator", "dcterms.creator", "byl", "citation_author", "article:author_name",
               "twitter:creator:name", "cxenseparse:author", "authors", "creator")
SECTION_META = ("article:section", "og:article:section", "section", "parsely-section",
                "cxenseparse:recs:articlesection", "article-section", "category")
SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|//|»|«|:)\s+")
# words that make an author string an organisation's name
ORG_NAME = re.compile(r"\b(?:press|news|newsroom|media|agency|staff|desk|wire|online|daily|times|post|"
                      r"journal|gazette|tribune|herald|telegraph|reporter|magazine|channel|network|"
                      r"team|redaktion|rédaction|redacción|redazione)\b|\.(?:com|org|net|co)\b", re.I)
def _norm(s: str | None) -> str:
    return re.sub(r"\W+", " ", (s or "").casefold()).strip()


# ------------------------------------------------------------------ site / title

def site_name(page: Page) -> str | None:
    name = page.first("og:site_name", "application-name", "al:ios:app_name")
    if name:
        return name
    ld = page.jsonld
    art = ld.article
    if art:
        pub = ld.names(art.get("publisher"))
        if pub:
            return pub[0][0]
    site = ld.first_of_types(frozenset(("website",)))
    if site and isinstance(site.get("name"), str):
        return clean(site["name"])
    org = ld.first_of_types(frozenset(("newsmediaorganization", "organization")))
    if org and isinstance(org.get("name"), str):
        return clean(org["name"])
    return None


def strip_site(title: str | None, site: str | None, url: str) -> str | None:
    """Remove a site-name suffix/prefix from a <title>-like string.

    >>> strip_site("Big news today | The Daily", "The Daily", "https://daily.example/x")
    'Big news today'
    >>> strip_site("Big news today - Daily Example", None, "https://www.dailyexample.com/x")
    'Big news today'
    >>> strip_site("Left - right: a story", None, "https://a.example/")
    'Left - right: a story'
    """
    title = clean(title)
    if not title:
        return None
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    host = urlsplit(url).hostname or "" if url else ""
    host_core = re.sub(r"^(www|m|amp|edition|beta)\.", "", host).rsplit(".", 1)[0].replace(".", "")
    site_n = _norm(site).replace(" ", "") if site else ""

    def is_site(part: str) -> bool:
        p = _norm(part).replace(" ", "")
        if not p:
            return True
        if site_n and (p == site_n or p in site_n or site_n in p) and len(p) >= 3:
            return True
        if len(host_core) >= 3 and len(p) >= 3 and (p in host_core or host_core in p):
            return True
        return False

    kept = list(parts)
    while len(kept) > 1 and is_site(kept[-1]):
        kept.pop()
    while len(kept) > 1 and is_site(kept[0]):
        kept.pop(0)
    if len(kept) == len(parts):
        return title
    # rebuild from the original text so inner separators are kept as written
    first, last = kept[0], kept[-1]
    start = title.find(first)
    end = title.rfind(last) + len(last)
    return title[start:end].strip() if start >= 0 and end > start else " ".join(kept)


def title_of(page: Page, site: str | None, url: str) -> str | None:
    ld = page.jsonld.article
    ld_head = first_str(ld.get("headline") or ld.get("name")) if ld else None
    metas = [m for m in (ld_head, page.first("og:title"), page.first("twitter:title"),
                         page.first("headline", "dc.title", "parsely-title", "sailthru.title"),
                         page.title_tag) if m]
    og = page.first("og:title")
    if ld_head and og and _norm(ld_head) == _norm(og):
        # schema.org and OpenGraph agree: the publisher's own headline (the h1 may carry a kicker)
        return strip_site(ld_head, site, url)
    norm_metas = [_norm(m) for m in metas]
    h1_texts = [t for t in (el_text(h) for h in page.h1s[:6]) if t and len(t) < 400]
    for t in h1_texts:
        nt = _norm(t)
        if len(nt) >= 8 and any(nt == m or (nt in m and len(nt) > 0.4 * len(m)) for m in norm_metas):
            return t
    for cand in (ld_head, page.first("og:title"), page.first("twitter:title")):
        if cand:
            return strip_site(cand, site, url)
    if len(h1_texts) == 1:
        return h1_texts[0]
    if page.title_tag:
        return strip_site(page.title_tag, site, url)
    return h1_texts[0] if h1_texts else None


# ------------------------------------------------------------------ people

def byline_text(page: Page) -> str | None:
    for el in page.byline_els:
        if in_bad_region(el):
            continue
        text = el_text(el)
        if not text or len(text) > 150:
            continue
        cleaned = clean_byline(text)
        if cleaned and split_names(cleaned):
            return cleaned
    return None


def _is_org_name(name: str, orgs: set) -> bool:
    return name.casefold() in orgs or bool(ORG_NAME.search(name))


def authors_of(page: Page, byline: str | None, site: str | None = None) -> list[str]:
    """People credited: JSON-LD > microdata > meta > printed byline > author-page links.
    An organisation (or the site's own name) is returned only when no source names a person."""
    orgs = {site.casefold()} if site else set()
    fallback: list[str] = []
    for names in _author_sources(page, byline, orgs):
        people = [n for n in names if not _is_org_name(n, orgs)]
        if people:
            return people
        if names and not fallback:
            fallback = names
    return fallback


def _author_sources(page: Page, byline: str | None, orgs: set):
    ld = page.jsonld
    if ld.article:
        pairs = ld.names(ld.article.get("author") or ld.article.get("creator"))
        orgs.update(n.casefold() for n, kind in pairs if kind == "org")
        for n in ld.names(ld.article.get("publisher")):
            orgs.add(n[0].casefold())
        yield people_first(pairs)
    for el in page.itemprops.get("author", []) + page.itemprops.get("creator", []):
        if in_bad_region(el):
            continue
        inner = [e for e in el.iter() if e.get("itemprop") == "name"]
        src = inner[0] if inner else el
        val = src.get("content") if src.tag == "meta" else el_text(src)
        names = split_names(val)
        if names:
            yield names
            break
    for key in AUTHOR_META:
        vals = [v for v in page.all(key) if not v.startswith(("http://", "https://", "@"))]
        names: list[str] = []
        for v in vals:
            for n in split_names(v):
                if n not in names:
                    names.append(n)
        if names:
            yield names
            break
    if byline:
        yield split_names(byline)
    names = []
    for a in page.author_links:
        if in_bad_region(a):
            continue
        for n in split_names(el_text(a)):
            if n not in names:
                names.append(n)
        if len(names) >= 4:
            break
    yield names


# ------------------------------------------------------------------ the rest

def section_of(page: Page) -> str | None:
    art = page.jsonld.article
    if art:
        s = first_str(art.get("articleSection"))
        if s:
            return s
    s = page.first(*SECTION_META)
    if s:
        return s
    for el in page.rel_categories:
        t = el_text(el)
        if t:
            return t
    return None


def tags_of(page: Page) -> list[str]:
    out: list[str] = []
    vals = page.all("article:tag") or page.all("og:article:tag")
    if not vals and page.jsonld.article:
        vals = str_list(page.jsonld.article.get("keywords"))
    if not vals:
        vals = [el_text(a) for a in page.rel_tags]
    for v in vals:
        v = clean(v)
        if v and v not in out and len(v) < 100:
            out.append(v)
    return out


def description_of(page: Page) -> str | None:
    d = page.first("og:description", "description", "twitter:description", "dc.description")
    if d:
        return d
    art = page.jsonld.article
    return first_str(art.get("description")) if art else None


def image_of(page: Page, base: str) -> str | None:
    img = page.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
    if not img and page.jsonld.article:
        img = first_str(page.jsonld.article.get("image") or page.jsonld.article.get("thumbnailUrl"))
    if not img:
        img = page.links.get("image_src")
    if not img:
        for el in page.itemprops.get("image", []):
            img = el.get("content") or el.get("src") or el.get("href")
            if img:
                break
    return absolute(img, base)


def canonical_of(page: Page, base: str) -> str | None:
    return absolute(page.links.get("canonical") or page.first("og:url"), base)


def language_of(page: Page) -> str | None:
    """Declared language: <html lang>, Content-Language, og:locale, JSON-LD inLanguage."""
    lang = page.lang or page.first("content-language", "language", "dc.language", "og:locale")
    if not lang and page.jsonld.article:
        lang = first_str(page.jsonld.article.get("inLanguage"))
    lang = clean(lang)
    if not lang:
        return None
    lang = lang.split(",")[0].strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
        return None
    return lang
