"""Bad input stops `scrapy crawl` at start-up: one clear line on stderr, exit status 2."""

from __future__ import annotations

import pytest

from conftest import run_crawl

GOOD_SITES = """
[sites.good]
start_urls = ["http://127.0.0.1:9/category/world/"]
"""

CASES = {
    "no start url": ({}, None, "no start URL"),
    "non-http url": ({"start_urls": "ftp://example.com/news/"}, None, "'ftp://example.com/news/' is not an http(s) URL"),
    "file url": ({"start_urls": "file:///etc/passwd"}, None, "is not an http(s) URL"),
    "unknown argument": ({"start_url": "http://a.example/"}, None, "-a start_url: unknown argument"),
    "bad max_pages": ({"start_urls": "http://a.example/", "max_pages": "many"}, None, "-a max_pages: expected a whole number"),
    "unknown site": ({"site": "nope"}, GOOD_SITES, "unknown site 'nope'"),
    "missing sites file": ({"site": "good"}, None, "sites file not found"),
    "malformed toml": ({"site": "good"}, "[sites.good\nstart_urls = [", "not valid TOML"),
    "missing start_urls key": ({"site": "good"}, "[sites.good]\nmax_pages = 2\n", "[sites.good]: missing key 'start_urls'"),
    "bad url in profile": ({"site": "good"}, '[sites.good]\nstart_urls = ["javascript:alert(1)"]\n', "key 'start_urls'"),
    "unknown profile key": ({"site": "good"}, '[sites.good]\nstart_urls = ["http://a.example/"]\nspeed = 3\n', "unknown key 'speed'"),
    "bad selector": (
        {"site": "good"},
        '[sites.good]\nstart_urls = ["http://a.example/"]\n[sites.good.selectors]\ntitle = "xpath://h1[["\n',
        "key 'selectors.title': invalid xpath selector",
    ),
    "bad regex": ({"site": "good"}, '[sites.good]\nstart_urls = ["http://a.example/"]\narticle_pattern = "("\n', "key 'article_pattern'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_clear_line(case, tmp_path):
    arguments, sites_toml, message = CASES[case]
    if sites_toml is not None:
        (tmp_path / "sites.toml").write_text(sites_toml, encoding="utf-8")
    result = run_crawl(arguments, tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    if sites_toml is not None and "sites" in message:
        assert "sites.toml" in errors[0]


@pytest.mark.parametrize("store, message", [
    ("mysql://localhost/x", "unsupported store URL"),
    ("sqlite:////nonexistent-dir/sub/archive.db", "/nonexistent-dir/sub/archive.db"),
])
def test_unusable_store_url(store, message, tmp_path):
    result = run_crawl({"start_urls": "http://127.0.0.1:9/"}, tmp_path, "-s", f"NEWSCRAWL_STORE={store}", timeout=60)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawl: error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
