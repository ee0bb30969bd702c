"""Faults: a real `scrapy crawl` against tests/faultserver.py completes, stores every good article
with its text decoded right, counts each failure under its reason, and prints no traceback.
Plus unit tests of the failure classifiers in newscrawl/failures.py.
"""

from __future__ import annotations

import gzip
import re
import zlib

import pytest
from scrapy.exceptions import DownloadTimeoutError, ResponseDataLossError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError

from conftest import crawl_stats, run_crawl, stored_articles
from faultserver import CRAWL_SETTINGS, serve_fault_site
from newscrawl.failchecks import (
    check_compressed,
    exception_reason,
    has_attribute_flood,
    is_soft_404,
    looks_binary,
    retry_after_seconds,
)


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    """One crawl of the fault site (about 8 s): (site, completed process, stats, stored rows)."""
    workdir = tmp_path_factory.mktemp("faults")
    with serve_fault_site(workdir / "site") as site:
        settings = [arg for name, value in CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
        result = run_crawl(
            {"start_urls": site.start_url}, workdir,
            "-s", f"NEWSCRAWL_STORE=sqlite:///{workdir / 'faults.db'}", *settings,
            timeout=150,
        )
        stored = stored_articles(workdir / "faults.db")
        yield site, result, crawl_stats(result.stderr), stored


def test_crawl_completes_without_traceback(fault_crawl):
    _, result, stats, _ = fault_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "'finish_reason': 'finished'" in result.stderr
    assert stats.get("log_count/ERROR", 0) == 0, [l for l in result.stderr.splitlines() if " ERROR: " in l]


def test_every_good_article_is_stored_and_nothing_else(fault_crawl):
    site, _, _, stored = fault_crawl
    assert set(stored) == {site.origin + path for path in site.good}


@pytest.mark.parametrize("path", ["/news/cp1252/", "/news/shift-jis/", "/news/deep-nesting/", "/news/unclosed/",
                                  "/news/gzipped/", "/news/flaky/", "/news/reset-once/", "/news/bad-metadata/",
                                  "/news/story-1/"])
def test_good_article_text_is_decoded_and_whole(fault_crawl, path):
    site, _, _, stored = fault_crawl
    row = stored.get(site.origin + path)
    assert row is not None, f"{path} not stored"
    assert row["title"] == site.good[path]["title"]
    assert row["body"] == site.good[path]["body"]
    assert "\ufffd" not in row["body"] + row["title"]


def test_each_failure_is_counted_under_its_reason(fault_crawl):
    site, _, stats, _ = fault_crawl
    failed = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/failed/")}
    refused = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newscrawl/refused/")}
    assert failed == site.expected_failures
    assert refused == site.expected_refusals


def test_each_failure_is_one_log_line_and_in_the_summary(fault_crawl):
    site, result, _, _ = fault_crawl
    lines = re.findall(r"newscrawl: failed \((\w+)\) <GET (\S+)>", result.stderr)
    counts: dict[str, int] = {}
    for reason, _url in lines:
        counts[reason] = counts.get(reason, 0) + 1
    assert counts == site.expected_failures
    total = sum(site.expected_failures.values())
    # the end-of-run summary block lists them by reason: "failed     http_500 1, timeout 1, ..."
    summary = re.search(r"^failed +(.+)$", result.stderr, re.MULTILINE)
    assert summary, result.stderr[-2000:]
    listed = dict((reason, int(n)) for reason, n in re.findall(r"(\w+) (\d+)", summary.group(1)))
    assert listed == site.expected_failures and sum(listed.values()) == total
    assert "Gave up retrying" not in result.stderr  # retry's own ERROR line is not repeated


def test_retries_happen_and_honour_retry_after(fault_crawl):
    site, _, _, _ = fault_crawl
    for path in ("/news/server-error/", "/news/unavailable/", "/news/rate-limited/", "/news/reset/"):
        assert len(site.hits[path]) == 3, path  # first try + RETRY_TIMES=2
    for path in ("/news/unavailable/", "/news/rate-limited/"):  # Retry-After: 1
        times = site.hits[path]
        assert all(later - earlier >= 0.9 for earlier, later in zip(times, times[1:])), (path, times)
    assert len(site.hits["/news/flaky/"]) == 2 and len(site.hits["/news/reset-once/"]) == 2


# -- classifiers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("exception, reason", [
    (DownloadTimeoutError("slow"), "timeout"),
    (ResponseDataLossError(), "data_loss"),
    (ConnectionRefusedError(), "connection_refused"),
    (DNSLookupError("nowhere.example"), "dns"),
    (OSError("Not a gzipped file"), "bad_encoding"),
    (ValueError("odd"), "error"),
])
def test_exception_reasons(exception, reason):
    assert exception_reason(exception) == reason


