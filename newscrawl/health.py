"""Did the run work? Thresholds from settings applied to a run's summary (newscrawl.summary).

A cron job learns about a broken crawl from the exit status: `scrapy crawl` exits 4 when any check
below fails (with NEWSCRAWL_HEALTH on, the default). Ratios and coverage are judged only once a run
has at least NEWSCRAWL_HEALTH_MIN_SAMPLE pages or new articles, so a quiet hourly run with two new
articles does not flap.

| check | setting (default) |
|---|---|
| the crawl finished (not stopped by Ctrl-C / SIGTERM / an error) | - |
| start URLs that could not be fetched | NEWSCRAWL_HEALTH_MAX_START_FAILURES (0) |
| store errors | none allowed |
| listing pages, none of which links to an article | - |
| article pages dropped (not an article, no title, no body...) / article pages fetched | NEWSCRAWL_HEALTH_MAX_DROPPED (0.2) |
| article requests that failed (HTTP >= 400, network) / article requests | NEWSCRAWL_HEALTH_MAX_FAILED (0.2) |
| share of new articles with a field | NEWSCRAWL_HEALTH_MIN_COVERAGE ({"date_published": 0.8}) |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newscrawl.items import COVERAGE_FIELDS
from newscrawl.sites import ConfigError

NORMAL_ENDINGS = ("finished",)  # plus every closespider_* reason: the operator asked for an early stop


@dataclass(frozen=True)
class Thresholds:
    enabled: bool = True
    max_dropped: float = 0.2
    max_failed: float = 0.2
    min_coverage: dict = field(default_factory=lambda: {"date_published": 0.8})
    min_sample: int = 10
    max_start_failures: int = 0

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        """Read NEWSCRAWL_HEALTH_* settings; ConfigError names a bad one."""
        try:
            coverage = settings.getdict("NEWSCRAWL_HEALTH_MIN_COVERAGE", {"date_published": 0.8})
        except (ValueError, TypeError):
            raise ConfigError("setting NEWSCRAWL_HEALTH_MIN_COVERAGE: expected a JSON object such as "
                              '{"date_published": 0.8}') from None
        for name, value in coverage.items():
            if name not in COVERAGE_FIELDS:
                raise ConfigError(f"setting NEWSCRAWL_HEALTH_MIN_COVERAGE: unknown field {name!r} "
                                  f"(one of {', '.join(COVERAGE_FIELDS)})")
            coverage[name] = _ratio(value, f"NEWSCRAWL_HEALTH_MIN_COVERAGE[{name!r}]")
        return cls(
            enabled=_flag(settings, "NEWSCRAWL_HEALTH", True),
            max_dropped=_ratio(settings.get("NEWSCRAWL_HEALTH_MAX_DROPPED", 0.2), "NEWSCRAWL_HEALTH_MAX_DROPPED"),
            max_failed=_ratio(settings.get("NEWSCRAWL_HEALTH_MAX_FAILED", 0.2), "NEWSCRAWL_HEALTH_MAX_FAILED"),
            min_coverage=coverage,
            min_sample=_count(settings.get("NEWSCRAWL_HEALTH_MIN_SAMPLE", 10), "NEWSCRAWL_HEALTH_MIN_SAMPLE"),
            max_start_failures=_count(settings.get("NEWSCRAWL_HEALTH_MAX_START_FAILURES", 0),
                                      "NEWSCRAWL_HEALTH_MAX_START_FAILURES"),
        )


def _flag(settings, name: str, default: bool) -> bool:
    try:
        return settings.getbool(name, default)
    except ValueError:
        raise ConfigError(f"setting {name}: expected 1 or 0 (True/False)") from None


def _ratio(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}: expected a fraction between 0 and 1, got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise ConfigError(f"setting {name}: expected a fraction between 0 and 1, got {value!r}")
    return number


def _count(value, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}: expected a whole number, got {value!r}") from None
    if number < 0:
        raise ConfigError(f"setting {name}: expected 0 or more, got {value!r}")
    return number


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def problems(summary: dict, limits: Thresholds) -> list[str]:
    """What went wrong in the run summarised by `summary`, one line each; [] for a healthy run.

    >>> problems({"finish_reason": "shutdown"}, Thresholds())
    ['the crawl did not finish (shutdown)']
    """
    found = []
    reason = summary.get("finish_reason") or "unknown"
    if reason not in NORMAL_ENDINGS and not reason.startswith("closespider_"):
        found.append(f"the crawl did not finish ({reason})")
    failed_starts = (summary.get("start_urls") or {}).get("failed") or {}
    if len(failed_starts) > limits.max_start_failures:
        listed = "; ".join(f"{url} ({why})" for url, why in list(failed_starts.items())[:3])
        more = f" and {len(failed_starts) - 3} more" if len(failed_starts) > 3 else ""
        found.append(f"{len(failed_starts)} start URL(s) could not be fetched: {listed}{more}")
    errors = summary.get("errors") or {}
    if errors.get("store"):
        found.append(f"{errors['store']} store error(s): see the log")
    listings = summary.get("listing_pages") or {}
    if listings.get("parsed") and listings.get("without_links") == listings["parsed"]:
        found.append(f"none of the {listings['parsed']} listing page(s) linked to an article: "
                     "has the site's layout changed?")
    found += _ratio_problems(summary, limits)
    found += _coverage_problems(summary.get("coverage") or {}, limits)
    return found


def _ratio_problems(summary: dict, limits: Thresholds) -> list[str]:
    found = []
    pages = (summary.get("pages") or {}).get("article", 0)
    failed = (summary.get("errors") or {}).get("failed_requests", {}).get("article", 0)
    articles = summary.get("articles") or {}
    dropped = articles.get("dropped", 0)
    if pages >= limits.min_sample and dropped / pages > limits.max_dropped:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted((articles.get("dropped_by_reason") or {}).items()))
        found.append(f"{_percent(dropped / pages)} of {pages} article pages dropped ({reasons}), "
                     f"over the {_percent(limits.max_dropped)} limit")
    attempts = pages + failed
    if attempts >= limits.min_sample and failed / attempts > limits.max_failed:
        found.append(f"{_percent(failed / attempts)} of {attempts} article requests failed, "
                     f"over the {_percent(limits.max_failed)} limit")
    return found


def _coverage_problems(coverage: dict, limits: Thresholds) -> list[str]:
    counted = coverage.get("articles") or 0
    if counted < limits.min_sample:
        return []
    return [f"{name} found in {_percent(coverage.get(name) or 0.0)} of {counted} new articles, "
            f"under the {_percent(minimum)} minimum"
            for name, minimum in limits.min_coverage.items() if (coverage.get(name) or 0.0) < minimum]
