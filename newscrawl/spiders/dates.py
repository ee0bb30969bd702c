"""Dates as feeds, sitemaps and URLs write them, normalised for article fallbacks and `since`."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=/|-|$)")
_W3C_SHORT = re.compile(r"^(\d{4})(?:-(\d{2}))?$")  # "2026" and "2026-03": W3C datetime's coarse forms


def parse_date(value: str | None) -> str | None:
    """ISO 8601 from a W3C/ISO or RFC 822 date; a date alone, or a time without zone, stays a date.

    >>> parse_date("2026-03-14T09:30:00Z")
    '2026-03-14T09:30:00+00:00'
    >>> parse_date("Sat, 14 Mar 2026 09:30:00 +0100")
    '2026-03-14T09:30:00+01:00'
    >>> parse_date("2026-03-14T09:30:00")  # no zone: the time is not known in UTC terms
    '2026-03-14'
    >>> parse_date("2026-03-14"), parse_date("soon")
    ('2026-03-14', None)
    """
    text = (value or "").strip()
    if not text:
        return None
    if _W3C_SHORT.match(text):
        return None  # a year or a month is not a day
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.tzinfo is None and re.search(r"[-+]0000\s*$|\b(?:GMT|UT|UTC|Z)\s*$", text):
            parsed = parsed.replace(tzinfo=timezone.utc)  # RFC 822 "-0000": UTC, source unknown
    if len(text) == 10 or parsed.tzinfo is None:
        return parsed.date().isoformat()
    return parsed.replace(microsecond=0).isoformat()


def day_of(value: str | None) -> date | None:
    """The calendar day of a normalised date, as the publisher wrote it.

    >>> day_of("2026-03-14T23:30:00-05:00")
    datetime.date(2026, 3, 14)
    """
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def url_date(url: str) -> date | None:
    """The publication day written in an article URL's path, if any.

    >>> url_date("https://a.example/2026/03/14/slug/")
    datetime.date(2026, 3, 14)
    >>> url_date("https://a.example/world/slug/") is None
    True
    """
    match = _URL_DATE.search(url.split("?", 1)[0])
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_since(value: str) -> date:
    """A YYYY-MM-DD day; ValueError otherwise.

    >>> parse_since("2026-03-05")
    datetime.date(2026, 3, 5)
    """
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)
