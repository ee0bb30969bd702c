"""The crawl's one Store: opened from NEWSCRAWL_STORE on first use, closed after the pipelines."""

from __future__ import annotations

from scrapy import signals

from newscrawl.store import open_store

_ATTRIBUTE = "_newscrawl_store"
STORE_PIPELINE = "newscrawl.pipelines.StorePipeline"


def stores_articles(settings) -> bool:
    """Whether this crawl writes to the store (StorePipeline enabled; a raw or test crawl may not)."""
    return STORE_PIPELINE in settings.getdict("ITEM_PIPELINES")


def crawl_store(crawler):
    """The Store shared by this crawler's middlewares and pipelines (one connection per crawl)."""
    store = getattr(crawler, _ATTRIBUTE, None)
    if store is None:
        store = open_store(
            crawler.settings.get("NEWSCRAWL_STORE"),
            batch_size=crawler.settings.getint("NEWSCRAWL_STORE_BATCH", 50),
        )
        setattr(crawler, _ATTRIBUTE, store)
        # spider_closed fires after every pipeline's close_spider, so the last batch is flushed first.
        crawler.signals.connect(lambda: store.close(), signal=signals.spider_closed, weak=False)
    return store
