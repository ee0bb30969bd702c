"""Pages for fuzzing extract_article: generators, mutators and their Hypothesis strategies.

Used by tests/test_fuzz_extract.py (the suite's budget) and bench/fuzz.py (the longer run); the
result contract they are checked against is tests/extract_contract.py.

- `documents()`: HTML generated from a small grammar: the tags, attributes, metadata (OpenGraph,
  article:*, JSON-LD incl. @graph, microdata) and text shapes (bylines, dates) that extraction
  reads, rendered with closing tags sometimes dropped, case and quoting varied.
- `mutated()`: real pages (fixtures and the fault site's) cut, duplicated, spliced, truncated,
  byte-flipped, re-declared in another charset; given as bytes or as text.
- `noisy_articles()`: a clean article with odd characters and chrome blocks mixed in, plus what
  extraction must keep of it.
- `scaled_to()`: any page repeated up to a size (the 1 MB timing property).
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

# -- vocabulary ------------------------------------------------------------------------------------
# Generation is driven by a random.Random that Hypothesis seeds (st.randoms): thousands of pages a
# minute, reproducible from the seed; a failing page is printed whole.

WORDS = ("the", "council", "By", "and", "Jane Doe", "John", "Updated", "Published", "on", "March", "14",
         "2026", "|", "-", "\u2013", "Continue Reading", "Related", "Share", "Copyright \u00a9", "404",
         "\u5e02\u8b70\u4f1a", "M\u00e4rz", "caf\u00e9", "&amp;", "&nbsp;", "&#0;", "&#x110000;", "&bogus;",
         "<", ">", "\"", "'", "\u200b", "\ufeff", "\u00ad", "\n", "\t", "   ", "\u202e", "\x00", "\x0b")
MONTHS = ("January", "Feb.", "March", "Sept", "December", "M\u00e4rz", "marzo", "Ao\u00fbt", "\u6708", "Smarch")
TZS = ("", "Z", "+00:00", "-05:00", "+0530", "+14:00", "-23:59", "+25:00", " UTC", " GMT+2", " EST", " (CET)")
LD_TYPES = ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "WebPage", "CollectionPage",
            "Person", "Organization", "ImageObject", "BreadcrumbList", "WebSite", "", "news article")
LD_KEYS = ("headline", "name", "datePublished", "dateModified", "author", "publisher", "image", "keywords",
           "articleSection", "articleBody", "description", "inLanguage", "url", "mainEntityOfPage", "@id",
           "isPartOf", "about", "@graph", "@type")
URLS = ("/img.jpg", "https://a.example/i.png", "//cdn.example/x", "javascript:alert(1)", "data:image/png;base64,AA==",
        "", "http://[::1", "https://a.example:99999/", "../../x", "?q=1", "#top", "http://user@a.example/", "\u00e9.example")
BLOCK_TAGS = ("div", "section", "article", "main", "header", "footer", "nav", "aside", "figure", "blockquote",
              "ul", "ol", "li", "table", "tr", "td", "form", "noscript", "template", "center", "font", "svg",
              "details", "dl", "dd", "pre", "iframe", "object", "frameset", "x-widget", "amp-img", "o:p", "body",
              "html", "head")
TEXT_TAGS = ("p", "h1", "h2", "h3", "h4", "span", "a", "time", "b", "i", "em", "strong", "small", "sup",
             "figcaption", "address", "cite", "code", "label", "button", "option", "textarea", "title", "q")
VOID_TAGS = ("br", "hr", "img", "meta", "link", "input", "wbr", "source", "base")
CLASSES = ("entry-content", "post-content", "article-body", "byline", "author", "author-bio", "share", "related",
           "trending", "newsletter", "sidebar", "widget", "tags", "cat-links", "posted-on", "published", "updated",
           "caption", "ad", "comments", "footer", "menu", "headline", "entry-title", "dateline", "content", "")
ATTR_NAMES = ("class", "id", "itemprop", "itemtype", "itemscope", "property", "name", "content", "datetime",
              "href", "src", "rel", "lang", "charset", "http-equiv", "style", "hidden", "aria-hidden", "role",
              "data-src", "srcset", "xml:lang", "onclick", "title", "alt")
ATTR_VALUES = ("article", "author", "headline", "datePublished", "dateModified", "articleBody", "og:title",
               "og:type", "og:url", "og:site_name", "og:image", "article:published_time", "article:modified_time",
               "article:section", "article:tag", "article:author", "author", "description", "keywords",
               "canonical", "bookmark", "tag", "en", "de-AT", "zh_Hans", "utf-8", "shift_jis", "x-unknown",
               "Content-Type", "text/html; charset=koi8-r", "https://schema.org/NewsArticle", "display:none") + URLS
SNIPPETS = ("<!-- c -->", "<!--", "<![CDATA[x]]>", "<?php x ?>", "</p>", "</div></div>", "<", "&", "<p",
            "<script>var a='</div>';</script>", "<style>p{}</style>", "</body>", "</html><p>after",
            "<plaintext>", "<xmp><b></xmp>", "<noscript><p>js off</p></noscript>", "<math><mi>x</mi></math>")


def free_text(rng, size: int = 40) -> str:
    """Any characters but lone surrogates (pages are decoded from bytes, which never yields them)."""
    out = []
    for _ in range(rng.randint(0, size)):
        band = rng.random()
        if band < 0.6:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif band < 0.7:
            out.append(chr(rng.randint(0, 0x1F)))
        elif band < 0.9:
            out.append(chr(rng.randint(0xA0, 0xD7FF)))
        else:
            out.append(chr(rng.choice((rng.randint(0xE000, 0xFFFF), rng.randint(0x10000, 0x10FFFF)))))
    return "".join(out)


def words(rng, low: int = 1, high: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def text(rng) -> str:
    roll = rng.random()
    if roll < 0.55:
        return words(rng)
    if roll < 0.9:
        return free_text(rng)
    return rng.choice(("", " ", "\u00a0", "None", "null"))


def date_string(rng) -> str:
    """ISO-ish, numeric and written dates, valid and not (month 13, year 99999, hour 25...)."""
    year = rng.choice((1, 999, 1970, 1989, 2026, 2026, 2100, 2101, 9999, 99999))
    month, day = rng.randint(0, 14), rng.randint(0, 33)
    hour, minute = rng.randint(0, 25), rng.randint(0, 61)
    tz = rng.choice(TZS)
    shape = rng.randint(0, 8)
    if shape == 0:
        return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00{tz}"
    if shape == 1:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if shape == 2:
        return f"{rng.choice(MONTHS)} {day}, {year} at {hour}:{minute:02d} {rng.choice(['am', 'pm', ''])}{tz}"
    if shape == 3:
        return f"{day}. {rng.choice(MONTHS)} {year}"
    if shape == 4:
        return f"{day}/{month}/{year}"
    if shape == 5:
        return f"{year}\u5e74{month}\u6708{day}\u65e5"
    if shape == 6:
        return f"{year}{month:02d}{day:02d}T{hour:02d}{minute:02d}{tz}"
    if shape == 7:
        return f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00.{rng.randint(0, 10**9)}{tz}"
    return free_text(rng, 20)


# -- JSON-LD -----------------------------------------------------------------------------------------

def json_value(rng, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return rng.choice((None, True, 0, -1, 2**70, 1.5, float("nan"), text(rng), date_string(rng), words(rng)))
    if roll < 0.75:
        return [json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(LD_KEYS + ("x", "url")): json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def person(rng):
    name = rng.choice((words(rng, 1, 4), text(rng), None, 7))
    return rng.choice((name, {"@type": "Person", "name": name}, {"name": [name, name]}, [name],
                       {"@type": "Organization", "name": name, "url": rng.choice(URLS)}))


def ld_object(rng, depth: int = 0) -> dict:
    types = rng.choice((rng.choice(LD_TYPES), [rng.choice(LD_TYPES) for _ in range(rng.randint(0, 3))]))
    obj = {"@type": types}
    for key in rng.sample(LD_KEYS[:-2], rng.randint(0, 10)):
        roll = rng.random()
        if key in ("datePublished", "dateModified"):
            obj[key] = date_string(rng) if roll < 0.8 else json_value(rng)
        elif key == "author":
            obj[key] = person(rng) if roll < 0.5 else [person(rng) for _ in range(3)] if roll < 0.8 else json_value(rng)
        elif key == "publisher":
            obj[key] = {"@type": "Organization", "name": text(rng), "logo": {"url": rng.choice(URLS)}}
        elif key in ("image", "url", "mainEntityOfPage", "@id"):
            obj[key] = rng.choice(URLS) if roll < 0.6 else {"url": rng.choice(URLS)} if roll < 0.8 else json_value(rng)
        else:
            obj[key] = text(rng) if roll < 0.6 else json_value(rng)
    if depth < 2 and rng.random() < 0.3:
        return {"@context": "https://schema.org", "@graph": [ld_object(rng, depth + 1) for _ in range(rng.randint(0, 4))]}
    return obj


def ld_script(rng) -> str:
    payload = ld_object(rng) if rng.random() < 0.7 else [ld_object(rng) for _ in range(rng.randint(0, 3))]
    source = json.dumps(payload, ensure_ascii=rng.random() < 0.5)
    mangle = rng.randint(0, 5)
    if mangle == 1:
        source = source[: rng.randint(0, len(source))]  # cut JSON
    elif mangle == 2:
        source = "<!--" + source + "-->"
    elif mangle == 3:
        source = source.replace("}", "},", 1)  # trailing-comma breakage
    elif mangle == 4:
        source = "/*<![CDATA[*/" + source + "/*]]>*/"
    return f'<script type="application/ld+json">{source}</script>'


# -- HTML --------------------------------------------------------------------------------------------

def attributes(rng) -> str:
    parts = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
        name = rng.choice(ATTR_NAMES)
        if name == "class":
            value = " ".join(rng.choice(CLASSES) for _ in range(rng.randint(0, 3)))
        elif name in ("datetime", "content") and rng.random() < 0.5:
            value = date_string(rng)
        else:
            value = rng.choice(ATTR_VALUES) if rng.random() < 0.6 else text(rng)
        quote = rng.choice(('"', "'", ""))
        if quote:
            value = value.replace(quote, "&quot;" if quote == '"' else "&#39;")
        else:
            value = re.sub(r"[\s>\"'=<`]", "", value) or "x"
        parts.append(f" {name}={quote}{value}{quote}" if rng.random() < 0.95 else f" {name}")
    return "".join(parts)


def leaf(rng) -> str:
    kind = rng.randint(0, 7)
    if kind == 0:
        return html.escape(text(rng), quote=False)
    if kind == 1:
        return text(rng)  # raw: may hold <, & and broken entities
    if kind == 2:
        return f"{rng.choice(('By', 'by', 'BY', 'Von', 'Par', 'Written by'))} {words(rng, 1, 3)} and {words(rng, 1, 3)}"
    if kind == 3:
        return date_string(rng)
    if kind == 4:
        return f"<{rng.choice(VOID_TAGS)}{attributes(rng)}>"
    if kind == 5:
        return rng.choice(SNIPPETS)
    if kind == 6:
        return ld_script(rng)
    return words(rng, 5, 40)


def element(rng, depth: int = 0) -> str:
    if depth > 6 or rng.random() < 0.3:
        return leaf(rng)
    tag = rng.choice(BLOCK_TAGS + TEXT_TAGS)
    if rng.random() < 0.1:
        tag = tag.upper()
    children = "".join(element(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    close = "" if rng.random() < 0.15 else f"</{tag}>"
    return f"<{tag}{attributes(rng)}>{children}{close}"


def head(rng) -> str:
    parts = []
    if rng.random() < 0.5:
        parts.append(f"<meta charset={rng.choice(['utf-8', 'x-bogus', 'utf-16', 'cp1252', 'shift_jis', ''])}>")
    if rng.random() < 0.7:
        parts.append(f"<title>{text(rng)}</title>")
    for _ in range(rng.randint(0, 6)):
        value = date_string(rng) if rng.random() < 0.4 else text(rng) if rng.random() < 0.5 else rng.choice(ATTR_VALUES)
        parts.append(f'<meta {rng.choice(("property", "name", "itemprop"))}="{rng.choice(ATTR_VALUES)}" '
                     f'content="{html.escape(value)}">')
    if rng.random() < 0.4:
        parts.append(f'<link rel="{rng.choice(("canonical", "author", "amphtml"))}" href="{html.escape(rng.choice(URLS))}">')
    if rng.random() < 0.2:
        parts.append(f'<base href="{html.escape(rng.choice(URLS + ATTR_VALUES))}">')
    for _ in range(rng.choice((0, 1, 1, 2))):
        parts.append(ld_script(rng))
    return "".join(parts)


def document(rng) -> str | bytes:
    """A whole page as text, or encoded to bytes (sometimes with a BOM or in another charset)."""
    body = "".join(element(rng) for _ in range(rng.randint(0, 8)))
    doctype = rng.choice(("<!DOCTYPE html>", "", "<?xml version='1.0' encoding='utf-8'?>",
                          "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'>"))
    lang = rng.choice(("", " lang=en", " lang='de-AT'", " lang=", " xml:lang=fr", " lang=' EN_us '"))
    page = f"{doctype}<html{lang}><head>{head(rng)}</head><body>{body}</body></html>"
    if rng.random() < 0.15:
        page = page[: rng.randint(0, len(page))]
    form = rng.randint(0, 4)
    if form == 0:
        return page.encode("utf-8", "replace")
    if form == 1:
        return b"\xef\xbb\xbf" + page.encode("utf-8", "replace")
    if form == 2:
        return page.encode(rng.choice(("cp1252", "shift_jis", "utf-16", "latin-1")), "replace")
    return page


def documents():
    return st.randoms(use_true_random=True).map(document)


# -- mutation of real pages -----------------------------------------------------------------------------

def seed_pages(articles: int = 16, listings: int = 4) -> list[bytes]:
    """Real pages to mutate: extraction fixtures, fixture-site articles and listings, the fault site's."""
    fixtures = TESTS / "fixtures"
    pages = [path.read_bytes() for path in sorted(fixtures.glob("extract/*/page.html"))]
    site_pages = sorted(fixtures.glob("sites/*/**/index.html"))
    with_item = [p for p in site_pages if (p.parent / "expected.json").exists()]
    without = [p for p in site_pages if not (p.parent / "expected.json").exists()]
    pages += [p.read_bytes() for p in with_item[:: max(1, len(with_item) // articles)][:articles]]
    pages += [p.read_bytes() for p in without[:: max(1, len(without) // listings)][:listings]]
    from newspages import (
        CP1252_PARAGRAPHS, CP1252_TITLE, SJIS_PARAGRAPHS, SJIS_TITLE, article_html, article_text,
        nested_markup, unclosed_markup,
    )

    paragraphs = article_text(5)
    pages += [
        article_html("/a/", CP1252_TITLE, CP1252_PARAGRAPHS, meta='<meta charset="windows-1252">').encode("cp1252"),
        article_html("/b/", SJIS_TITLE, SJIS_PARAGRAPHS, meta='<meta charset="Shift_JIS">').encode("shift_jis"),
        article_html("/c/", "Nested", paragraphs, body_markup=nested_markup(paragraphs, 400)).encode(),
        article_html("/d/", "Unclosed", paragraphs, body_markup=unclosed_markup(paragraphs)).encode(),
    ]
    return [p.replace(b"{{ORIGIN}}", b"https://news.example") for p in pages]


BYTE_SNIPPETS = tuple(s.encode() for s in SNIPPETS) + (
    b"<div>", b"</div>", b"<p>", b"</p>", b"<script>", b"</script>", b"-->", b"\x00", b"\xff\xfe",
    b"\xef\xbb\xbf", b"\x81\x40", b"<meta charset=shift_jis>", b"<meta charset=utf-16>", b'"', b"'",
    b"<h1>Breaking</h1>", b"By Jane Doe", b"2026-02-30T25:61:00+99:00", b"<article>", b"</article>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","author":[{"name":', b"\n\n\n", b"]]>",
    b'<link rel="canonical" href="http://[::1">', b'<base href="javascript:x">')


def mutate(rng, seeds: list[bytes]) -> str | bytes:
    """A real page with 1-6 random edits: cut, duplicate, splice markup or another page, truncate, flip."""
    page = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 6)):
        size = len(page)
        start = rng.randint(0, size)
        end = min(size, start + rng.randint(0, max(1, size // rng.choice((4, 16, 256)))))
        op = rng.randint(0, 7)
        if op == 0:
            del page[start:end]                                   # cut
        elif op == 1:
            page[start:start] = page[start:end]                   # duplicate
        elif op == 2:
            page[start:start] = rng.choice(BYTE_SNIPPETS)         # splice markup
        elif op == 3 and rng.random() < 0.3:
            del page[start:]                                      # truncate
        elif op == 4 and size:
            page[min(start, size - 1)] = rng.randrange(256)       # flip a byte
        elif op == 5:
            other = rng.choice(seeds)
            cut = rng.randint(0, len(other))
            page[start:end] = other[cut: cut + rng.randint(0, len(other))]  # splice another page
        else:
            page[start:start] = rng.randbytes(rng.randint(1, 16))
    data = bytes(page)
    form = rng.randint(0, 2)
    if form == 0:
        return data
    return data.decode("utf-8" if form == 1 else "latin-1", "replace")


def mutated(seeds: list[bytes]):
    return st.randoms(use_true_random=True).map(lambda rng: mutate(rng, seeds))


CHROME_BLOCKS = (
    '<div class="share-bar"><a href="/s">Share</a> <a href="/t">Tweet</a></div>',
    '<div class="related"><h3>Related</h3><ul><li><a href="/r/1/">Another story</a></li></ul></div>',
    '<div class="newsletter">Sign up for our newsletter</div>',
    "<blockquote>A quote with no class</blockquote>",
    '<blockquote class="twitter-tweet">An embedded post</blockquote>',
    '<figure><img src="/i.jpg"><figcaption>A caption</figcaption></figure>',
    '<div class="ad" hidden>Advertisement</div>', "<script>var x = 1;</script>", '<aside class="widget">Trending</aside>',
    '<span style="display:none">hidden</span>', "<br>", "<hr>",
)


def noisy_article(rng) -> tuple[str | bytes, str, list[str]]:
    """A clean article page with noise where real pages have it: odd characters (controls, BOMs,
    bidi marks, astral symbols) inside the text, and chrome blocks between the paragraphs whose
    tail text is noisy too. Returns (page, title, markers): each paragraph carries a marker
    sentence that extraction must keep."""
    from newspages import article_html, paragraph

    title = f"Council report number {rng.randint(1, 999)} on the river bridge"
    markers, blocks = [], []
    for n in range(rng.randint(3, 7)):
        marker = f"Marker sentence {n} about the budget."
        noise = free_text(rng, 12).replace("<", " ").replace("&", " ")
        # plain news words around the noise: fuzz WORDS would trip real boilerplate rules
        # ("Copyright ..." opening a paragraph is a footer line)
        blocks.append(f"<p>{paragraph(rng, rng.randint(20, 50))} {html.escape(noise)} {marker} "
                      f"{paragraph(rng, rng.randint(5, 20))}</p>")
        markers.append(marker)
        if rng.random() < 0.6:
            blocks.append(rng.choice(CHROME_BLOCKS) + html.escape(free_text(rng, 6)))
    page = article_html("/noisy/", title, [], body_markup="\n".join(blocks))
    page = page.replace("{{ORIGIN}}", "https://news.example")
    if rng.random() < 0.5:
        return page.encode("utf-8", "replace"), title, markers
    return page, title, markers


def noisy_articles():
    return st.randoms(use_true_random=True).map(noisy_article)


def scaled_to(page: str | bytes, size: int) -> str | bytes:
    """`page` repeated until it is about `size` long (bytes or text as given)."""
    if not page:
        return page
    copies = max(1, size // len(page))
    return page * copies + page[: size - copies * len(page)]
