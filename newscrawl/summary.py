"""The end-of-run summary for cron: what was fetched, stored, skipped, dropped, and whether it worked.

`RunSummary` (an extension) builds the summary when the spider closes, judges it with
newscrawl.health, prints a short block on stderr at the very end of the run (NEWSCRAWL_SUMMARY,
default on; stderr so that `-O -` feeds on stdout stay clean) and writes it as JSON to
NEWSCRAWL_SUMMARY_FILE when that is set. `scrapy crawl` turns a failed health check into exit
status 4 (newscrawl/commands/crawl.py).

JSON keys: spider, finish_reason, started_at, finished_at, duration_seconds, requests,
pages {fetched, listing, article, other}, skipped {archived, listing}, refreshed {recent, lastmod},
articles {new, revised, unchanged, duplicate, dropped, duplicates_by_kind, dropped_by_reason},
coverage {articles, title, byline, date_published, body} (share of this run's new articles with
the field, null when none), errors {total, failed_requests {kind: n}, spider, store, log_errors},
start_urls {total, failed {url: reason}}, listing_pages {parsed, without_links},
health {ok, enforced, problems}.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import datetime, timezone

from scrapy import signals

from newscrawl.crawlrecord import crawl_record
from newscrawl.crawlstore import crawl_store, stores_articles
from newscrawl.health import Thresholds, problems
from newscrawl.items import COVERAGE_FIELDS
from newscrawl.store import StoreError

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_newscrawl_summary"


def run_summary(crawler) -> dict | None:
    """The summary of the crawler's finished run, or None if it never opened."""
    return getattr(crawler, _ATTRIBUTE, None)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _prefixed(stats: dict, prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items())
            if key.startswith(prefix) and "/" not in key[len(prefix):] and isinstance(value, int)}


def new_article_coverage(stats: dict) -> dict:
    """Share of this run's new articles having each field (StorePipeline counts them as stored)."""
    count = stats.get("newscrawl/articles/new", 0)
    return {"articles": count, **{
        name: (stats.get(f"newscrawl/coverage/{name}", 0) / count if count else None) for name in COVERAGE_FIELDS
    }}


class RunSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.limits = Thresholds.from_settings(settings)
        self.show = settings.getbool("NEWSCRAWL_SUMMARY", True)
        self.path = settings.get("NEWSCRAWL_SUMMARY_FILE") or None
        self.uses_store = stores_articles(settings)
        self.started_at = _utc_now()
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self, spider):
        self.started_at = _utc_now()
        self.started = time.monotonic()

    def item_error(self, item, response, spider, failure):
        if failure.check(StoreError):
            self.crawler.stats.inc_value("newscrawl/errors/store")

    def spider_closed(self, spider, reason):
        """Runs before the store closes (this handler was connected first): flush, then read coverage."""
        duration = time.monotonic() - self.started
        coverage = self.coverage()
        summary = self.build(spider.name, reason, duration, coverage)
        found = problems(summary, self.limits)
        summary["health"] = {"ok": not found, "enforced": self.limits.enabled, "problems": found}
        setattr(self.crawler, _ATTRIBUTE, summary)
        if self.path:
            self.write(summary)

    def engine_stopped(self):
        summary = run_summary(self.crawler)
        if summary is not None and self.show:
            sys.stderr.write(render(summary))
            sys.stderr.flush()

    def coverage(self) -> dict | None:
        if not self.uses_store:
            return None
        try:
            store = crawl_store(self.crawler)
            store.flush()  # a commit that fails at the end is a store error of this run
        except StoreError as exc:
            logger.error("end of run: %s", exc)
            self.crawler.stats.inc_value("newscrawl/errors/store")
            return None
        return new_article_coverage(self.crawler.stats.get_stats())

    def build(self, spider_name: str, reason: str, duration: float, coverage: dict | None) -> dict:
        stats = self.crawler.stats.get_stats()
        record = crawl_record(self.crawler)
        pages = _prefixed(stats, "newscrawl/pages/")
        fetched = stats.get("response_received_count", 0)  # robots.txt included
        failed = _prefixed(stats, "newscrawl/fetch_failed/")
        dropped = _prefixed(stats, "newscrawl/dropped/")
        duplicates = _prefixed(stats, "newscrawl/duplicates/")
        spider_errors = stats.get("spider_exceptions/count", 0)
        store_errors = stats.get("newscrawl/errors/store", 0)
        return {
            "spider": spider_name,
            "finish_reason": reason,
            "started_at": self.started_at.isoformat(),
            "finished_at": _utc_now().isoformat(),
            "duration_seconds": round(duration, 3),
            "requests": stats.get("downloader/request_count", 0),
            "pages": {"fetched": fetched, "listing": pages.get("listing", 0), "article": pages.get("article", 0),
                      "other": max(0, fetched - pages.get("listing", 0) - pages.get("article", 0))},
            "skipped": {"archived": stats.get("newscrawl/skipped/archived", 0),
                        "listing": stats.get("newscrawl/skipped/listing", 0)},
            "refreshed": _prefixed(stats, "newscrawl/refresh/"),
            "articles": {
                "new": stats.get("newscrawl/articles/new", 0),
                "revised": stats.get("newscrawl/articles/revised", 0),
                "unchanged": stats.get("newscrawl/articles/unchanged", 0),
                "duplicate": sum(duplicates.values()),
                "dropped": sum(dropped.values()),
                "duplicates_by_kind": duplicates,
                "dropped_by_reason": dropped,
            },
            "coverage": coverage,
            "errors": {"total": sum(failed.values()) + spider_errors + store_errors,
                       "failed_requests": failed, "spider": spider_errors, "store": store_errors,
                       "failed_by_reason": _prefixed(stats, "newscrawl/failed/"),
                       "refused_by_reason": _prefixed(stats, "newscrawl/refused/"),
                       "log_errors": stats.get("log_count/ERROR", 0)},
            "start_urls": {"total": len(record.start_urls), "failed": record.failed_start_urls},
            "listing_pages": {"parsed": stats.get("newscrawl/listing/parsed", 0),
                              "without_links": stats.get("newscrawl/listing/no_links", 0)},
        }

    def write(self, summary: dict) -> None:
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(summary, handle, indent=2, ensure_ascii=False)
                handle.write("\n")
            os.replace(temporary, self.path)
        except OSError as exc:
            logger.error("cannot write NEWSCRAWL_SUMMARY_FILE %s: %s", self.path, exc)


