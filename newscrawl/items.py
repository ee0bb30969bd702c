"""The one schema: an archived news article."""

import scrapy

ARTICLE_FIELDS = (
    "url", "canonical_url", "site", "section", "title", "byline", "authors",
    "date_published", "date_modified", "body", "description", "tags", "image",
    "language", "word_count", "fingerprint", "crawled_at",
)

# Fields whose share among a run's new articles tells whether extraction still works on a site.
COVERAGE_FIELDS = ("title", "byline", "date_published", "body")


class Article(scrapy.Item):
    """A news article; field meanings are documented in README.md and DESIGN.md."""

    url = scrapy.Field()
    canonical_url = scrapy.Field()
    site = scrapy.Field()
    section = scrapy.Field()
    title = scrapy.Field()
    byline = scrapy.Field()
    authors = scrapy.Field()
    date_published = scrapy.Field()
    date_modified = scrapy.Field()
    body = scrapy.Field()
    description = scrapy.Field()
    tags = scrapy.Field()
    image = scrapy.Field()
    language = scrapy.Field()
    word_count = scrapy.Field()
    fingerprint = scrapy.Field()
    crawled_at = scrapy.Field()
    # Internal: near-duplicate hash, computed with the item (newscrawl/articlebuild.py), reused by
    # DedupePipeline and the store; not exported.
    simhash = scrapy.Field()


def complete(item) -> dict:
    """Every field present: unknown ones as None (never missing, never "")."""
    return {name: item.get(name) for name in ARTICLE_FIELDS}