def test_binary_detection_spares_real_text():
    assert looks_binary(b"GIF89a\x01\x00")
    assert looks_binary(bytes(range(256)) * 4)
    assert not looks_binary("<p>\u5e02\u8b70\u4f1a</p>".encode("shift_jis"))
    assert not looks_binary("<p>caf\u00e9 \u201cquoted\u201d</p>".encode("cp1252"))
    assert not looks_binary("<p>x</p>".encode("utf-16"))  # BOM-marked UTF-16 is text
    assert not looks_binary(b"")


@pytest.mark.parametrize("page, expected", [
    ("<title>Page not found \u2013 Metro</title>", True),
    ("<title>Metro</title><h1>404</h1>", True),
    ("<title>Nothing found for \u201cbudget\u201d</title>", True),
    ("<title>Error 404 (Not Found)!!1</title>", True),
    ("<title>Council finds missing funds</title><h1>Council finds missing funds</h1>", False),
    ("<title>The 404 bus route is not found on new maps</title><meta property='og:type' content='article'>", False),
    ('<script type="application/ld+json">{"@type": "NewsArticle"}</script><title>Page not found, says council</title>', False),
])
def test_soft_404(page, expected):
    assert is_soft_404(page) is expected


def test_retry_after_forms():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds(b"-1") is None


def test_compressed_body_checks():
    page = b"<p>" + b"word " * 5000 + b"</p>"
    whole = gzip.compress(page)
    assert check_compressed(whole, "gzip", 0).complete
    assert check_compressed(whole + gzip.compress(b"more"), "gzip", 0).complete  # two members
    assert not check_compressed(whole[:-30], "gzip", 0).complete
    assert check_compressed(whole, "gzip", 1000).size > 1000  # stops early past the limit
    assert check_compressed(b"not gzip at all", "gzip", 0).error
    assert check_compressed(zlib.compress(page), "deflate", 0).complete
    raw = zlib.compressobj(wbits=-15)
    assert check_compressed(raw.compress(page) + raw.flush(), "deflate", 0).complete


def test_attribute_flood():
    assert has_attribute_flood(b"<div " + b" ".join(b"data-x%d='v'" % i for i in range(6000)) + b">")
    assert not has_attribute_flood(b"<p class='a' id='b' data-x='1'>text</p>" * 5000)
    assert not has_attribute_flood(b'<img src="data:image/png;base64,' + b"QUFB" * 50000 + b'==">')


@pytest.mark.parametrize("value", ["soon", "-1", "nan", ""])
def test_bad_retry_after_setting_is_one_clear_line(value):
    from scrapy.settings import Settings

    from newscrawl.failures import check_settings
    from newscrawl.sites import ConfigError

    check_settings(Settings({"NEWSCRAWL_RETRY_AFTER_MAX": "2.5"}))
    with pytest.raises(ConfigError, match=r"^setting NEWSCRAWL_RETRY_AFTER_MAX: expected a number of seconds"):
        check_settings(Settings({"NEWSCRAWL_RETRY_AFTER_MAX": value}))
