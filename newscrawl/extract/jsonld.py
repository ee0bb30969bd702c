"""schema.org JSON-LD: load every block, flatten @graph, pick the article node, read its fields.

Broken JSON (trailing commas, raw newlines, HTML comments) is repaired where cheap, else skipped.
"""
from __future__ import annotations

import html
import json
import re

from .text import clean as _clean


def clean(value):
    """clean() for JSON-LD strings, which often carry HTML entities ("O&#039;Neil").

    >>> clean("James O&#039;Neil &amp; co")
    "James O'Neil & co"
    """
    if value and "&" in value:
        value = html.unescape(value)
    return _clean(value)

ARTICLE_TYPES = frozenset(t.lower() for t in (
    "Article", "NewsArticle", "BlogPosting", "Blog", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "AdvertiserContentArticle",
    "SatiricalArticle", "ScholarlyArticle", "TechArticle", "LiveBlogPosting", "SocialMediaPosting",
    "DiscussionForumPosting", "Report", "PublicationIssue", "Review", "CreativeWork", "Recipe",
    "VideoObject", "MediaObject", "Story", "LiveBlog",
))
# weaker article-ish types: only used when no real article node exists
PAGE_TYPES = frozenset(("webpage", "itempage", "medicalwebpage", "aboutpage", "contactpage"))
LISTING_TYPES = frozenset(("collectionpage", "searchresultspage", "profilepage", "itemlist",
                           "blog", "checkoutpage", "qapage", "faqpage"))
PERSON_TYPES = frozenset(("person",))
ORG_TYPES = frozenset(("organization", "newsmediaorganization", "corporation", "localbusiness",
                       "onlinebusiness", "ngo", "governmentorganization", "educationalorganization"))
# the strong article kinds (Blog/CreativeWork/VideoObject etc. are only weak hints)
STRONG_ARTICLE_TYPES = frozenset(t for t in ARTICLE_TYPES if t.endswith(("article", "posting", "blogposting"))
                                 or t in ("report", "liveblog", "story"))

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_HTML_COMMENT = re.compile(r"^\s*<!--|-->\s*$")


def _loads(text: str):
    """Parse one JSON-LD block, repairing common breakage.

    >>> _loads('{"a": 1,}')
    {'a': 1}
    >>> _loads('nonsense') is None
    True
    """
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    fixed = _CDATA.sub("", _HTML_COMMENT.sub("", text)).strip()
    fixed = _TRAILING_COMMA.sub(r"\1", fixed)
    try:
        return json.loads(fixed, strict=False)
    except ValueError:
        pass
    # several objects pasted one after another
    try:
        dec = json.JSONDecoder(strict=False)
        out, i = [], 0
        while i < len(fixed):
            obj, i = dec.raw_decode(fixed, i)
            out.append(obj)
            while i < len(fixed) and fixed[i] in " \t\r\n;,":
                i += 1
        return out
    except ValueError:
        return None


def types_of(node) -> set[str]:
    """Lower-cased @type names of a node (URLs reduced to their last segment).

    >>> sorted(types_of({"@type": ["NewsArticle", "http://schema.org/Article"]}))
    ['article', 'newsarticle']
    """
    if not isinstance(node, dict):
        return set()
    t = node.get("@type")
    if isinstance(t, str):
        t = [t]
    if not isinstance(t, list):
        return set()
    return {x.rstrip("/").rsplit("/", 1)[-1].lower() for x in t if isinstance(x, str)}


