"""A generated static news site in the metro WordPress style, at any size, for crawl benchmarks and tests.

    from synthsite import generate_site, add_articles       # with bench/ on sys.path
    site = generate_site("/tmp/site", articles=2000, sections=5, per_page=20, seed=0)
    site["start_paths"]        # ["/category/world/", ...]: one start URL per section
    add_articles("/tmp/site", 20)   # 20 newer articles, at the front of their sections' listings

Serve the directory with tests/siteserver.py (it replaces "{{ORIGIN}}" with http://127.0.0.1:PORT).
Layout: /category/<section>/ and /category/<section>/page/<n>/ (newest first, `per_page` teasers,
rel=next pagination), /YYYY/MM/DD/<slug>/ article pages (Yoast JSON-LD, OpenGraph, byline,
"Published on <time>", share bar, author box, "Continue Reading", trending sidebar, copyright and
disclaimer footer), / (latest stories), sitemap.xml with lastmod, robots.txt, and site.json: the
manifest that add_articles() and revise_article() read. Same arguments, same bytes: the text comes
from a word list and random.Random(f"{seed}:{article id}").
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

ORIGIN = "{{ORIGIN}}"
SITE_NAME = "Metro Daily"
MANIFEST = "site.json"
SECTION_NAMES = ("world", "politics", "business", "technology", "science", "health", "sport",
                 "culture", "climate", "education", "transport", "housing")
AUTHORS = ("Anna Berg", "Tom Reyes", "Sara Lindqvist", "Omar Haddad", "Lena Vogt", "Jonas Meier",
           "Priya Natarajan", "Diego Alvarez", "Mei Chen", "Kofi Mensah", "Ruth Okafor", "Pavel Novak")
NOUNS = ("council", "ministry", "harbour", "railway", "budget", "hospital", "school", "court", "market",
         "airport", "bridge", "festival", "election", "reservoir", "factory", "museum", "union", "tariff",
         "pipeline", "library", "stadium", "clinic", "ferry", "vineyard", "laboratory", "orchestra",
         "satellite", "glacier", "refinery", "tribunal", "cooperative", "observatory", "shipyard")
VERBS = ("approves", "delays", "expands", "rejects", "reopens", "funds", "reviews", "closes", "restores",
         "doubles", "questions", "unveils", "postpones", "defends", "revises", "extends", "halts")
ADJECTIVES = ("regional", "northern", "coastal", "municipal", "national", "disputed", "long-awaited",
              "temporary", "record", "emergency", "cross-border", "overdue", "ambitious", "modest")
PLACES = ("Kessel", "Alva", "Brenn", "Harrow", "Solva", "Lenne", "Marsk", "Tolby", "Varn", "Oskar Bay",
          "Eldham", "Fenwick", "Grisby", "Holmstad")
FILLER = ("officials said", "according to the report", "residents noted", "the figures show",
          "critics argued", "supporters replied", "the committee heard", "documents show",
          "the spokesperson confirmed", "analysts expect", "the mayor added", "engineers warned")
WORDS = ("plan", "cost", "week", "year", "month", "service", "families", "workers", "traffic", "water",
         "schedule", "contract", "inspection", "vote", "proposal", "survey", "capacity", "delay",
         "funding", "repairs", "demand", "prices", "staff", "permits", "route", "season", "agreement")


# -- the manifest --------------------------------------------------------------------------------
def _load(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def _save(directory: Path, manifest: dict) -> None:
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def _story(manifest: dict, number: int, section: str, published: datetime) -> dict:
    """One article's data, all drawn from random.Random(seed:number)."""
    rng = random.Random(f"{manifest['seed']}:{number}")
    place = rng.choice(PLACES)
    title = (f"{place} {rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)} "
             f"{rng.choice(NOUNS)} plan").capitalize()
    slug = "-".join(title.lower().replace("-", " ").split()[:7]) + f"-{number}"
    authors = [] if rng.random() < 0.05 else rng.sample(AUTHORS, 2 if rng.random() < 0.15 else 1)
    return {"id": number, "section": section, "title": title, "authors": authors,
            "published": published.isoformat(), "modified": None,
            "path": f"/{published:%Y/%m/%d}/{slug}/" if manifest.get("dated_urls", True) else f"/story/{slug}/",
            "updates": []}


