"""Date parsing: ISO 8601 and dates written as text, in several languages, to ISO strings.

Output keeps the offset written on the page (no conversion, so the calendar day stays the one
printed): "2026-03-14T09:30:00-05:00"; a time without a zone stays naive; a date alone stays a date.
"""
from __future__ import annotations

import datetime as dt
import re

from .datewords import MONTHS, TZ_OFFSETS

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?(?!\d)|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?)?", re.I)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})(?:[:.h](\d{2}))(?::(\d{2}))?(?!\d)(?![./-]\d)\s*"
    r"(a\.?\s?m\.?|p\.?\s?m\.?|uhr|h)?(?![a-z])\s*"
    r"(\(?(?:[A-Z]{2,5}|UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?|[+-]\d{2}:?\d{2})?", re.I)
_TIME_AMPM = re.compile(r"(?<![\d:])(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?![a-z])\s*(\(?[A-Z]{2,5}\)?)?", re.I)
_MONTH_WORD = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# "March 14, 2026", "Mar. 14th 2026"
_MDY = re.compile(r"(?<![\w])(" + _MONTH_WORD + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I)
# "14 March 2026", "14. März 2026", "14 de marzo de 2026", "14th of March, 2026"
_DMY = re.compile(r"(?<![\w])(\d{1,2})(?:st|nd|rd|th|er|e|\.|º)?\s*(?:of\s+|de\s+|d')?(" + _MONTH_WORD
                  + r")\.?,?\s*(?:de\s+|del\s+)?(\d{4})(?!\d)", re.I)
# "2026年3月14日", "2026년 3월 14일", "2026. 3. 14."
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_NUM_YMD = re.compile(r"(?<![\d.])(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?![\d])")
_NUM_DMY = re.compile(r"(?<![\d.:/])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")

MIN_YEAR, MAX_YEAR = 1990, 2100


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return MIN_YEAR <= y <= MAX_YEAR


def _offset(tz: str | None) -> str | None:
    """Normalise a zone designator to "+HH:MM".

    >>> _offset("Z"), _offset("+0530"), _offset("EST"), _offset("GMT+2"), _offset("XYZ")
    ('+00:00', '+05:30', '-05:00', '+02:00', None)
    """
    if not tz:
        return None
    tz = tz.strip("() ").upper()
    if tz == "Z":
        return "+00:00"
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", tz)
    if m:
        h, mi = int(m[2]), int(m[3] or 0)
        if h > 14 or mi > 59:
            return None
        return f"{m[1]}{h:02d}:{mi:02d}"
    return TZ_OFFSETS.get(tz)


def _fmt(y, m, d, hh=None, mi=None, ss=None, tz=None) -> str | None:
    if not _valid(y, m, d):
        return None
    if hh is None:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if hh > 23 or mi > 59 or (ss or 0) > 59:
        return f"{y:04d}-{m:02d}-{d:02d}"
    out = f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}:{(ss or 0):02d}"
    off = _offset(tz)
    return out + off if off else out


def parse_iso(value: str | None) -> str | None:
    """An ISO-8601-ish machine date (meta content, datetime attribute, JSON-LD) -> ISO string.

    >>> parse_iso("2026-03-14T09:30:00Z")
    '2026-03-14T09:30:00+00:00'
    >>> parse_iso("2026-03-14 09:30:00.123+0100")
    '2026-03-14T09:30:00+01:00'
    >>> parse_iso("2026-03-14")
    '2026-03-14'
    >>> parse_iso("Sat, 14 Mar 2026 09:30:00 GMT")
    '2026-03-14T09:30:00+00:00'
    """
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    m = _ISO.search(value[:80])
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if m[4] is not None:
            return _fmt(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0), m[7])
        return _fmt(y, mo, d)
    m = _COMPACT.match(value)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if m[4]:
            return _fmt(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0), m[7])
        return _fmt(y, mo, d)
    if value.isdigit() and len(value) in (10, 13):  # unix timestamp
        try:
            ts = int(value[:10])
            return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return parse_text(value)


