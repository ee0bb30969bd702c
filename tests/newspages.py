"""Pages of a small news site, written by code: clean article pages and listings to serve in
crawl tests (tests/faultserver.py), and texts that need care: windows-1252 and Shift_JIS,
deeply nested and unclosed markup. Pure functions, no I/O.
"""

from __future__ import annotations

import html
import json
import random

SITE_NAME = "Fault Gazette"

WORDS = (
    "council budget river bridge harbour transport school library museum market rail station "
    "festival hospital nurses teachers climate flood storm energy housing rent tenants airport "
    "farmers harvest museum archive election mayor minister court judge report inquiry science "
    "research students university orchestra theatre football league coach stadium weather "
    "morning evening residents neighbours engineers volunteers district province coast valley"
).split()
JOINERS = "the a of to and in on for with after before while as from by at".split()


def paragraph(rng: random.Random, words: int) -> str:
    out = []
    for i in range(words):
        out.append(rng.choice(WORDS) if i % 3 else rng.choice(JOINERS))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def article_text(seed: int, paragraphs: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [paragraph(rng, rng.randint(35, 60)) for _ in range(paragraphs)]


def article_html(path: str, title: str, paragraphs: list[str], *, day: int = 1, author: str = "Ada Mwangi",
                 charset: str = "utf-8", meta: str | None = None, lang: str = "en",
                 body_markup: str | None = None) -> str:
    """A clean article page; `meta` replaces the charset declaration, `body_markup` the body."""
    declared = meta if meta is not None else f'<meta charset="{charset}">'
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "datePublished": f"2026-03-{day:02d}T09:30:00+00:00", "mainEntityOfPage": "{{ORIGIN}}" + path,
        "author": {"@type": "Person", "name": author}, "publisher": {"@type": "Organization", "name": SITE_NAME},
    }
    body = body_markup if body_markup is not None else "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{declared}
<title>{html.escape(title)} - {SITE_NAME}</title>
<link rel="canonical" href="{{{{ORIGIN}}}}{path}">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{SITE_NAME}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body>
<header><nav><a href="/news/">News</a> <a href="/about/">About</a></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
<p class="byline">By <a rel="author" href="/author/ada/">{html.escape(author)}</a></p>
<time datetime="2026-03-{day:02d}T09:30:00+00:00">March {day}, 2026</time>
<div class="entry-content">
{body}
</div>
</article></main>
<footer><p>Copyright 2026 {SITE_NAME}. All rights reserved.</p></footer>
</body></html>
"""


def listing_html(links: list[tuple[str, str]], next_path: str | None, title: str = "News") -> str:
    items = "\n".join(
        f'<article class="post"><h2 class="entry-title"><a href="{html.escape(href, quote=True)}" rel="bookmark">'
        f"{html.escape(text)}</a></h2><p>Read the full story.</p></article>"
        for href, text in links
    )
    nxt = f'<a class="next" rel="next" href="{next_path}">Older posts</a>' if next_path else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - {SITE_NAME}</title>
<meta property="og:type" content="website"></head><body>
<header><nav><a href="/news/">News</a></nav></header>
<main><h1>{title}</h1>
{items}
<nav class="pagination">{nxt}</nav>
</main></body></html>
"""


# -- the good pages -------------------------------------------------------------------------------

PLAIN_TITLES = (
    "Council approves the new river bridge",
    "Harbour festival returns after storm repairs",
    "Rail station reopens with a longer platform",
    "University orchestra plays the old theatre",
    "Flood defences tested along the coast",
    "Library archive opens to the neighbours",
)

