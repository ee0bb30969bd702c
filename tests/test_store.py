"""Behaviour of newscrawl.store, the same tests on SQLite and PostgreSQL.

PostgreSQL tests use a throwaway schema in database `test` (override the server
with NEWSCRAWL_TEST_PG); they skip when it is unreachable unless CI=true.
"""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import tracemalloc
import uuid

import pytest

from newscrawl.store import StoreError, open_store

PG_BASE = os.environ.get("NEWSCRAWL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fp(body):
    """Local stand-in for fingerprints.body_fingerprint."""
    return hashlib.sha1(" ".join(body.casefold().split()).encode()).hexdigest()


def art(n, **kw):
    a = dict(
        url=f"https://news.example/a/{n}?utm_source=feed", canonical_url=f"https://news.example/a/{n}",
        site="Example News", section="world", title=f"Title {n}", byline="By Jane Doe",
        authors=["Jane Doe"], date_published="2026-03-14T09:30:00+00:00", date_modified=None,
        body=f"Body of article number {n}.\n\nSecond paragraph.", description=None,
        tags=["politics"], image=None, language="en", word_count=7, fingerprint=None,
        crawled_at="2026-03-14T10:00:00+00:00")
    a.update(kw)
    a["fingerprint"] = kw.get("fingerprint") or fp(a["body"])
    return a


@pytest.fixture
def pg_url():
    try:
        import psycopg
        from psycopg import sql
        admin = psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except Exception as exc:  # ImportError or connection failure
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL required when CI=true: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    schema = f"nc_test_{uuid.uuid4().hex[:12]}"
    admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    sep = "&" if "?" in PG_BASE else "?"
    yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
    admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/archive.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def opener(url):
    """open_store on this test's store; every store is closed at teardown."""
    opened = []

    def _open(**kw):
        s = open_store(url, **kw)
        opened.append(s)
        return s
    yield _open
    for s in opened:
        s.close()


@pytest.fixture
def store(opener):
    return opener(batch_size=1000)


def test_new_unchanged_revised_keeps_revisions(store):
    assert store.put(art(1), simhash=1) == "new"
    assert store.put(art(1, url="https://news.example/a/1"), simhash=1) == "unchanged"
    assert store.put(art(1, title="Title 1, updated"), simhash=1) == "revised"
    assert store.put(art(1, title="Title 1, updated", body="New body."), simhash=1) == "revised"
    assert store.put(art(1, title="Title 1, updated", body="New body."), simhash=1) == "unchanged"
    assert store.count() == 1
    latest = list(store.iter_articles())
    assert [(a["title"], a["body"], a["revision"]) for a in latest] == [
        ("Title 1, updated", "New body.", 3)]
    history = list(store.iter_articles(revisions=True))
    assert [(a["revision"], a["title"], a["fingerprint"]) for a in history] == [
        (1, "Title 1", fp(art(1)["body"])),
        (2, "Title 1, updated", fp(art(1)["body"])),
        (3, "Title 1, updated", fp("New body."))]


def test_item_round_trip(store):
    a = art(7, authors=["Jane Doe", "Jöhn Röe"], tags=[], description=None, word_count=None)
    store.put(a, simhash=-5)
    (got,) = store.iter_articles()
    assert got == {**a, "revision": 1}


def test_put_requires_url_and_fingerprint(store):
    with pytest.raises(StoreError):
        store.put(art(1, url=None), simhash=0)
    with pytest.raises(StoreError, match="fingerprint"):
        store.put({"url": "https://x/1", "title": "t"}, simhash=0)


def test_failed_put_changes_nothing_and_keeps_the_batch(store):
    store.put(art(1), simhash=0)
    with pytest.raises(StoreError, match="title"):
        store.put(art(2, title={"not": "text"}), simhash=0)
    with pytest.raises(StoreError):  # fails after the revision copy, before the update
        store.put(art(1, title="New", body="bad \ud800 text", fingerprint="f" * 40), simhash=0)
    store.put(art(3), simhash=0)
    assert store.put(art(1, title="Good"), simhash=0) == "revised"
    store.flush()
    assert [(a["canonical_url"][-1], a["revision"], a["title"])
            for a in store.iter_articles(revisions=True)] == [
        ("1", 1, "Title 1"), ("1", 2, "Good"), ("3", 1, "Title 3")]


def test_duplicates_by_fingerprint_and_simhash(store):
    base = 0x0123_4567_89AB_CDEF
    store.put(art(1), simhash=base)  # not flushed: must still be seen
    assert store.find_duplicate("https://news.example/a/1", art(1)["fingerprint"], base) is None
    assert store.find_duplicate("https://x/2", art(1)["fingerprint"], 0) == (
        "fingerprint", "https://news.example/a/1")
    three_bits = base ^ (1 | 1 << 20 | 1 << 40)  # one flip in three different bands
    assert store.find_duplicate("https://x/2", fp("other"), three_bits) == (
        "near", "https://news.example/a/1")
    four_bits = base ^ (1 | 1 << 20 | 1 << 40 | 1 << 63)  # every band differs
    assert store.find_duplicate("https://x/2", fp("other"), four_bits) is None
    four_in_one_band = base ^ 0b1111
    assert store.find_duplicate("https://x/2", fp("other"), four_in_one_band) is None
    negative = (base | 1 << 63) - (1 << 64)  # signed simhash near an unsigned-looking one
    store.put(art(3, body="third"), simhash=negative)
    assert store.find_duplicate("https://x/4", fp("x"), negative ^ 0b111) == (
        "near", "https://news.example/a/3")
    assert store.find_duplicate("https://x/5", None, None) is None


def test_known_urls_and_mark_seen(store):
    store.put(art(1), simhash=0)
    store.mark_seen("https://mirror.example/copy-of-1", "https://news.example/a/1")
    many = [f"https://unknown.example/{i}" for i in range(1200)]
    asked = many + ["https://news.example/a/1", "https://news.example/a/1?utm_source=feed",
                    "https://mirror.example/copy-of-1", "https://news.example/a/2"]
    assert store.known_urls(asked) == {
        "https://news.example/a/1", "https://news.example/a/1?utm_source=feed",
        "https://mirror.example/copy-of-1"}
    assert store.known_urls([]) == set()


def test_batches_flush_and_close(opener):
    writer = opener(batch_size=3)
    reader = opener()
    writer.put(art(1), simhash=0)
    writer.put(art(2), simhash=0)
    assert reader.count() == 0  # batch still open
    writer.put(art(3), simhash=0)  # third put commits the batch
    assert reader.count() == 3
    writer.put(art(4), simhash=0)
    writer.mark_seen("https://elsewhere.example/4", "https://news.example/a/4")
    assert reader.known_urls(["https://elsewhere.example/4"]) == set()
    writer.flush()
    assert reader.count() == 4
    assert reader.known_urls(["https://elsewhere.example/4"]) == {"https://elsewhere.example/4"}
    writer.put(art(5), simhash=0)
    writer.close()
    writer.close()  # harmless twice
    assert reader.count() == 5
    with pytest.raises(StoreError):
        writer.put(art(6), simhash=0)


def _run(code, *args, **kw):
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, **kw)