def _find_time(text: str):
    m = _TIME.search(text)
    if m:
        hh, mi, ss = int(m[1]), int(m[2]), int(m[3] or 0)
        ampm = (m[4] or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hh < 12:
            hh += 12
        elif ampm == "am" and hh == 12:
            hh = 0
        tz = m[5]
        if tz and _offset(tz) is None:
            tz = None
        return hh, mi, ss, tz
    m = _TIME_AMPM.search(text)
    if m:
        hh = int(m[1])
        pm = m[2].lower().startswith("p")
        if pm and hh < 12:
            hh += 12
        elif not pm and hh == 12:
            hh = 0
        tz = m[3] if m[3] and _offset(m[3]) else None
        return hh, 0, 0, tz
    return None


def parse_text(text: str | None, dayfirst: bool = True, with_time: bool = True) -> str | None:
    """The first date written in a piece of text, with its time and zone when given next to it.

    >>> parse_text("Published March 14, 2026 9:30 AM EST")
    '2026-03-14T09:30:00-05:00'
    >>> parse_text("14. März 2026, 18:05 Uhr")
    '2026-03-14T18:05:00'
    >>> parse_text("Updated 03/14/2026", dayfirst=False)
    '2026-03-14'
    >>> parse_text("14.03.2026 - Updated: 15.03.2026")
    '2026-03-14'
    >>> parse_text("no date here") is None
    True
    """
    if not text:
        return None
    text = text[:300]
    found = None
    for rx, order in ((_ISO, "iso"), (_MDY, "mdy"), (_DMY, "dmy"), (_CJK, "ymd"),
                      (_NUM_YMD, "ymd"), (_NUM_DMY, "num")):
        m = rx.search(text)
        if not m:
            continue
        if order == "iso":
            return parse_iso(m[0])
        if order == "mdy":
            y, mo, d = int(m[3]), MONTHS.get(m[1].lower().rstrip(".")), int(m[2])
        elif order == "dmy":
            y, mo, d = int(m[3]), MONTHS.get(m[2].lower().rstrip(".")), int(m[1])
        elif order == "ymd":
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        else:
            a, b, y = int(m[1]), int(m[3]), int(m[4])
            if y < 100:
                y += 2000
            if a > 12:
                d, mo = a, b
            elif b > 12:
                mo, d = a, b
            elif m[2] == "." or dayfirst:
                d, mo = a, b
            else:
                mo, d = a, b
        if not mo or not _valid(y, mo, d):
            continue
        if found is None or m.start() < found[0]:
            found = (m.start(), m.end(), y, mo, d)
    if found is None:
        return None
    start, end, y, mo, d = found
    if with_time:
        t = _find_time(text[end:end + 40]) or _find_time(text[max(0, start - 25):start])
        if t:
            return _fmt(y, mo, d, *t)
    return _fmt(y, mo, d)


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")
_URL_DATE_COMPACT = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")


_URL_DATE_WORD = re.compile(r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|-|$)", re.I)


def date_from_url(url: str | None) -> str | None:
    """A date embedded in an article URL path ("/2026/03/14/", "/20260314-", "/2026/mar/14/").

    >>> date_from_url("https://x.com/2026/03/14/some-story/")
    '2026-03-14'
    >>> date_from_url("https://x.com/news/20260314-story") , date_from_url("https://x.com/a/b")
    ('2026-03-14', None)
    """
    if not url:
        return None
    for rx in (_URL_DATE, _URL_DATE_COMPACT):
        m = rx.search(url)
        if m:
            return _fmt(int(m[1]), int(m[2]), int(m[3]))
    m = _URL_DATE_WORD.search(url)
    if m and MONTHS.get(m[2].lower()):
        return _fmt(int(m[1]), MONTHS[m[2].lower()], int(m[3]))
    return None


# an article id stamped with its date: "/news/A2026031409300001", "/story/20260314093000123"
_URL_ID_DATE = re.compile(r"/[A-Za-z]{0,3}((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{0,12}(?:[/?#._-]|$)")


def date_from_url_id(url: str | None) -> str | None:
    """The date of a date-stamped article id in the URL path (weaker than a dated path: only
    used when the page declares and prints no date).

    >>> date_from_url_id("https://x.com/news/article/A2026031409300001"), date_from_url_id("https://x.com/a/12345")
    ('2026-03-14', None)
    """
    if not url:
        return None
    m = _URL_ID_DATE.search(url.split("?", 1)[0])
    return _fmt(int(m[1]), int(m[2]), int(m[3])) if m else None


def day_of(value: str | None) -> str | None:
    """The calendar-day part of an ISO string.

    >>> day_of("2026-03-14T09:30:00+00:00")
    '2026-03-14'
    """
    return value[:10] if value else None


def _to_dt(value: str):
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def days_between(a: str, b: str) -> int:
    """Whole days from the calendar day of a to that of b.

    >>> days_between("2026-03-14", "2026-03-16T01:00:00+00:00")
    2
    """
    try:
        return (dt.date.fromisoformat(b[:10]) - dt.date.fromisoformat(a[:10])).days
    except ValueError:
        return 0


def is_utc(value: str | None) -> bool:
    """True for a date-time written in UTC.

    >>> is_utc("2026-03-14T03:00:00+00:00"), is_utc("2026-03-14")
    (True, False)
    """
    return bool(value) and len(value) > 10 and value.endswith("+00:00")


def same_instant_elsewhere(utc_value: str, local: str) -> bool:
    """True when `local` is the same moment as `utc_value` written in a non-UTC zone.

    >>> same_instant_elsewhere("2023-12-23T03:22:07+00:00", "2023-12-22T22:22:07-05:00")
    True
    >>> same_instant_elsewhere("2023-12-23T03:22:07+00:00", "2023-12-20T22:22:07-05:00")
    False
    """
    a, b = _to_dt(utc_value), _to_dt(local)
    if a is None or b is None or b.tzinfo is None or b.utcoffset() == dt.timedelta(0):
        return False
    return abs((a - b).total_seconds()) <= 120 and a.date() != b.date()
