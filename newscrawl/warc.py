"""WARC capture: every fetched response, as it came off the wire, in WARC/1.1 files (warcio).

`-s NEWSCRAWL_WARC_DIR=warcs/` switches it on (unset: NotConfigured, the middleware is not loaded).
`WarcCaptureMiddleware` is a downloader middleware ordered above HttpCacheMiddleware (900), so it
is the first to see each response: before HttpCompressionMiddleware (590) decodes the body,
before RedirectMiddleware (600) follows a redirect, before RetryMiddleware (550) retries. Each
attempt of each request -- articles, listing pages, feeds, sitemaps, robots.txt, redirects,
errors -- becomes one pair of records:

- a ``response`` record: the status line and headers as Scrapy received them, the payload bytes
  as the server sent them (still gzip/deflate/br when the server compressed them);
  WARC-Target-URI, WARC-Date (when the request went out), WARC-IP-Address (when known),
  WARC-Payload-Digest and WARC-Block-Digest (sha1, computed by warcio), WARC-Warcinfo-ID;
  WARC-Truncated when Scrapy kept a partial body (``disconnect``) or stopped a download
  (``unspecified``);
- a ``request`` record: the request as handed to the download handler (request line, Host,
  headers, body), with WARC-Concurrent-To naming its response record.

Transfer coding: the HTTP/1.1 download handler removes chunked transfer coding (and the
Transfer-Encoding header) before Scrapy sees the response, so the stored payload is the
de-chunked body. A handler that passes a Transfer-Encoding header through with a de-chunked body
gets it renamed ``X-Crawler-Transfer-Encoding`` (Common Crawl's convention) so that readers do not
try to de-chunk the payload again; WARC 1.1 has no standard WARC header for this.

Files: ``<BOT_NAME>-<UTC timestamp, ms>-<serial>-<pid>~<host>.warc.gz``, opened exclusively, so
parallel workers and restarts never collide. Each starts with a warcinfo record (software, format,
conformsTo, hostname, operator, user agent, robots policy). Every record is its own gzip member;
each pair is built in memory and handed to the OS whole (no Python-side buffer), so a crawl killed
mid-run leaves every earlier record readable, and a failed write is cut off again.
A file is finished once it reaches NEWSCRAWL_WARC_MAX_SIZE bytes (default 1 GB) and the next pair
starts a new one; the open file is flushed, fsynced and closed when the spider closes.

Not written, counted as ``newscrawl/warc/skipped/<reason>``: responses served from Scrapy's HTTP
cache (``cached``: not fetched now), other responses a middleware below made up without a download
(``not_fetched``), and non-HTTP(S) URLs (``scheme``: data:, file:, ftp:).
A write error (disk full) is logged, counted as ``newscrawl/warc/errors`` and closes the spider
(reason ``warc_write_failed``): an archiving crawl does not go on without its archive.

Stats: ``newscrawl/warc/records`` (every record written, warcinfo included), ``newscrawl/warc/files``.
"""

from __future__ import annotations

import http
import io
import logging
import os
import re
import socket
import time
import weakref
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newscrawl.sites import ConfigError

WARC_VERSION = "WARC/1.1"

try:  # the optional `warc` extra; check_settings() says so when capture is asked for without it
    from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
    from warcio.timeutils import datetime_to_iso_date
    from warcio.recordbuilder import RecordBuilder
    from warcio.warcwriter import WARCWriter

    BUILDER = RecordBuilder(warc_version=WARC_VERSION)  # makes records (digests included); WarcFile writes them
except ImportError:  # pragma: no cover
    WARCWriter = None

logger = logging.getLogger(__name__)

STATS_PREFIX = "newscrawl/warc/"
DEFAULT_MAX_SIZE = 1024**3
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# Connection-level request headers the origin server never saw (sent to a proxy, if at all).
NOT_SENT_TO_ORIGIN = {b"proxy-authorization"}
# Flags Scrapy puts on a response whose body is incomplete -> WARC-Truncated reason.
TRUNCATED_FLAGS = {"dataloss": "disconnect", "download_stopped": "unspecified"}


