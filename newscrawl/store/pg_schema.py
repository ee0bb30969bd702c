"""PostgreSQL DDL (version 1): articles with a generated tsvector + GIN index."""

_ITEM_COLS = """
    url text NOT NULL, canonical_url text NOT NULL, site text, section text, title text,
    byline text, authors jsonb, date_published text, date_modified text, body text,
    description text, tags jsonb, image text, language text, word_count integer,
    fingerprint text, crawled_at text"""

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL)",
    f"""CREATE TABLE IF NOT EXISTS articles (
        id bigserial PRIMARY KEY,{_ITEM_COLS},
        revision integer NOT NULL DEFAULT 1, first_seen text NOT NULL, last_changed text NOT NULL,
        simhash bigint, band0 integer, band1 integer, band2 integer, band3 integer,
        search tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED,
        UNIQUE (canonical_url))""",
    "CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles (fingerprint)",
    "CREATE INDEX IF NOT EXISTS articles_band0 ON articles (band0)",
    "CREATE INDEX IF NOT EXISTS articles_band1 ON articles (band1)",
    "CREATE INDEX IF NOT EXISTS articles_band2 ON articles (band2)",
    "CREATE INDEX IF NOT EXISTS articles_band3 ON articles (band3)",
    "CREATE INDEX IF NOT EXISTS articles_site_section ON articles (site, section)",
    "CREATE INDEX IF NOT EXISTS articles_published ON articles (date_published)",
    "CREATE INDEX IF NOT EXISTS articles_changed ON articles (last_changed)",
    "CREATE INDEX IF NOT EXISTS articles_search ON articles USING gin (search)",
    f"""CREATE TABLE IF NOT EXISTS revisions (
        id bigserial PRIMARY KEY,
        article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        revision integer NOT NULL,{_ITEM_COLS},
        UNIQUE (article_id, revision))""",
    "CREATE TABLE IF NOT EXISTS seen_urls (url text PRIMARY KEY, canonical_url text NOT NULL)",
]
