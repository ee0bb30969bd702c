"""NewsSpider: home pages, section pages, feeds and sitemaps -> article pages -> Article items."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import TextResponse

from newscrawl.articlebuild import build_article
from newscrawl.extractpool import ExtractPool, WorkerCrashed, extract_processes
from newscrawl.fingerprints import strip_tracking
from newscrawl.items import Article
from newscrawl.spiders.arguments import plan_crawl
from newscrawl.spiders.entries import Entry, newest_first
from newscrawl.spiders.feeds import feed_links, read_feed
from newscrawl.spiders.listing import article_links, looks_like_article_url
from newscrawl.spiders.pagination import next_page_url
from newscrawl.spiders.politeness import user_agent
from newscrawl.spiders.sections import section_links
from newscrawl.spiders.sitemaps import read_sitemap, robots_sitemaps
from newscrawl.spiders.xmlsource import decompress

LISTING_PRIORITY = 10  # listings, feeds and sitemaps first: they are how articles are found
MAX_SITEMAP_DEPTH = 4  # robots.txt -> index -> index -> url set is already unusual


class NewsSpider(scrapy.Spider):
    """Find articles through home pages (-a url), section pages (-a start_urls), feeds and sitemaps.

    Every request carries meta["newscrawl_kind"]: "home" (a -a url page), "listing", "article",
    "feed", "sitemap" or "robots", so middlewares can apply request-level policy without parsing
    pages. Article requests found in a feed or sitemap also carry meta["newscrawl_lastmod"] (the
    source's last-modified date, ISO 8601) and meta["newscrawl_entry"] (title/dates used when the
    page lacks them).
    """

    name = "news"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # A -s USER_AGENT on the command line has a higher priority and still wins.
        settings.set("USER_AGENT", user_agent(settings.get("NEWSCRAWL_CONTACT_URL")), priority="spider")

    @staticmethod
    def check_arguments(arguments: dict, settings) -> None:
        """Raise ConfigError for bad -a arguments or sites.toml, before the crawl starts."""
        plan_crawl(arguments, settings)
        extract_processes(settings)  # NEWSCRAWL_EXTRACT_PROCESSES: 0, N or "auto"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.plan = plan_crawl(kwargs, crawler.settings)  # ConfigError: the crawl command reports it
        spider.allowed_domains = list(spider.plan.allowed_domains)
        spider.listing_pages_seen = {}  # section start URL -> article-link sets of its pages
        spider.extract_pool = ExtractPool.from_crawler(crawler)  # page -> item, inline or in workers
        return spider

    async def start(self):
        plan = self.plan
        for url in plan.start_urls:
            role = "home" if url in plan.home_urls else "start"
            yield self.listing_request(url, section=url, page=1, role=role)
        for url in plan.feeds:
            yield self.source_request(url, self.parse_feed, "feed")
        for url in plan.sitemaps:
            yield self.source_request(url, self.parse_sitemap, "sitemap", depth=0)

    # -- requests -----------------------------------------------------------------------------
    def listing_request(self, url, *, section, page, role="page"):
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            cb_kwargs={"section": section, "page": page, "role": role},
            # A home page is where sections, feeds and sitemaps are found; it need not link articles.
            meta={"newscrawl_kind": "home" if role == "home" else "listing"},
            priority=LISTING_PRIORITY,
        )

    def source_request(self, url, callback, kind, **cb_kwargs):
        """A feed, sitemap or robots.txt: may live on another host (a CDN, a feed service)."""
        return scrapy.Request(url, callback=callback, cb_kwargs=cb_kwargs, priority=LISTING_PRIORITY,
                              meta={"newscrawl_kind": kind, "allow_offsite": True})

    def article_request(self, url, entry: Entry | None = None):
        url = strip_tracking(url)  # utm_* and the like only make one article look like two
        meta = {"newscrawl_kind": "article"}
        if entry is not None:
            if entry.fallbacks():
                meta["newscrawl_entry"] = entry.fallbacks()
            if entry.lastmod:
                meta["newscrawl_lastmod"] = entry.lastmod
        return scrapy.Request(url, callback=self.parse_article, meta=meta)

    # -- listing pages ----------------------------------------------------------------------------
    def parse_listing(self, response, section, page, role="page"):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/dropped/not_html")
            return
        stats = self.crawler.stats
        stats.inc_value("newscrawl/listing_pages")
        selector = response.selector
        if role in ("home", "start"):
            yield from self.discover(response, home=role == "home")
        pattern = self.plan.profile.article_pattern if self.plan.profile else None
        links = article_links(selector, response.url, pattern)
        seen = self.listing_pages_seen.setdefault(section, set())
        page_links = frozenset(link.url for link in links)
        if not links or page_links in seen:
            stats.inc_value("newscrawl/pagination/" + ("empty" if not links else "repeated"))
            return  # the end of the listing, or a page it has shown before: stop here
        seen.add(page_links)
        since = self.plan.since
        fresh = [link for link in links if not (since and link.day and link.day < since)]
        if len(fresh) < len(links):
            stats.inc_value("newscrawl/skipped/since", len(links) - len(fresh))
        for link in fresh:
            yield self.article_request(link.url)
        if not fresh:
            return  # everything here predates -a since; older pages will too
        if self.plan.max_pages is not None and page >= self.plan.max_pages:
            stats.inc_value("newscrawl/pagination/max_pages")
            return
        next_url = next_page_url(selector, response.url)
        if next_url:
            yield self.listing_request(next_url, section=section, page=page + 1)

    def discover(self, response, *, home: bool):
        """Feeds a start page declares; on a home page also its sections and robots.txt sitemaps."""
        stats = self.crawler.stats
        for url in feed_links(response.selector, response.url):
            stats.inc_value("newscrawl/discovery/feeds")
            yield self.source_request(url, self.parse_feed, "feed")
        if not home:
            return
        yield self.source_request(urljoin(_origin(response.url), "/robots.txt"), self.parse_robots, "robots")
        for url in section_links(response.selector, response.url):
            stats.inc_value("newscrawl/discovery/sections")
            yield self.listing_request(url, section=url, page=1, role="section")

    # -- robots.txt, sitemaps, feeds ------------------------------------------------------------
    def parse_robots(self, response):
        text = response.body.decode("utf-8", "replace")
        for url in robots_sitemaps(text, response.url):
            self.crawler.stats.inc_value("newscrawl/discovery/sitemaps")
            yield self.source_request(url, self.parse_sitemap, "sitemap", depth=0)

    def parse_sitemap(self, response, depth=0):
        data = self._xml(response)
        if data is None:
            return
        pages, children = read_sitemap(data, response.url)
        if not pages and not children:
            pages = read_feed(data, response.url)  # a feed listed as a sitemap is allowed
        for child in children:
            if child.older_than(self.plan.since):
                self.crawler.stats.inc_value("newscrawl/skipped/since_sitemap")
            elif depth < MAX_SITEMAP_DEPTH:
                self.crawler.stats.inc_value("newscrawl/discovery/sitemaps")
                yield self.source_request(child.url, self.parse_sitemap, "sitemap", depth=depth + 1)
        yield from self.entry_requests(pages)

    def parse_feed(self, response):
        data = self._xml(response)
        if data is not None:
            yield from self.entry_requests(read_feed(data, response.url))

    def entry_requests(self, entries: list[Entry]):
        pattern = self.plan.profile.article_pattern if self.plan.profile else None
        for entry in newest_first(entries):
            if pattern is not None and not pattern.search(urlsplit(entry.url).path):
                continue
            if pattern is None and not looks_like_article_url(entry.url):
                continue
            if entry.older_than(self.plan.since):
                self.crawler.stats.inc_value("newscrawl/skipped/since")
                continue
            yield self.article_request(entry.url, entry)

    def _xml(self, response) -> bytes | None:
        data = decompress(response.body)
        if data is None:
            self.crawler.stats.inc_value("newscrawl/discovery/unreadable")
            self.logger.warning("unreadable or oversized feed/sitemap: %s", response.url)
        return data

    # -- article pages ----------------------------------------------------------------------------
    async def parse_article(self, response):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/dropped/not_html")
            return
        crawled_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        try:
            built = await self.extract_pool.run(
                build_article, response.text, response.url, self.plan.selectors or None,
                self.plan.site_name, response.meta.get("newscrawl_entry"), crawled_at)
        except WorkerCrashed:
            self.crawler.stats.inc_value("newscrawl/dropped/extract_crashed")
            self.logger.error("extraction killed its worker process twice, page dropped: %s", response.url)
            return
        if isinstance(built, str):
            self.crawler.stats.inc_value(f"newscrawl/dropped/{built}")
            return
        for name in built.fallbacks:
            self.crawler.stats.inc_value(f"newscrawl/fallback/{name}")
        yield Article(built.fields)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
