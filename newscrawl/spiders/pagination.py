"""Where a listing's next page is, in every style sites use.

Tried in order, first answer wins:
1. rel=next (<link> or <a>);
2. a "load more" button or link whose next URL is in a data-* attribute or its href;
3. a link saying Next / Older posts / More (text, aria-label, title or a next-ish class);
4. a link to this listing's page N+1 by URL: /page/N+1/ or ?page=N+1 (icon-only pagers);
5. numbered page links only: the link reading N+1, N being the current page.
The spider decides when to stop (max_pages, no next page, a repeated page).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from newscrawl.spiders.chrome import in_furniture

NEXT_TEXT = re.compile(
    r"^\W*(?:next(?: page| posts| stories| articles)?|older(?: posts| entries| stories| articles)?|"
    r"more(?: posts| stories| news| articles)?|(?:load|show|see|view) more(?: posts| stories| news| articles)?)"
    r"\W*$|^\W*[›→]\W*$",
    re.IGNORECASE,
)
NEXT_CLASS = re.compile(r"(?:^|[-_\s])(?:next|nextpostslink|older|nav-previous|load-?more)(?:$|[-_\s])", re.I)
# Links back to newer pages. WordPress archives put "Newer posts" in .nav-next and "Older posts"
# (the next page) in .nav-previous.
BACK_TEXT = re.compile(r"\b(?:prev|previous|newer|back|first)\b|[«‹←]", re.I)
BACK_CLASS = re.compile(r"^(?:(?:prev|previous|newer|back)(?:[-_](?:page|link|posts))?|nav-next|"
                        r"(?:page|pagination)[-_]prev(?:ious)?)$", re.I)
LOAD_MORE = re.compile(r"load[-_ ]?more|show[-_ ]?more|more[-_ ](?:posts|stories|news|articles)|infinite", re.I)
LOAD_MORE_TEXT = re.compile(r"^\W*(?:load|show|see|view) more(?: posts| stories| news| articles)?\W*$", re.I)
# data-* attributes that carry the next URL on "load more" buttons, most specific first.
LOAD_MORE_ATTRIBUTES = ("data-next-url", "data-next-page-url", "data-next", "data-url", "data-href",
                        "data-load-more", "data-link")
PAGE_PARAMETERS = ("page", "paged", "pg")
_PATH_PAGE = re.compile(r"/page/(\d+)/?$")
_NOT_HREF = ("#", "javascript:", "mailto:")


def _outside_teasers(query: str) -> str:
    """Controls found by their words are never inside a teaser or a headline ("More stories" can be one).

    >>> _outside_teasers("a, li")
    'a:not(article *):not(h1 *):not(h2 *):not(h3 *):not(h4 *), li:not(article *):not(h1 *):not(h2 *):not(h3 *):not(h4 *)'
    """
    return ", ".join(f"{part.strip()}:not(article *):not(h1 *):not(h2 *):not(h3 *):not(h4 *)"
                     for part in query.split(","))


def next_page_url(selector: Selector, url: str) -> str | None:
    """The next page of the listing at `url`, or None at the end."""
    current = url.split("#", 1)[0]
    for finder in (_rel_next, _load_more, _next_link, _page_n_link, _numbered_link):
        found = finder(selector, current)
        if found and found.split("#", 1)[0] != current:
            return found
    return None


def current_page(url: str) -> int:
    """The page number a listing URL names (1 when it names none).

    >>> current_page("https://a.example/news/page/3/"), current_page("https://a.example/news/?page=2&x=1")
    (3, 2)
    """
    parts = urlsplit(url)
    match = _PATH_PAGE.search(parts.path)
    if match:
        return int(match.group(1))
    for name, value in parse_qsl(parts.query):
        if name in PAGE_PARAMETERS and value.isdigit():
            return int(value)
    return 1


def _href(node, base: str, attribute: str = "href") -> str | None:
    value = (node.attrib.get(attribute) or "").strip()
    if not value or value.startswith(_NOT_HREF):
        return None
    return urljoin(base, value)


def _pager_links(selector: Selector, query: str = "a[href]"):
    """Elements that can be pagination: not in menus, sidebars, the page header or footer."""
    return [node for node in selector.css(query) if not in_furniture(node)]


def _rel_next(selector: Selector, url: str) -> str | None:
    for node in selector.css("link[rel][href], a[rel][href]"):
        if "next" in node.attrib["rel"].lower().split():
            return _href(node, url)
    return None


def _load_more(selector: Selector, url: str) -> str | None:
    for node in selector.css(_outside_teasers("button, a, div, span, li")):
        marks = f"{node.attrib.get('class', '')} {node.attrib.get('id', '')}"
        # only a control's own words say what it does, and only when that is all they say
        text = " ".join(node.css("::text").getall()) if node.root.tag in ("a", "button") else ""
        if not (LOAD_MORE.search(marks) or LOAD_MORE_TEXT.match(text)) or in_furniture(node):
            continue
        for attribute in (*LOAD_MORE_ATTRIBUTES, "href"):
            value = (node.attrib.get(attribute) or "").strip()
            if value.startswith(("/", "?", "./", "http://", "https://")):
                return urljoin(url, value)
    return None


def _next_link(selector: Selector, url: str) -> str | None:
    for node in _pager_links(selector, _outside_teasers("a[href]")):
        text = " ".join(" ".join(node.css("::text").getall()).split())
        labels = (text, node.attrib.get("aria-label", ""), node.attrib.get("title", ""))
        classes = (node.attrib.get("class", ""), node.xpath("../@class").get() or "")
        if any(BACK_TEXT.search(label) for label in labels if label) or \
                any(BACK_CLASS.match(token) for c in classes for token in c.split()):
            continue
        if any(NEXT_TEXT.match(label) for label in labels if label) or any(NEXT_CLASS.search(c) for c in classes):
            found = _href(node, url)
            if found:
                return found
    return None


def _path_style(path: str, number: int) -> str:
    """The path of page `number` of the listing at `path`, spelled /page/N (without trailing slash)."""
    return _PATH_PAGE.sub("/", path).rstrip("/") + f"/page/{number}"


def _same_listing_page(candidate: str, url: str, number: int) -> bool:
    """Is `candidate` page `number` of the listing at `url`, by /page/N/ or ?page=N?"""
    here, there = urlsplit(url), urlsplit(candidate)
    if (here.scheme, here.netloc) != (there.scheme, there.netloc):
        return False
    if there.path.rstrip("/") == _path_style(here.path, number) and there.query == here.query:
        return True
    if there.path != here.path:
        return False
    params_here = {k: v for k, v in parse_qsl(here.query) if k not in PAGE_PARAMETERS}
    params_there = parse_qsl(there.query)
    pages = [v for k, v in params_there if k in PAGE_PARAMETERS]
    rest = {k: v for k, v in params_there if k not in PAGE_PARAMETERS}
    return pages == [str(number)] and rest == params_here


def _page_n_link(selector: Selector, url: str) -> str | None:
    wanted = current_page(url) + 1
    for node in _pager_links(selector):
        found = _href(node, url)
        if found and _same_listing_page(found.split("#", 1)[0], url, wanted):
            return found
    return None


def _numbered_link(selector: Selector, url: str) -> str | None:
    marked = selector.xpath(
        "//*[@aria-current='page' or contains(concat(' ', normalize-space(@class), ' '), ' current ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' active ')]"
        "[normalize-space(.) != ''][not(*[normalize-space(.) != ''][2])]"
    )
    current = next((int(t) for t in (" ".join(m.css("::text").getall()).strip() for m in marked) if t.isdigit()),
                   None) or current_page(url)
    wanted = str(current + 1)
    for node in _pager_links(selector, _outside_teasers("a[href]")):  # not a comment count
        if " ".join(node.css("::text").getall()).strip() == wanted:
            found = _href(node, url)
            if found:
                return found
    return None

