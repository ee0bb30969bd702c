"""PostgreSQL backend (psycopg 3): same behaviour as SQLite, concurrent-safe.

Concurrent writers rely on UNIQUE(canonical_url) + ON CONFLICT and row locks;
a deadlock between two open batches rolls ours back and replays it.
"""

from __future__ import annotations

import itertools
import random
import time

import psycopg
from psycopg import errors as pgerrors
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb

from .base import SCHEMA_VERSION, Store
from .errors import StoreError
from .pg_schema import SCHEMA

_RETRYABLE = (pgerrors.DeadlockDetected, pgerrors.SerializationFailure)
_names = itertools.count()


def _where(url: str) -> str:
    try:
        d = conninfo_to_dict(url)
    except psycopg.Error:
        return "the given URL"
    return f"{d.get('host', 'localhost')}:{d.get('port', 5432)}/{d.get('dbname', '')}"


def _line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class PostgresStore(Store):
    """Store in PostgreSQL tables (in the connection's current schema)."""

    _for_update = " FOR UPDATE"
    _db_errors = (psycopg.Error,)

    def __init__(self, url: str, *, batch_size: int = 50, readonly: bool = False):
        super().__init__(batch_size)
        where = _where(url)
        self.label = f"PostgreSQL store {where}"
        self._log: list = []  # writes of the open batch, replayed after a deadlock
        try:
            self._conn = psycopg.connect(url, autocommit=False, connect_timeout=10)
        except psycopg.Error as exc:
            self.closed = True
            raise StoreError(f"cannot connect to PostgreSQL at {where}: {_line(exc)}") from None
        try:
            self._setup(readonly)
        except psycopg.Error as exc:
            self.closed = True
            self._conn.close()
            raise StoreError(f"cannot set up {self.label}: {_line(exc)}") from None
        except StoreError:
            self.closed = True
            self._conn.close()
            raise

    def _setup(self, readonly: bool) -> None:
        c = self._conn
        exists = c.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
        if not exists:
            if readonly:
                raise StoreError(f"{self.label}: no newscrawl tables in this schema")
            c.execute("SELECT pg_advisory_xact_lock(hashtext('newscrawl schema ' || current_schema()))")
            for ddl in SCHEMA:
                c.execute(ddl)
            c.execute("INSERT INTO meta (key, value) VALUES ('schema_version', %s)"
                      " ON CONFLICT (key) DO NOTHING", (str(SCHEMA_VERSION),))
        row = c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        c.commit()
        if row is None or row[0] != str(SCHEMA_VERSION):
            found = row[0] if row else "none"
            raise StoreError(f"{self.label}: store schema version {found}, this newscrawl "
                             f"reads version {SCHEMA_VERSION}")
        if readonly:
            c.read_only = True

    def _recover(self) -> None:
        try:
            self._retry(None, ())  # an error aborts the transaction: replay the batch
        except (StoreError, psycopg.Error):
            pass

    def _encode_list(self, value):
        return None if value is None else Jsonb(list(value))

    def _execute(self, sql, params=()):
        return self._conn.execute(sql, params)

    def _stream(self, sql, params=()):
        idle = not self._log
        with self._conn.cursor(name=f"newscrawl_iter_{next(_names)}") as cur:
            cur.itersize = self.fetch_rows
            cur.execute(sql, params)
            yield from cur
        if idle and not self._log:
            self._conn.commit()  # end the read transaction; nothing pending to commit

    def _fts(self, query):
        if not str(query).strip():
            raise StoreError(f"query {query!r} has no words to search for")
        return "search @@ websearch_to_tsquery('english', %s)", [str(query)]

    def _write(self, fn, *args):
        if self.closed:
            raise StoreError(f"{self.label}: write on a closed store")
        try:
            result = fn(*args)
        except _RETRYABLE:
            result = self._retry(fn, args)
        except Exception as exc:
            self._retry(None, ())  # drop this write's partial effects, keep the batch
            if isinstance(exc, (psycopg.Error, UnicodeError)):
                raise StoreError(f"{self.label}: {fn.__name__.strip('_')} failed: "
                                 f"{_line(exc)}") from None
            raise
        self._log.append((fn, args))
        if len(self._log) >= self.batch_size:
            self.flush()
        return result

    def _retry(self, fn, args):
        """Roll back, replay the open batch, then run fn again."""
        for attempt in range(1, 8):
            self._conn.rollback()
            if fn is not None:  # a deadlock: let the other writer go first
                time.sleep(random.uniform(0, 0.05 * attempt))
            try:
                for f, a in self._log:
                    f(*a)
                return fn(*args) if fn else None
            except _RETRYABLE:
                continue
            except psycopg.Error as exc:
                self._conn.rollback()
                self._log.clear()
                raise StoreError(f"{self.label}: batch lost on replay: {_line(exc)}") from None
        self._conn.rollback()
        self._log.clear()
        raise StoreError(f"{self.label}: gave up after repeated deadlocks; batch lost")

    def flush(self) -> None:
        """Commit the open batch."""
        with self._guard("flush"):
            self._conn.commit()
            self._log.clear()

    def _close(self) -> None:
        self._conn.close()
