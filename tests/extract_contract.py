"""The typed contract of extract_article's result, checked on every fuzz case.

`check_result(result, url)` raises AssertionError naming the field that breaks it.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

FIELDS = ("title", "byline", "authors", "date_published", "date_modified", "body", "canonical_url",
          "section", "tags", "description", "image", "language", "site")
TEXT_FIELDS = ("title", "byline", "body", "section", "description", "site", "language")
URL_FIELDS = ("canonical_url", "image")
DATE_FIELDS = ("date_published", "date_modified")
PAGE_KINDS = ("article", "listing", "other")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$")


def check_result(result, url: str = "") -> None:
    """Assert extract_article's typed contract on one result.

    The AssertionError reads "<field>: <what is wrong>: <value>". URLs must parse (a canonical_url
    urlsplit rejects makes the spider's canonicalize raise) and be absolute when the page URL is.
    """
    assert isinstance(result, dict), f"result: not a dict: {type(result).__name__}"
    keys = set(FIELDS) | {"page_kind"}
    assert set(result) == keys, f"result: wrong keys: {sorted(set(result) ^ keys)}"
    assert result["page_kind"] in PAGE_KINDS, f"page_kind: unknown kind: {result['page_kind']!r}"
    for name in TEXT_FIELDS + URL_FIELDS + DATE_FIELDS:
        value = result[name]
        assert value is None or isinstance(value, str), f"{name}: not str or None: {type(value).__name__}"
        if value is not None:
            assert value.strip(), f"{name}: blank instead of None: {value!r}"
            assert _storable(value), f"{name}: not encodable as UTF-8: {value!r}"
    for name in ("authors", "tags"):
        value = result[name]
        assert isinstance(value, list), f"{name}: not a list: {type(value).__name__}"
        for entry in value:
            assert isinstance(entry, str) and entry.strip(), f"{name}: blank or non-str entry: {entry!r}"
            assert _storable(entry), f"{name}: not encodable as UTF-8: {entry!r}"
    for name in DATE_FIELDS:
        value = result[name]
        if value is not None:
            assert _iso(value), f"{name}: not an ISO 8601 date or datetime: {value!r}"
    page_is_absolute = _parses(url) and urlsplit(url).scheme in ("http", "https")
    for name in URL_FIELDS:
        value = result[name]
        if value is not None:
            assert _parses(value), f"{name}: not a valid URL (urlsplit raises): {value!r}"
            if page_is_absolute:
                assert urlsplit(value).scheme, f"{name}: not absolute: {value!r}"
    body = result["body"]
    if body is not None:
        assert "\n\n\n" not in body, f"body: paragraphs not separated by exactly one blank line: {body[:200]!r}"
        assert body == body.strip(), f"body: leading or trailing whitespace: {body[:200]!r}"
        assert all(block.strip() for block in body.split("\n\n")), f"body: empty paragraph: {body[:200]!r}"


def _parses(url: str) -> bool:
    try:
        urlsplit(url).port  # noqa: B018 -- raises ValueError for a bad IPv6 host or port
    except ValueError:
        return False
    return True


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _iso(value: str) -> bool:
    try:
        if ISO_DATE.match(value):
            dt.date.fromisoformat(value)
            return True
        return bool(ISO_DATETIME.match(value)) and bool(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return False