def render(summary: dict) -> str:
    """The summary as a short block of text."""
    pages, articles, errors = summary["pages"], summary["articles"], summary["errors"]
    lines = [f"--- newscrawl summary: {summary['spider']} {summary['finish_reason']} in "
             f"{summary['duration_seconds']:.1f} s ---",
             f"pages      {pages['fetched']} fetched (listing {pages['listing']}, article {pages['article']}, "
             f"other {pages['other']}); {summary['requests']} requests",
             f"skipped    {summary['skipped']['archived']} archived articles, "
             f"{summary['skipped']['listing']} listing pages"
             + "".join(f"; refetched {n} {why}" for why, n in summary["refreshed"].items())]
    dropped = ", ".join(f"{k} {v}" for k, v in articles["dropped_by_reason"].items())
    lines.append(f"articles   {articles['new']} new, {articles['revised']} revised, {articles['unchanged']} "
                 f"unchanged, {articles['duplicate']} duplicate, {articles['dropped']} dropped"
                 + (f" ({dropped})" if dropped else ""))
    coverage = summary.get("coverage")
    if coverage and coverage["articles"]:
        shares = ", ".join(f"{'date' if name == 'date_published' else name} {100 * coverage[name]:.0f}%"
                           for name in COVERAGE_FIELDS)
        lines.append(f"coverage   {shares} of {coverage['articles']} new articles")
    failed = sum(errors["failed_requests"].values())
    lines.append(f"errors     {failed} failed requests, {errors['spider']} spider errors, "
                 f"{errors['store']} store errors")
    for label, key in (("failed    ", "failed_by_reason"), ("refused   ", "refused_by_reason")):
        if errors.get(key):
            lines.append(f"{label} " + ", ".join(f"{reason} {n}" for reason, n in errors[key].items()))
    starts = summary["start_urls"]
    lines.append(f"start URLs {starts['total'] - len(starts['failed'])} of {starts['total']} fetched")
    health = summary["health"]
    if health["ok"]:
        lines.append("health     OK")
    else:
        verdict = "FAILED (exit status 4)" if health["enforced"] else "FAILED (not enforced: NEWSCRAWL_HEALTH=0)"
        lines.append(f"health     {verdict}")
        lines += [f"  - {problem}" for problem in health["problems"]]
    return "\n".join(lines) + "\n"
