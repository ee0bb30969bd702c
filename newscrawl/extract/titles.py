"""The headline: the declared titles (JSON-LD headline, OpenGraph, Twitter, meta, <title>) checked
against the headline the page displays.

Sources disagree in known ways, and each way has a rule (and a fixture case, tests/fixtures/extract/title_*):
- <title> and og:title carry the site name or the section as an affix; an affix that one source
  carries is also cut off when another source prints the title without it (title_affix_from_sources);
  content-type labels ("WATCH - ", "(video)", "| Editorial") go too (title_content_label).
- the displayed h1 may be a declared title without its affix ("Guide name - Site"): the h1 wins,
  unless JSON-LD and og:title agree on the longer form (title_heading_prefix, title_declared_agree).
- a template cuts a title short ("Harnessing the river:", "... of the lower...") : completed from
  another source, or left out (title_cut_short).
- an h1 may be a breadcrumb's last item (a page-level heading) while the displayed headline is an
  h2 in the article header (title_breadcrumb_h1); the displayed heading may print a kicker in its
  own element, the headline part is then matched first (title_kicker_span, title_kicker).
The choice: the declared title the displayed headline confirms (<title> only when nothing else is
declared), ties to the words and then the spelling most sources use; else a displayed h1 in the
article when the publisher's two independent declarations (JSON-LD, og:title) disagree
(title_shown_h1); else the declared titles in priority order.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .jsonld import first_str
from .metadata import Page
from .text import classes_of, clean, el_text

SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|//|»|«|:)\s+")
# an affix after a title starts with a separator (" - Site", " | Section", "-Section|Site", " [Video]");
# one before it ends with a bar or dash ("Opinion | "); a colon joins a kicker, which is kept
_AFFIX_START = re.compile(r"^(?:\s*[|–—·•/»(\[]|\s+-\s|-\w)")
_AFFIX_END = re.compile(r"\s[|–—·•/»]\s*$")
# content-type labels printed around a headline ("WATCH - ", "(video)", "| Editorial"); a label
# joined by a colon ("Opinion: ...") is a kicker and stays
LABELS = frozenset("""watch video videos photos photo gallery live opinion editorial analysis exclusive
podcast listen audio updated update breaking review commentary column explainer""".split())
_LABEL_PREFIX = re.compile(r"^\s*(\w+)\s*(?:\||-|–|—)\s+")
_LABEL_SUFFIX = re.compile(r"\s+(?:(?:\||-|–|—)\s*(\w+)|[(\[](\w+)[)\]])\s*$")
# ancestors that make a heading part of the article (its header) rather than page furniture
_ARTICLE_CONTEXT = re.compile(r"article|story|post|entry|headline|content-head|detail", re.I)
_CONTEXT_TAGS = frozenset(("article", "main"))  # not <header>: the site's masthead is one (title_site_logo_h1)
_FURNITURE_TAGS = frozenset(("nav", "aside", "footer"))
MIN_HEADLINE_WORDS = 3


def _long_enough(text: str) -> bool:
    """A headline, not a kicker or section name: three words (or a long unspaced CJK string)."""
    return len(text.split()) >= MIN_HEADLINE_WORDS or len(text) >= 16


def _norm(s: str | None) -> str:
    """Words only, case-folded: "Kicker: Head-line!" and "kicker head line" compare equal.

    >>> _norm("River: Flood-gates open!")
    'river flood gates open'
    """
    return re.sub(r"\W+", " ", (s or "").casefold()).strip()


# ------------------------------------------------------------------ site name and affixes

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


def strip_site(title: str | None, site: str | None, url: str, section: str | None = None) -> str | None:
    """Remove a site-name (or section) suffix/prefix from a <title>-like string.

    >>> strip_site("Big news today | The Daily", "The Daily", "https://daily.example/x")
    'Big news today'
    >>> strip_site("Big news today - Daily Example", None, "https://www.dailyexample.com/x")
    'Big news today'
    >>> strip_site("Left - right: a story", None, "https://a.example/")
    'Left - right: a story'
    >>> strip_site("Dam opens - Politics", None, "https://a.example/", "Politics")
    'Dam opens'
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
    section_n = _norm(section).replace(" ", "") if section else ""

    def is_site(part: str) -> bool:
        p = _norm(part).replace(" ", "")
        if not p:
            return True
        if site_n and (p == site_n or p in site_n or site_n in p) and len(p) >= 3:
            return True
        if len(host_core) >= 3 and len(p) >= 3 and (p in host_core or host_core in p):
            return True
        return bool(section_n) and p == section_n

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