def _paragraphs(manifest: dict, story: dict) -> list[str]:
    rng = random.Random(f"{manifest['seed']}:{story['id']}:body")
    place = story["title"].split()[0]
    paragraphs = []
    for index in range(rng.randint(5, 8)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = [rng.choice(WORDS + NOUNS) for _ in range(rng.randint(9, 18))]
            words.insert(rng.randint(1, len(words) - 1), rng.choice(FILLER) + ",")
            if rng.random() < 0.3:
                words.insert(0, f"In {place},")
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + f" ({rng.randint(2, 900)} in total).")
        paragraphs.append(" ".join(sentences))
        if index == 2:
            paragraphs.append(f"<h2>What the {rng.choice(NOUNS)} decision means</h2>")
    return paragraphs + [f"<p class=\"update\">Update: {escape(note)}</p>" for note in story["updates"]]


# -- page pieces -----------------------------------------------------------------------------------
def _long_date(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{moment:%B} {moment.day}, {moment.year}"


def _menu(manifest: dict) -> str:
    items = "".join(f'<li class="menu-item"><a href="/category/{s}/">{s.capitalize()}</a></li>'
                    for s in manifest["sections"])
    return f'<ul class="menu"><li class="menu-item"><a href="/">Home</a></li>{items}</ul>'


def _page(manifest: dict, *, title: str, head: str, body_class: str, main: str) -> str:
    trending = "".join(f'<li><a href="{s["path"]}">{escape(s["title"])}</a></li>'
                       for s in manifest["stories"][-1:-5:-1])
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}
<link rel="stylesheet" href="/wp-content/themes/metro/style.css?ver=2.4.1" media="all">
</head>
<body class="{body_class}">
<div id="page" class="site">
<div class="offcanvas" id="fly-wrap" aria-hidden="true"><nav class="fly-menu">{_menu(manifest)}</nav>
<div class="fly-social"><span class="fly-social-title">Connect with us</span><ul class="social-links">
<li><a href="https://www.facebook.com/metrodaily">Facebook</a></li><li><a href="https://x.com/metrodaily">X</a></li></ul></div></div>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p></div>
<nav id="site-navigation" class="main-navigation">{_menu(manifest)}</nav></header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
{main}
</main>
<aside id="secondary" class="widget-area"><section class="widget widget_trending"><h2 class="widget-title">Trending</h2>
<ul class="trending-posts">{trending}</ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">
<p class="copyright">Copyright &copy; 2026 {SITE_NAME}. All rights reserved.</p>
<p class="disclaimer">This website publishes general news for informational purposes only and accepts no liability for any loss arising from its use.</p>
</div></footer>
</div>
</body>
</html>
"""


def _byline(story: dict) -> str:
    if not story["authors"]:
        return ""
    cards = " and ".join(f'<span class="author vcard"><a class="url fn n" href="/author/{a.lower().replace(" ", "-")}/">'
                         f"{escape(a)}</a></span>" for a in story["authors"])
    return f'<span class="byline">By {cards}</span> '


def _posted(story: dict) -> str:
    return (f'<span class="posted-on"><span class="posted-label">Published</span> <span class="posted-word">on</span> '
            f'<a href="{story["path"]}" rel="bookmark"><time class="entry-date published" '
            f'datetime="{story["published"]}">{_long_date(story["published"])}</time></a></span>')


def article_html(manifest: dict, story: dict) -> str:
    url = ORIGIN + story["path"]
    section = story["section"].capitalize()
    paragraphs = _paragraphs(manifest, story)
    description = paragraphs[0][:150].rsplit(" ", 1)[0] + "…"
    modified = story["modified"] or story["published"]
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": f"{url}#article", "headline": story["title"],
         "datePublished": story["published"], "dateModified": modified, "articleSection": [section],
         "author": [{"@type": "Person", "name": a} for a in story["authors"]],
         "mainEntityOfPage": {"@id": url}, "publisher": {"@id": f"{ORIGIN}/#organization"}, "inLanguage": "en-US"},
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{story['title']} - {SITE_NAME}"},
        {"@type": "Organization", "@id": f"{ORIGIN}/#organization", "name": SITE_NAME, "url": f"{ORIGIN}/"}]}
    head = (f'<meta name="description" content="{escape(description)}">\n'
            f'<link rel="canonical" href="{url}">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{escape(story["title"])}">\n<meta property="og:url" content="{url}">\n'
            f'<meta property="og:site_name" content="{SITE_NAME}">\n'
            f'<meta property="article:published_time" content="{story["published"]}">\n'
            + (f'<meta name="author" content="{escape(", ".join(story["authors"]))}">\n' if story["authors"] else "")
            + f'<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph)}</script>')
    body = "\n".join(p if p.startswith("<") else f"<p>{escape(p)}</p>" for p in paragraphs)
    main = f"""<article id="post-{story['id']}" class="post type-post status-publish hentry category-{story['section']}">
