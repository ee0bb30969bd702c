"""`scrapy export` run as a subprocess on stores filled through the Store API."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from newscrawl.store import open_store
from test_store import art, pg_url  # noqa: F401  (pg_url is a fixture)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "newscrawl/schema/article.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
CSV_LISTS = {"authors", "tags"}


def fill(url):
    rich = dict(description="About the vote.", image="https://news.example/img/1.jpg",
                authors=["Jane Doe", "Jöhn Röe"], tags=["politics", "vote"], language="en-GB",
                crawled_at="2026-03-15T10:00:00+00:00", date_modified="2026-03-02T08:00:00+00:00")
    rows = [
        art(1, site="A", section="world", date_published="2026-03-01", title="Elections in Atlantis",
            body="Voters went to the polls.\n\nTurnout was high.", **rich),
        art(2, site="A", section="sport", date_published="2026-03-14T23:59:00+00:00",
            title="Cup final", body="A late goal decided the final.",
            crawled_at="2026-03-15T10:00:00+00:00"),
        art(3, site="B", section="world", date_published="2026-03-15T00:00:00+00:00",
            title="Sea level report", body="The sea level rose; the election was postponed.",
            crawled_at="2026-03-15T10:00:00+00:00"),
        art(4, site="B", section="world", date_published=None, title="Undated note",
            body="Opinion: polls are noisy, \"quotes\", commas; and\nnewlines.", tags=[],
            crawled_at="2026-03-15T10:00:00+00:00"),
    ]
    with open_store(url) as store:
        for i, a in enumerate(rows):
            store.put(a, simhash=i)
        revised = dict(rows[1], title="Cup final: replay", crawled_at="2026-03-20T10:00:00+00:00")
        assert store.put(revised, simhash=1) == "revised"
        return list(store.iter_articles(revisions=True))


@pytest.fixture
def project(tmp_path):
    """A throwaway Scrapy project whose settings enable our commands."""
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = export_test_settings\n")
    (tmp_path / "export_test_settings.py").write_text(
        'COMMANDS_MODULE = "newscrawl.commands"\nNEWSCRAWL_STORE = "sqlite:///archive.db"\n')
    return tmp_path


@pytest.fixture
def everything(project):
    return fill(f"sqlite:///{project}/archive.db")


def scrapy_export(project, *args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), str(project), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "scrapy", "export", *args], cwd=project,
                          env=env, capture_output=True, timeout=120)


def export_jsonl(project, *args):
    res = scrapy_export(project, *args)
    assert res.returncode == 0, res.stderr.decode()
    records = [json.loads(line) for line in res.stdout.decode().splitlines()]
    for r in records:
        VALIDATOR.validate(r)
    return records


def keys(records):
    return [(r["canonical_url"].rsplit("/", 1)[1], r["revision"]) for r in records]


def test_jsonl_is_valid_and_complete(project, everything):
    records = export_jsonl(project)  # store from the NEWSCRAWL_STORE setting
    latest = [r for r in everything if r["revision"] == max(
        x["revision"] for x in everything if x["canonical_url"] == r["canonical_url"])]
    assert records == latest
    assert records[0]["authors"] == ["Jane Doe", "Jöhn Röe"]


def test_json_array_to_file(project, everything):
    res = scrapy_export(project, "--format", "json", "-o", "out.json")
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout == b""
    records = json.loads((project / "out.json").read_text(encoding="utf-8"))
    for r in records:
        VALIDATOR.validate(r)
    assert keys(records) == [("1", 1), ("2", 2), ("3", 1), ("4", 1)]


def test_csv_matches_json(project, everything):
    res = scrapy_export(project, "-o", "out.csv", "--revisions")  # format from the extension
    assert res.returncode == 0, res.stderr.decode()
    rows = list(csv.DictReader(io.StringIO((project / "out.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(everything) == 5
    for row, rec in zip(rows, everything):
        for field, value in rec.items():
            if field in CSV_LISTS:
                expected = "; ".join(value or [])
            else:
                expected = "" if value is None else str(value)
            assert row[field] == expected, field


def test_revisions(project, everything):
    records = export_jsonl(project, "--revisions")
    assert keys(records) == [("1", 1), ("2", 1), ("2", 2), ("3", 1), ("4", 1)]
    assert [r["title"] for r in records[1:3]] == ["Cup final", "Cup final: replay"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_filters(project, request, backend):
    url = (f"sqlite:///{project}/other.db" if backend == "sqlite"
           else request.getfixturevalue("pg_url"))
    fill(url)
    cases = [
        (["--site", "B"], ["3", "4"]),
        (["--site", "A", "--section", "sport"], ["2"]),
        (["--since", "2026-03-14"], ["2", "3"]),
        (["--until", "2026-03-14"], ["1", "2"]),
        (["--since", "2026-03-02", "--until", "2026-03-14"], ["2"]),
        (["--changed-since", "2026-03-19"], ["2"]),
        (["--changed-since", "2026-03-15T10:00:01Z"], ["2"]),
        (["--query", "polls"], ["1", "4"]),
        (["--query", "election"], ["1", "3"]),
        (["--query", '"sea level" OR goal'], ["2", "3"]),
        (["--query", "polls", "--site", "A"], ["1"]),
        (["--query", "replay"], ["2"]),  # the revised title is indexed
        (["--site", "nobody"], []),
    ]
    for args, expected in cases:
        records = export_jsonl(project, "--store", url, *args)
        assert [k for k, _ in keys(records)] == expected, args


def test_bad_arguments_fail_cleanly(project, everything):
    (project / "keep.jsonl").write_text("precious")
    bad = [
        (["--since", "14/03/2026"], "--since"),
        (["--until", "2026-02-30"], "--until"),
        (["--since", "2026-03-10", "--until", "2026-03-01"], "after --until"),
        (["--changed-since", "yesterday"], "--changed-since"),
        (["--format", "xml"], "invalid choice"),
        (["-o", str(project)], "is a directory"),
        (["-o", "missing/dir/out.jsonl"], "does not exist"),
        (["--query", "  "], "--query"),
        (["--store", "mysql://x/y"], "unsupported store URL"),
        (["--store", "absent.db"], "no SQLite store at absent.db"),
        (["--store", "postgresql://postgres@127.0.0.1:9/test"], "cannot connect to PostgreSQL"),
        (["stray-argument"], "unexpected argument"),
    ]
    for args, message in bad:
        res = scrapy_export(project, *args, "-o", "keep.jsonl") if "-o" not in args else \
            scrapy_export(project, *args)
        err = res.stderr.decode()
        assert res.returncode != 0, args
        assert message in err, (args, err)
        assert "Traceback" not in err, err
        assert len([ln for ln in err.splitlines() if "error" in ln]) == 1, err
    assert (project / "keep.jsonl").read_text() == "precious"
    assert not (project / "absent.db").exists()
    assert not (project / "missing").exists()


def test_parquet(project, everything):
    res = scrapy_export(project, "--format", "parquet", "-o", "out.parquet")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        assert res.returncode == 2
        assert "needs pyarrow" in res.stderr.decode()
        assert not (project / "out.parquet").exists()
        return
    assert res.returncode == 0, res.stderr.decode()
    rows = pq.read_table(project / "out.parquet").to_pylist()
    assert keys(rows) == [("1", 1), ("2", 2), ("3", 1), ("4", 1)]
    assert rows[0]["authors"] == ["Jane Doe", "Jöhn Röe"]
    for r in rows:
        VALIDATOR.validate(r)
