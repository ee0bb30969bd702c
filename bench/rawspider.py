"""Baseline for bench/crawl.py: the news spider's crawl with nothing done to the article pages.

It is NewsSpider (same start requests, listing, pagination, feed and sitemap handling, same link
rules) except that an article page is counted and dropped: no extraction, no item, no store.

    scrapy runspider bench/rawspider.py -a start_urls=URL[,URL...]
"""

from __future__ import annotations

from newscrawl.spiders.news import NewsSpider


class RawSpider(NewsSpider):
    name = "raw"
    # No pipelines, and no extraction workers: it never builds an item.
    custom_settings = {"ITEM_PIPELINES": {}, "NEWSCRAWL_EXTRACT_PROCESSES": 0}

    def parse_article(self, response):
        self.crawler.stats.inc_value("raw/article_pages")
        return ()
