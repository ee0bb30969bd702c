"""Timestamps and date bounds as the store compares them (ISO text)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from .errors import StoreError


def utc_now() -> str:
    """Now, as "2026-03-14T09:30:00+00:00"."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _utc(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def change_time(crawled_at) -> str:
    """When a put changed the archive: the item's crawled_at in UTC, else now."""
    if crawled_at:
        try:
            return _utc(datetime.fromisoformat(str(crawled_at).replace("Z", "+00:00")))
        except ValueError:
            pass
    return utc_now()


def _parse(value, name):
    """Return (is_date_only, date|datetime); StoreError on anything else."""
    if isinstance(value, datetime):
        return False, value
    if isinstance(value, date):
        return True, value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return True, date.fromisoformat(text)
        return False, datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise StoreError(f"{name}: {value!r} is not a date (YYYY-MM-DD) or ISO datetime") from None


def lower_bound(value, name: str, utc: bool = False) -> str:
    """Inclusive lower bound as comparable ISO text."""
    date_only, v = _parse(value, name)
    if date_only:
        return v.isoformat()
    return _utc(v) if utc or v.tzinfo is not None else v.isoformat()


def upper_bound(value, name: str) -> tuple[str, str]:
    """(operator, bound): a date covers its whole day, a datetime is inclusive."""
    date_only, v = _parse(value, name)
    if date_only:
        return "<", (v + timedelta(days=1)).isoformat()
    return "<=", _utc(v) if v.tzinfo is not None else v.isoformat()
