"""Request-level policy for cron-grade crawls: do not download what the archive already holds.

- `SkipArchived` (spider middleware) looks at each page's requests together: article requests
  whose URL the store knew before this run are dropped before download (one `known_urls` query
  per page; within a run, Scrapy's dupefilter and DedupePipeline handle repeats and count them),
  and when every article on a listing page is archived, the listing's next-page request is dropped
  too: the rest of that section was archived by earlier runs. `-a full=1` turns both off;
  `-a refresh_days=N` lets archived articles published in the last N days through (the store keeps a
  revision when they changed); a sitemap `lastmod` newer than the stored crawl lets an article
  through. A section whose previous walk did not finish (killed run, failed listing page, early
  close) is walked to its end, so nothing beyond the stop point is ever missed.
- `FetchOutcomes` (downloader middleware, order 545: just on the engine side of RetryMiddleware 550,
  so it sees final outcomes, and before newscrawl.failures.FailureStatsMiddleware 540 turns failures
  into IgnoreRequest) counts failed requests by kind and records which start URLs failed, and why;
  SkipArchived counts the pages that reach the spider by kind. The summary and health read both.

Stats: newscrawl/skipped/archived, newscrawl/skipped/listing, newscrawl/refresh/<recent|lastmod>,
newscrawl/listing/parsed, newscrawl/listing/no_links, newscrawl/pages/<kind> (pages that reached the
spider), newscrawl/fetch_failed/<kind> (HTTP >= 400 or a download error, after retries).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest

from newscrawl.crawlrecord import KIND, LASTMOD, SECTION, START, crawl_record
from newscrawl.crawlstore import crawl_store, stores_articles
from newscrawl.fingerprints import canonicalize
from newscrawl.spiders.arguments import parse_days, parse_flag
from newscrawl.store import StoreError

logger = logging.getLogger(__name__)

REFRESH = "newscrawl_refresh"  # meta: why an archived article is fetched again ("recent" | "lastmod")


def walk_key(section: str) -> str:
    """Store crawl-state key of a section walk: "running" while one is under way, then "done"."""
    return f"walk:{section}"


def moment(value) -> datetime | None:
    """An aware datetime from ISO text, a date or a datetime; a day alone is its midnight UTC.

    >>> moment("2026-03-14T09:30:00+01:00").isoformat()
    '2026-03-14T09:30:00+01:00'
    >>> moment("2026-03-14").isoformat(), moment("soon")
    ('2026-03-14T00:00:00+00:00', None)
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(), timezone.utc)
    else:
        text = str(value or "").strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _identities(url: str) -> tuple[str, ...]:
    """The spellings under which the store may know a URL: as fetched and canonicalised."""
    try:
        return tuple(dict.fromkeys((url, canonicalize(url))))
    except Exception:  # a URL w3lib cannot canonicalise is still looked up as it is
        return (url,)


