"""Store interface and the logic both backends share.

SQL here is written with ``%s`` placeholders (psycopg style); the SQLite
backend converts them to ``?``.  Values always travel as parameters.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from contextlib import contextmanager
from collections.abc import Iterable, Iterator

from .errors import StoreError
from .timeutil import change_time, lower_bound, upper_bound

ITEM_FIELDS = (
    "url", "canonical_url", "site", "section", "title", "byline", "authors",
    "date_published", "date_modified", "body", "description", "tags", "image",
    "language", "word_count", "fingerprint", "crawled_at",
)
LIST_FIELDS = frozenset({"authors", "tags"})
EXPORT_FIELDS = ITEM_FIELDS + ("revision",)
SCHEMA_VERSION = 1
NEAR_DISTANCE = 3
_MASK64 = (1 << 64) - 1
_CHUNK = 500
_COLS = ", ".join(ITEM_FIELDS)
_VALS = ", ".join(["%s"] * len(ITEM_FIELDS))
_SETS = ", ".join(f"{f} = %s" for f in ITEM_FIELDS)
# The per-article statements, built once (the drivers cache prepared statements by SQL text).
_SELECT_ARTICLE = "SELECT id, title, fingerprint FROM articles WHERE canonical_url = %s"
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_COLS}, revision, first_seen, last_changed,"
    " simhash, band0, band1, band2, band3)"
    f" VALUES ({_VALS}, 1, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (canonical_url) DO NOTHING RETURNING id")
_FINGERPRINT_MATCHES = ("SELECT 0, id, canonical_url, simhash FROM articles"
                        " WHERE fingerprint = %s AND canonical_url <> %s")
_BAND_MATCHES = ("SELECT 1, id, canonical_url, simhash FROM articles WHERE (band0 = %s OR band1 = %s"
                 " OR band2 = %s OR band3 = %s) AND canonical_url <> %s")
_INSERT_SEEN = {n: "INSERT INTO seen_urls (url, canonical_url) VALUES "
                   + ", ".join(["(%s, %s)"] * n) + " ON CONFLICT (url) DO NOTHING" for n in (1, 2)}


def to_signed64(value: int) -> int:
    """Fold any int into the signed 64-bit range (SQLite INTEGER / PG BIGINT)."""
    value &= _MASK64
    return value - (1 << 64) if value >= (1 << 63) else value


def bands(simhash: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands of a 64-bit simhash, lowest first."""
    u = simhash & _MASK64
    return tuple((u >> (16 * i)) & 0xFFFF for i in range(4))


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit simhashes."""
    return ((a ^ b) & _MASK64).bit_count()


class Store(ABC):
    """Archive of articles keyed on canonical_url (see docs/contracts)."""

    _for_update = ""          # row lock suffix for SELECTs inside put()
    # put() tries the INSERT before looking the article up: in a crawl most articles are new, and
    # an INSERT that conflicts costs about what the SELECT it saves does. Off for PostgreSQL, where
    # a conflicting INSERT still takes an id from the sequence and may build the whole row (its
    # generated tsvector) before it meets the conflict: there put() works as it always did.
    _insert_first = False
    _db_errors: tuple = ()    # driver exceptions turned into StoreError
    label = "store"
    fetch_rows = 500          # rows per round trip when streaming

    def __init__(self, batch_size: int = 50):
        if not isinstance(batch_size, int) or batch_size < 1:
            raise StoreError(f"batch_size must be a positive int, not {batch_size!r}")
        self.batch_size = batch_size
        self.closed = False
        # URLs this connection recorded: lets a crawl tell "archived before this run" from its own work.
        self.urls_recorded: set[str] = set()

    # -- backend hooks ---------------------------------------------------
    @abstractmethod
    def _execute(self, sql: str, params=()):
        """Run one statement, return a cursor."""

    @abstractmethod
    def _stream(self, sql: str, params=()) -> Iterator[tuple]:
        """Yield result rows without loading them all."""

    @abstractmethod
    def _fts(self, query: str) -> tuple[str, list]:
        """WHERE fragment and params matching ``query`` on title+body."""

    @abstractmethod
    def _write(self, fn, *args):
        """Run a write operation inside the open batch; commit when full."""

    @abstractmethod
    def flush(self) -> None:
        """Commit the open batch."""

    @abstractmethod
    def _close(self) -> None:
        """Close the connection."""

    def _recover(self) -> None:
        """Bring the connection back to a usable state after a driver error."""

    def _encode_list(self, value):
        return None if value is None else json.dumps(list(value), ensure_ascii=False)

    def _decode_list(self, value):
        return json.loads(value) if isinstance(value, str) else value

    # -- shared plumbing -------------------------------------------------
    @contextmanager
    def _guard(self, what: str):
        if self.closed:
            raise StoreError(f"{self.label}: {what} on a closed store")
        try:
            yield
        except (*self._db_errors, UnicodeError) as exc:
            self._recover()
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{self.label}: {what} failed: {msg}") from exc

    def _one(self, sql, params=()):
        rows = self._execute(sql, params).fetchall()
        return rows[0] if rows else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Commit the open batch and close; closing twice is harmless."""
        if self.closed:
            return
        try:
            self.flush()
        finally:
            self.closed = True
            self._close()

    # -- writes ----------------------------------------------------------
    def put(self, article: dict, *, simhash: int) -> str:
        """Store an article: "new", "revised" (title/fingerprint changed) or "unchanged"."""
        row = self._row(article)
        return self._write(self._put_row, row, to_signed64(int(simhash)))

    def mark_seen(self, url: str, canonical_url: str) -> None:
        """Record another URL at which an archived article was fetched."""
        if url:
            self._write(self._seen, url, canonical_url)

    def _row(self, article: dict) -> dict:
        row = {}
        for f in ITEM_FIELDS:
            v = article.get(f)
            if isinstance(v, str):
                v = v.replace("\x00", "")
            elif f in LIST_FIELDS and isinstance(v, (list, tuple)):
                v = [str(x).replace("\x00", "") for x in v]
            elif v is not None and f != "word_count":
                kind = "a list of strings" if f in LIST_FIELDS else "text"
                raise StoreError(f"article field {f} must be {kind} or None, not {type(v).__name__}")
            row[f] = v
        for required in ("url", "fingerprint"):
            if not row[required]:
                raise StoreError(f"cannot store an article without {required}")
        row["canonical_url"] = row["canonical_url"] or row["url"]
        if row["word_count"] is not None:
            try:
                row["word_count"] = int(row["word_count"])
            except (TypeError, ValueError):
                raise StoreError(f"article field word_count must be an int, "
                                 f"not {row['word_count']!r}") from None
        return row

    def _values(self, row: dict) -> list:
        return [self._encode_list(row[f]) if f in LIST_FIELDS else row[f] for f in ITEM_FIELDS]

    def _put_row(self, row: dict, simhash: int) -> str:
        key = row["canonical_url"]
        when = change_time(row["crawled_at"])
        hashcols = [simhash, *bands(simhash)]
        cur = None if self._insert_first else self._one(_SELECT_ARTICLE + self._for_update, (key,))
        status = "unchanged"
        if cur is None:
            new = self._one(_INSERT_ARTICLE, [*self._values(row), when, when, *hashcols])
            if new is not None:
                status = "new"
            else:  # already archived, or another writer inserted it meanwhile
                cur = self._one(_SELECT_ARTICLE + self._for_update, (key,))
        if cur is not None and (cur[1], cur[2]) != (row["title"], row["fingerprint"]):
            self._execute(
                f"INSERT INTO revisions (article_id, revision, {_COLS})"
                f" SELECT id, revision, {_COLS} FROM articles WHERE id = %s", (cur[0],))
            self._execute(
                f"UPDATE articles SET {_SETS}, revision = revision + 1, last_changed = %s,"
                " simhash = %s, band0 = %s, band1 = %s, band2 = %s, band3 = %s WHERE id = %s",
                [*self._values(row), when, *hashcols, cur[0]])
            status = "revised"
        if key != row["url"]:
            self._seen(row["url"], key, key, key)  # both in one statement: one round trip, not two
        else:
            self._seen(row["url"], key)
        return status

    def _seen(self, *pairs: str) -> None:
        """Record (url, canonical_url) pairs, given flat: url1, canonical1[, url2, canonical2]."""
        self.urls_recorded.update(pairs[::2])
        self._execute(_INSERT_SEEN[len(pairs) // 2], pairs)

    # -- reads -----------------------------------------------------------
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The URLs among ``urls`` archived as canonical or fetched URL."""
        wanted = list(dict.fromkeys(u for u in urls if u))
        found: set[str] = set()
        with self._guard("known_urls"):
            for i in range(0, len(wanted), _CHUNK):
                part = wanted[i:i + _CHUNK]
                marks = ", ".join(["%s"] * len(part))
                cur = self._execute(f"SELECT url FROM seen_urls WHERE url IN ({marks})", part)
                found.update(r[0] for r in cur.fetchall())
        return found

    def find_duplicate(self, canonical_url: str, fingerprint: str | None,
                       simhash: int | None) -> tuple[str, str] | None:
        """("fingerprint"|"near", other canonical_url) or None."""
        # One statement for both checks (every crawled article comes here): fingerprint matches
        # (kind 0) sort before band matches (kind 1), each oldest first, as two queries would.
        with self._guard("find_duplicate"):
            parts, params = [], []
            if fingerprint:
                parts.append(_FINGERPRINT_MATCHES)
                params += [fingerprint, canonical_url]
            if simhash is not None:
                simhash = to_signed64(int(simhash))
                parts.append(_BAND_MATCHES)
                params += [*bands(simhash), canonical_url]
            if not parts:
                return None
            cur = self._execute(" UNION ALL ".join(parts) + " ORDER BY 1, 2", params)
            for kind, _, other, other_hash in cur:
                if kind == 0:
                    return ("fingerprint", other)
                if other_hash is not None and hamming(other_hash, simhash) <= NEAR_DISTANCE:
                    return ("near", other)
        return None

    def count(self) -> int:
        """Number of archived articles (latest revisions only)."""
        with self._guard("count"):
            return self._one("SELECT count(*) FROM articles")[0]

    def iter_articles(self, *, site=None, section=None, since=None, until=None,
                      changed_since=None, query=None, revisions=False) -> Iterator[dict]:
        """Stream articles (oldest stored first), optionally with earlier revisions.

        since/until bound date_published (YYYY-MM-DD or ISO datetime, until
        inclusive); changed_since bounds the time an article was new or revised.
        """
        where, params = [], []
        for col, val in (("site", site), ("section", section)):
            if val is not None:
                where.append(f"{col} = %s")
                params.append(val)
        if since is not None:
            where.append("date_published >= %s")
            params.append(lower_bound(since, "since"))
        if until is not None:
            op, val = upper_bound(until, "until")
            where.append(f"date_published {op} %s")
            params.append(val)
        if changed_since is not None:
            where.append("last_changed >= %s")
            params.append(lower_bound(changed_since, "changed_since", utc=True))
        if query is not None:
            frag, qparams = self._fts(query)
            where.append(frag)
            params.extend(qparams)
        sql = f"SELECT {_COLS}, revision, id FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        return self._iter(sql, params, revisions)

    def _iter(self, sql, params, revisions) -> Iterator[dict]:
        with self._guard("iter_articles"):
            for row in self._stream(sql, params):
                if revisions and row[-2] > 1:
                    old = self._execute(f"SELECT {_COLS}, revision FROM revisions"
                                        " WHERE article_id = %s ORDER BY revision", (row[-1],))
                    for rev in old.fetchall():
                        yield self._item(rev)
                yield self._item(row)

    def _item(self, row) -> dict:
        item = dict(zip(EXPORT_FIELDS, row))
        for f in LIST_FIELDS:
            item[f] = self._decode_list(item[f])
        return item

    # -- crawl bookkeeping (appended for newscrawl.middlewares: incremental runs) ----
    def archive_dates(self, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """{url: (date_published, crawled_at)} of the article each archived URL belongs to.

        Only the URLs among ``urls`` that known_urls() would report appear; the values are the
        latest revision's, for re-fetch decisions (-a refresh_days, sitemap lastmod).
        """
        wanted = list(dict.fromkeys(u for u in urls if u))
        found: dict[str, tuple[str | None, str | None]] = {}
        with self._guard("archive_dates"):
            for i in range(0, len(wanted), _CHUNK):
                part = wanted[i:i + _CHUNK]
                marks = ", ".join(["%s"] * len(part))
                cur = self._execute(
                    "SELECT s.url, a.date_published, a.crawled_at FROM seen_urls s"
                    " LEFT JOIN articles a ON a.canonical_url = s.canonical_url"
                    f" WHERE s.url IN ({marks})", part)
                found.update((url, (published, crawled)) for url, published, crawled in cur.fetchall())
        return found

    def get_crawl_state(self, key: str) -> str | None:
        """A value saved by set_crawl_state() (kept in the meta table as "crawl:KEY"), or None."""
        with self._guard("get_crawl_state"):
            row = self._one("SELECT value FROM meta WHERE key = %s", ("crawl:" + key,))
        return row[0] if row else None

    def set_crawl_state(self, key: str, value: str) -> None:
        """Save crawl bookkeeping (e.g. "a walk of this section is under way") and commit at once."""
        self._write(self._put_crawl_state, "crawl:" + key, value)
        self.flush()

    def _put_crawl_state(self, key: str, value: str) -> None:
        self._execute("INSERT INTO meta (key, value) VALUES (%s, %s)"
                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
