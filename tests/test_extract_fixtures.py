"""One generic test over every saved page: extract_article must reproduce expected.json.

Cases (adding one is adding files, see tests/fixtures/README.md):
- tests/fixtures/sites/<site>/**/index.html with expected.json beside it: an article page of a
  fixture site, fetched as https://<site>.example/<dir>/.
- tests/fixtures/extract/<case>/page.html + expected.json (+ optional url.txt): a saved page.
- every other page of a fixture site (listings, tag/author/search/about pages) must not be
  judged an article.
"{{ORIGIN}}" in pages, expected.json and url.txt becomes the case's fixed origin.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITES = FIXTURES / "sites"
EXTRACT_CASES = FIXTURES / "extract"
EXTRACT_ORIGIN = "https://extract.example"
PLACEHOLDER = "{{ORIGIN}}"
FIELDS = ("title", "byline", "authors", "date_published", "date_modified", "body",
          "canonical_url", "section", "tags", "description", "image", "language", "site")
LIST_FIELDS = {"authors", "tags"}


@dataclass(frozen=True)
class Case:
    id: str
    page: Path
    url: str
    origin: str
    expected: Path | None = None

    def html(self) -> bytes:
        return self.page.read_bytes().replace(PLACEHOLDER.encode(), self.origin.encode())

    def expected_item(self) -> dict:
        text = self.expected.read_text(encoding="utf-8").replace(PLACEHOLDER, self.origin)
        return json.loads(text)


def site_origin(site: str) -> str:
    return f"https://{site}.example"


def site_page_case(page: Path, expected: Path | None = None) -> Case:
    """A page of a fixture site; "a/b/index@page=2.html" is fetched as "/a/b/?page=2"."""
    site = page.relative_to(SITES).parts[0]
    rel = page.parent.relative_to(SITES / site).as_posix()
    path = "/" if rel == "." else f"/{rel}/"
    query = re.fullmatch(r"index@(.+)\.html", page.name)
    if query:
        path += "?" + query.group(1)
    return Case(f"{site}{path}", page, site_origin(site) + path, site_origin(site), expected)


def article_cases() -> list[Case]:
    cases = [site_page_case(exp.parent / "index.html", exp)
             for exp in sorted(SITES.glob("*/**/expected.json"))]
    for exp in sorted(EXTRACT_CASES.glob("*/expected.json")):
        folder = exp.parent
        url_file = folder / "url.txt"
        url = (url_file.read_text(encoding="utf-8").strip().replace(PLACEHOLDER, EXTRACT_ORIGIN)
               if url_file.is_file() else f"{EXTRACT_ORIGIN}/{folder.name}/")
        cases.append(Case(f"extract/{folder.name}", folder / "page.html", url,
                          EXTRACT_ORIGIN, exp))
    return cases


def other_page_cases() -> list[Case]:
    pages = sorted(SITES.glob("*/**/index.html")) + sorted(SITES.glob("*/**/index@*.html"))
    return [site_page_case(p) for p in pages
            if not (p.name == "index.html" and (p.parent / "expected.json").is_file())]


ARTICLES = article_cases()
OTHERS = other_page_cases()
FIELD_CASES = [(case, name) for case in ARTICLES for name in FIELDS]


@functools.lru_cache(maxsize=None)
def extracted(case: Case) -> dict:
    from newscrawl.extract import extract_article
    return extract_article(case.html(), case.url)


def judged_kind(case: Case) -> str:
    from newscrawl.extract import page_kind
    return page_kind(case.html(), case.url)


# -- the fixtures themselves ------------------------------------------------------------
def test_fixtures_found():
    assert len(ARTICLES) >= 12, "fixture article pages missing: run tests/fixtures/build_sites.py"
    assert len(OTHERS) >= 10


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.id)
def test_expected_json_is_well_formed(case: Case):
    item = case.expected_item()
    assert set(item) == set(FIELDS), f"{case.expected}: keys must be exactly {FIELDS}"
    assert case.page.is_file(), f"{case.page} missing"
    for name in FIELDS:
        value = item[name]
        if name in LIST_FIELDS:
            assert isinstance(value, list) and all(isinstance(v, str) and v for v in value), name
        else:
            assert value is None or (isinstance(value, str) and value.strip() == value
                                     and value), f"{name}: None or a trimmed non-empty string"
    assert item["title"] and item["body"], "an article has a title and a body"
    assert "\n\n\n" not in item["body"] and "\r" not in item["body"]
    for name in ("date_published", "date_modified"):
        value = item[name]
        if value is None:
            continue
        if "T" in value:
            assert datetime.fromisoformat(value).utcoffset() is not None, f"{name} needs an offset"
        else:
            date.fromisoformat(value)
    for name in ("canonical_url", "image"):
        assert item[name] is None or item[name].startswith(("http://", "https://")), name


def test_sites_match_generator():
    spec = importlib.util.spec_from_file_location("build_sites", FIXTURES / "build_sites.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.stale() == [], "run .venv/bin/python tests/fixtures/build_sites.py"


@pytest.mark.parametrize("site", sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def test_crawl_expected_matches_article_pages(site: str):
    root = SITES / site
    spec = json.loads((root / "crawl-expected.json").read_text(encoding="utf-8"))
    for start in spec["start_paths"]:
        assert (root / start.strip("/") / "index.html").is_file(), start
    origin = site_origin(site)
    canonical = {}
    for case in (c for c in ARTICLES if c.id.startswith(f"{site}/")):
        item = case.expected_item()
        canonical[item["canonical_url"].removeprefix(origin)] = item["title"]
    assert {path: entry["title"] for path, entry in spec["articles"].items()} == canonical


@pytest.mark.parametrize("site", sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def test_site_links_resolve(site: str):
    """Every root-relative <a href> of a fixture site leads to a page of that site."""
    import lxml.html
    root = SITES / site
    broken = set()
    for page in root.rglob("*.html"):
        for href in lxml.html.fromstring(page.read_bytes()).xpath("//a/@href"):
            path = href.split("#")[0].split("?")[0]
            if href.startswith("/") and not (root / path.strip("/") / "index.html").is_file():
                broken.add(f"{page.relative_to(root)} -> {href}")
    assert not broken, sorted(broken)


# -- extraction ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.id)
def test_extract_returns_the_contract_keys(case: Case):
    keys = set(extracted(case))
    assert keys - {"page_kind"} == set(FIELDS)


@pytest.mark.parametrize("case,field", FIELD_CASES, ids=[f"{c.id}:{f}" for c, f in FIELD_CASES])
def test_extract_field(case: Case, field: str):
    expected = case.expected_item()[field]
    actual = extracted(case).get(field, "<missing key>")
    assert actual == expected, f"{field} of {case.url} ({case.page})"


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c.id)
def test_article_pages_are_judged_articles(case: Case):
    assert judged_kind(case) == "article"
    kind = extracted(case).get("page_kind")
    assert kind in (None, "article"), f"extract_article page_kind={kind!r}"


@pytest.mark.parametrize("case", OTHERS, ids=lambda c: c.id)
def test_other_pages_are_not_articles(case: Case):
    assert judged_kind(case) != "article", f"{case.url} ({case.page}) is not an article"
