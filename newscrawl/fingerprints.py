"""Identity of an article: canonical URL, exact body fingerprint, near-duplicate simhash."""

import hashlib
import re

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that identify a campaign or a click, never a different page.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "utm_name", "utm_reader", "utm_brand", "utm_social", "utm_social-type",
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid",
    "igshid", "_ga", "_gl", "ref_src", "cmpid", "ocid", "ns_mchannel", "ns_source",
    "ns_campaign", "ns_linkname", "ns_fee", "sr_share", "smid", "s_cid",
)

_TOKEN = re.compile(r"\w+")


def strip_tracking(url: str) -> str:
    """The URL without campaign/click parameters or fragment, otherwise as the site spells it.

    >>> strip_tracking("https://a.example/x/?utm_source=n&id=3#c")
    'https://a.example/x/?id=3'
    """
    return url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)


def canonicalize(url: str) -> str:
    """The one spelling of a URL used for identity.

    >>> canonicalize("https://News.example/a/?utm_source=x&b=2&a=1#top")
    'https://news.example/a/?a=1&b=2'
    """
    return canonicalize_url(strip_tracking(url))


def body_fingerprint(body: str) -> str:
    """sha1 of the body's words, case-folded, so whitespace and case changes don't count.

    >>> body_fingerprint("Hello,  World") == body_fingerprint("hello world")
    True
    """
    return _fingerprint(_words(body))


def _words(body: str) -> list[str]:
    return _TOKEN.findall(body.casefold())


def _fingerprint(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def simhash(body: str) -> int:
    """64-bit simhash over word pairs, as a signed int (fits SQLite INTEGER and BIGINT).

    Bodies that differ in a few words land within a small Hamming distance.

    >>> simhash("the quick brown fox") == simhash("The  quick, brown fox!")
    True
    """
    return _simhash(_words(body))


def _simhash(words: list[str]) -> int:
    shingles = {a + " " + b for a, b in zip(words, words[1:])} or {" ".join(words)}
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(s.encode("utf-8"), digest_size=8).digest() for s in shingles])
    # Column-wise majority vote: byte j of every digest as one integer, then each of its 8 bits
    # counted over all digests at once with a mask of bit 0 of every byte.
    count = len(shingles)
    every_byte = int.from_bytes(b"\x01" * count, "big")
    value = 0
    for j in range(8):
        column = int.from_bytes(digests[j::8], "big")
        for k in range(7, -1, -1):
            value = (value << 1) | (2 * ((column >> k) & every_byte).bit_count() > count)
    return value - (1 << 64) if value >= 1 << 63 else value


def fingerprint_and_simhash(body: str) -> tuple[str, int]:
    """body_fingerprint(body), simhash(body): the body split into words once for both.

    >>> fingerprint_and_simhash("Hello,  World") == (body_fingerprint("hello world"), simhash("hello world"))
    True
    """
    words = _words(body)
    return _fingerprint(words), _simhash(words)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two signed 64-bit simhashes."""
    return bin((a ^ b) & 0xFFFFFFFFFFFFFFFF).count("1")
