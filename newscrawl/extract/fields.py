"""Field resolvers: each picks one item field from the collected metadata in priority order
JSON-LD > microdata / OpenGraph / meta > the visible page."""
from __future__ import annotations

import re

from .authors import BY_PREFIX, clean_byline, people_first, split_names
from .jsonld import first_str, str_list
from .metadata import Page, in_bad_region
from .text import absolute, clean, el_text

AUTHOR_META = ("author", "article:author", "og:article:author", "parsely-author", "sailthru.author",
               "dc.creator", "dcterms.creator", "byl", "citation_author", "article:author_name",
               "twitter:creator:name", "cxenseparse:author", "authors", "creator")
SECTION_META = ("article:section", "og:article:section", "section", "parsely-section",
                "cxenseparse:recs:articlesection", "article-section", "category")
# words that make an author string an organisation's name
ORG_NAME = re.compile(r"\b(?:press|news|newsroom|media|agency|agencies|staff|desk|wire|online|daily|times|post|report|"
                      r"journal|gazette|tribune|herald|telegraph|reporter|magazine|channel|network|"
                      r"team|redaktion|rédaction|redacción|redazione|agentur|nachrichtenagentur|agence|agencia|"
                      r"agenzia)\b|\.(?:com|org|net|co)\b", re.I)


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


# one upper-case word of a few letters is an acronym: an agency or the site ("AFP", "LTO")
ACRONYM = re.compile(r"[A-Z]{2,5}")


def _is_org_name(name: str, orgs: set) -> bool:
    """An organisation's name rather than a person's.

    >>> _is_org_name("LTO", set()), _is_org_name("Jane Doe", set()), _is_org_name("City Times", set())
    (True, False, True)
    """
    return name.casefold() in orgs or bool(ORG_NAME.search(name)) or bool(ACRONYM.fullmatch(name))


def authors_of(page: Page, byline: str | None, site: str | None = None) -> list[str]:
    """People credited: JSON-LD > microdata > meta > printed byline > author-page links.
    An organisation (or the site's own name) is returned only when no source names a person.
    The printed byline settles how many (see _printed_list)."""
    orgs = {site.casefold()} if site else set()
    fallback: list[str] = []
    for names in _author_sources(page, byline, orgs):
        names = [_without_org(n, orgs) for n in names]
        people = [n for n in names if not _is_org_name(n, orgs)]
        if people:
            return _printed_list(people, byline, orgs) or people
        if names and not fallback:
            fallback = names
    return fallback


def _person_like(name: str) -> bool:
    """Two to four capitalised words (scripts without case pass)."""
    words = name.split()
    return 2 <= len(words) <= 4 and not any(w[0].islower() for w in words)


def _printed_list(declared: list[str], byline: str | None, orgs: set) -> list[str] | None:
    """The printed byline's people instead of the declared ones when the lists nest: a "By ..." line
    naming some of the declared people (the others are contributors, photographers), or a byline
    naming all declared people and more (co-authors the metadata leaves out)."""
    if not byline:
        return None
    names = [_without_org(n, orgs) for n in split_names(byline)]
    printed = [n for n in names if not _is_org_name(n, orgs)]
    a, b = {n.casefold() for n in declared}, {n.casefold() for n in printed}
    if not b or a == b:
        return None
    if b < a and BY_PREFIX.match(byline):
        return printed
    if a < b:
        unknown_orgs = [n for n in names if _is_org_name(n, orgs) and n.casefold() not in orgs]
        extra = [n for n in printed if n.casefold() not in a]
        if not unknown_orgs and all(_person_like(n) for n in extra):
            return printed
    return None


def _without_org(name: str, orgs: set) -> str:
    """A person's name printed with the publication after it -> the name; an organisation's own
    name is left alone.

    >>> _without_org("Ann Lee Valley Post", {"valley post"}), _without_org("Ann Lee The Daily News", set())
    ('Ann Lee', 'Ann Lee')
    >>> _without_org("The Associated Press", set()), _without_org("Field Level Media", set())
    ('The Associated Press', 'Field Level Media')
    """
    words = name.split()
    if len(words) < 4:
        return name
    folded = name.casefold()
    for org in orgs:
        if folded.endswith(" " + org):
            rest = name[:-len(org)].strip()
            if _person_like(rest) and not ORG_NAME.search(rest):
                return rest
    if not ORG_NAME.search(name):
        return name
    for i in range(2, len(words) - 1):  # the longest person-like head before an organisation's name
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        if ORG_NAME.search(tail) and not ORG_NAME.search(head) and _person_like(head) \
                and words[0].casefold() != "the":
            return head
    return name


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
