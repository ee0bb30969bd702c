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
    words = _TOKEN.findall(body.casefold())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def simhash(body: str) -> int:
    """64-bit simhash over word pairs, as a signed int (fits SQLite INTEGER and BIGINT).

    Bodies that differ in a few words land within a small Hamming distance.
    """
    words = _TOKEN.findall(body.casefold())
    shingles = {" ".join(words[i:i + 2]) for i in range(max(1, len(words) - 1))}
    bits = [
        format(int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big"), "064b")
        for s in shingles
    ]
    # Column-wise majority vote; zip over the bit strings keeps the loop in C.
    half = len(bits) / 2
    value = int("".join("1" if column.count("1") > half else "0" for column in zip(*bits)), 2)
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two signed 64-bit simhashes."""
    return bin((a ^ b) & 0xFFFFFFFFFFFFFFFF).count("1")
