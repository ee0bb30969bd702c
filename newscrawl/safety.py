"""Staying in bounds: a downloader middleware that refuses requests the crawl must never make.

Refused, each counted in stats as ``newscrawl/refused/<reason>``:

- ``scheme``: anything but http/https (file:, data:, ftp:, s3:, ...), also as a redirect target;
- ``userinfo``: a URL with ``user@`` or ``user:pass@`` before the host;
- ``bad_host``: a host that is neither a DNS name nor an IP address once normalised;
- ``offsite``: a host outside the spider's ``allowed_domains`` (subdomains allowed, as Scrapy does;
  ``dont_filter`` does not lift it, a request's ``allow_offsite`` meta does: the spider sets it on
  feeds and sitemaps, which may live on a CDN; the other rules still hold for them).
  Hosts and allowed domains are compared after the same IDNA/punycode normalisation Scrapy
  applies to request URLs, lower-cased and without a trailing dot, label by label: so
  ``metro.example.evil.com``, ``evilmetro.example`` and Cyrillic look-alikes stay out;
- ``private_address``: a host that is, or resolves to, a loopback, private, link-local, shared,
  reserved or multicast address. The origins (host and port) of the configured start URLs (and
  home, feed and sitemap URLs) are exempt, so a crawl of a test site on 127.0.0.1 works while a public site's link or redirect
  into 127.0.0.1, 10.0.0.0/8 or 169.254.169.254 does not. Names are resolved through the
  reactor's resolver, whose cache the download then uses, so the address checked is the
  address connected to (while the entry stays in Scrapy's DNS cache).

Links are checked when scheduled (before the duplicate filter and robots.txt) and again in
``process_request``, which also sees redirects, retries and requests that bypass the scheduler.
Switch off with ``NEWSCRAWL_SAFETY_ENABLED = False``.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def safety_enabled(settings) -> bool:
    """NEWSCRAWL_SAFETY_ENABLED as a bool, or ConfigError naming the setting."""
    from newscrawl.sites import ConfigError

    value = settings.get("NEWSCRAWL_SAFETY_ENABLED", True)
    try:
        return settings.getbool("NEWSCRAWL_SAFETY_ENABLED", True)
    except ValueError:
        raise ConfigError(f"setting NEWSCRAWL_SAFETY_ENABLED: expected True or False (1 or 0), got {value!r}") from None


def check_settings(settings) -> None:
    """Raise ConfigError (one line naming the setting) for a bad setting of this module."""
    safety_enabled(settings)


class Refused(IgnoreRequest):
    """A request the crawl must not make; `reason` names the rule."""

    def __init__(self, reason: str, url: str):
        super().__init__(f"refused ({reason}): {url}")
        self.reason = reason


def normalise_host(host: str | None) -> str | None:
    """The host as Scrapy puts it on the wire: IDNA (punycode), lower case, no trailing dot.

    None when it is not a usable DNS name or IP address.

    >>> normalise_host("Bücher.Example.")
    'xn--bcher-kva.example'
    >>> normalise_host("metro。example")
    'metro.example'
    >>> normalise_host("evil.com%2f") is None
    True
    """
    if not host:
        return None
    host = host.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    try:
        # the same WHATWG/IDNA processing scrapy.Request applies to its URL
        host = urlsplit(safe_url_string(f"http://{host}/")).hostname or ""
    except (ValueError, UnicodeError):
        return None
    host = host.rstrip(".")
    labels = host.split(".")
    if not host or not all(_DNS_LABEL.match(label) for label in labels):
        return None
    return host


# normalise_host runs 3 times per request (scheduled, process_request, start-origin check) on the
# few hosts of a crawl, and its IDNA step is dear: remember the answers (it is a pure function).
_normalised_host = functools.lru_cache(maxsize=4096)(normalise_host)


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address; embedded IPv4 (mapped, 6to4, NAT64) unwrapped.

    >>> [is_public_address(a) for a in ("93.184.216.34", "127.0.0.1", "::ffff:10.0.0.1", "169.254.169.254")]
    [True, False, False, False]
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not ip.is_multicast


def origin_of(url: str) -> tuple[str | None, int | None]:
    """(normalised host, port) of a URL; the port defaults from the scheme."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        port = None
    return _normalised_host(parts.hostname), port