<header class="entry-header"><div class="cat-links"><a href="/category/{story['section']}/" rel="category tag">{section}</a></div>
<h1 class="entry-title">{escape(story['title'])}</h1>
<div class="entry-meta">{_byline(story)}{_posted(story)}</div></header>
<div class="entry-content">
{body}
<div class="code-block ad-slot"><span class="ad-label">Advertisement</span></div>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li class="share-facebook"><a href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="tags-links">Tagged <a href="/tag/{story['section']}-news/" rel="tag">{section} news</a></span></footer>
</article>
<div class="author-boxes"><div class="author-box"><p class="author-bio">Our editorial team covers the city and the region every day.</p></div></div>
<div class="continue-reading"><a href="#" class="continue-reading-button">Continue Reading</a></div>"""
    return _page(manifest, title=f"{story['title']} - {SITE_NAME}", head=head,
                 body_class="post-template-default single single-post", main=main)


def _teaser(story: dict) -> str:
    return f"""<article id="post-{story['id']}" class="post type-post hentry category-{story['section']}">
<header class="entry-header"><h2 class="entry-title"><a href="{story['path']}" rel="bookmark">{escape(story['title'])}</a></h2>
<div class="entry-meta">{_byline(story)}{_posted(story)}</div></header>
<a class="more-link" href="{story['path']}">Continue Reading</a>
</article>"""


def listing_html(manifest: dict, base: str, heading: str, stories: list[dict], number: int, total: int) -> str:
    def page_url(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"
    url = ORIGIN + page_url(number)
    links = [f'<link rel="canonical" href="{url}">', '<meta property="og:type" content="website">',
             f'<meta property="og:site_name" content="{SITE_NAME}">']
    nav = []
    if number > 1:
        links.append(f'<link rel="prev" href="{ORIGIN}{page_url(number - 1)}">')
        nav.append(f'<a class="prev page-numbers" rel="prev" href="{page_url(number - 1)}">Previous</a>')
    nav.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
    if number < total:
        links.append(f'<link rel="next" href="{ORIGIN}{page_url(number + 1)}">')
        nav.append(f'<a class="next page-numbers" rel="next" href="{page_url(number + 1)}">Next</a>')
    main = (f'<header class="page-header"><h1 class="page-title">{escape(heading)}</h1></header>\n'
            + "\n".join(_teaser(s) for s in stories)
            + f'\n<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{"".join(nav)}</div></nav>')
    title = f"{heading} - Page {number} of {total} - {SITE_NAME}" if number > 1 else f"{heading} - {SITE_NAME}"
    return _page(manifest, title=title, head="\n".join(links), body_class="archive category", main=main)


# -- writing ---------------------------------------------------------------------------------------
def _write(directory: Path, path: str, text: str) -> None:
    target = directory / path.strip("/") / "index.html" if path.endswith("/") else directory / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _write_listings(directory: Path, manifest: dict) -> None:
    per_page = manifest["per_page"]
    for section in manifest["sections"]:
        stories = [s for s in reversed(manifest["stories"]) if s["section"] == section]  # newest first
        total = max(1, -(-len(stories) // per_page))
        for number in range(1, total + 1):
            base = f"/category/{section}/"
            chunk = stories[(number - 1) * per_page:number * per_page]
            _write(directory, base if number == 1 else f"{base}page/{number}/",
                   listing_html(manifest, base, section.capitalize(), chunk, number, total))
    latest = list(reversed(manifest["stories"]))[:per_page]
    _write(directory, "/", listing_html(manifest, "/", "Latest news", latest, 1, 1))
    entries = "".join(f"<url><loc>{ORIGIN}{s['path']}</loc><lastmod>{s['modified'] or s['published']}</lastmod></url>\n"
                      for s in reversed(manifest["stories"]))
    _write(directory, "/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n')
    _write(directory, "/robots.txt", f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {ORIGIN}/sitemap.xml\n")


def _new_stories(manifest: dict, count: int) -> list[dict]:
    added = []
    for _ in range(count):
        number = manifest["next_id"]
        manifest["next_id"] += 1
        published = datetime.fromisoformat(manifest["newest"]) + timedelta(hours=manifest["interval_hours"])
        manifest["newest"] = published.isoformat()
        section = random.Random(f"{manifest['seed']}:{number}:section").choice(manifest["sections"])
        added.append(_story(manifest, number, section, published))
    manifest["stories"].extend(added)
    return added


def _summary(directory: Path, manifest: dict, added: list[dict]) -> dict:
    return {"directory": str(directory), "articles": len(manifest["stories"]), "sections": manifest["sections"],
            "start_paths": [f"/category/{s}/" for s in manifest["sections"]],
            "article_paths": [s["path"] for s in added]}


def generate_site(directory, articles: int = 2000, sections: int = 5, per_page: int = 20, seed: int = 0, *,
                  newest: datetime | None = None, interval_hours: float = 3.0, dated_urls: bool = True) -> dict:
    """Write a site of `articles` articles over `sections` sections into `directory`.

    The newest article is published at `newest` (default 2026-03-01 12:00 UTC), each older one
    `interval_hours` earlier. Article URLs are /YYYY/MM/DD/<slug>/, or /story/<slug>/ without
    `dated_urls`. Returns {"directory", "articles", "sections", "start_paths", "article_paths"}.
    """
    if articles < 1 or sections < 1 or per_page < 1:
        raise ValueError("articles, sections and per_page must be at least 1")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    names = [SECTION_NAMES[i] if i < len(SECTION_NAMES) else f"section-{i + 1}" for i in range(sections)]
    newest = newest or datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    first = newest.astimezone(timezone.utc).replace(microsecond=0) - timedelta(hours=interval_hours * articles)
    manifest = {"seed": seed, "per_page": per_page, "sections": names, "interval_hours": interval_hours,
                "dated_urls": dated_urls, "newest": first.isoformat(), "next_id": 1, "stories": []}
    added = _new_stories(manifest, articles)
    for story in added:
        _write(directory, story["path"], article_html(manifest, story))
    _write_listings(directory, manifest)
    _save(directory, manifest)
    return _summary(directory, manifest, added)


def add_articles(directory, n: int) -> dict:
    """Publish `n` newer articles: written, and put at the front of their sections' listings."""
    directory = Path(directory)
    manifest = _load(directory)
    added = _new_stories(manifest, n)
    for story in added:
        _write(directory, story["path"], article_html(manifest, story))
    _write_listings(directory, manifest)
    _save(directory, manifest)
    return _summary(directory, manifest, added)


def revise_article(directory, path: str, note: str, *, when: datetime | None = None) -> dict:
    """Append an "Update:" paragraph to the article at `path` and set its modified time."""
    directory = Path(directory)
    manifest = _load(directory)
    story = next(s for s in manifest["stories"] if s["path"] == path)
    story["updates"].append(note)
    story["modified"] = (when or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()
    _write(directory, story["path"], article_html(manifest, story))
    _write_listings(directory, manifest)  # the sitemap's lastmod changes
    _save(directory, manifest)
    return story


def stories(directory) -> list[dict]:
    """The site's articles, oldest first, as the manifest holds them (path, section, published, ...)."""
    return _load(Path(directory))["stories"]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Generate a static metro-style news site.")
    parser.add_argument("directory")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sections", type=int, default=5)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--add", type=int, default=0, help="add this many newer articles to an existing site")
    options = parser.parse_args()
    if options.add:
        result = add_articles(options.directory, options.add)
    else:
        result = generate_site(options.directory, options.articles, options.sections, options.per_page, options.seed)
    print(f"{result['articles']} articles in {result['directory']}; start paths: {' '.join(result['start_paths'])}")