def strip_label(title: str) -> str:
    """Drop a content-type label printed before or after a headline.

    >>> strip_label("WATCH - Flood gates open"), strip_label("Flood gates open (video)")
    ('Flood gates open', 'Flood gates open')
    >>> strip_label("Live music returns"), strip_label("Opinion | Why the dam matters")
    ('Live music returns', 'Why the dam matters')
    """
    m = _LABEL_PREFIX.match(title)
    if m and m[1].casefold() in LABELS and len(title) - m.end() >= 10:
        title = title[m.end():]
    m = _LABEL_SUFFIX.search(title)
    if m and (m[1] or m[2]).casefold() in LABELS and m.start() >= 10:
        title = title[:m.start()]
    return title.strip()


def _affix_of(short: str, long: str) -> bool:
    """True when `long` is `short` plus a separated affix ("Head - Site", "Opinion | Head").

    >>> _affix_of("Dam opens", "Dam opens-Politics|Daily"), _affix_of("Dam", "Dammed rivers")
    (True, False)
    """
    i = long.casefold().find(short.casefold())
    if i < 0 or len(short) == len(long):
        return False
    head, tail = long[:i], long[i + len(short):]
    return (not head.strip() or bool(_AFFIX_END.search(head))) and \
        (not tail.strip() or bool(_AFFIX_START.match(tail)))


# ------------------------------------------------------------------ the displayed headline

def _ancestors(el, depth: int):
    node = el.getparent()
    while node is not None and depth > 0:
        yield node
        node = node.getparent()
        depth -= 1


def _in_furniture(el) -> bool:
    """Inside a breadcrumb trail, navigation, an aside or a footer."""
    return any(a.tag in _FURNITURE_TAGS or "breadcrumb" in classes_of(a) for a in _ancestors(el, 10))


def _in_article(el) -> bool:
    return any(a.tag in _CONTEXT_TAGS or _ARTICLE_CONTEXT.search(classes_of(a)) for a in _ancestors(el, 10))


def _pieces(h) -> list[str]:
    """The heading's text split at its child elements (kicker span, headline span, label)."""
    out = [h.text or ""]
    for child in h:
        if isinstance(child.tag, str):
            out.append(el_text(child))
        out.append(child.tail or "")
    return [p for p in (clean(x) for x in out) if p and re.search(r"\w", p)]


def _headline_part(h, full: str) -> str | None:
    """The headline inside a heading that also prints a kicker or label in its own element:
    the longest piece, when it holds most of the words and the other pieces are short."""
    pieces = _pieces(h)
    if len(pieces) < 2:
        return None
    main = max(pieces, key=len)
    words, total = len(main.split()), len(full.split())
    if words < 0.6 * total or any(len(p.split()) > 5 for p in pieces if p is not main):
        return None
    return main


class _Heading:
    __slots__ = ("text", "norm", "main", "main_norm", "is_h1", "in_article")

    def __init__(self, el, is_h1: bool):
        self.text = el_text(el)
        self.norm = _norm(self.text)
        self.main = _headline_part(el, self.text)
        self.main_norm = _norm(self.main) if self.main else ""
        self.is_h1 = is_h1
        self.in_article = _in_article(el)


def displayed_headings(page: Page) -> list[_Heading]:
    """h1s that are not breadcrumbs or furniture, else the h2s of the article header."""
    out = [_Heading(h, True) for h in page.h1s[:6]
           if not _in_furniture(h) and 0 < len(el_text(h)) < 400]
    if not out:
        for h in page.h2s:
            if not _in_furniture(h) and _in_article(h):
                head = _Heading(h, False)
                if 0 < len(head.text) < 400:
                    out.append(head)
                    if len(out) >= 3:
                        break
    return out


# ------------------------------------------------------------------ the choice

def _complete(text: str, others: list[str]) -> str | None:
    """A title cut off by the publisher's template, completed from another source that prints it
    in full; None when it is cut (ends on a colon or comma) and no source completes it.

    >>> _complete("Dam opens on...", ["Dam opens on time, at last | Daily"]), _complete("Harnessing rivers:", [])
    ('Dam opens on time, at last', None)
    >>> _complete("Wait for it...", []), _complete("Dam opens", [])
    ('Wait for it...', 'Dam opens')
    """
    t = text.rstrip()
    cut = t.endswith((":", ",", " -", " –"))
    if cut or t.endswith(("…", "...")):
        stem = _norm(t)
        for o in others:
            if len(_norm(o)) > len(stem) and _norm(o).startswith(stem):
                parts = SEPARATORS.split(o)
                if len(parts) > 1 and len(parts[-1].split()) <= 4 and _norm(" ".join(parts[:-1])).startswith(stem):
                    o = o[:o.rfind(parts[-1])].rstrip(" |-–—:·•/»«")  # "..., at last | Site": no affix
                return o
        return None if cut else text
    return text


