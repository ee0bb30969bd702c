"""NewsSpider: section pages -> pagination -> article pages -> Article items."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from newscrawl.extract import extract_article
from newscrawl.fingerprints import body_fingerprint, canonicalize
from newscrawl.loaders import ArticleLoader
from newscrawl.spiders.arguments import plan_crawl
from newscrawl.spiders.listing import article_links, next_page_url

EXTRACTED_FIELDS = (
    "title", "byline", "authors", "date_published", "date_modified", "body", "section",
    "tags", "description", "image", "language",
)


class NewsSpider(scrapy.Spider):
    name = "news"

    @staticmethod
    def check_arguments(arguments: dict, settings) -> None:
        """Raise ConfigError for bad -a arguments or sites.toml, before the crawl starts."""
        plan_crawl(arguments, settings)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.plan = plan_crawl(kwargs, crawler.settings)  # ConfigError: the crawl command reports it
        spider.allowed_domains = list(spider.plan.allowed_domains)
        return spider

    async def start(self):
        for url in self.plan.start_urls:
            yield self.listing_request(url, section_start=url, page=1)

    def listing_request(self, url, *, section_start, page):
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            cb_kwargs={"section_start": section_start, "page": page},
            priority=10,  # listings first: they are how articles are found
        )

    def parse_listing(self, response, section_start, page):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/dropped/not_html")
            return
        self.crawler.stats.inc_value("newscrawl/listing_pages")
        pattern = self.plan.profile.article_pattern if self.plan.profile else None
        for url in article_links(response.selector, response.url, pattern):
            yield scrapy.Request(url, callback=self.parse_article)
        next_url = next_page_url(response.selector, response.url)
        if next_url and (self.plan.max_pages is None or page < self.plan.max_pages):
            yield self.listing_request(next_url, section_start=section_start, page=page + 1)

    def parse_article(self, response):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/dropped/not_html")
            return
        fields = extract_article(response.text, response.url, self.plan.selectors or None)
        if fields.pop("page_kind", "article") != "article":
            self.crawler.stats.inc_value("newscrawl/dropped/not_article")
            return
        yield self.load_article(response.url, fields)

    def load_article(self, url: str, fields: dict):
        loader = ArticleLoader()
        for name in EXTRACTED_FIELDS:
            value = fields.get(name)
            if value is not None:
                loader.add_value(name, value)
        loader.add_value("url", url)
        loader.add_value("canonical_url", canonicalize(fields.get("canonical_url") or url))
        loader.add_value("site", self.plan.site_name or fields.get("site") or _host(url))
        body = loader.get_output_value("body")
        if body:
            loader.add_value("word_count", len(body.split()))
            loader.add_value("fingerprint", body_fingerprint(body))
        loader.add_value("crawled_at", datetime.now(timezone.utc).replace(microsecond=0).isoformat())
        return loader.load_item()


def _host(url: str) -> str:
    return urlsplit(url).hostname
