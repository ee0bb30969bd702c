"""Text helpers: decoding page bytes, parsing once, whitespace and element text.

Everything here is small and pure; the rest of the package builds on it.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from w3lib.encoding import html_to_unicode

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_FALLBACK_ENCODINGS = ("utf-8", "cp1252")


def _detect(data: bytes) -> str | None:
    """Fallback charset guess when nothing is declared: UTF-8 if it decodes, else cp1252.

    >>> _detect("café".encode("utf-8")), _detect("café".encode("latin-1"))
    ('utf-8', 'cp1252')
    """
    for enc in _FALLBACK_ENCODINGS:
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def to_text(html: str | bytes | None) -> str:
    """Page bytes or text -> text: BOM, then <meta charset>, then detection.

    >>> to_text(b'<meta charset="iso-8859-1"><p>caf\\xe9</p>')[-8:]
    'café</p>'
    >>> to_text(b"\\xef\\xbb\\xbf<p>x</p>")
    '<p>x</p>'
    """
    if html is None:
        return ""
    if isinstance(html, str):
        return html
    if not isinstance(html, (bytes, bytearray)):
        return str(html)
    data = bytes(html)
    try:
        _, text = html_to_unicode(None, data, default_encoding="utf-8", auto_detect_fun=_detect)
    except Exception:  # unknown codec names and the like
        text = data.decode("utf-8", "replace")
    return text


# plain lxml elements (no lxml.html class lookup): iteration is the hot path
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8",
                           collect_ids=False, default_doctype=False, recover=True)


# libxml2 checks each attribute against the tag's others: a tag with tens of thousands of
# attributes takes seconds to parse. Such a tag (never seen on a real page) loses its attributes.
MANY_ATTRIBUTES = 20000
_LONG_TAG = re.compile(rb"<([A-Za-z][\w:-]*)[^<>]{20000,}>?")


def _thin_attributes(data: bytes) -> bytes:
    """Page bytes with every tag of over MANY_ATTRIBUTES // 10 attributes reduced to its name.

    >>> _thin_attributes(b"<div " + b"a=1 " * 9000 + b">x</div>")
    b'<div>x</div>'
    """
    def repl(m):
        return b"<" + m[1] + b">" if m[0].count(b"=") > MANY_ATTRIBUTES // 10 else m[0]
    return _LONG_TAG.sub(repl, data)


def parse(html: str | bytes | None):
    """Parse a page once; returns the <html> root element or None for an empty or broken page.

    >>> parse("<p>Hello</p>").tag, parse("") is None
    ('html', True)
    """
    text = to_text(html)
    if not text or not text.strip():
        return None
    text = _XML_DECL.sub("", text, count=1)
    data = text.encode("utf-8", "replace")
    if data.count(b"=") > MANY_ATTRIBUTES:
        data = _thin_attributes(data)
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root


def clean(text: str | None) -> str | None:
    """Collapse whitespace, drop invisible characters; empty -> None.

    >>> clean("  Hello\\u00a0\\n world \\u200b")
    'Hello world'
    >>> clean("  ") is None
    True
    """
    if not text:
        return None
    return " ".join(_visible(text).split()) or None


def _visible(text: str) -> str:
    """text without zero-width and soft-hyphen characters. Most texts have none: eight substring
    searches find that out several times faster than one scan of the regular expression."""
    if text.isascii() or not any(c in text for c in _INVISIBLE_CHARS):
        return text
    return _INVISIBLE.sub("", text)


def squash(text: str) -> str:
    """Whitespace-collapsed text, never None.

    >>> squash(" a \\n b ")
    'a b'
    """
    return " ".join(_visible(text).split())  # str.split() knows the Unicode spaces


def el_text(el) -> str:
    """Visible text of an element, whitespace collapsed (script/style children skipped).

    >>> el_text(parse("<div>a <b>b</b><script>x</script> c</div>").find(".//div"))
    'a b c'
    """
    parts: list[str] = []
    _collect(el, parts)
    return squash("".join(parts)) if parts else ""


_SKIP_TEXT = frozenset(("script", "style", "noscript", "template"))


_BREAKS = frozenset("br p div li h1 h2 h3 h4 h5 h6 td th tr dd dt section article header footer ul ol "
                    "blockquote time".split())


def _collect(el, parts: list) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP_TEXT:
            _collect(child, parts)
            if tag in _BREAKS:  # block boundaries separate words even without whitespace
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def absolute(url: str | None, base: str | None) -> str | None:
    """Make a URL absolute against the page URL; None stays None.

    >>> absolute("/a/b.jpg", "https://x.org/news/1")
    'https://x.org/a/b.jpg'
    >>> absolute("//cdn.x.org/i.png", "https://x.org/")
    'https://cdn.x.org/i.png'
    >>> absolute("http://[::1", "https://x.org/"), absolute("https://a.example:99999/", "")
    (None, None)
    """
    url = clean(url)
    if not url:
        return None
    if url.startswith(("data:", "javascript:", "about:")):
        return None
    try:
        out = urljoin(base or "", url)
        urlsplit(out).port  # noqa: B018 -- raises for "http://[::1" or a port over 65535
    except ValueError:
        return None
    return out


def classes_of(el) -> str:
    """Lower-cased "class id" string of an element, for pattern matching.

    >>> classes_of(parse('<div class="A b" id="C"></div>').find(".//div"))
    'a b c'
    """
    c = el.get("class") or ""
    i = el.get("id") or ""
    if not c and not i:
        return ""
    return (c + " " + i).lower().strip()
