"""Site profiles from sites.toml, validated at start-up with errors that name the file and key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Fields a profile may override with a selector (the rest are derived).
OVERRIDABLE_FIELDS = (
    "title", "byline", "authors", "date_published", "date_modified", "body",
    "section", "tags", "description", "image",
)
PROFILE_KEYS = {
    "start_urls", "allowed_domains", "article_pattern", "max_pages", "feeds", "sitemaps", "selectors",
}


class ConfigError(ValueError):
    """A bad argument, setting or sites.toml entry; the message is one line meant for the operator."""


@dataclass(frozen=True)
class SiteProfile:
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    article_pattern: re.Pattern | None = None
    max_pages: int | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    selectors: dict = field(default_factory=dict)


def check_http_url(url: str, where: str) -> str:
    """Return the URL stripped, or raise ConfigError naming `where`.

    >>> check_http_url(" https://a.example/x ", "start_urls")
    'https://a.example/x'
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL")
    return url


def domains_of(urls) -> tuple[str, ...]:
    """Host names of URLs, without duplicates, in order."""
    return tuple(dict.fromkeys(urlsplit(u).hostname for u in urls))


def parse_max_pages(value, where: str) -> int | None:
    """A positive page count, or None for 'until the end' (0 or empty)."""
    if value in (None, "", 0, "0"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a whole number of pages, got {value!r}") from None
    if number < 0:
        raise ConfigError(f"{where}: expected a positive number of pages, got {value!r}")
    return number or None


def parse_selector(value, where: str) -> str:
    """A selector spelled 'css:...', 'xpath:...' or plain CSS; checked by compiling it."""
    from parsel import Selector  # parsel is a core dependency; imported here to keep this module light

    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a CSS or XPath selector string")
    kind, _, expression = value.partition(":")
    if kind not in ("css", "xpath"):
        kind, expression = "css", value
    try:
        getattr(Selector(text="<html></html>"), kind)(expression.strip())
    except Exception as exc:  # parsel raises several types for a bad expression
        raise ConfigError(f"{where}: invalid {kind} selector {expression!r} ({exc})") from None
    return f"{kind}:{expression.strip()}"


def _string_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return value


def parse_profile(name: str, table: dict, source: str) -> SiteProfile:
    where = f"{source}: [sites.{name}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table of settings")
    unknown = sorted(set(table) - PROFILE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(PROFILE_KEYS))})")
    if "start_urls" not in table:
        raise ConfigError(f"{where}: missing key 'start_urls'")
    start_urls = tuple(
        check_http_url(u, f"{where} key 'start_urls'") for u in _string_list(table["start_urls"], f"{where} key 'start_urls'")
    )
    if not start_urls:
        raise ConfigError(f"{where} key 'start_urls': needs at least one URL")
    domains = tuple(_string_list(table.get("allowed_domains", []), f"{where} key 'allowed_domains'"))
    pattern = None
    if "article_pattern" in table:
        try:
            pattern = re.compile(table["article_pattern"])
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{where} key 'article_pattern': invalid regular expression ({exc})") from None
    selectors = table.get("selectors", {})
    if not isinstance(selectors, dict):
        raise ConfigError(f"{where} key 'selectors': expected a table of field = selector")
    for key in selectors:
        if key not in OVERRIDABLE_FIELDS:
            raise ConfigError(f"{where} key 'selectors.{key}': not a field (one of {', '.join(OVERRIDABLE_FIELDS)})")
    return SiteProfile(
        name=name,
        start_urls=start_urls,
        allowed_domains=domains or domains_of(start_urls),
        article_pattern=pattern,
        max_pages=parse_max_pages(table.get("max_pages"), f"{where} key 'max_pages'"),
        feeds=tuple(check_http_url(u, f"{where} key 'feeds'") for u in _string_list(table.get("feeds", []), f"{where} key 'feeds'")),
        sitemaps=tuple(
            check_http_url(u, f"{where} key 'sitemaps'") for u in _string_list(table.get("sitemaps", []), f"{where} key 'sitemaps'")
        ),
        selectors={k: parse_selector(v, f"{where} key 'selectors.{k}'") for k, v in selectors.items()},
    )


def load_sites(path: str | Path) -> dict[str, SiteProfile]:
    """All profiles in a sites.toml file, keyed by name; ConfigError names the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: sites file not found (set NEWSCRAWL_SITES or create it)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read sites file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    sites = data.get("sites")
    if not isinstance(sites, dict):
        raise ConfigError(f"{path}: missing [sites.NAME] tables")
    return {name: parse_profile(name, table, str(path)) for name, table in sites.items()}


def load_site(path: str | Path, name: str) -> SiteProfile:
    sites = load_sites(path)
    if name not in sites:
        known = ", ".join(sorted(sites)) or "none"
        raise ConfigError(f"unknown site {name!r} in {path} (known: {known})")
    return sites[name]
