"""One crawl at a time per store: a lock that dies with the process holding it.

- SQLite store `path/archive.db`: an exclusive `flock` on `path/archive.db.lock` (the file stays;
  it holds the holder's pid, host and start time for the error message).
- PostgreSQL store: a session advisory lock keyed on the database and schema, held by a dedicated
  connection (application_name says who holds it).
The kernel drops a flock when its process dies, and PostgreSQL drops a session lock when its
connection closes, so a lock left by a killed run never blocks the next one.

    with acquire_run_lock("sqlite:///archive.db", wait=0) as lock:   # LockBusy if held elsewhere
        ...
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import datetime, timezone

from newscrawl.store import StoreError

POLL_SECONDS = 0.25
PG_LOCK_CLASS = 0x6E63  # "nc": first key of pg_advisory_lock(int, int); the second is the schema's hash
_PG_SCHEMA_KEY = "hashtext('newscrawl run ' || current_database() || '.' || current_schema())"


class LockBusy(Exception):
    """Another run holds the store's lock; the message names the store and the holder."""


def holder_info() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}


def sqlite_path(store_url: str) -> str | None:
    """The SQLite file a store URL names (as newscrawl.store.open_store reads it), else None."""
    scheme, sep, rest = store_url.strip().partition("://")
    if not sep:
        path = store_url.strip()
    elif scheme.lower() == "sqlite" and rest.startswith("/") and len(rest) > 1:
        path = rest[1:]
    else:
        return None
    return None if path == ":memory:" else os.path.abspath(path)


def is_postgres(store_url: str) -> bool:
    return store_url.strip().lower().startswith(("postgresql://", "postgres://"))


def acquire_run_lock(store_url: str, *, wait: float = 0.0):
    """Lock the store for this run, waiting up to `wait` seconds; raise LockBusy if still held.

    Returns an object to `release()` (or use as a context manager). Stores that are neither a
    SQLite file nor PostgreSQL (an in-memory database) get a lock that does nothing.
    """
    deadline = time.monotonic() + max(0.0, wait)
    path = sqlite_path(store_url)
    if path is not None:
        lock = FileLock(path + ".lock")
    elif is_postgres(store_url):
        lock = AdvisoryLock(store_url)
    else:
        return NoLock()
    try:
        while not lock.try_acquire():
            if time.monotonic() >= deadline:
                waited = f", still after waiting {wait:g} s" if wait > 0 else ""
                raise LockBusy(f"another crawl is running on {lock.describe()}: {lock.holder()}{waited}; "
                               "this run did not start (-s NEWSCRAWL_LOCK_WAIT=SECONDS waits for it)")
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
    except BaseException:
        lock.close()
        raise
    return lock


class NoLock:
    def release(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


class FileLock(NoLock):
    """flock on a file beside the SQLite store (Unix)."""

    def __init__(self, path: str):
        import fcntl  # Unix only; imported here so that the module loads everywhere

        self._fcntl = fcntl
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the run lock {path}: {exc.strerror}") from None

    def describe(self) -> str:
        return f"the store {self.path[:-len('.lock')]} (lock file {self.path})"

    def try_acquire(self) -> bool:
        try:
            self._fcntl.flock(self.fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps(holder_info()).encode() + b"\n", 0)
        return True

    def holder(self) -> str:
        try:
            with open(self.path, encoding="utf-8") as handle:
                info = json.loads(handle.read() or "{}")
            return f"pid {info['pid']} on {info['host']}, started {info['started']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "another process"

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)  # the file stays: deleting a flock'd file races with a waiter
        finally:
            self.close()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None


class AdvisoryLock(NoLock):
    """PostgreSQL session advisory lock on a connection of its own."""

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:
            raise StoreError("the PostgreSQL store needs psycopg 3: pip install 'newscrawl[postgres]'") from None
        self._psycopg = psycopg
        info = holder_info()
        self.conn = None
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10,
                                        application_name=f"newscrawl crawl pid {info['pid']} on {info['host']}"[:63])
            self.where = self.conn.execute("SELECT current_database() || '.' || current_schema()").fetchone()[0]
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"cannot take the run lock on PostgreSQL: {str(exc).strip().splitlines()[0]}") from None

    def describe(self) -> str:
        return f"the PostgreSQL store {self.where}"

    def try_acquire(self) -> bool:
        return bool(self.conn.execute(f"SELECT pg_try_advisory_lock(%s, {_PG_SCHEMA_KEY})",
                                      (PG_LOCK_CLASS,)).fetchone()[0])

    def holder(self) -> str:
        try:
            row = self.conn.execute(
                "SELECT a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a"
                " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s"
                f" AND l.objid = ({_PG_SCHEMA_KEY}::bigint & 4294967295)::oid AND l.objsubid = 2",
                (PG_LOCK_CLASS,)).fetchone()
        except self._psycopg.Error:
            row = None
        if not row:
            return "another session"
        started = row[1].astimezone(timezone.utc).replace(microsecond=0).isoformat() if row[1] else "?"
        return f"{row[0] or 'a session'}, connected {started}"

    def release(self) -> None:
        self.close()  # ending the session releases its advisory locks

    def close(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.close()
        self.conn = None
