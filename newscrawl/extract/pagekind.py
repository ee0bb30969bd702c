"""Is a page an article, a listing, or something else? schema.org / OpenGraph type first,
then the page's shape (a headline over a body of text vs many teaser links).
"""
from __future__ import annotations

from .jsonld import LISTING_TYPES, STRONG_ARTICLE_TYPES
from .metadata import Page

# schema.org types of pages that are never one article
NON_ARTICLE_TYPES = LISTING_TYPES | frozenset(("aboutpage", "contactpage", "searchaction"))
MIN_ARTICLE_WORDS = 40        # below this a page has no article text
SHAPE_ARTICLE_WORDS = 120     # with no declared type, a dated or bylined page needs this much text
SHAPE_DATED_BYLINED_WORDS = 50  # ... and a page both dated and bylined this much
TEASER_LISTING = 6            # this many repeated teaser headlines make a listing


def teaser_count(root) -> int:
    """Number of headline links (h2/h3/h4 holding a link, or <article> blocks) on the page."""
    n_articles = 0
    n_heads = 0
    for el in root.iter("article", "h2", "h3", "h4"):
        if el.tag == "article":
            n_articles += 1
        elif el.find(".//a") is not None or (el.getparent() is not None and el.getparent().tag == "a"):
            n_heads += 1
    return max(n_articles, n_heads)


def decide(page: Page, teasers: int, body_words: int, has_date: bool, has_author: bool,
           has_title: bool) -> str:
    """The page kind from collected signals.

    >>> from newscrawl.extract.metadata import Page
    >>> from newscrawl.extract.jsonld import JsonLd
    >>> p = Page(); p.jsonld = JsonLd(['{"@type": "CollectionPage"}'])
    >>> decide(p, teasers=10, body_words=0, has_date=False, has_author=False, has_title=True)
    'listing'
    """
    ld = page.jsonld
    types = ld.all_types() if ld else set()
    og_type = (page.first("og:type") or "").lower()
    strong_article = bool(types & STRONG_ARTICLE_TYPES)
    if types & NON_ARTICLE_TYPES and not strong_article:
        return "listing" if types & LISTING_TYPES else "other"
    if og_type in ("profile", "website", "book", "music.song") and not strong_article \
            and teasers >= TEASER_LISTING and body_words < SHAPE_ARTICLE_WORDS:
        return "listing"
    if strong_article and body_words >= MIN_ARTICLE_WORDS:
        return "article"
    if og_type == "article" and has_date and body_words >= MIN_ARTICLE_WORDS:
        return "article"
    if teasers >= TEASER_LISTING and body_words < 3 * SHAPE_ARTICLE_WORDS:
        return "listing"
    if has_title and has_date and has_author and body_words >= SHAPE_DATED_BYLINED_WORDS:
        return "article"
    if has_title and body_words >= SHAPE_ARTICLE_WORDS and (has_date or has_author):
        return "article"
    if teasers >= TEASER_LISTING:
        return "listing"
    return "other"