class SkipArchived:
    """Spider middleware: skip archived articles and stop paginating into archived territory."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.record = crawl_record(crawler)
        settings = crawler.settings
        self.uses_store = stores_articles(settings)
        self.incremental = settings.getbool("NEWSCRAWL_INCREMENTAL", True)
        self.full = not (self.incremental and self.uses_store)
        self.refresh_days = 0
        self.sections: list[str] = []  # start URLs of this run
        self.walk_to_end: set[str] = set()  # sections whose previous walk did not finish
        self.stopped: set[str] = set()  # sections whose pagination was cut short this run

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
        return middleware

    @property
    def store(self):
        return crawl_store(self.crawler) if self.uses_store else None

    # -- run start and end --------------------------------------------------------------------
    def spider_opened(self, spider):
        self.full = self.full or parse_flag(getattr(spider, "full", None), "-a full")
        self.refresh_days = parse_days(getattr(spider, "refresh_days", None), "-a refresh_days")
        if self.full:
            logger.info("full crawl: every listing page and article is fetched")
        else:
            refresh = f"; articles published in the last {self.refresh_days} days are fetched again" \
                if self.refresh_days else ""
            logger.info("incremental crawl: archived articles are not fetched again%s (-a full=1 fetches "
                        "everything)", refresh)

    async def process_start(self, start):
        async for entry in start:
            if isinstance(entry, Request):
                self.begin_section(entry)
            yield entry

    def begin_section(self, request: Request) -> None:
        """Tag a start request as the root of a section and note an unfinished previous walk."""
        section = request.meta.setdefault(SECTION, request.url)
        request.meta[START] = True
        if section in self.sections:
            return
        self.sections.append(section)
        if self.store is None:
            return
        if self.store.get_crawl_state(walk_key(section)) == "running":
            self.walk_to_end.add(section)
            logger.info("the previous crawl of %s did not finish: following its pagination to the end",
                        section)
        self.store.set_crawl_state(walk_key(section), "running")

    def spider_closed(self, spider, reason):
        """A section walk that finished cleanly is "done": later runs may stop at archived pages."""
        if self.store is None or reason != "finished":
            return
        failed = self.record.broken_sections | set(self.record.failed_start_urls)
        try:
            for section in self.sections:
                if section not in failed:
                    self.store.set_crawl_state(walk_key(section), "done")
        except StoreError as exc:
            logger.error("could not record the finished section walks: %s", exc)
            self.stats.inc_value("newscrawl/errors/store")

    def item_scraped(self, item, response, spider):
        """An article reached through a redirect is also archived under the URL that was linked."""
        redirects = getattr(response, "meta", {}).get("redirect_urls") if response is not None else None
        canonical = item.get("canonical_url") if hasattr(item, "get") else None
        if redirects and canonical and self.store is not None:
            for url in redirects:
                self.store.mark_seen(url, canonical)

    # -- each page's output --------------------------------------------------------------------
    async def process_spider_output(self, response, result):
        # Every page that reaches the spider passes here once (failures were filtered before).
        self.stats.inc_value(f"newscrawl/pages/{response.meta.get(KIND) or 'other'}")
        if response.meta.get(START):
            self.record.start_succeeded(response.meta.get(SECTION) or response.url)
        section = response.meta.get(SECTION)
        requests, failure = [], None
        try:
            async for entry in result:
                if isinstance(entry, Request):
                    if section is not None:
                        entry.meta.setdefault(SECTION, section)
                    requests.append(entry)
                else:
                    yield entry
        except Exception as exc:  # the callback failed half-way: keep what it found, then re-raise
            failure = exc
        for request in self.select(response, requests, complete=failure is None):
            yield request
        if failure is not None:
            raise failure

    def process_spider_exception(self, response, exception):
        if response.meta.get(KIND) == "listing" and response.meta.get(SECTION):
            self.record.broken_sections.add(response.meta[SECTION])

    def select(self, response, requests: list[Request], complete: bool = True) -> list[Request]:
        """The requests worth making: archived articles out, and the next page if all were archived
        (judged only on a page the callback read to its end)."""
        articles = [r for r in requests if r.meta.get(KIND) == "article"]
        is_listing = response.meta.get(KIND) == "listing"
        if is_listing:
            self.stats.inc_value("newscrawl/listing/parsed")
            if not articles:
                self.stats.inc_value("newscrawl/listing/no_links")
        if self.full or not articles:
            return requests
        try:
            skipped = self.archived(articles)
        except StoreError as exc:  # fail open: fetching again is better than losing the page's links
            logger.error("cannot check archived articles of %s: %s", response.url, exc)
            self.stats.inc_value("newscrawl/errors/store")
            return requests
        if not skipped:
            return requests
        self.stats.inc_value("newscrawl/skipped/archived", len(skipped))
        kept = [r for r in requests if id(r) not in skipped]
        section = response.meta.get(SECTION)
        if complete and is_listing and len(skipped) == len(articles) and section not in self.walk_to_end:
            next_pages = [r for r in kept if r.meta.get(KIND) == "listing"]
            if next_pages:
                self.stats.inc_value("newscrawl/skipped/listing", len(next_pages))
                if section not in self.stopped:
                    self.stopped.add(section)
                    logger.info("%s holds only archived articles: not following %s's pagination further",
                                response.url, section or "this section")
                kept = [r for r in kept if r.meta.get(KIND) != "listing"]
        return kept

    def archived(self, articles: list[Request]) -> set[int]:
        """ids of the article requests to skip: archived, and neither recent nor changed since."""
        names = {id(r): _identities(r.url) for r in articles}
        known = self.store.known_urls({name for spellings in names.values() for name in spellings})
        # Within a run the dupefilter and DedupePipeline decide (and count duplicates), so only what
        # was archived before this run is skipped.
        known -= self.store.urls_recorded
        archived = [r for r in articles if known.intersection(names[id(r)])]
        again = self.refetch(archived, names)
        return {id(r) for r in archived if id(r) not in again}

    def refetch(self, archived: list[Request], names: dict) -> set[int]:
        """ids of archived articles to fetch again: published in the last refresh_days, or lastmod
        newer than the stored crawl."""
        candidates = [r for r in archived if self.refresh_days or r.meta.get(LASTMOD)]
        if not candidates:
            return set()
        dates = self.store.archive_dates({name for r in candidates for name in names[id(r)]})
        cutoff = None
        if self.refresh_days:
            day = datetime.now(timezone.utc).date() - timedelta(days=self.refresh_days)
            cutoff = datetime.combine(day, time(), timezone.utc)
        again = set()
        for request in candidates:
            published, crawled = next((dates[n] for n in reversed(names[id(request)]) if n in dates),
                                      (None, None))
            reason = None
            when = moment(published) if published else None
            if cutoff is not None and when is not None and when >= cutoff:
                reason = "recent"
            elif request.meta.get(LASTMOD):
                lastmod, stored = moment(request.meta[LASTMOD]), moment(crawled) if crawled else None
                if lastmod is not None and (stored is None or lastmod > stored):
                    reason = "lastmod"
            if reason:
                request.meta[REFRESH] = reason
                self.stats.inc_value(f"newscrawl/refresh/{reason}")
                again.add(id(request))
        return again


class FetchOutcomes:
    """Downloader middleware: requests that failed for good (after retries), by kind; failed start URLs."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.record = crawl_record(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if response.status >= 400:
            self.failed(request, f"HTTP {response.status}")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, IgnoreRequest):
            if request.meta.get(START):  # robots.txt forbids a start URL: the run cannot do its job
                self.failed(request, str(exception) or "ignored (robots.txt or offsite)")
            return None
        text = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
        self.failed(request, f"{type(exception).__name__}: {text}" if text else type(exception).__name__)
        return None

    def failed(self, request, reason: str) -> None:
        kind = request.meta.get(KIND) or "other"
        self.stats.inc_value(f"newscrawl/fetch_failed/{kind}")
        section = request.meta.get(SECTION)
        if kind == "listing" and section:
            self.record.broken_sections.add(section)
        if request.meta.get(START):
            self.record.start_failed(section or request.url, reason)
