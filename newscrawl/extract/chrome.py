"""Page chrome: which elements are not article text (tags, hidden state, class/id words read
from boilerplate.py), and removing them while keeping wrappers that hold the article."""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from . import boilerplate as bp
from .text import classes_of, el_text

_SPLIT_RE = re.compile(r"[-_]+")
# characters lxml will not store in a text node
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MIN_PARA = 25


_CONTENT_RE = re.compile("|".join(re.escape(h) for h in bp.CONTENT_HINTS))
_STRONG_SUB_RE = re.compile("|".join(re.escape(h) for h in bp.BOILER_SUBSTRINGS))
_WEAK_SUB_RE = re.compile("|".join(re.escape(h) for h in bp.WEAK_SUBSTRINGS))
_NOT_CHROME_RE = re.compile("|".join(re.escape(h) for h in bp.NOT_CHROME_SUBSTRINGS))


@lru_cache(maxsize=16384)
def _token_level(token: str) -> int:
    """-1 for an article-body container word, 2 chrome, 1 weak chrome, 0 neither (one class or
    id token; class strings are judged token by token so the cache sees repeated tokens)."""
    if _CONTENT_RE.search(token):
        return -1
    if "comment" in token:
        token = _NOT_CHROME_RE.sub(" ", token)
    if _STRONG_SUB_RE.search(token):
        return 2
    weak = 0
    for tok in token.split():
        if tok in bp.BOILER_WORDS:
            return 2
        for seg in _SPLIT_RE.split(tok):
            if seg in bp.BOILER_WORDS:
                return 2
            if seg in bp.WEAK_WORDS:
                weak = 1
    if not weak and _WEAK_SUB_RE.search(token):
        weak = 1
    return weak


@lru_cache(maxsize=4096)
def chrome_level(cls: str) -> int:
    """2 when a "class id" string marks page chrome, 1 when it weakly does, 0 otherwise
    (article-body container names always give 0).

    >>> chrome_level("share-bar"), chrome_level("entry-content has-related"), chrome_level("widget-box")
    (2, 0, 1)
    >>> chrome_level("commentary__body"), chrome_level("comment-list")
    (0, 2)
    """
    level = 0
    for token in cls.split():
        t = _token_level(token)
        if t < 0:
            return 0
        if t > level:
            level = t
    return level


def is_chrome_class(cls: str) -> bool:
    """True when a "class id" string marks page chrome (strongly or weakly).

    >>> is_chrome_class("share-bar"), is_chrome_class("entry-content has-related"), is_chrome_class("header")
    (True, False, False)
    """
    return chrome_level(cls) > 0


def _running_text(el, enough: int, memo: dict) -> int:
    """Characters of non-link paragraph text in an element, counted until `enough` is reached."""
    total = 0
    for p in el.iter("p", "li", "blockquote", "pre", "h2", "h3"):
        t = memo.get(p)
        if t is None:
            n = len(el_text(p))
            t = max(0, n - link_chars(p)) if n >= MIN_PARA else 0
            memo[p] = t
        total += t
        if total >= enough:
            break
    return total


def is_content_class(cls: str) -> bool:
    """True when a "class id" string names an article-body container.

    >>> is_content_class("c-article-body wide"), is_content_class("sidebar")
    (True, False)
    """
    return any(_token_level(t) < 0 for t in cls.split())


_HIDDEN_XPATH = etree.XPath('//*[@hidden or @aria-hidden="true" or contains(@style, "none") '
                            'or contains(@style, "hidden")]')
_CLASSED_XPATH = etree.XPath("//*[@class or @id or self::form]")
_PROTECT_XPATH = etree.XPath('//h1 | //*[@itemprop="articleBody"] | //blockquote[@class]')


def strip_chrome(root, use_classes: bool = True) -> None:
    """Remove chrome elements in place (tail text is kept).

    A chrome-classed element that wraps the article (an ancestor of the body container, or of
    the h1 while holding much text: "content-with-sidebar" wrappers) is kept.
    """
    etree.strip_elements(root, *bp.DROP_TAGS, with_tail=False)
    doomed = []
    for el in _HIDDEN_XPATH(root):
        if el.tag in bp.STRUCTURAL_TAGS:
            continue
        style = el.get("style")
        if el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
                (style and _HIDDEN_STYLE.search(style)):
            doomed.append(el)
    classed = []
    protectors = []
    for el in _PROTECT_XPATH(root):
        if el.tag != "blockquote" or any(c in (el.get("class") or "") for c in bp.QUOTED_POST_CLASSES):
            protectors.append(el)
    for el in _CLASSED_XPATH(root):
        tag = el.tag
        if tag in bp.WRAPPER_DROP_TAGS:
            classed.append((el, 1))
            continue
        if not use_classes or tag in bp.STRUCTURAL_TAGS or tag in ("main", "p"):
            continue
        cls = classes_of(el)
        level = chrome_level(cls) if cls else 0
        if level:
            classed.append((el, level))
        elif cls and is_content_class(cls):
            protectors.append(el)
    if classed:
        strong, weak = set(), set()
        for p in protectors:
            target = weak if p.tag == "h1" else strong
            node = p.getparent()
            while node is not None:
                target.add(node)
                node = node.getparent()
        memo: dict = {}
        for el, level in classed:
            if el in strong:
                continue
            if el in weak and _running_text(el, bp.WRAPPER_KEEP_TEXT, memo) >= bp.WRAPPER_KEEP_TEXT:
                continue
            if level == 1 and _running_text(el, bp.WEAK_KEEP_TEXT, memo) >= bp.WEAK_KEEP_TEXT:
                continue
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            _drop(el)


def _drop(el) -> None:
    """Remove an element but keep its tail text in the parent."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        try:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        except ValueError:  # the parser let control characters in; lxml refuses them on assignment
            if prev is not None:
                prev.tail = _NOT_XML.sub("", (prev.tail or "") + tail)
            else:
                parent.text = _NOT_XML.sub("", (parent.text or "") + tail)
    parent.remove(el)


def link_chars(el) -> int:
    return sum(len(el_text(a)) for a in el.iter("a"))


