"""Pure checks behind newscrawl.failures: which failure an exception is, whether a 200 is a page.

No Scrapy state, no I/O; each has a doctest.
"""

from __future__ import annotations

import email.utils
import html
import re
import time
import zlib

from scrapy import exceptions as scrapy_errors
from twisted.internet import defer
from twisted.internet import error as txerror
from twisted.web import client as txclient

HEAD_BYTES = 65536  # how much of a page the cheap checks look at

# (exception classes, reason), first match wins; names resolved leniently across versions.
_EXCEPTION_REASONS = (
    (("DownloadTimeoutError",), scrapy_errors, "timeout"),
    (("TimeoutError", "TCPTimedOutError"), txerror, "timeout"),
    (("CannotResolveHostError",), scrapy_errors, "dns"),
    (("DNSLookupError",), txerror, "dns"),
    (("DownloadConnectionRefusedError",), scrapy_errors, "connection_refused"),
    (("ConnectionRefusedError",), txerror, "connection_refused"),
    (("ResponseDataLossError",), scrapy_errors, "data_loss"),
    (("DownloadCancelledError",), scrapy_errors, "oversize"),
    (("CancelledError",), defer, "oversize"),
    (("DownloadFailedError",), scrapy_errors, "connection_lost"),
    (("ConnectionLost", "ConnectionDone", "ConnectError"), txerror, "connection_lost"),
    (("ResponseFailed", "ResponseNeverReceived", "RequestTransmissionFailed"), txclient, "connection_lost"),
)
EXCEPTION_REASONS = tuple(
    (tuple(getattr(module, name) for name in names if hasattr(module, name)), reason)
    for names, module, reason in _EXCEPTION_REASONS
)

# The first bytes of common binary formats.
BINARY_MAGIC = (
    b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b",
    b"RIFF", b"OggS", b"ID3", b"fLaC", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"\x00\x00\x01\x00",
    b"wOFF", b"wOF2", b"\x28\xb5\x2f\xfd", b"BZh",
)
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"

# A page that says it is not there.
NOT_FOUND = re.compile(
    r"^\W*(?:error\W*)?404\b|\b404\b.{0,40}\bnot found\b|\bpage (?:was |is )?not found\b|^\W*not found\W*$|"
    r"\b(?:page|article|story|content|post) (?:does not|doesn't|no longer) exists?\b|"
    r"\bnothing (?:was )?found\b|\b(?:could not|couldn't|can't|cannot) be found\b|"
    r"\bno longer available\b|\bpage you (?:requested|are looking for)\b",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_DECLARES_ARTICLE = re.compile(
    r"""og:type["']?\s+content=["']?article|"@type"\s*:\s*\[?\s*"(?:News|Blog|Report|Scholarly)?(?:Article|Posting)\b""",
    re.IGNORECASE,
)


# One start tag longer than this with more than MAX_ATTRIBUTES "=" in it: libxml2 (lxml, parsel)
# checks attributes pairwise, so 80,000 of them cost seconds of CPU per parse, minutes at 10 MB.
_HUGE_TAG = re.compile(rb"<[A-Za-z][^<>]{65536,}")
MAX_ATTRIBUTES = 2000


def exception_reason(exception: BaseException) -> str:
    """The stats reason for a download exception.

    >>> from scrapy.exceptions import DownloadTimeoutError
    >>> exception_reason(DownloadTimeoutError("slow"))
    'timeout'
    """
    for classes, reason in EXCEPTION_REASONS:
        if classes and isinstance(exception, classes):
            return reason
    if isinstance(exception, (OSError, EOFError, zlib.error)):
        return "bad_encoding"  # HttpCompressionMiddleware failing on an empty or broken body
    return "error"


def looks_binary(body: bytes) -> bool:
    """Image, archive or other non-text bytes (whatever the Content-Type says).

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n..."), looks_binary("<p>caf\\u00e9</p>".encode("cp1252"))
    (True, False)
    """
    head = body[:4096].lstrip(b" \t\r\n")
    if head.startswith(TEXT_BOMS):
        return False
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # one pass in C, not 30 counts
    return bool(head) and controls / len(head) > 0.02


def has_attribute_flood(body: bytes) -> bool:
    """A start tag carrying thousands of attributes (a parser denial of service, never a real page).

    >>> has_attribute_flood(b'<img src="data:image/png;base64,' + b"A" * 100000 + b'==">')
    False
    >>> has_attribute_flood(b"<div " + b" ".join(b"data-attribute-%d=1" % i for i in range(5000)) + b">")
    True
    """
    return any(match.group(0).count(b"=") > MAX_ATTRIBUTES for match in _HUGE_TAG.finditer(body))


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def is_soft_404(text: str) -> bool:
    """A page whose title or main heading says it was not found, and that is not an article.

    >>> is_soft_404("<title>Page not found - Metro</title><h1>Oops!</h1>")
    True
    >>> is_soft_404("<title>Council finds missing funds</title><h1>Council finds missing funds</h1>")
    False
    """
    head = text[:HEAD_BYTES]
    if _DECLARES_ARTICLE.search(head):
        return False
    for pattern in (_TITLE, _H1):
        match = pattern.search(head)
        if match and NOT_FOUND.search(_plain(match.group(1))):
            return True
    return False


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent/bad.

    >>> retry_after_seconds(b"3"), retry_after_seconds(b"soon")
    (3.0, None)
    """
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Inflated:
    """Result of checking a compressed body: size inflated, complete or not, error if any."""

    def __init__(self, size: int, complete: bool, error: str | None = None):
        self.size, self.complete, self.error = size, complete, error


def check_compressed(body: bytes, encoding: str, max_size: int, chunk: int = 65536) -> Inflated:
    """Inflate gzip/deflate `body` without keeping the output: is it whole, how big does it get?

    Stops as soon as the output passes max_size (0 = no limit).

    >>> import gzip
    >>> data = gzip.compress(b"<p>hello</p>" * 100)
    >>> check_compressed(data, "gzip", 0).complete, check_compressed(data[:-20], "gzip", 0).complete
    (True, False)
    """
    wbits = 31 if encoding in ("gzip", "x-gzip") else 15
    size = 0
    remaining = body
    try:
        while True:
            inflater = zlib.decompressobj(wbits)
            try:
                output = inflater.decompress(remaining, chunk)
            except zlib.error:
                if wbits != 15 or size:
                    raise
                wbits = -15  # raw deflate, as some servers send it
                inflater = zlib.decompressobj(wbits)
                output = inflater.decompress(remaining, chunk)
            size += len(output)
            while inflater.unconsumed_tail and not inflater.eof:
                if max_size and size > max_size:
                    return Inflated(size, False)
                size += len(inflater.decompress(inflater.unconsumed_tail, chunk))
            if max_size and size > max_size:
                return Inflated(size, False)
            if not inflater.eof:
                return Inflated(size, False)
            remaining = inflater.unused_data.lstrip(b"\x00")
            if wbits != 31 or not remaining:  # gzip may hold several members
                return Inflated(size, True)
    except zlib.error as exc:
        return Inflated(size, False, str(exc))
