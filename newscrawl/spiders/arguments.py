"""What a run crawls, from `-a` arguments and sites.toml, checked before anything is fetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from newscrawl.sites import ConfigError, SiteProfile, check_http_url, domains_of, load_site, parse_max_pages
from newscrawl.spiders.dates import parse_since
from newscrawl.spiders.politeness import check_contact

KNOWN_ARGUMENTS = {"start_urls", "site", "max_pages", "url", "full", "refresh_days", "since"}


@dataclass(frozen=True)
class CrawlPlan:
    """start_urls: every page the crawl starts from (section pages, then home pages); home_urls: those
    given as -a url, whose menus give the sections and whose robots.txt gives sitemaps; feeds and
    sitemaps: from the profile (feeds are also autodiscovered on start pages); since: feed and
    sitemap entries and dated links before this day are skipped without being fetched."""

    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    max_pages: int | None
    profile: SiteProfile | None = None
    selectors: dict = field(default_factory=dict)
    home_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    since: date | None = None

    @property
    def site_name(self) -> str | None:
        return self.profile.name if self.profile else None


def split_urls(value: str) -> list[str]:
    return [u for u in (part.strip() for part in value.split(",")) if u]


def plan_crawl(arguments: dict, settings) -> CrawlPlan:
    """Build the plan or raise ConfigError with one line naming the bad argument."""
    unknown = sorted(set(arguments) - KNOWN_ARGUMENTS)
    if unknown:
        raise ConfigError(f"-a {unknown[0]}: unknown argument (known: {', '.join(sorted(KNOWN_ARGUMENTS))})")
    profile = None
    if arguments.get("site"):
        profile = load_site(settings.get("NEWSCRAWL_SITES") or "sites.toml", arguments["site"])
    urls = [check_http_url(u, "-a start_urls") for u in split_urls(arguments.get("start_urls") or "")]
    homes = [check_http_url(u, "-a url") for u in split_urls(arguments.get("url") or "")]
    if profile:
        urls = list(profile.start_urls) + urls
    if not urls and not homes:
        raise ConfigError(
            "no start URL: give -a url=HOME_PAGE, -a start_urls=URL[,URL...] or -a site=NAME from sites.toml"
        )
    since = None
    if arguments.get("since") is not None:
        try:
            since = parse_since(arguments["since"])
        except ValueError:
            raise ConfigError(f"-a since: expected a day as YYYY-MM-DD, got {arguments['since']!r}") from None
    check_contact(settings.get("NEWSCRAWL_CONTACT_URL"))
    parse_flag(arguments.get("full"), "-a full")  # both read by newscrawl.middlewares.SkipArchived
    parse_days(arguments.get("refresh_days"), "-a refresh_days")
    if "max_pages" in arguments:
        max_pages = parse_max_pages(arguments["max_pages"], "-a max_pages")
    elif profile and profile.max_pages:
        max_pages = profile.max_pages
    else:
        max_pages = parse_max_pages(settings.get("NEWSCRAWL_MAX_PAGES"), "setting NEWSCRAWL_MAX_PAGES")
    domains = tuple(dict.fromkeys((profile.allowed_domains if profile else ()) + domains_of(urls + homes)))
    return CrawlPlan(
        start_urls=tuple(dict.fromkeys(urls + homes)),
        allowed_domains=domains,
        max_pages=max_pages,
        profile=profile,
        selectors=dict(profile.selectors) if profile else {},
        home_urls=tuple(dict.fromkeys(homes)),
        feeds=profile.feeds if profile else (),
        sitemaps=profile.sitemaps if profile else (),
        since=since,
    )


def parse_flag(value, where: str) -> bool:
    """-a full=1: yes/no arguments. None (not given) is False.

    >>> parse_flag("1", "-a full"), parse_flag("no", "-a full"), parse_flag(None, "-a full")
    (True, False, False)
    """
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{where}: expected 1 or 0 (yes/no), got {value!r}")


def parse_days(value, where: str) -> int:
    """-a refresh_days=N: a whole number of days, 0 (or not given) for none.

    >>> parse_days("7", "-a refresh_days"), parse_days(None, "-a refresh_days")
    (7, 0)
    """
    if value is None or str(value).strip() == "":
        return 0
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{where}: expected a whole number of days, got {value!r}") from None
    if days < 0:
        raise ConfigError(f"{where}: expected 0 or more days, got {value!r}")
    return days
