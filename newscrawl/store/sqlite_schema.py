"""SQLite DDL (version 1): articles + FTS5 (external content) + revisions + seen_urls."""

from .base import ITEM_FIELDS

_ITEM_COLS = """
    url TEXT NOT NULL, canonical_url TEXT NOT NULL, site TEXT, section TEXT, title TEXT,
    byline TEXT, authors TEXT, date_published TEXT, date_modified TEXT, body TEXT,
    description TEXT, tags TEXT, image TEXT, language TEXT, word_count INTEGER,
    fingerprint TEXT, crawled_at TEXT"""
assert len(_ITEM_COLS.split(",")) == len(ITEM_FIELDS)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,{_ITEM_COLS},
    revision INTEGER NOT NULL DEFAULT 1, first_seen TEXT NOT NULL, last_changed TEXT NOT NULL,
    simhash INTEGER, band0 INTEGER, band1 INTEGER, band2 INTEGER, band3 INTEGER,
    UNIQUE (canonical_url)
);
CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles (fingerprint);
CREATE INDEX IF NOT EXISTS articles_band0 ON articles (band0);
CREATE INDEX IF NOT EXISTS articles_band1 ON articles (band1);
CREATE INDEX IF NOT EXISTS articles_band2 ON articles (band2);
CREATE INDEX IF NOT EXISTS articles_band3 ON articles (band3);
CREATE INDEX IF NOT EXISTS articles_site_section ON articles (site, section);
CREATE INDEX IF NOT EXISTS articles_published ON articles (date_published);
CREATE INDEX IF NOT EXISTS articles_changed ON articles (last_changed);
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,{_ITEM_COLS},
    UNIQUE (article_id, revision)
);
CREATE TABLE IF NOT EXISTS seen_urls (
    url TEXT PRIMARY KEY, canonical_url TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    title, body, content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
"""
