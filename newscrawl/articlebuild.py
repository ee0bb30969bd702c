"""One article page -> the Article's fields: extract, load, fingerprint, simhash.

`build_article` is the whole page -> item step as one pure, top-level function of plain values, so
the spider can run it inline or in a worker process (newscrawl/extractpool.py) and get the same
result either way. Nothing here touches a crawler, the network or a store.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from newscrawl.extract import extract_article, word_count
from newscrawl.fingerprints import canonicalize, fingerprint_and_simhash
from newscrawl.loaders import ArticleLoader

EXTRACTED_FIELDS = (
    "title", "byline", "authors", "date_published", "date_modified", "body", "section",
    "tags", "description", "image", "language",
)


class Built(NamedTuple):
    """An article page's item fields (plus the internal `simhash`) and the entry fields it borrowed."""

    fields: dict
    fallbacks: tuple[str, ...]


def build_article(html: str, url: str, selectors: dict | None = None, site_name: str | None = None,
                  entry: dict | None = None, crawled_at: str | None = None) -> Built | str:
    """The Article fields of a fetched page, or the reason it is not stored ("not_article").

    entry: fields a feed or sitemap gave for this page (title, dates), used where the page says
    nothing; crawled_at: the fetch time, passed in so the result depends on the arguments only.

    >>> build_article("<html><body><h1>Hi</h1></body></html>", "https://a.example/x/")
    'not_article'
    """
    fields = extract_article(html, url, selectors or None)
    if fields.pop("page_kind", "article") != "article":
        return "not_article"
    fallbacks = []
    for name, value in (entry or {}).items():
        if not fields.get(name):
            fields[name] = value  # the feed or sitemap knew what the page does not say
            fallbacks.append(name)
    loader = ArticleLoader()
    for name in EXTRACTED_FIELDS:
        value = fields.get(name)
        if value is not None:
            loader.add_value(name, value)
    loader.add_value("url", url)
    loader.add_value("canonical_url", canonicalize(fields.get("canonical_url") or url))
    loader.add_value("site", site_name or fields.get("site") or urlsplit(url).hostname)
    body = loader.get_output_value("body")
    fingerprint, body_simhash = fingerprint_and_simhash(body) if body else (None, None)
    if body:
        loader.add_value("word_count", word_count(body))
        loader.add_value("fingerprint", fingerprint)
    loader.add_value("crawled_at", crawled_at)
    item = dict(loader.load_item())
    item["simhash"] = body_simhash  # for DedupePipeline and the store
    return Built(item, tuple(fallbacks))