def declared_titles(page: Page, site: str | None, url: str, section: str | None) -> list[tuple[str, str]]:
    """(source, title) pairs in priority order, site/section affixes and labels removed; an affix
    one source carries is cut off when another source prints the title without it; a title cut
    short by a template is completed from another source, or left out."""
    ld = page.jsonld.article
    raw = [("ld", first_str(ld.get("headline") or ld.get("name")) if ld else None),
           ("og", page.first("og:title")), ("twitter", page.first("twitter:title")),
           ("meta", page.first("headline", "dc.title", "parsely-title", "sailthru.title")),
           ("title", page.title_tag)]
    site_n = _norm(site)
    out: list[tuple[str, str]] = []
    for src, t in raw:
        t = strip_site(t, site, url, section)
        if t:
            t = strip_label(t)
        if t and _norm(t) and _norm(t) != site_n:
            out.append((src, t))
    texts = [t for _, t in out] + [el_text(h)[:400] for h in page.h1s[:3]]
    out = [(src, full) for src, full in ((src, _complete(t, texts)) for src, t in out) if full]
    for i, (src, t) in enumerate(out):
        shorter = [o for _, o in out if len(o) < len(t) and _long_enough(o) and _affix_of(o, t)]
        if shorter:
            out[i] = (src, max(shorter, key=len))
    return out


def _overlap(a: str, b: str) -> float:
    """Share of words two titles have in common (of the longer one).

    >>> _overlap("News from the river", "Latest news from the river")
    0.8
    """
    wa, wb = _norm(a).split(), _norm(b).split()
    if not wa or not wb:
        return 0.0
    common = len(set(wa) & set(wb))
    return common / max(len(set(wa)), len(set(wb)))


def _agree(structured: list[tuple[str, str]]) -> bool:
    """Whether the publisher's two independent declarations (JSON-LD headline, og:title) agree;
    with only one of them, whether another declared title (twitter, meta) copies it."""
    by_src = dict(reversed(structured))
    ld, og = by_src.get("ld"), by_src.get("og")
    if ld and og:
        return _overlap(ld, og) >= 0.8
    one = ld or og
    return bool(one) and any(_norm(t) == _norm(one) for s, t in structured if s not in ("ld", "og"))


def title_of(page: Page, site: str | None, url: str, section: str | None = None) -> str | None:
    declared = declared_titles(page, site, url, section)
    structured = [(s, t) for s, t in declared if s != "title"]
    # the <title> is the search-engine title: it confirms the displayed headline only when the
    # page declares nothing else
    confirmable = structured or declared
    norms = {t: _norm(t) for _, t in declared}
    votes: dict[str, int] = {}
    for _, t in declared:
        votes[norms[t]] = votes.get(norms[t], 0) + 1
    heads = displayed_headings(page)
    consensus = _agree(structured)
    agreed = _norm(dict(structured).get("ld")) if consensus else ""
    spelled = [t for _, t in declared]
    for h in heads:
        best, best_key = None, (0, 0, False, 0)
        for _, c in confirmable:
            n = norms[c]
            score = 3 if h.main_norm and n == h.main_norm else 2 if n == h.norm else 0
            # same words: the spelling the page shows, else the one most sources use
            key = (score, votes[n], c in (h.text, h.main), spelled.count(c))
            if score and key > best_key:
                best, best_key = c, key
        if best:
            return best
        # the heading is a declared title plus an affix, or the reverse: the shorter one, unless
        # the publisher's two independent declarations agree on the longer one
        for _, c in declared:
            if _long_enough(c) and _affix_of(c, h.text):
                return c
            if _long_enough(h.text) and _affix_of(h.text, c) and not (consensus and _norm(c) == agreed):
                return h.text
    for h in heads:  # a headline shown in the article, when the declared titles disagree
        if h.is_h1 and h.in_article and not consensus:
            text = strip_label(h.main or h.text)
            if _long_enough(text) and _norm(text) != _norm(site):
                return text
    if len(heads) == 1 and heads[0].is_h1 and not structured:
        return heads[0].text  # a lone h1 beats a bare <title>
    if declared:
        return declared[0][1]
    if heads:
        return heads[0].text
    return strip_site(page.title_tag, site, url, section)  # only titles cut short were declared
