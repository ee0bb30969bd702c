"""Article archive: one interface, SQLite (default) and PostgreSQL backends.

    store = open_store("sqlite:///newscrawl.db")
    store.put(article, simhash=h)  # "new" | "revised" | "unchanged"
"""

from __future__ import annotations

import re

from .base import EXPORT_FIELDS, ITEM_FIELDS, Store
from .errors import StoreError

__all__ = ["open_store", "Store", "StoreError", "ITEM_FIELDS", "EXPORT_FIELDS"]


def _mask(url: str) -> str:
    return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", url)


def open_store(url: str, *, batch_size: int = 50, readonly: bool = False) -> Store:
    """Open (creating if missing, unless readonly) the store named by ``url``.

    "sqlite:///relative.db", "sqlite:////abs.db", a bare path "x.db", or
    "postgresql://user@host:port/db".  ``readonly`` refuses to create anything.
    """
    if not isinstance(url, str) or not url.strip():
        raise StoreError("empty store URL: use sqlite:///PATH or postgresql://...")
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        from .sqlite import SQLiteStore
        return SQLiteStore(url, batch_size=batch_size, readonly=readonly)
    scheme = scheme.lower()
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:
        from .sqlite import SQLiteStore
        return SQLiteStore(rest[1:], batch_size=batch_size, readonly=readonly)
    if scheme in ("postgresql", "postgres"):
        try:
            from .postgres import PostgresStore
        except ImportError as exc:
            raise StoreError("the PostgreSQL store needs psycopg 3: "
                             "pip install 'newscrawl[postgres]'") from exc
        return PostgresStore(url, batch_size=batch_size, readonly=readonly)
    raise StoreError(f"unsupported store URL {_mask(url)!r}: use sqlite:///PATH or postgresql://...")
