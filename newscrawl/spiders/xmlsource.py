"""Reading untrusted XML (sitemaps, feeds) safely: bounded gunzip, no entities, no network, streaming."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from io import BytesIO

from lxml import etree

# The sitemap protocol's own limit for one uncompressed file; feeds are far smaller.
MAX_XML_BYTES = 50 * 1024 * 1024

# The element that holds one entry, by the document's root element.
RECORDS = {"urlset": "url", "sitemapindex": "sitemap", "rss": "item", "rdf": "item", "feed": "entry"}


def local_name(tag) -> str:
    """An element's name without its namespace, lower-cased ('' for comments and PIs).

    >>> local_name("{http://www.sitemaps.org/schemas/sitemap/0.9}urlset")
    'urlset'
    """
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def decompress(body: bytes, max_size: int = MAX_XML_BYTES) -> bytes | None:
    """The body, gunzipped if it is gzip data; None if corrupt or larger than max_size unpacked."""
    if body[:2] != b"\x1f\x8b":
        return body if len(body) <= max_size else None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_size + 1)
    except zlib.error:
        return None
    return data if 0 < len(data) <= max_size else None


def iter_records(data: bytes) -> Iterator[tuple[str, etree._Element]]:
    """Yield (root name, record element) for each <url>, <sitemap>, <item> or <entry>.

    Each record is cleared once the caller is done with it, so memory stays flat on
    50 MB sitemaps. Entities are not expanded and nothing is fetched; a document that
    stops parsing part way yields the records read until then.
    """
    root = None
    record = None
    parser = etree.iterparse(
        BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
    )
    try:
        for event, element in parser:
            if root is None:
                root = local_name(element.tag)
                record = RECORDS.get(root)
                if record is None:
                    return  # not a sitemap or feed (an HTML error page, say)
                continue
            if event == "end" and local_name(element.tag) == record:
                yield root, element
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError:
        return


def child_text(element, name: str) -> str | None:
    """Stripped text of the first direct child with this local name; None if absent or empty."""
    for child in element:
        if local_name(child.tag) == name:
            text = "".join(child.itertext()).strip()
            return text or None
    return None


def child(element, name: str):
    """The first direct child with this local name, or None."""
    for node in element:
        if local_name(node.tag) == name:
            return node
    return None
