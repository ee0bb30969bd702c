"""SQLite backend: one file, WAL, batched commits, FTS5 search."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import time

from .base import SCHEMA_VERSION, Store
from .errors import StoreError
from .ftsquery import to_fts5
from .sqlite_schema import SCHEMA


OPEN_TIMEOUT = 30  # seconds to wait for another process holding the store's lock


@functools.lru_cache(maxsize=256)
def _qmark(sql: str) -> str:
    """psycopg-style placeholders as SQLite's; cached: a few statements run thousands of times."""
    return sql.replace("%s", "?")


class SQLiteStore(Store):
    """Store in a SQLite file; a SIGKILL loses at most the open batch."""

    _db_errors = (sqlite3.Error,)
    _insert_first = True  # a conflicting INSERT fires no FTS trigger here: as cheap as a SELECT

    def __init__(self, path: str, *, batch_size: int = 50, readonly: bool = False):
        super().__init__(batch_size)
        self.path = path
        self.label = f"SQLite store {path}"
        self._pending = 0
        if path != ":memory:":
            if os.path.isdir(path):
                raise StoreError(f"cannot open SQLite store {path}: it is a directory")
            if readonly and not os.path.exists(path):
                raise StoreError(f"no SQLite store at {path}")
        deadline = time.monotonic() + OPEN_TIMEOUT
        while True:
            try:
                self._conn = sqlite3.connect(path, isolation_level=None, timeout=OPEN_TIMEOUT)
                self._setup(readonly)
                break
            except sqlite3.Error as exc:
                with contextlib.suppress(Exception):
                    self._conn.close()
                # Switching a new file to WAL takes an exclusive lock and fails at once, without
                # waiting, while another process opens or creates the same store: try again.
                if "locked" in str(exc) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                self.closed = True
                raise StoreError(f"cannot open SQLite store {path}: {exc}") from exc

    def _setup(self, readonly: bool) -> None:
        c = self._conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        c.execute("PRAGMA foreign_keys=ON")
        has_meta = c.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        if not has_meta:
            if readonly:
                raise StoreError(f"{self.path} is not a newscrawl store (no meta table)")
            c.executescript("BEGIN IMMEDIATE;" + SCHEMA)  # idempotent, one transaction
            c.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                      (str(SCHEMA_VERSION),))
            c.execute("COMMIT")
        row = c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or row[0] != str(SCHEMA_VERSION):
            found = row[0] if row else "none"
            raise StoreError(f"{self.path}: store schema version {found}, this newscrawl "
                             f"reads version {SCHEMA_VERSION}")
        if readonly:
            c.execute("PRAGMA query_only=ON")

    def _execute(self, sql, params=()):
        return self._conn.execute(_qmark(sql), params)

    def _stream(self, sql, params=()):
        cur = self._conn.cursor()
        try:
            cur.execute(_qmark(sql), params)
            while rows := cur.fetchmany(self.fetch_rows):
                yield from rows
        finally:
            cur.close()

    def _fts(self, query):
        return ("id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH %s)",
                [to_fts5(query)])

    def _write(self, fn, *args):
        with self._guard(getattr(fn, "__name__", "write").strip("_")):
            if not self._conn.in_transaction:
                self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("SAVEPOINT write")  # each write is all or nothing
            try:
                result = fn(*args)
            except BaseException:
                self._conn.execute("ROLLBACK TO write")
                raise
            finally:
                self._conn.execute("RELEASE write")
            self._pending += 1
            if self._pending >= self.batch_size:
                self._commit()
        return result

    def _commit(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")
        self._pending = 0

    def flush(self) -> None:
        """Commit the open batch."""
        with self._guard("flush"):
            self._commit()

    def _close(self) -> None:
        self._conn.close()
