"""The page's chrome: navigation, header, footer, sidebars, share bars, related and trending lists.

Data first: the element names, roles and class/id words are lists; `in_chrome` only applies them.
"""

from __future__ import annotations

import re

CHROME_TAGS = {"nav", "aside"}
# A <header>/<footer> inside an <article> is the teaser's own (it often holds the headline).
PAGE_LEVEL_TAGS = {"header", "footer"}
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary"}
# Words in a class or id token (bounded by "-", "_" or the token's ends) that mark chrome.
# Not "tag", "category" or "author": WordPress puts "tag-x category-y" on every teaser <article>.
CHROME_WORDS = (
    "sidebar", "widget", "related", "trending", "popular", "most-read", "most-popular", "most-viewed",
    "share", "sharing", "sharedaddy", "social", "breadcrumbs?", "offcanvas", "off-canvas", "menu",
    "navigation", "navbar", "secondary", "colophon", "masthead", "newsletter", "comments?",
    "respond", "pagination", "pager", "promo", "sponsored", "recommended", "up-next",
)
# Layout modifiers such as "has-sidebar" or "right-sidebar" on wrappers describe the page, not chrome.
# Pagination lives in content, often in <nav class="navigation pagination">: for pager links only
# the page-level header/footer, sidebars and these menu words count as furniture.
FURNITURE_WORDS = ("menu", "navbar", "main-navigation", "site-navigation", "primary-navigation",
                   "sidebar", "widget")
LAYOUT_TOKEN = re.compile(r"^(?:has|no|with|without|is|left|right|both|full|one|two|three)[-_]", re.I)


def _words(words) -> re.Pattern:
    return re.compile(r"(?:^|[-_])(?:" + "|".join(words) + r")(?:$|[-_])", re.IGNORECASE)


_CHROME = _words(CHROME_WORDS)
_FURNITURE = _words(FURNITURE_WORDS)


def chrome_token(token: str, words: re.Pattern = _CHROME) -> bool:
    """A class/id token that names page chrome.

    >>> [chrome_token(t) for t in ("related-posts", "widget_recent_entries", "has-sidebar", "entry-header")]
    [True, True, False, False]
    """
    return not LAYOUT_TOKEN.match(token) and bool(words.search(token))


def _marked(element, words: re.Pattern) -> bool:
    tokens = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    if not any(chrome_token(t, words) for t in tokens):
        return False
    # a wrapper holding the main content is layout, not chrome
    return element.find(".//main") is None and not element.xpath(".//*[@role='main']")


def _elements(node):
    """The node's element and its ancestors below <body>."""
    element = node.root
    if not hasattr(element, "iterancestors"):
        return
    for current in (element, *element.iterancestors()):
        tag = current.tag if isinstance(current.tag, str) else ""
        if tag in ("body", "html"):
            return
        yield tag, current


def _page_level(tag: str, element) -> bool:
    return tag in PAGE_LEVEL_TAGS and not any(a.tag == "article" for a in element.iterancestors())


def in_chrome(node) -> bool:
    """True when a parsel node sits in the page's chrome rather than its content."""
    for tag, element in _elements(node):
        if tag in CHROME_TAGS or (element.get("role") or "").lower() in CHROME_ROLES:
            return True
        if _page_level(tag, element) or _marked(element, _CHROME):
            return True
    return False


def in_furniture(node) -> bool:
    """True when a node is in the page-level header or footer, a sidebar or a menu: never pagination."""
    for tag, element in _elements(node):
        if tag == "aside" or _page_level(tag, element) or _marked(element, _FURNITURE):
            return True
    return False
