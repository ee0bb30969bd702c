"""What one crawl learned about its start URLs and sections, shared by middlewares and the summary.

Counts live in Scrapy stats (newscrawl/...); this record holds what is not a count: which start
URL failed and why, and which sections could not be walked to their end this run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ATTRIBUTE = "_newscrawl_record"

# Request meta keys set by newscrawl.middlewares.SkipArchived.
SECTION = "newscrawl_section"  # the start URL a request descends from
START = "newscrawl_start"  # True on the run's start requests
KIND = "newscrawl_kind"  # "listing" | "article" | ... set by the spider
LASTMOD = "newscrawl_lastmod"  # sitemap <lastmod> of an article request, set by the spider


@dataclass
class CrawlRecord:
    start_urls: dict[str, str | None] = field(default_factory=dict)  # url -> None ok | failure reason
    broken_sections: set[str] = field(default_factory=set)  # a listing of theirs failed this run

    def start_succeeded(self, url: str) -> None:
        self.start_urls.setdefault(url, None)

    def start_failed(self, url: str, reason: str) -> None:
        if self.start_urls.get(url) is None:
            self.start_urls[url] = reason

    @property
    def failed_start_urls(self) -> dict[str, str]:
        return {url: reason for url, reason in self.start_urls.items() if reason}


def crawl_record(crawler) -> CrawlRecord:
    """The record of this crawler's run (one per crawl, created on first use)."""
    record = getattr(crawler, _ATTRIBUTE, None)
    if record is None:
        record = CrawlRecord()
        setattr(crawler, _ATTRIBUTE, record)
    return record