def _walk(obj, out: list, depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(obj, list):
        for x in obj:
            _walk(x, out, depth + 1)
    elif isinstance(obj, dict):
        if "@type" in obj or "@id" in obj:
            out.append(obj)
        graph = obj.get("@graph")
        if graph is not None:
            _walk(graph, out, depth + 1)
        for key in ("mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            v = obj.get(key)
            if isinstance(v, (dict, list)):
                _walk(v, out, depth + 1)


class JsonLd:
    """All nodes of a page's JSON-LD blocks with an @id index."""

    def __init__(self, blocks: list[str]):
        self.nodes: list[dict] = []
        for text in blocks:
            data = _loads(text)
            if data is not None:
                _walk(data, self.nodes)
        self.index = {n["@id"]: n for n in self.nodes if isinstance(n.get("@id"), str) and len(n) > 1}
        self.article = self._pick_article()

    def resolve(self, value):
        """Follow an {"@id": ...} reference to the full node when the graph has it."""
        if isinstance(value, dict) and isinstance(value.get("@id"), str) and len(value) <= 2 and "name" not in value:
            return self.index.get(value["@id"], value)
        return value

    def all_types(self) -> set[str]:
        out: set[str] = set()
        for n in self.nodes:
            out |= types_of(n)
        return out

    def _pick_article(self):
        best, best_score = None, 0
        for n in self.nodes:
            t = types_of(n)
            if t & STRONG_ARTICLE_TYPES:
                score = 3
            elif t & ARTICLE_TYPES:
                score = 2
            else:
                continue
            score += bool(n.get("headline")) + bool(n.get("datePublished")) + bool(n.get("author"))
            score += 2 * bool(n.get("articleBody"))
            if score > best_score:
                best, best_score = n, score
        return best

    def page_node(self):
        """The WebPage node (Yoast keeps dates there), if any."""
        for n in self.nodes:
            if types_of(n) & PAGE_TYPES:
                return n
        return None

    def first_of_types(self, wanted: frozenset):
        for n in self.nodes:
            if types_of(n) & wanted:
                return n
        return None

    def names(self, value) -> list[tuple[str, str]]:
        """(name, kind) pairs of an author/publisher value; kind is person|org|unknown.

        >>> JsonLd([]).names([{"@type": "Person", "name": "Ann Lee"}, "Bo Kim"])
        [('Ann Lee', 'person'), ('Bo Kim', 'unknown')]
        """
        out: list[tuple[str, str]] = []
        if value is None:
            return out
        if not isinstance(value, list):
            value = [value]
        for v in value[:30]:
            v = self.resolve(v)
            if isinstance(v, str):
                name = clean(v)
                if name and not name.startswith(("http://", "https://")):
                    out.append((name, "unknown"))
            elif isinstance(v, dict):
                name = v.get("name")
                if isinstance(name, list):
                    name = name[0] if name else None
                if not isinstance(name, str):
                    given, family = v.get("givenName"), v.get("familyName")
                    if isinstance(given, str) or isinstance(family, str):
                        name = " ".join(x for x in (given, family) if isinstance(x, str))
                name = clean(name) if isinstance(name, str) else None
                if not name:
                    continue
                t = types_of(v)
                kind = "person" if t & PERSON_TYPES else "org" if t & ORG_TYPES else "unknown"
                out.append((name, kind))
        return out


def first_str(value) -> str | None:
    """A string from a JSON-LD value that may be a list, a dict with @value/name/url, or a string.

    >>> first_str(["a", "b"]), first_str({"@value": "x"}), first_str(7)
    ('a', 'x', None)
    """
    if isinstance(value, list):
        for v in value:
            s = first_str(v)
            if s:
                return s
        return None
    if isinstance(value, dict):
        for key in ("@value", "name", "url", "contentUrl", "@id"):
            if isinstance(value.get(key), str):
                return clean(value[key])
        return None
    if isinstance(value, str):
        return clean(value)
    return None


def str_list(value) -> list[str]:
    """All strings of a keywords-like value: a list, or one comma-separated string.

    >>> str_list("a, b,c"), str_list(["x", {"name": "y"}])
    (['a', 'b', 'c'], ['x', 'y'])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in (clean(x) for x in value.split(",")) if p]
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, str):
                out.extend(str_list(v) if "," in v else ([clean(v)] if clean(v) else []))
            else:
                s = first_str(v)
                if s:
                    out.append(s)
        return out
    s = first_str(value)
    return [s] if s else []
