"""ResponseGuardMiddleware: raw responses, once per attempt, before redirect and decompression.

Order 610: the downloader side of RedirectMiddleware (600) and HttpCompressionMiddleware (590).

- 429/503 with ``Retry-After``: waits that long before RetryMiddleware retries, at most
  ``NEWSCRAWL_RETRY_AFTER_MAX`` seconds; a server asking for longer is given up on, not hammered.
- A redirect back to a URL of its own chain: ``newscrawl/failed/redirect_loop``; beyond
  REDIRECT_MAX_TIMES: ``too_many_redirects``.
- A gzip/deflate body that stops before its end: ``truncated_body`` (Scrapy would keep the
  partial text, and half an article would be stored); undecodable: ``bad_encoding``; inflating
  past DOWNLOAD_MAXSIZE (a gzip bomb): ``oversize``.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from w3lib.url import canonicalize_url, safe_url_string

from newscrawl.failchecks import check_compressed, retry_after_seconds
from newscrawl.failures import Counting, describe

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


def retry_after_max(settings) -> float:
    """NEWSCRAWL_RETRY_AFTER_MAX in seconds, or ConfigError naming the setting."""
    from newscrawl.sites import ConfigError

    value = settings.get("NEWSCRAWL_RETRY_AFTER_MAX", 30)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise ConfigError(f"setting NEWSCRAWL_RETRY_AFTER_MAX: expected a number of seconds (0 or more), got {value!r}")
    return seconds


class ResponseGuardMiddleware(Counting):
    """Raw responses, before redirect and decompression: Retry-After, redirect loops, broken bodies."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.retry_after_max = retry_after_max(settings)
        self.retry_codes = set(settings.getlist("RETRY_HTTP_CODES", [429, 503]))
        self.retry_times = settings.getint("RETRY_TIMES")
        self.retry_enabled = settings.getbool("RETRY_ENABLED", True)
        self.redirect_enabled = settings.getbool("REDIRECT_ENABLED", True)
        self.max_redirects = settings.getint("REDIRECT_MAX_TIMES", 20)
        self.max_size = settings.getint("DOWNLOAD_MAXSIZE")

    async def process_response(self, request, response, spider=None):
        if response.status in (429, 503):
            await self.honour_retry_after(request, response)
        elif response.status in REDIRECT_STATUSES:
            self.check_redirect(request, response)
        elif 200 <= response.status < 300:
            self.check_encoding(request, response)
        return response

    async def honour_retry_after(self, request, response):
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None or not self._will_retry(request, response):
            return
        if delay > self.retry_after_max:
            request.meta["dont_retry"] = True  # the server asked for more patience than we have
            request.meta["newscrawl_retry_after"] = delay
            return
        if delay > 0:
            from scrapy.utils.defer import maybe_deferred_to_future
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            logger.debug("newscrawl: %s asks to retry after %.1fs", describe(request), delay)
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))

    def _will_retry(self, request, response) -> bool:
        if not self.retry_enabled or request.meta.get("dont_retry") or response.status not in self.retry_codes:
            return False
        limit = request.meta.get("max_retry_times", self.retry_times)
        return request.meta.get("retry_times", 0) < limit

    def check_redirect(self, request, response):
        location = response.headers.get(b"Location")
        if not location or not self.redirect_enabled or request.meta.get("dont_redirect"):
            return
        try:
            target = canonicalize_url(urljoin(request.url, safe_url_string(location.decode("latin-1").strip())))
        except ValueError:
            return
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonicalize_url(url) for url in chain}:
            self.fail("redirect_loop", request, f"{response.status} to {target} again after {len(chain)} hop(s)")
        if request.meta.get("redirect_times", 0) >= self.max_redirects:
            self.fail("too_many_redirects", request, f"more than {self.max_redirects} redirects")

    def check_encoding(self, request, response):
        encodings = [
            part.strip().lower()
            for value in response.headers.getlist(b"Content-Encoding")
            for part in value.decode("latin-1").split(",") if part.strip()
        ]
        if len(encodings) != 1 or encodings[0] not in ("gzip", "x-gzip", "deflate") or not response.body:
            return
        max_size = request.meta.get("download_maxsize", self.max_size)
        result = check_compressed(response.body, encodings[0], max_size)
        if max_size and result.size > max_size:
            self.fail("oversize", request, f"{encodings[0]} body inflates past DOWNLOAD_MAXSIZE ({max_size} B)")
        if result.error:
            self.fail("bad_encoding", request, f"{encodings[0]}: {result.error}")
        if not result.complete:
            self.fail("truncated_body", request,
                      f"{encodings[0]} stream ends early ({len(response.body)} B in, {result.size} B out)")