CP1252_TITLE = "Caf\u00e9 owners \u201ccautiously optimistic\u201d as the \u20ac2 tax ends"
CP1252_PARAGRAPHS = [
    "The na\u00efve plan \u2014 drafted in a caf\u00e9 on the quay \u2014 promised \u201cno new levies\u201d "
    "and a \u20ac2 cut for every stall holder at the market, the council\u2019s report says.",
    "Se\u00f1ora Pe\u00f1a, who runs the cr\u00eape stand, said the change was \u2018overdue\u2019 and "
    "that she would hire two more people before the summer festival\u2026",
    "Residents from Z\u00fcrich and M\u00e1laga who visit each year told the inquiry the market "
    "was the reason they came; the minister\u2019s office has promised a reply by M\u00e4rz.",
]
SJIS_TITLE = "\u5e02\u8b70\u4f1a\u3001\u65b0\u3057\u3044\u6a4b\u306e\u5efa\u8a2d\u3092\u627f\u8a8d"
SJIS_PARAGRAPHS = [
    "\u5e02\u8b70\u4f1a\u306f\u6728\u66dc\u65e5\u3001\u5ddd\u306b\u304b\u304b\u308b\u65b0\u3057\u3044"
    "\u6a4b\u306e\u5efa\u8a2d\u8a08\u753b\u3092\u8cdb\u6210\u591a\u6570\u3067\u627f\u8a8d\u3057\u305f\u3002"
    "\u5de5\u4e8b\u306f\u6765\u5e74\u6625\u306b\u59cb\u307e\u308b\u4e88\u5b9a\u3067\u3001\u5e02\u306f"
    "\u4f4f\u6c11\u8aac\u660e\u4f1a\u3092\u4e09\u56de\u958b\u304f\u3068\u3057\u3066\u3044\u308b\u3002"
    "\u6a4b\u306e\u9577\u3055\u306f\u7d04\u4e8c\u767e\u30e1\u30fc\u30c8\u30eb\u3067\u3001\u6b69\u884c"
    "\u8005\u3068\u81ea\u8ee2\u8eca\u306e\u305f\u3081\u306e\u5e83\u3044\u9053\u3082\u8a2d\u3051\u3089"
    "\u308c\u308b\u3002",
    "\u5e02\u9577\u306f\u8a18\u8005\u4f1a\u898b\u3067\u300c\u9577\u5e74\u306e\u8ab2\u984c\u304c\u3088"
    "\u3046\u3084\u304f\u52d5\u304d\u51fa\u3059\u300d\u3068\u8ff0\u3079\u305f\u3002\u4e00\u65b9\u3001"
    "\u5730\u5143\u306e\u5546\u5e97\u4f1a\u306f\u5de5\u4e8b\u4e2d\u306e\u4ea4\u901a\u898f\u5236\u306b"
    "\u3064\u3044\u3066\u6ce8\u610f\u6df1\u304f\u8aac\u660e\u3059\u308b\u3088\u3046\u6c42\u3081\u3066"
    "\u3044\u308b\u3002\u4e88\u7b97\u306f\u4e09\u5341\u5104\u5186\u3092\u898b\u8fbc\u3093\u3067\u3044"
    "\u308b\u3002",
    "\u8a08\u753b\u306b\u306f\u5ddd\u5cb8\u306e\u516c\u5712\u306e\u6574\u5099\u3082\u542b\u307e\u308c"
    "\u3001\u5b8c\u6210\u306f\u4e8c\u5e74\u5f8c\u306e\u79cb\u3092\u76ee\u6307\u3059\u3002\u5e02\u306f"
    "\u5de5\u4e8b\u306e\u9032\u307f\u5177\u5408\u3092\u6bce\u6708\u30a6\u30a7\u30d6\u30b5\u30a4\u30c8"
    "\u3067\u77e5\u3089\u305b\u308b\u3068\u3044\u3046\u3002",
]


def nested_markup(paragraphs: list[str], depth: int = 3000) -> str:
    """The body 40 wrappers deep (page-builder style, two more per paragraph), then an advert
    block nested `depth` levels and never usefully closed."""
    inner = "\n".join(f"<div class='row'><div class='col'><p>{html.escape(p)}</p></div></div>" for p in paragraphs)
    junk = "<div class='ad'>" + "<span><div>" * depth + "x" + "</div></span>" * depth + "</div>"
    return "<div class='wrap'>" * 40 + inner + "</div>" * 40 + "\n" + junk


def unclosed_markup(paragraphs: list[str]) -> str:
    """Paragraphs never closed, stray inline tags, a table left open: what browsers repair."""
    first, second, *rest = paragraphs
    parts = [f"<p>{html.escape(first)}", f"<p><b>{html.escape(second)}"]
    parts += [f"<p>{html.escape(p)}" for p in rest]
    return "\n".join(parts) + "\n<div><table><tr><td>"  # and the document just stops
