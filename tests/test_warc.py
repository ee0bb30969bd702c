"""WARC capture end to end: `scrapy crawl news -s NEWSCRAWL_WARC_DIR=...` against the metro fixture site.

The server gzips some pages when the request accepts gzip (one of them also chunked), so the test
can tell wire bytes from decoded bytes. Output files are checked with the real `warcio check` and
`warcio index` commands and read back with warcio's ArchiveIterator.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

warcio = pytest.importorskip("warcio")
from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from conftest import FAST, FIXTURE_SITES, ROOT, crawl_stats, run_crawl  # noqa: E402
from siteserver import serve_site  # noqa: E402

METRO = FIXTURE_SITES / "metro"
WARCIO = Path(sys.executable).with_name("warcio")
START_PATHS = json.loads((METRO / "crawl-expected.json").read_text(encoding="utf-8"))["start_paths"]
GZIP_PATH = "/category/world/"  # a listing page, gzip with Content-Length
CHUNKED_PATH = "/2026/03/14/coastal-nations-sign-fisheries-pact/"  # an article, gzip + chunked
MAX_SIZE = 12_000  # bytes: small enough that the crawl fills several files
NAME = re.compile(r"^newscrawl-\d{17}-\d{5}-(\d+)~[A-Za-z0-9.-]+\.warc\.gz$")


def page_bytes(origin: str, path: str) -> bytes:
    """The page the fixture server sends for path, before any compression."""
    return (METRO / path.strip("/") / "index.html").read_bytes().replace(b"{{ORIGIN}}", origin.encode())


def accepts_gzip(handler) -> bool:
    return "gzip" in (handler.headers.get("Accept-Encoding") or "").lower()


def gzip_route(handler) -> None:
    """The static answer, gzip-compressed when the client accepts gzip."""
    if accepts_gzip(handler):
        send = handler.send_bytes

        def send_compressed(status, body, content_type, headers=None):
            send(status, gzip.compress(body), content_type,
                 {**(headers or {}), "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})

        handler.send_bytes = send_compressed
    handler.send_static()


def gzip_chunked_route(handler) -> None:
    """The static answer gzip-compressed and sent with chunked transfer coding (HTTP/1.1)."""
    if not accepts_gzip(handler):
        handler.send_static()
        return

    def send_chunked(status, body, content_type, headers=None):
        body = gzip.compress(body)
        handler.protocol_version = "HTTP/1.1"
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Connection", "close")
        handler.end_headers()
        step = max(1, len(body) // 3)
        for start in range(0, len(body), step):
            chunk = body[start:start + step]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    handler.send_bytes = send_chunked
    handler.send_static()


def warc_crawl_args(origin: str, warc_dir, *extra) -> tuple[dict, list[str]]:
    arguments = {"start_urls": ",".join(origin + path for path in START_PATHS)}
    return arguments, ["-s", f"NEWSCRAWL_WARC_DIR={warc_dir}", "-s", "NEWSCRAWL_STORE=sqlite:///store.db", *extra]


def read_records(path: Path) -> list[dict]:
    """Every record of a WARC file: its WARC headers, HTTP headers, raw payload and decoded content."""
    records = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            raw = record.raw_stream.read()
            records.append({
                "type": record.rec_type,
                "version": record.rec_headers.protocol,
                "warc": record.rec_headers,
                "http": record.http_headers,
                "raw": raw,
            })
    return records


def decoded_content(path: Path, record_id: str) -> bytes:
    """What a WARC reader gets for a record's payload after HTTP decoding (warcio content_stream)."""
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return record.content_stream().read()
    raise AssertionError(f"record {record_id} not in {path}")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One crawl of metro with WARC capture into small rotated files; shared by the tests below."""
    workdir = tmp_path_factory.mktemp("warc")
    warc_dir = workdir / "warcs"
    routes = {GZIP_PATH: gzip_route, CHUNKED_PATH: gzip_chunked_route}
    started = datetime.now(timezone.utc)
    with serve_site(METRO, routes=routes) as origin:
        arguments, extra = warc_crawl_args(origin, "warcs", "-s", f"NEWSCRAWL_WARC_MAX_SIZE={MAX_SIZE}")
        result = run_crawl(arguments, workdir, *extra)
        served = list(origin.requests)
    files = sorted(warc_dir.glob("*.warc.gz"))
    return {
        "origin": str(origin), "result": result, "served": served, "files": files,
        "records": {path: read_records(path) for path in files}, "started": started,
        "finished": datetime.now(timezone.utc), "stats": crawl_stats(result.stderr),
    }


def all_records(crawl, record_type=None):
    return [(path, record) for path, records in crawl["records"].items() for record in records
            if record_type is None or record["type"] == record_type]


def response_record(crawl, path: str):
    url = crawl["origin"] + path
    found = [(file, r) for file, r in all_records(crawl, "response")
             if r["warc"].get_header("WARC-Target-URI") == url]
    assert len(found) == 1, f"{len(found)} response records for {url}"
    return found[0]


def test_crawl_exits_cleanly_and_counts(crawl):
    result = crawl["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    stats = crawl["stats"]
    assert stats["newscrawl/warc/files"] == len(crawl["files"])
    assert stats["newscrawl/warc/records"] == len(all_records(crawl))


def test_warcio_check_and_index_succeed_on_every_file(crawl):
    assert crawl["files"]
    for path in crawl["files"]:
        gzip.decompress(path.read_bytes())  # a sequence of complete gzip members
        check = subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True,
                               timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout  # digests were present and verified, not skipped
        index = subprocess.run([str(WARCIO), "index", "-f", "warc-type,warc-target-uri,length", str(path)],
                               capture_output=True, text=True, timeout=60)
        assert index.returncode == 0, index.stderr
        lines = [json.loads(line) for line in index.stdout.splitlines()]
        assert [line["warc-type"] for line in lines] == [r["type"] for r in crawl["records"][path]]


def test_warcinfo_record_first_in_each_file(crawl):
    for path, records in crawl["records"].items():
        info = records[0]
        assert info["type"] == "warcinfo", path
        assert info["warc"].get_header("WARC-Filename") == path.name
        fields = dict(line.split(": ", 1) for line in info["raw"].decode().splitlines() if line)
        assert fields["software"].startswith("newscrawl/")
        assert fields["format"] == "WARC File Format 1.1"
        assert fields["operator"] == "https://github.com/newscrawl/newscrawl"  # NEWSCRAWL_CONTACT_URL
        assert fields["http-header-user-agent"].startswith("newscrawl/")
        info_id = info["warc"].get_header("WARC-Record-ID")
        assert [r["type"] for r in records[1:]].count("warcinfo") == 0
        assert all(r["warc"].get_header("WARC-Warcinfo-ID") == info_id for r in records[1:])
        assert all(r["version"] == "WARC/1.1" for r in records)


def test_rotation_makes_several_collision_free_files(crawl):
    files = crawl["files"]
    assert len(files) >= 3
    names = [NAME.match(path.name) for path in files]
    assert all(names), [path.name for path in files]
    assert len({match.group(1) for match in names}) == 1  # one worker's pid
    for path in files[:-1]:  # each finished file reached the size limit before the next began
        assert path.stat().st_size >= MAX_SIZE
        assert len(crawl["records"][path]) >= 3


def test_every_fetch_has_a_request_and_response_pair(crawl):
    origin = crawl["origin"]
    served = Counter(origin + path for method, path in crawl["served"] if method == "GET")
    assert origin + "/robots.txt" in served
    assert any("/2026/" in url for url in served) and origin + GZIP_PATH in served
    responses = {r["warc"].get_header("WARC-Record-ID"): (path, r) for path, r in all_records(crawl, "response")}
    requests = all_records(crawl, "request")
    assert Counter(r["warc"].get_header("WARC-Target-URI") for _, r in responses.values()) == served
    assert len(requests) == len(responses)
    for path, request in requests:
        uri = request["warc"].get_header("WARC-Target-URI")
        partner = responses.get(request["warc"].get_header("WARC-Concurrent-To"))
        assert partner is not None, uri
        assert partner[0] == path  # a pair never spans two files
        response = partner[1]
        assert response["warc"].get_header("WARC-Target-URI") == uri
        assert response["warc"].get_header("WARC-Date") == request["warc"].get_header("WARC-Date")
        assert response["warc"].get_header("WARC-IP-Address") == "127.0.0.1"
        assert response["warc"].get_header("WARC-Payload-Digest", "").startswith("sha1:")
        target = uri[len(origin):]
        assert f"{request['http'].protocol} {request['http'].statusline}" == f"GET {target} HTTP/1.1"
        assert request["http"].get_header("Host") == origin.removeprefix("http://")
        assert request["http"].get_header("User-Agent", "").startswith("newscrawl/")
        captured = datetime.strptime(response["warc"].get_header("WARC-Date"), "%Y-%m-%dT%H:%M:%S.%fZ")
        captured = captured.replace(tzinfo=timezone.utc)
        assert crawl["started"] - timedelta(seconds=1) <= captured <= crawl["finished"]


def test_gzip_served_payload_is_stored_compressed(crawl):
    path, record = response_record(crawl, GZIP_PATH)
    page = page_bytes(crawl["origin"], GZIP_PATH)
    assert record["http"].get_header("Content-Encoding") == "gzip"
    assert record["raw"][:2] == b"\x1f\x8b"
    assert int(record["http"].get_header("Content-Length")) == len(record["raw"])
    assert gzip.decompress(record["raw"]) == page
    assert decoded_content(path, record["warc"].get_header("WARC-Record-ID")) == page


def test_chunked_payload_is_stored_dechunked_and_still_compressed(crawl):
    path, record = response_record(crawl, CHUNKED_PATH)
    page = page_bytes(crawl["origin"], CHUNKED_PATH)
    assert record["http"].protocol == "HTTP/1.1"
    assert record["http"].get_header("Transfer-Encoding") is None  # readers must not de-chunk again
    assert record["http"].get_header("Content-Encoding") == "gzip"
    assert gzip.decompress(record["raw"]) == page
    assert decoded_content(path, record["warc"].get_header("WARC-Record-ID")) == page


def test_uncompressed_payload_is_the_exact_bytes_served(crawl):
    _, record = response_record(crawl, "/robots.txt")
    assert record["http"].statusline == "200 OK"
    assert record["raw"] == (METRO / "robots.txt").read_bytes()
    assert record["http"].get_header("Content-Encoding") is None


def test_responses_from_the_http_cache_are_not_archived_again(tmp_path):
    with serve_site(METRO) as origin:
        stats = []
        for run in ("first", "second"):
            arguments, extra = warc_crawl_args(origin, f"warcs-{run}", "-s", "HTTPCACHE_ENABLED=1",
                                               "-s", f"HTTPCACHE_DIR={tmp_path / 'cache'}")
            result = run_crawl({**arguments, "full": "1"}, tmp_path, *extra)
            assert result.returncode == 0, result.stderr[-3000:]
            stats.append(crawl_stats(result.stderr))
    first, second = stats
    assert first["httpcache/store"] == first["newscrawl/warc/records"] // 2 > 0
    assert second["httpcache/hit"] == second["newscrawl/warc/skipped/cached"] == first["httpcache/store"]
    assert "newscrawl/warc/records" not in second
    assert len(list(tmp_path.glob("warcs-first/*.warc.gz"))) == 1
    assert not list(tmp_path.glob("warcs-second/*.warc.gz"))  # no empty file either


def test_bad_max_size_fails_with_a_clear_error(tmp_path):
    with serve_site(METRO) as origin:
        arguments, extra = warc_crawl_args(origin, "warcs", "-s", "NEWSCRAWL_WARC_MAX_SIZE=lots")
        result = run_crawl(arguments, tmp_path, *extra, timeout=60)
    assert result.returncode != 0
    assert "NEWSCRAWL_WARC_MAX_SIZE" in result.stderr and "'lots'" in result.stderr
    assert not list(tmp_path.glob("warcs/*.warc.gz"))


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE (POSIX)")
def test_write_failure_closes_the_spider_and_keeps_the_file_valid(tmp_path):
    """A file-size limit makes a WARC write fail mid-crawl: the crawl stops, the file stays valid."""
    import resource

    limit = 30_000

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    with serve_site(METRO) as origin:
        arguments, extra = warc_crawl_args(origin, "warcs")
        command = [sys.executable, "-m", "scrapy", "crawl", "news", *FAST,
                   "-a", f"start_urls={arguments['start_urls']}", *extra,
                   "-s", "ITEM_PIPELINES={}", "-s", "NEWSCRAWL_INCREMENTAL=0"]  # only the WARC file grows
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=120, preexec_fn=limit_file_size)
    assert result.returncode != 0
    assert "'finish_reason': 'warc_write_failed'" in result.stderr, result.stderr[-3000:]
    assert "WARC capture failed writing" in result.stderr
    stats = crawl_stats(result.stderr)
    assert stats["newscrawl/warc/errors"] == 1
    [path] = tmp_path.glob("warcs/*.warc.gz")
    assert 0 < path.stat().st_size <= limit
    gzip.decompress(path.read_bytes())  # no partial gzip member at the end
    check = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr  # the partial record was cut off
    assert len(read_records(path)) == stats["newscrawl/warc/records"] >= 3


def test_kill_mid_crawl_leaves_earlier_records_readable(tmp_path):
    """Every response is on disk as soon as it arrives; SIGKILL leaves all earlier records intact."""
    release = threading.Event()
    hung = threading.Event()
    hanging = "/category/business/"

    def hang(handler):  # never answers: the connection closes once the test is done
        hung.set()
        release.wait(60)

    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    with serve_site(METRO, routes={hanging: hang}) as origin:
        arguments, extra = warc_crawl_args(origin, "warcs")
        command = [sys.executable, "-m", "scrapy", "crawl", "news", *FAST,
                   "-a", f"start_urls={arguments['start_urls']}", *extra]
        process = subprocess.Popen(command, cwd=tmp_path, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            answered = wait_until_archived(tmp_path / "warcs", origin, hung, exclude=origin + hanging,
                                           timeout=60)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
            release.set()
        served = Counter(origin + path for method, path in origin.requests if method == "GET")
    [path] = tmp_path.glob("warcs/*.warc.gz")
    gzip.decompress(path.read_bytes())  # every gzip member complete: the file ends after a record
    check = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    records = read_records(path)
    assert records[0]["type"] == "warcinfo"
    archived = Counter(r["warc"].get_header("WARC-Target-URI") for r in records if r["type"] == "response")
    assert len(answered) >= 3 and answered <= archived <= served
    assert origin + hanging not in archived  # killed before it came back
    assert Counter(r["type"] for r in records[1:]) == {"response": archived.total(), "request": archived.total()}


def wait_until_archived(warc_dir: Path, origin, hung: threading.Event, *, exclude: str,
                        timeout: float) -> Counter:
    """Wait until the hanging page is requested and every other request answered is in the WARC file.

    Only records already handed to the OS can be read here, so a writer that kept records in a
    buffer never gets there.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.2)
        files = list(warc_dir.glob("*.warc.gz"))
        if not (hung.is_set() and files):
            continue
        answered = Counter(origin + path for method, path in list(origin.requests) if method == "GET")
        del answered[exclude]
        try:
            records = read_records(files[0])
        except Exception:  # a record being written right now: look again
            continue
        archived = Counter(r["warc"].get_header("WARC-Target-URI") for r in records if r["type"] == "response")
        if len(answered) >= 3 and answered <= archived:
            return answered
    raise AssertionError(f"requests answered but not archived within {timeout}s (hung page requested: {hung.is_set()})")
