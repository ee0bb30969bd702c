"""Boilerplate knowledge as data: the one place to add a rule.

Nothing here is code that decides; body.py and metadata.py read these lists.
- DROP_TAGS: elements never part of an article's text.
- BOILER_WORDS / BOILER_SUBSTRINGS: class/id words of page chrome (share bars, related lists,
  newsletter prompts, author boxes, ads, comments, captions...).
- CONTENT_HINTS: class/id words of article-body containers (a bonus when scoring candidates).
- LINE_PATTERNS: whole paragraphs that are chrome ("Continue Reading", "Share this", copyright).
- STOP_HEADINGS: a heading (or short line) like these ends the article ("Related", "Trending").
- LEAD_PATTERNS: short lines before the text that are metadata ("Published ... on", "By ...").
"""
from __future__ import annotations

import re

DROP_TAGS = frozenset("""
script style noscript template svg iframe button select input textarea nav aside figure
figcaption video audio canvas object embed map dialog menu link meta title base picture source track
label option fieldset legend
""".split())

# an element whose class or id has one of these words (split on - _ and spaces) is chrome
BOILER_WORDS = frozenset("""
share shares sharing sharebar social socials sociallinks related relatedposts recommended recommendations
recommend newsletter newsletters subscribe subscription subscriptions signup promo promos promotion
advert adverts advertisement advertisements advertising ad ads adslot adunit adsense dfp gpt
sponsor sponsored sponsors comment comments commentlist disqus breadcrumb
breadcrumbs bio biography authorbox tags tagcloud taglist tagged caption captions credit credits
popular trending mostread mostpopular morestories readmore readnext upnext nextpost prevpost
cookie cookies consent gdpr modal overlay popup
visuallyhidden sronly screenreader offscreen
reactions reaction donate donation outbrain taboola zergnet
revcontent newsletterbox inline-related footnote disclaimer
nocontent noprint copyright contributor-box jumplink playlist
""".lower().split())

# substrings that mark chrome wherever they occur inside a class/id token
BOILER_SUBSTRINGS = (
    "sharedaddy", "share-", "social", "related", "newsletter", "advert", "sponsor", "outbrain",
    "taboola", "trending", "popular", "breadcrumb", "cookie", "subscribe", "signup", "sign-up",
    "promo", "author-bio", "authorbio", "author-box", "authorbox", "about-author", "aboutauthor",
    "author-info", "author-card", "post-author", "entry-author", "byline", "more-from", "morefrom",
    "read-more", "read-next", "recirc", "comment", "post-tags", "entry-tags",
    "tag-links", "tags-links", "cat-links", "entry-meta", "post-meta", "article-meta", "meta-info",
    "post-navigation", "post-nav", "nav-links", "jp-", "addtoany", "a2a", "wp-caption-text",
    "caption", "ad-container", "ad-slot", "adslot", "ad-wrapper", "ad-unit", "adunit", "dfp-",
    "gpt-", "sr-only", "screen-reader", "visually-hidden", "recommend", "you-may", "youmay",
    "also-like", "most-read", "mostread", "up-next", "upnext", "next-up", "timestamp",
    "publish-date", "posted-on", "article-date", "post-date", "entry-date", "article-footer",
    "article-header", "entry-header", "post-header", "article-tools", "article-actions",
    "print-only", "modal", "popup", "video-player",
)

# words that contain a chrome substring but name article text ("commentary" is not "comment")
NOT_CHROME_SUBSTRINGS = ("commentary", "commentaries", "commentator")

# embedded posts quoted in an article (kept even inside a "social-embed" box)
QUOTED_POST_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "bluesky-embed",
                       "reddit-embed", "fb-xfbml-parse-ignore", "mastodon-embed")

# weaker chrome words: such an element is dropped only when it holds little running text
# (short, or mostly links) -- page builders wrap real text in "widget" and "sidebar" boxes
WEAK_WORDS = frozenset("""
sidebar widget widgets pagination pager navigation navbar menu banner print toolbar skip hidden hide
rating ratings follow paywall meter teaser teasers topics keywords embed toc tools meta footer
""".split())
WEAK_SUBSTRINGS = ("sidebar", "widget", "overlay")
WEAK_KEEP_TEXT = 150      # non-link characters of running text that save a weakly-marked element
WRAPPER_KEEP_TEXT = 500   # ... and that save a chrome-named wrapper around the headline (h1)

