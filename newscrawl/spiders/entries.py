"""One entry of a feed or sitemap: where it points and what the source says about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from newscrawl.spiders.dates import day_of


@dataclass(frozen=True)
class Entry:
    """A link announced by a feed or sitemap, with the source's claims (normalised ISO dates).

    published/title: the feed's or Google News sitemap's own values, fallbacks for the article.
    modified: a feed entry's updated date (Atom <updated>), a fallback for date_modified.
    lastmod: when the source says the page last changed (sitemap <lastmod>, Atom <updated>).
    """

    url: str
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    lastmod: str | None = None

    @property
    def newest_day(self) -> date | None:
        """The latest day any of the entry's dates names."""
        days = [d for d in map(day_of, (self.published, self.modified, self.lastmod)) if d]
        return max(days) if days else None

    def older_than(self, since: date | None) -> bool:
        """True when the entry is dated and every date is before `since` (undated entries are kept)."""
        newest = self.newest_day
        return since is not None and newest is not None and newest < since

    def fallbacks(self) -> dict:
        """Article fields the entry can fill when the page lacks them."""
        values = {"title": self.title, "date_published": self.published, "date_modified": self.modified}
        return {name: value for name, value in values.items() if value}


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Dated entries newest first (by publication, else last change), then undated ones in source order.

    >>> [e.url for e in newest_first([Entry("a"), Entry("b", published="2026-03-01"),
    ...                               Entry("c", lastmod="2026-03-02T08:00:00+00:00")])]
    ['c', 'b', 'a']
    """
    keyed = [(_moment(e.published) or _moment(e.modified) or _moment(e.lastmod), e) for e in entries]
    dated = sorted(((m, e) for m, e in keyed if m), key=lambda pair: pair[0], reverse=True)
    return [e for _, e in dated] + [e for m, e in keyed if not m]
