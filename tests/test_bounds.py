"""Staying in bounds: schemes, domains (look-alikes, userinfo, IDN), private addresses, SQL with
hostile strings, and `scrapy export` writing only where it is told.

End to end: a real `scrapy crawl` of a site whose links and redirects try every way out, with a
trap server that must never be hit. Unit: newscrawl.safety.SafetyMiddleware with a fake resolver.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import pytest
import scrapy
from scrapy.exceptions import CannotResolveHostError
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from conftest import ROOT, crawl_stats, run_crawl, stored_articles
from newspages import article_html, article_text, listing_html
from newscrawl.safety import Bounds, Refused, SafetyMiddleware, is_public_address, normalise_host
from newscrawl.store import StoreError, open_store
from siteserver import serve_site
from test_store import art, pg_url, url  # noqa: F401  (fixtures: sqlite and postgresql stores)

# -- unit: the rules --------------------------------------------------------------------------------------

METRO = Bounds(["metro.example", "b\u00fccher.example"], ["https://metro.example/news/"])


@pytest.mark.parametrize("link", [
    "https://metro.example/news/a/",
    "http://www.metro.example/a/",
    "HTTPS://METRO.EXAMPLE./a/",                  # case and the root dot
    "https://xn--bcher-kva.example/a/",           # punycode of an allowed IDN
    "https://B\u00dcCHER.example/a/",             # the IDN itself, upper case
])
def test_links_inside_the_domains_pass(link):
    assert METRO.url_refusal(scrapy.Request(link).url) is None


@pytest.mark.parametrize("link, reason", [
    ("https://metro.example.evil.com/a/", "offsite"),   # allowed name as a prefix
    ("https://evilmetro.example/a/", "offsite"),        # allowed name as a suffix without the dot
    ("https://metro.example.com/a/", "offsite"),
    ("https://metr\u043e.example/a/", "offsite"),       # Cyrillic o: a homograph, xn--metr-...
    ("https://m\u00e9tro.example/a/", "offsite"),
    ("https://metro\u3002example.evil.com/", "offsite"),  # ideographic full stop
    ("https://evil.com\\@metro.example/", "offsite"),   # backslash: browsers (and w3lib) read host evil.com
    ("https://evil.com#@metro.example/", "offsite"),
    ("https://metro.example@evil.com/a/", "userinfo"),
    ("https://metro.example:443@evil.com/a/", "userinfo"),
    ("https://user:pass@metro.example/a/", "userinfo"),
    ("https://metro.example%2eevil.com/", "bad_host"),
    ("https://metro.example:99999/", "bad_host"),
    ("file:///etc/passwd", "scheme"),
    ("data:text/html,<h1>x</h1>", "scheme"),
    ("ftp://metro.example/a/", "scheme"),
    ("s3://metro.example/a/", "scheme"),
    ("javascript:alert(1)", "scheme"),
])
def test_ways_out_are_refused(link, reason):
    try:
        link = scrapy.Request(link).url  # what the spider would request: WHATWG/IDNA-normalised
    except ValueError:
        pass
    assert METRO.url_refusal(link) == reason


def test_host_normalisation():
    assert normalise_host("B\u00fccher.Example.") == "xn--bcher-kva.example"
    assert normalise_host("[::1]") == "::1"
    assert normalise_host("metro.example%2eevil.com") is None
    assert normalise_host("") is None


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1%eth0", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:93.184.216.34", True), ("2002:7f00:1::", False), ("64:ff9b::a00:1", False), ("not an ip", False),
])
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def test_bad_safety_setting_is_one_clear_line():
    from scrapy.settings import Settings

    from newscrawl.safety import check_settings
    from newscrawl.sites import ConfigError

    check_settings(Settings({"NEWSCRAWL_SAFETY_ENABLED": "0"}))
    with pytest.raises(ConfigError, match=r"^setting NEWSCRAWL_SAFETY_ENABLED: expected True or False .*'maybe'$"):
        check_settings(Settings({"NEWSCRAWL_SAFETY_ENABLED": "maybe"}))


# -- unit: the middleware -----------------------------------------------------------------------------------

PUBLIC_DNS = {
    "news.example": ["93.184.216.34"],
    "www.news.example": ["93.184.216.35"],
    "intranet.news.example": ["10.0.0.5"],
    "metadata.news.example": ["169.254.169.254"],
    "v6.news.example": ["::1"],
    "mapped.news.example": ["::ffff:127.0.0.1"],
    "split.news.example": ["93.184.216.36", "192.168.0.10"],  # one bad answer is enough
}


async def fake_resolver(host):
    if host in PUBLIC_DNS:
        return PUBLIC_DNS[host]
    try:  # numeric spellings and localhost, as the system resolver reads them (no network)
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except OSError:
        return []


def middleware(allowed, start_urls):
    class Spider(scrapy.Spider):
        name = "bounds"

    Spider.allowed_domains = allowed
    Spider.start_urls = start_urls
    crawler = get_crawler(Spider)
    mw = SafetyMiddleware(crawler, resolver=fake_resolver)
    mw.spider_opened(Spider())
    return mw, crawler.stats


def outcome(mw, link):
    try:
        asyncio.run(mw.process_request(scrapy.Request(link)))
    except Refused as refused:
        return refused.reason
    except CannotResolveHostError:
        return "dns"
    return "ok"


@pytest.mark.parametrize("link, expected", [
    ("https://news.example/a/", "ok"),
    ("https://www.news.example/a/", "ok"),
    ("https://intranet.news.example/a/", "private_address"),
    ("https://metadata.news.example/latest/meta-data/", "private_address"),
    ("https://v6.news.example/a/", "private_address"),
    ("https://mapped.news.example/a/", "private_address"),
    ("https://split.news.example/a/", "private_address"),
    ("https://nowhere.news.example/a/", "dns"),
])
def test_public_site_never_leads_into_private_addresses(link, expected):
    mw, stats = middleware(["news.example"], ["https://news.example/"])
    assert outcome(mw, link) == expected
    if expected not in ("ok", "dns"):
        assert stats.get_value(f"newscrawl/refused/{expected}") == 1


@pytest.mark.parametrize("link", ["http://127.0.0.1/", "http://2130706433/", "http://0x7f.1/", "http://127.1/",
                                  "http://[::1]/", "http://localhost/", "http://0.0.0.0/", "http://10.0.0.1/"])
def test_numeric_and_loopback_spellings_are_private(link):
    mw, _ = middleware([], ["https://news.example/"])  # no allowed_domains: only the address rule holds
    assert outcome(mw, link) == "private_address"


def test_private_start_urls_are_allowed_and_only_their_origin():
    mw, stats = middleware(["127.0.0.1", "localhost"], ["http://127.0.0.1:8000/news/"])
    assert outcome(mw, "http://127.0.0.1:8000/news/a/") == "ok"
    assert outcome(mw, "http://127.0.0.1:8000/robots.txt") == "ok"
    assert outcome(mw, "http://127.0.0.1:6379/") == "private_address"  # same host, another service
    assert outcome(mw, "http://localhost:8000/news/a/") == "private_address"  # another name for it
    assert stats.get_value("newscrawl/refused/private_address") == 2


def test_redirect_to_another_scheme_is_refused():
    mw, stats = middleware(["news.example"], ["https://news.example/"])
    request = scrapy.Request("https://news.example/a/")
    for location in (b"file:///etc/passwd", b"ftp://news.example/x", b"data:text/html,x"):
        with pytest.raises(Refused):
            mw.process_response(request, Response(request.url, status=302, headers={"Location": location}))
    fine = Response(request.url, status=301, headers={"Location": b"/b/"})
    assert mw.process_response(request, fine) is fine
    assert stats.get_value("newscrawl/refused/scheme") == 3


def test_allow_offsite_lifts_only_the_domain_rule():
    mw, _ = middleware(["news.example"], ["https://news.example/"])

    def feed(link):
        try:
            asyncio.run(mw.process_request(scrapy.Request(link, meta={"allow_offsite": True})))
        except Refused as refused:
            return refused.reason
        return "ok"

    assert feed("https://www.news.example/feed/") == "ok"
    assert outcome(mw, "https://split.news.example.cdn.example/feed/") == "offsite"
    assert feed("https://metadata.news.example/feed/") == "private_address"
    assert feed("http://127.0.0.1:8000/feed/") == "private_address"
    assert feed("ftp://feeds.example/feed/") == "scheme"
    assert feed("https://user@feeds.example/feed/") == "userinfo"


def test_refused_when_scheduled_too():
    mw, stats = middleware(["news.example"], ["https://news.example/"])
    with pytest.raises(Refused):
        mw.request_scheduled(scrapy.Request("https://news.example.evil.com/"))
    assert stats.get_value("newscrawl/refused/offsite") == 1


# -- end to end: a crawl that is tempted every way out --------------------------------------------------------

def test_crawl_stays_in_bounds(tmp_path):
    good = {f"/news/fine-{n}/": f"Harbour story number {n} is fine" for n in (1, 2)}
    site_dir, trap_dir = tmp_path / "site", tmp_path / "trap"
    for path, title in good.items():
        page = site_dir / path.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_html(path, title, article_text(100 + len(path) + int(path[-2]))), encoding="utf-8")
    trap_dir.mkdir()

    def redirect(location):
        return lambda h: h.send_bytes(302, b"", "text/html", {"Location": location})

    with serve_site(trap_dir) as trap:
        trap_port = trap.rsplit(":", 1)[1]
        routes = {
            "/news/redirect-private/": redirect(f"http://localhost:{trap_port}/news/secret-3/"),
            "/news/redirect-file/": redirect("file:///etc/passwd"),
            "/news/redirect-away/": redirect("http://evil.example/news/x/"),
        }
        with serve_site(site_dir, routes=routes) as origin:
            port = origin.rsplit(":", 1)[1]
            ways_out = [
                f"http://localhost:{trap_port}/news/secret-1/",  # allowed name, private, not a start origin
                f"http://127.0.0.1:{trap_port}/news/secret-2/",  # the start host, another port
                "http://127.0.0.1.evil.example/news/x/",          # look-alikes
                "http://127.0.0.1.nip.io/news/x/",
                "http://xn--lcalhost-0we.example/news/x/",
                f"http://evil.example\\@127.0.0.1:{port}/news/x/",  # backslash: the host is evil.example
                f"http://127.0.0.1:{port}@evil.example/news/x/",   # userinfo
                "/news/redirect-private/", "/news/redirect-file/", "/news/redirect-away/",
                f"ftp://127.0.0.1:{port}/news/x/", "file:///etc/passwd", "data:text/html,<h1>x</h1>",
            ]
            links = [(href, f"Link {n}") for n, href in enumerate([*good, *ways_out])]
            (site_dir / "news" / "index.html").write_text(listing_html(links, None), encoding="utf-8")
            sites = tmp_path / "sites.toml"
            sites.write_text(f'[sites.local]\nstart_urls = ["{origin}/news/"]\n'
                             'allowed_domains = ["127.0.0.1", "localhost"]\n', encoding="utf-8")
            result = run_crawl({"site": "local"}, tmp_path, "-s", f"NEWSCRAWL_SITES={sites}",
                               "-s", f"NEWSCRAWL_STORE=sqlite:///{tmp_path / 'bounds.db'}", timeout=120)
            fetched = [path for _method, path in origin.requests]
        trap_hits = list(trap.requests)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert trap_hits == []
    assert not [p for p in fetched if "/news/x/" in p or "passwd" in p]
    stats = crawl_stats(result.stderr)
    refused = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newscrawl/refused/")}
    assert refused == {"private_address": 3, "offsite": 5, "userinfo": 1, "scheme": 1}
    assert set(stored_articles(tmp_path / "bounds.db")) == {origin + path for path in good}


# -- SQL only with parameters: hostile strings are data, never SQL -------------------------------------------

HOSTILE = [
    "Robert'); DROP TABLE articles;--",
    '"; DELETE FROM articles; --',
    "x' OR '1'='1",
    "%' OR 1=1 --",
    "\\'; SELECT pg_sleep(5); --",
    "title:* OR body:*",
    'NEAR("a" "b")',
    "a AND OR NOT",
    "*",
    ")(",
    "\u0000nul",
    "caf\u00e9 \u5e02\u8b70\u4f1a \U0001F4F0",
]


def test_hostile_strings_are_stored_and_queried_as_data(url):  # noqa: F811 (fixture)
    with open_store(url) as store:
        for n, text in enumerate(HOSTILE):
            title = text.replace("\u0000", "")  # NUL is not storable text in PostgreSQL
            store.put(art(n, title=title, site=title, section=title, body=f"Body {n} mentions {title} twice."),
                      simhash=n)
        store.put(art(100, title="Plain title", body="An ordinary body about the harbour."), simhash=100)
        store.flush()
        assert store.count() == len(HOSTILE) + 1
        for n, text in enumerate(HOSTILE):
            title = text.replace("\u0000", "")
            by_site = list(store.iter_articles(site=title))
            assert [a["title"] for a in by_site] == [title], text
            assert list(store.iter_articles(section=title))[0]["site"] == title
        for text in HOSTILE + ["'", '"', "--", ";", "' OR 1=1", "harbour' OR '1'='1"]:
            try:
                found = list(store.iter_articles(query=text))
            except StoreError as exc:  # a clear refusal of a query is fine, a driver error is not
                assert str(exc).strip() and "\n" not in str(exc)
                continue
            assert len(found) <= len(HOSTILE) + 1
        assert [a["title"] for a in store.iter_articles(query="harbour")] == ["Plain title"]
        assert store.count() == len(HOSTILE) + 1  # nothing dropped or deleted by any of it
        assert store.known_urls(["x' OR '1'='1", art(100)["canonical_url"]]) == {art(100)["canonical_url"]}


# -- export writes only the file it is given ---------------------------------------------------------------------

def _tree(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_export_writes_only_the_path_given(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    project = tmp_path / "project"
    (project / "out").mkdir(parents=True)
    (project / "scrapy.cfg").write_text("[settings]\ndefault = newscrawl.settings\n")
    with open_store(f"sqlite:///{project / 'archive.db'}") as store:
        for n, text in enumerate(["../../escape", "/etc/passwd", "..\\..\\win", "out/../../x", "a\nb"]):
            store.put(art(n, site=text, section=text, title=text, url=f"https://news.example/{text}",
                          canonical_url=f"https://news.example/{n}/../../{text}"), simhash=n)
    before = _tree(tmp_path)
    target = project / "out" / f"articles.{fmt}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "export", "--store", f"sqlite:///{project / 'archive.db'}",
         "--format", fmt, "-o", str(target)],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    after = _tree(tmp_path)
    new = set(after) - set(before)
    assert new == {str(target.relative_to(tmp_path))}, new
    assert target.stat().st_size > 0
    assert set(before) - set(after) == set()


def test_export_to_a_missing_directory_creates_nothing(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    with open_store(f"sqlite:///{project / 'archive.db'}") as store:
        store.put(art(1), simhash=1)
    before = _tree(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "export", "--store", f"sqlite:///{project / 'archive.db'}",
         "-o", str(project / "no" / "such" / "dir" / "x.jsonl")],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert _tree(tmp_path) == before