# these words in a class/id protect an element from the chrome rules (it is the article body)
CONTENT_HINTS = (
    "articlebody", "article-body", "article_body", "article__body", "articletext", "article-text",
    "article-content", "article__content", "articlecontent", "entry-content", "entry_content",
    "post-content", "post_content", "postcontent", "post-body", "postbody", "story-body",
    "storybody", "story-content", "story-text", "body-text", "bodytext", "main-content",
    "article__text", "field-name-body", "field--name-body", "text-content", "content-body",
    "rich-text", "richtext", "paywall-content", "article-main", "single-content", "td-post-content",
    "entry-body", "news-content", "news-text", "article-detail", "detail-content", "text-body",
)

# dropped unless they wrap the article (ASP.NET pages wrap the whole page in a <form>)
WRAPPER_DROP_TAGS = frozenset(("form",))

# the container chosen is never one of these when a better-shaped child exists
STRUCTURAL_TAGS = frozenset(("html", "body"))

# schema.org / microdata markers of the article body
BODY_ITEMPROPS = ("articleBody", "text", "reviewBody", "description")

_LINE = [
    r"advertisement", r"advertisements?", r"sponsored( content)?", r"continue reading.*",
    r"read more\W*", r"read more:.*", r"read the full (story|article).*", r"share( this)?( article| story| post)?\W*",
    r"share (on|via) .*", r"(tweet|email|print|whatsapp|facebook|twitter|linkedin|pinterest|reddit|copy link)"
    r"(\s*[|/·•]?\s*(tweet|email|print|whatsapp|facebook|twitter|linkedin|pinterest|reddit|copy link|share))*",
    r"related( articles| stories| posts| content| coverage)?\s*:?", r"(see|watch|listen)( also| more)?:.*",
    r"click here .*", r"(sign up|subscribe)( now| today)? (for|to) (our|the) .*newsletter.*",
    r"(get|receive) (our|the) .*newsletter.*", r"follow us on .*", r"connect with us",
    r"copyright\s*(©|\(c\)|\d{4}).*", r"©.*", r"all rights reserved\.?.*",
    r"(this|the) (content|website|site) (offers|provides) general .*",
    r"we are not responsible for .*", r"image( source)?:.*", r"photo( credit)?:.*",
    r"(getty images|ap photo|reuters|afp)(/[\w .]+)?", r"trending( now| stories)?",
    r"you may (also )?like", r"you might (also )?like", r"up next", r"more from .{0,40}",
    r"most (read|popular|viewed)", r"recommended( for you| stories)?", r"leave a (reply|comment).*",
    r"(\d+\s+)?comments?", r"loading\W*", r"tags?:.*", r"filed under:?.*", r"topics?:.*",
    r"published\s*(on)?", r"on", r"updated\s*(on)?", r"posted\s*(on|in)?", r"(\d+\s+)?min(ute)?s? read",
    r"listen to (this|the) (article|story).*", r"(back|go) to top", r"skip to (main )?content",
    r"previous( article| post)?", r"next( article| post)?",
]
LINE_PATTERNS = re.compile(r"^(?:" + "|".join(_LINE) + r")$", re.I)

_STOP = [
    r"related( articles| stories| posts| news| content| coverage| reading| links)?",
    r"more (stories|news|articles) .{0,40}", r"more from .{0,40}", r"you (may|might) (also )?(like|enjoy)",
    r"(also|further) read(ing)?", r"up next", r"trending( now| stories| news)?", r"recommended( for you| stories| reading)?",
    r"most (read|popular|viewed|shared)", r"popular( now| stories| posts)?", r"read (more|next)",
    r"(leave a |post a )?(reply|comment)s?", r"about the author", r"share this( article| story| post)?",
    r"latest( news| stories| posts)?", r"what to read next", r"don't miss", r"in other news",
    r"continue reading", r"tags?", r"keep reading", r"editor'?s picks",
]
STOP_HEADINGS = re.compile(r"^(?:" + "|".join(_STOP) + r")\W*$", re.I)

_LEAD = [
    r"(by|written by|posted by|from)\s.{1,80}", r"(published|updated|posted|last updated)\b.{0,80}",
    r"\d+\s+(min|minute)s?\s+read", r"(photo|image|video):.*",
]
LEAD_PATTERNS = re.compile(r"^(?:" + "|".join(_LEAD) + r")$", re.I)
