"""Running `scrapy crawl news` against the discovery fixture sites, and reading what happened."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from conftest import ROOT, crawl_stats, run_crawl, stored_articles
from siteserver import CONTENT_TYPES, serve_site

DISCOVERY = ROOT / "tests" / "fixtures" / "discovery"


@dataclass
class Crawl:
    result: object          # CompletedProcess of `scrapy crawl news`
    origin: str
    rows: dict              # stored articles by path (origin stripped)
    requested: list[str]    # paths (with query) the fixture server was asked for, in order
    stats: dict

    @property
    def stored(self) -> set[str]:
        return set(self.rows)


def gzip_route(site_dir: Path):
    """Serve "/x.xml.gz" as the gzip of the file "x.xml" after {{ORIGIN}} substitution."""
    def route(handler):
        name = urlsplit(handler.path).path[:-len(".gz")].lstrip("/")
        body = (site_dir / name).read_bytes().replace(b"{{ORIGIN}}", handler.origin.encode())
        handler.send_bytes(200, gzip.compress(body, mtime=0), CONTENT_TYPES[".gz"])
    return route


def repeat_route(site_dir: Path):
    """A listing that answers every ?page=N past its last page with the last page again (as many
    CMSs do), its Next link pointing at N+1: only repeat detection ends the walk."""
    def route(handler):
        number = int(dict(parse_qsl(urlsplit(handler.path).query)).get("page") or 1)
        name = "index.html" if number == 1 else "index@page=2.html"
        text = (site_dir / "repeat" / name).read_text(encoding="utf-8")
        text = text.replace("{{ORIGIN}}", handler.origin).replace("{{NEXT}}", f"/repeat/?page={number + 1}")
        handler.send_bytes(200, text.encode("utf-8"), CONTENT_TYPES[".html"])
    return route


def crawl(site_dir: Path, workdir: Path, arguments: dict, *extra: str, routes: dict | None = None,
          sites_toml: str | None = None) -> Crawl:
    """Serve the site, crawl it (ORIGIN in argument values and sites_toml is the server origin)."""
    with serve_site(site_dir, routes) as origin:
        if sites_toml is not None:
            (workdir / "sites.toml").write_text(sites_toml.replace("ORIGIN", origin), encoding="utf-8")
        arguments = {name: value.replace("ORIGIN", origin) for name, value in arguments.items()}
        result = run_crawl(arguments, workdir, *extra)
        requested = [path for _, path in origin.requests]
    database = workdir / "newscrawl.db"
    rows = stored_articles(database) if database.exists() else {}
    return Crawl(
        result=result,
        origin=origin,
        rows={url[len(origin):]: row for url, row in rows.items()},
        requested=requested,
        stats=crawl_stats(result.stderr),
    )