class Bounds:
    """Where a crawl may go: allowed domains and the start URLs' own origins. Pure, no I/O."""

    def __init__(self, allowed_domains=(), start_urls=()):
        self.domains = tuple(d for d in (normalise_host(x) for x in allowed_domains or ()) if d)
        self.start_origins = frozenset(origin_of(u) for u in start_urls or ())

    def url_refusal(self, url: str, allow_offsite: bool = False) -> str | None:
        """The reason a URL may not be fetched, without resolving its host; None if fine.

        `allow_offsite` (the request meta key Scrapy honours) lifts the domain rule only.
        """
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 -- raises ValueError for a bad port
        except ValueError:
            return "bad_host"
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            return "scheme"
        if "@" in parts.netloc:
            return "userinfo"
        host = _normalised_host(parts.hostname)
        if host is None:
            return "bad_host"
        if self.domains and not allow_offsite and not self.on_site(host):
            return "offsite"
        return None

    def on_site(self, host: str) -> bool:
        for domain in self.domains:
            if host == domain:
                return True
            if host.endswith("." + domain) and not _is_ip(domain):
                return True
        return False

    def is_start_origin(self, url: str) -> bool:
        return origin_of(url) in self.start_origins


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def configured_urls(spider) -> list[str]:
    """The URLs the operator asked for: start and home URLs, feeds and sitemaps (-a or sites.toml)."""
    plan = getattr(spider, "plan", None)
    urls = list(getattr(plan, "start_urls", None) or getattr(spider, "start_urls", None) or ())
    for source in (plan, getattr(plan, "profile", None)):
        for name in ("home_urls", "feeds", "sitemaps"):
            urls += list(getattr(source, name, None) or ())
    return urls


class SafetyMiddleware:
    """Downloader middleware enforcing `Bounds`; see the module docstring."""

    def __init__(self, crawler, resolver=None):
        if not safety_enabled(crawler.settings):
            raise NotConfigured("NEWSCRAWL_SAFETY_ENABLED is off")
        self.crawler = crawler
        self.stats = crawler.stats
        self.resolve = resolver or _reactor_resolver
        self.bounds = Bounds()
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def spider_opened(self, spider):
        self.bounds = Bounds(getattr(spider, "allowed_domains", None) or (), configured_urls(spider))

    def request_scheduled(self, request, spider=None):
        reason = self.bounds.url_refusal(request.url, request.meta.get("allow_offsite", False))
        if reason:
            self.refuse(reason, request.url)

    async def process_request(self, request, spider=None):
        reason = self.bounds.url_refusal(request.url, request.meta.get("allow_offsite", False))
        if reason:
            self.refuse(reason, request.url)
        if self.bounds.is_start_origin(request.url):
            return None
        host = _normalised_host(urlparse_cached(request).hostname)
        addresses = [host] if _is_ip(host) else await self.resolve(host)
        if not addresses:
            raise CannotResolveHostError(f"DNS lookup failed: no address for {host!r}")
        if not all(is_public_address(a) for a in addresses):
            self.refuse("private_address", request.url, detail=", ".join(sorted(set(addresses))))
        return None

    def process_response(self, request, response, spider=None):
        """A redirect to a non-http(s) URL is refused here (RedirectMiddleware passes it on)."""
        location = response.headers.get(b"Location") if response.status in REDIRECT_STATUSES else None
        if location and not request.meta.get("dont_redirect"):
            target = urljoin(request.url, location.decode("latin-1").strip())
            if urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
                self.refuse("scheme", target, detail=f"redirect from {request.url}")
        return response

    def refuse(self, reason: str, url: str, detail: str = ""):
        self.stats.inc_value(f"newscrawl/refused/{reason}")
        key = (reason, urlsplit(url).netloc)
        level = logging.DEBUG if key in self._logged else logging.INFO
        self._logged.add(key)
        logger.log(level, "newscrawl: refused (%s) %s%s", reason, url[:300], f" [{detail}]" if detail else "")
        raise Refused(reason, url)


async def _reactor_resolver(host: str) -> list[str]:
    """Addresses of host from the reactor's (Scrapy's caching) resolver; [] when it has none."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IResolutionReceiver
    from zope.interface import implementer

    done: Deferred = Deferred()
    found: list[str] = []

    @implementer(IResolutionReceiver)
    class Receiver:
        def resolutionBegan(self, resolution):
            pass

        def addressResolved(self, address):
            found.append(address.host)

        def resolutionComplete(self):
            if not done.called:
                done.callback(found)

    reactor.nameResolver.resolveHostName(Receiver(), host, 0)
    return await maybe_deferred_to_future(done)
