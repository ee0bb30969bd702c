"""Validate -> dedupe -> store. Every drop is counted in stats under its reason."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from newscrawl.crawlstore import crawl_store
from newscrawl.fingerprints import simhash
from newscrawl.items import COVERAGE_FIELDS, complete

REQUIRED_FIELDS = ("title", "body")


class _UsesStore:
    """A pipeline stage that works with the crawl's one Store (newscrawl.crawlstore)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.store = crawl_store(self.crawler)


class ValidatePipeline:
    """Drop items missing what makes an article: counted as newscrawl/dropped/no_<field>."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        for name in REQUIRED_FIELDS:
            if not item.get(name):
                self.stats.inc_value(f"newscrawl/dropped/no_{name}")
                raise DropItem(f"no {name}: {item.get('url')}", log_level="INFO")
        return item


class DedupePipeline(_UsesStore):
    """One article per canonical URL and per body, within a run and across runs (the store remembers).

    Counts newscrawl/duplicates/<kind>: canonical_url, fingerprint (same body), near (simhash).
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.seen_this_run: set[str] = set()

    def process_item(self, item):
        canonical = item["canonical_url"]
        if canonical in self.seen_this_run:
            self.drop(item, "canonical_url", canonical)
        if item.get("simhash") is None:  # the spider's page -> item step usually computed it
            item["simhash"] = simhash(item["body"])
        duplicate = self.store.find_duplicate(canonical, item["fingerprint"], item["simhash"])
        if duplicate:
            kind, original = duplicate
            self.drop(item, kind, original)
        self.seen_this_run.add(canonical)
        return item

    def drop(self, item, kind: str, original: str):
        self.stats.inc_value(f"newscrawl/duplicates/{kind}")
        self.store.mark_seen(item["url"], original)
        raise DropItem(f"duplicate ({kind}) of {original}: {item['url']}", log_level="DEBUG")


class StorePipeline(_UsesStore):
    """Write each article; the store says whether it was new, revised or unchanged."""

    def process_item(self, item):
        if item.get("simhash") is None:  # DedupePipeline normally set it; it may be switched off
            item["simhash"] = simhash(item["body"])
        outcome = self.store.put(complete(item), simhash=item["simhash"])
        self.stats.inc_value(f"newscrawl/articles/{outcome}")
        if outcome == "new":  # field coverage of new articles: the run summary's layout-change signal
            for name in COVERAGE_FIELDS:
                if item.get(name):
                    self.stats.inc_value(f"newscrawl/coverage/{name}")
        return item

    def close_spider(self):
        self.store.flush()