def test_sigkill_loses_only_the_open_batch(url, opener):
    child = _run("""
        import sys, time
        from newscrawl.store import open_store
        s = open_store(sys.argv[1], batch_size=5)
        for i in range(12):
            s.put({"url": f"https://k.example/{i}", "title": f"t{i}", "body": f"b{i}",
                   "fingerprint": str(i)}, simhash=i)
        print("ready", flush=True)
        time.sleep(60)
        """, url)
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGKILL)
    child.wait()
    store = opener()
    assert store.count() == 10
    assert store.known_urls([f"https://k.example/{i}" for i in range(12)]) == {
        f"https://k.example/{i}" for i in range(10)}
    if url.startswith("sqlite"):
        db = sqlite3.connect(url[len("sqlite:///"):])
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        db.close()


def test_concurrent_writers_store_each_article_once(url, opener):
    worker = """
        import sys
        from newscrawl.store import open_store
        s = open_store(sys.argv[1], batch_size=7)
        order = range(60) if sys.argv[2] == "up" else range(59, -1, -1)
        for i in order:
            s.put({"url": f"https://c.example/{i}?from={sys.argv[2]}",
                   "canonical_url": f"https://c.example/{i}", "title": f"t{i}",
                   "body": f"body {i}", "fingerprint": str(i)}, simhash=i)
        s.close()
        print("done", flush=True)
        """
    procs = [_run(worker, url, "up"), _run(worker, url, "down")]
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "done"
    store = opener()
    assert store.count() == 60
    rows = list(store.iter_articles(revisions=True))
    assert sorted(r["canonical_url"] for r in rows) == sorted(f"https://c.example/{i}" for i in range(60))
    assert all(r["revision"] == 1 for r in rows)
    assert len(store.known_urls([f"https://c.example/{i}?from={d}" for i in range(60)
                                 for d in ("up", "down")])) == 120


@pytest.fixture
def filled(store):
    rows = [
        art(1, site="A", section="world", date_published="2026-03-01",
            title="Elections in Atlantis", body="Voters went to the polls.\n\nTurnout was high."),
        art(2, site="A", section="sport", date_published="2026-03-14T23:59:00+00:00",
            title="Cup final", body="A late goal decided the final."),
        art(3, site="B", section="world", date_published="2026-03-15T00:00:00+00:00",
            title="Sea level report", body="The sea level rose again, the election was postponed."),
        art(4, site="B", section="world", date_published=None, title="Undated note",
            body="Opinion: polls are noisy."),
    ]
    for i, a in enumerate(rows):
        store.put(a, simhash=i)
    store.flush()
    return store


def urls(items):
    return [a["canonical_url"].rsplit("/", 1)[1] for a in items]