def check_settings(settings) -> tuple[Path, int] | None:
    """(directory, max size) when WARC capture is on, None when off; ConfigError when misconfigured.

    Callable before the crawl starts (the crawl command can turn a bad setting into one line).
    """
    directory = settings.get("NEWSCRAWL_WARC_DIR")
    if not directory:
        return None
    if WARCWriter is None:
        raise ConfigError("NEWSCRAWL_WARC_DIR is set but warcio is not installed: pip install 'newscrawl[warc]'")
    raw_size = settings.get("NEWSCRAWL_WARC_MAX_SIZE", DEFAULT_MAX_SIZE)
    try:
        max_size = int(raw_size if raw_size not in (None, "") else DEFAULT_MAX_SIZE)
    except (TypeError, ValueError):
        max_size = 0
    if max_size <= 0:
        raise ConfigError(f"setting NEWSCRAWL_WARC_MAX_SIZE: expected a size in bytes above 0, got {raw_size!r}")
    path = Path(directory).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"setting NEWSCRAWL_WARC_DIR: cannot create directory {str(path)!r}: {exc.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"setting NEWSCRAWL_WARC_DIR: directory {str(path)!r} is not writable")
    return path, max_size


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def _warc_date(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(moment, use_micros=True)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _header_list(headers, *, skip=()) -> list[tuple[str, str]]:
    """Scrapy Headers -> [(name, value), ...], one pair per value, in order."""
    pairs = []
    for name, values in headers.items():
        if name.lower() in skip:
            continue
        pairs.extend((_text(name), _text(value)) for value in values)
    return pairs


def http_version(response) -> str:
    """The HTTP version of a response as a status line spells it: "HTTP/1.1", "HTTP/2"."""
    protocol = response.protocol or "HTTP/1.1"
    if protocol.lower() in ("h2", "http/2", "http/2.0"):
        return "HTTP/2"
    return protocol


class WarcFile:
    """One open .warc.gz: a warcinfo record first, then records appended.

    Each write() goes to the OS whole (one gzip member per record, built in memory first) before it
    returns; a write that fails (disk full) is cut off again, so the file always ends after a
    complete record.
    """

    def __init__(self, path: Path, stream):
        self.path = path
        self.stream = stream  # unbuffered: nothing waits in a Python buffer
        self.size = 0
        self.records = 0
        self.warcinfo_id: str | None = None

    def write(self, *records) -> None:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
        for record in records:
            writer.write_record(record)
        data = memoryview(buffer.getvalue())
        total = len(data)
        try:
            while data:
                written = self.stream.write(data)
                if not written:
                    raise OSError(f"cannot write to {self.path}")
                data = data[written:]
        except OSError:
            os.ftruncate(self.stream.fileno(), self.size)
            raise
        self.size += total
        self.records += len(records)

    def close(self) -> None:
        try:
            os.fsync(self.stream.fileno())
        finally:
            self.stream.close()


class WarcRotation:
    """Opens WARC files in a directory under collision-free names, rotating at a size."""

    def __init__(self, directory: Path, max_size: int, prefix: str, warcinfo: dict):
        self.directory = directory
        self.max_size = max_size
        self.prefix = re.sub(r"[^A-Za-z0-9._-]+", "-", prefix) or "newscrawl"
        self.host = re.sub(r"[^A-Za-z0-9.-]+", "-", socket.gethostname()) or "localhost"
        self.warcinfo = warcinfo
        self.serial = 0
        self.current: WarcFile | None = None
        self.files_opened = 0

    def file_for_next_record(self) -> WarcFile:
        if self.current is not None and self.current.size >= self.max_size:
            self.finish()
        if self.current is None:
            self.current = self._open()
        return self.current

    def finish(self) -> WarcFile | None:
        finished, self.current = self.current, None
        if finished is not None:
            finished.close()
            logger.info("WARC: finished %s (%d records, %d bytes)", finished.path, finished.records,
                        finished.path.stat().st_size)
        return finished

    def _open(self) -> WarcFile:
        while True:
            stamp = datetime.now(timezone.utc)
            name = (f"{self.prefix}-{stamp:%Y%m%d%H%M%S}{stamp.microsecond // 1000:03d}"
                    f"-{self.serial:05d}-{os.getpid()}~{self.host}.warc.gz")
            self.serial += 1
            path = self.directory / name
            try:
                stream = open(path, "xb", buffering=0)  # never overwrite another worker's or run's file
            except FileExistsError:
                continue
            break
        warc_file = WarcFile(path, stream)
        info = BUILDER.create_warcinfo_record(name, self.warcinfo)
        warc_file.warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
        warc_file.write(info)
        self.files_opened += 1
        logger.info("WARC: writing %s", path)
        return warc_file


class WarcCaptureMiddleware:
    """Downloader middleware writing a WARC request + response record pair for every fetch."""

    def __init__(self, crawler, directory: Path, max_size: int):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.rotation = WarcRotation(directory, max_size, settings.get("BOT_NAME") or "newscrawl",
                                     self.warcinfo_fields(settings))
        self.failed = False
        self.sent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # request -> time it went out

    @classmethod
    def from_crawler(cls, crawler):
        try:
            configured = check_settings(crawler.settings)
        except ConfigError as exc:
            logger.error("WARC capture: %s", exc)
            raise
        if configured is None:
            raise NotConfigured  # no message: Scrapy would log a warning on every ordinary crawl
        middleware = cls(crawler, *configured)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @staticmethod
    def warcinfo_fields(settings) -> dict:
        software = (f"newscrawl/{_version('newscrawl')} (Scrapy/{_version('scrapy')};"
                    f" warcio/{_version('warcio')})")
        contact = settings.get("NEWSCRAWL_CONTACT_URL")
        return {
            "software": software,
            "format": "WARC File Format 1.1",
            "conformsTo": CONFORMS_TO,
            "hostname": socket.gethostname(),
            "operator": settings.get("NEWSCRAWL_WARC_OPERATOR") or contact,
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "classic" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "description": f"newscrawl capture; contact: {contact}" if contact else "newscrawl capture",
        }

    # -- downloader middleware ---------------------------------------------------------------
    def process_request(self, request):
        self.sent[request] = time.time()  # the last process_request before the download handler
        return None

    def process_response(self, request, response):
        sent = self.sent.pop(request, None)
        reason = self.skip_reason(response, sent)
        if reason:
            self.stats.inc_value(f"{STATS_PREFIX}skipped/{reason}")
        elif not self.failed:
            try:
                self.write_pair(request, response, sent)
            except OSError as exc:
                self.write_failed(exc)
        return response

    @staticmethod
    def skip_reason(response, sent: float | None) -> str | None:
        if "cached" in response.flags:
            return "cached"
        if sent is None:  # a middleware below answered process_request itself: nothing was fetched
            return "not_fetched"
        if urlsplit(response.url).scheme not in ("http", "https"):
            return "scheme"
        return None

    # -- records -----------------------------------------------------------------------------
    def write_pair(self, request, response, sent: float) -> None:
        files_before = self.rotation.files_opened
        warc_file = self.rotation.file_for_next_record()  # may open a file: its warcinfo record first
        url = response.url  # the URL as fetched: request.url without its fragment
        date = _warc_date(sent)

        def warc_headers(record_type: str) -> dict:
            return {"WARC-Type": record_type, "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
                    "WARC-Target-URI": url, "WARC-Date": date, "WARC-Warcinfo-ID": warc_file.warcinfo_id}

        response_headers = warc_headers("response")
        if response.ip_address is not None:
            response_headers["WARC-IP-Address"] = str(response.ip_address)
        for flag, truncated in TRUNCATED_FLAGS.items():
            if flag in response.flags:
                response_headers["WARC-Truncated"] = truncated
                break
        response_record = BUILDER.create_warc_record(
            url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            warc_headers_dict=response_headers, http_headers=self.response_http_headers(response),
        )
        request_record = BUILDER.create_warc_record(
            url, "request", payload=io.BytesIO(request.body), length=len(request.body),
            warc_headers_dict=warc_headers("request"), http_headers=self.request_http_headers(request, response),
        )
        request_record.rec_headers.add_header(
            "WARC-Concurrent-To", response_record.rec_headers.get_header("WARC-Record-ID"))
        warc_file.write(response_record, request_record)
        self.stats.inc_value(f"{STATS_PREFIX}records", 2 + (self.rotation.files_opened - files_before))
        self.stats.set_value(f"{STATS_PREFIX}files", self.rotation.files_opened)

    @staticmethod
    def response_http_headers(response):
        try:
            phrase = http.HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        headers = []
        for name, value in _header_list(response.headers):
            if name.lower() == "transfer-encoding":
                name = "X-Crawler-Transfer-Encoding"  # the stored body is already de-chunked
            headers.append((name, value))
        return StatusAndHeaders(f"{response.status} {phrase}".rstrip(), headers,
                                protocol=http_version(response))

    @staticmethod
    def request_http_headers(request, response):
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = _header_list(request.headers, skip=NOT_SENT_TO_ORIGIN)
        if not any(name.lower() == "host" for name, _ in headers):
            default_port = {"http": 80, "https": 443}.get(parts.scheme)
            host = parts.hostname or ""
            if ":" in host:
                host = f"[{host}]"
            if parts.port and parts.port != default_port:
                host = f"{host}:{parts.port}"
            headers.insert(0, ("Host", host))
        if request.body and not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(request.body))))
        version = http_version(response)  # Scrapy's HTTP/1.x clients always send HTTP/1.1
        version = version if version == "HTTP/2" else "HTTP/1.1"
        return StatusAndHeaders(f"{request.method} {target} {version}", headers, is_http_request=True)

    # -- failure and shutdown ----------------------------------------------------------------
    def write_failed(self, exc: OSError) -> None:
        self.failed = True
        self.stats.inc_value(f"{STATS_PREFIX}errors")
        path = self.rotation.current.path if self.rotation.current else self.rotation.directory
        logger.error("WARC capture failed writing %s: %s; closing the spider", path, exc)
        try:
            self.rotation.finish()
        except OSError:
            pass
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="warc_write_failed"))

    def spider_closed(self, spider, reason):
        try:
            self.rotation.finish()
        except OSError as exc:
            self.stats.inc_value(f"{STATS_PREFIX}errors")
            logger.error("WARC capture failed closing its file: %s", exc)
        logger.info("WARC: %d files under %s", self.rotation.files_opened, self.rotation.directory)
