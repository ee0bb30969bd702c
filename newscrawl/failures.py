"""Handled failures: each counted as ``newscrawl/failed/<reason>`` and logged as one line, no traceback.

Two downloader middlewares on either side of Scrapy's retry, redirect and decompression share
the counting here: newscrawl.responseguard.ResponseGuardMiddleware (raw responses: Retry-After,
redirect loops, truncated or oversized compressed bodies; see there) and

- `FailureStatsMiddleware` (order 540, engine side of RetryMiddleware 550) sees only what is
  left after retries:
  * download exceptions: ``timeout``, ``connection_refused``, ``connection_lost``,
    ``data_loss``, ``dns``, ``oversize`` (over DOWNLOAD_MAXSIZE), ``bad_encoding``, ``error``;
  * HTTP errors: ``http_<status>`` (5xx after retries, 429, 404, ...), unless the request or
    spider handles that status itself;
  * 200 responses that are not pages: ``empty_body``, ``binary_as_html``, ``soft_404``
    (a "page not found" page served with status 200), ``attribute_flood`` (a start tag with
    thousands of attributes, which makes libxml2 spend seconds to minutes parsing it).
  Each becomes an IgnoreRequest, which Scrapy drops silently, so the one line logged here is
  the whole story. The run summary (newscrawl.summary) lists the counts by reason.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from newscrawl.failchecks import (
    HEAD_BYTES, MAX_ATTRIBUTES, exception_reason, has_attribute_flood, is_soft_404, looks_binary,
)

logger = logging.getLogger(__name__)

STATS_PREFIX = "newscrawl/failed/"


def check_settings(settings) -> None:
    """Raise ConfigError (one line naming the setting) for a bad setting of these middlewares."""
    from newscrawl.responseguard import retry_after_max

    retry_after_max(settings)


class Failed(IgnoreRequest):
    """A handled failure, already counted and logged; `reason` names it."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def describe(request) -> str:
    return f"<{request.method} {request.url[:300]}>"


def _is_robots(request) -> bool:
    return request.meta.get("dont_obey_robotstxt") and request.url.split("?")[0].endswith("/robots.txt")


class Counting:
    """Shared: count a failure, log one line, raise Failed."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def fail(self, reason: str, request, detail: str):
        self.stats.inc_value(STATS_PREFIX + reason)
        logger.warning("newscrawl: failed (%s) %s: %s", reason, describe(request), " ".join(str(detail).split())[:300])
        raise Failed(reason, f"{reason}: {request.url}")


class FailureStatsMiddleware(Counting):
    """Final outcomes, after retries: exceptions, HTTP errors, 200s that are not pages."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.handle_all = crawler.settings.getbool("HTTPERROR_ALLOW_ALL")
        self.handled_statuses = set(crawler.settings.getlist("HTTPERROR_ALLOWED_CODES"))

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, IgnoreRequest):
            return None  # a deliberate drop (refused, offsite, robots.txt, already counted)
        reason = exception_reason(exception)
        if reason in ("oversize",) and "max" not in str(exception).lower():
            maxsize = request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            detail = f"download cancelled (DOWNLOAD_MAXSIZE {maxsize} B)"
        else:
            detail = f"{type(exception).__name__}: {exception}" if str(exception) else type(exception).__name__
        retries = request.meta.get("retry_times", 0)
        if retries:
            detail += f" (after {retries} retries)"
        self.fail(reason, request, detail)

    def process_response(self, request, response, spider=None):
        if _is_robots(request):
            return response
        if response.status >= 400:
            if not self._handled(request, response.status):
                detail = f"HTTP {response.status}"
                if request.meta.get("retry_times"):
                    detail += f" after {request.meta['retry_times']} retries"
                if "newscrawl_retry_after" in request.meta:
                    detail += f"; Retry-After {request.meta['newscrawl_retry_after']:.0f}s is past NEWSCRAWL_RETRY_AFTER_MAX"
                self.fail(f"http_{response.status}", request, detail)
            return response
        if 200 <= response.status < 300 and self._is_page_request(request, response):
            self.check_page(request, response)
        return response

    def _handled(self, request, status: int) -> bool:
        meta = request.meta
        if meta.get("handle_httpstatus_all") or self.handle_all:
            return True
        if "handle_httpstatus_list" in meta:
            return status in meta["handle_httpstatus_list"]
        spider = self.crawler.spider
        return status in getattr(spider, "handle_httpstatus_list", ()) or status in self.handled_statuses

    @staticmethod
    def _is_page_request(request, response) -> bool:
        kind = request.meta.get("newscrawl_kind")
        if kind:  # feeds, sitemaps (often gzip) and robots.txt are not HTML pages
            return kind in ("home", "listing", "article")
        content_type = response.headers.get(b"Content-Type", b"") or b""
        return b"html" in content_type.lower()

    def check_page(self, request, response):
        body = response.body
        if not body.strip():
            self.fail("empty_body", request, f"HTTP {response.status} with an empty body")
        if looks_binary(body):
            content_type = (response.headers.get(b"Content-Type") or b"?").decode("latin-1")
            self.fail("binary_as_html", request, f"binary data served as {content_type}")
        if has_attribute_flood(body):
            self.fail("attribute_flood", request, f"a tag with over {MAX_ATTRIBUTES} attributes (parser DoS)")
        if isinstance(response, TextResponse) and is_soft_404(response.text[:HEAD_BYTES]):
            self.fail("soft_404", request, f"HTTP {response.status} page that says it was not found")