def test_filters(filled):
    s = filled
    assert urls(s.iter_articles()) == ["1", "2", "3", "4"]
    assert urls(s.iter_articles(site="B")) == ["3", "4"]
    assert urls(s.iter_articles(site="A", section="sport")) == ["2"]
    assert urls(s.iter_articles(since="2026-03-14")) == ["2", "3"]
    assert urls(s.iter_articles(until="2026-03-14")) == ["1", "2"]  # whole day included
    assert urls(s.iter_articles(since="2026-03-02", until="2026-03-14")) == ["2"]
    assert urls(s.iter_articles(until="2026-03-14T12:00:00+00:00")) == ["1"]
    assert urls(s.iter_articles(site="nobody")) == []
    with pytest.raises(StoreError):
        list(s.iter_articles(since="14/03/2026"))


def test_changed_since(store):
    store.put(art(1, crawled_at="2026-03-10T08:00:00+00:00"), simhash=0)
    store.put(art(2, crawled_at="2026-03-12T08:00:00+00:00"), simhash=0)
    assert urls(store.iter_articles(changed_since="2026-03-11")) == ["2"]
    store.put(art(1, crawled_at="2026-03-13T08:00:00+00:00"), simhash=0)  # unchanged
    assert urls(store.iter_articles(changed_since="2026-03-12T09:00:00+00:00")) == []
    store.put(art(1, title="New title", crawled_at="2026-03-13T08:00:00Z"), simhash=0)
    assert urls(store.iter_articles(changed_since="2026-03-12T09:00:00+00:00")) == ["1"]
    assert urls(store.iter_articles(changed_since="2026-03-13T08:00:00+00:00",
                                    revisions=True)) == ["1", "1"]


def test_full_text_query(filled):
    s = filled
    assert urls(s.iter_articles(query="polls")) == ["1", "4"]
    assert urls(s.iter_articles(query="election")) == ["1", "3"]  # stemmed, title and body
    assert urls(s.iter_articles(query='"sea level"')) == ["3"]
    assert urls(s.iter_articles(query='"level sea"')) == []
    assert urls(s.iter_articles(query="polls -opinion")) == ["1"]
    assert urls(s.iter_articles(query="goal OR turnout")) == ["1", "2"]
    assert urls(s.iter_articles(query="polls", site="B")) == ["4"]
    for odd in ['title:goal', 'goal AND', '"unbalanced', "goal*", "(goal)", "NEAR(a b)"]:
        list(s.iter_articles(query=odd))  # never a syntax error


def test_full_text_follows_revisions(filled):
    filled.put(art(2, site="A", section="sport", title="Cup final replay",
                   body="The match was replayed on Sunday."), simhash=1)
    assert urls(filled.iter_articles(query="goal")) == []
    assert urls(filled.iter_articles(query="replayed")) == ["2"]


def test_iter_articles_streams(store):
    body = "word " * 1600  # 8 kB
    for i in range(3000):
        store.put(art(i, body=f"{i} {body}"), simhash=i)
    store.flush()
    it = store.iter_articles()
    assert iter(it) is it
    tracemalloc.start()
    try:
        seen = sum(1 for _ in it)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == 3000
    assert peak < 12_000_000, f"iteration held {peak} bytes for 24 MB of articles"


def test_open_errors(tmp_path):
    for bad in ["mysql://h/db", "sqlite://relative.db", "", "ftp://x"]:
        with pytest.raises(StoreError, match="unsupported store URL|empty store URL"):
            open_store(bad)
    with pytest.raises(StoreError, match=str(tmp_path)):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="missing/dir"):
        open_store(f"sqlite:///{tmp_path}/missing/dir/x.db")
    with pytest.raises(StoreError, match="no SQLite store"):
        open_store(f"{tmp_path}/absent.db", readonly=True)
    assert not (tmp_path / "absent.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        open_store(str(junk))
    with pytest.raises(StoreError, match="batch_size"):
        open_store(f"{tmp_path}/x.db", batch_size=0)


def test_sqlite_url_forms(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for u, path in [("sqlite:///rel.db", tmp_path / "rel.db"),
                    (f"sqlite:///{tmp_path}/abs.db", tmp_path / "abs.db"),
                    ("bare.db", tmp_path / "bare.db")]:
        open_store(u).close()
        assert path.exists()
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)


def test_unreachable_postgres_is_one_clear_line():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://postgres:secret@127.0.0.1:9/test")
    msg = str(err.value)
    assert msg.startswith("cannot connect to PostgreSQL at 127.0.0.1:9/test")
    assert "\n" not in msg and "secret" not in msg


def _open_when_released(path, barrier, results):
    barrier.wait()
    try:
        open_store(f"sqlite:///{path}").close()
        results.put("ok")
    except Exception as exc:  # reported to the test, which names it
        results.put(repr(exc))


def test_processes_opening_a_new_sqlite_store_at_once_all_succeed(tmp_path):
    """Switching a new file to WAL fails at once while another process creates it: open retries."""
    import multiprocessing

    context = multiprocessing.get_context("fork")  # children start with the store module loaded
    outcomes = []
    for trial in range(40):
        barrier, results = context.Barrier(3), context.Queue()
        children = [context.Process(target=_open_when_released, args=(tmp_path / f"race{trial}.db", barrier, results))
                    for _ in range(3)]
        for child in children:
            child.start()
        for child in children:
            child.join(60)
        outcomes += [results.get(timeout=5) for _ in children]
    assert [o for o in outcomes if o != "ok"] == []
