"""What a run crawls, from `-a` arguments and sites.toml, checked before anything is fetched."""

from __future__ import annotations

from dataclasses import dataclass, field

from newscrawl.sites import ConfigError, SiteProfile, check_http_url, domains_of, load_site, parse_max_pages

KNOWN_ARGUMENTS = {"start_urls", "site", "max_pages", "url", "full", "refresh_days", "since"}


@dataclass(frozen=True)
class CrawlPlan:
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    max_pages: int | None
    profile: SiteProfile | None = None
    selectors: dict = field(default_factory=dict)

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
    urls = split_urls(arguments.get("start_urls") or "") + split_urls(arguments.get("url") or "")
    urls = [check_http_url(u, "-a start_urls") for u in urls]
    if profile:
        urls = list(profile.start_urls) + urls
    if not urls:
        raise ConfigError("no start URL: give -a start_urls=URL[,URL...] or -a site=NAME from sites.toml")
    if "max_pages" in arguments:
        max_pages = parse_max_pages(arguments["max_pages"], "-a max_pages")
    elif profile and profile.max_pages:
        max_pages = profile.max_pages
    else:
        max_pages = parse_max_pages(settings.get("NEWSCRAWL_MAX_PAGES"), "setting NEWSCRAWL_MAX_PAGES")
    domains = tuple(dict.fromkeys((profile.allowed_domains if profile else ()) + domains_of(urls)))
    return CrawlPlan(
        start_urls=tuple(dict.fromkeys(urls)),
        allowed_domains=domains,
        max_pages=max_pages,
        profile=profile,
        selectors=dict(profile.selectors) if profile else {},
    )
