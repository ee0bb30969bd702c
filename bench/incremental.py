"""Incremental crawl benchmark: what a second cron run costs after a few new articles.

Generates a site with bench/synthsite.py (default 2,000 articles, 5 sections, 20 per listing page),
serves it on 127.0.0.1 (tests/siteserver.py), crawls it into a fresh SQLite store, adds 20 newer
articles at the front of their sections, and crawls again. Both runs are real `scrapy crawl news`
processes with the production settings except the politeness delays (no AutoThrottle, no
DOWNLOAD_DELAY: it is our own loopback server). Requests and crawl time come from each run's
NEWSCRAWL_SUMMARY_FILE (requests = downloader/request_count, robots.txt included; crawl time =
spider open to close); wall time includes process start-up.

Targets: the second run makes <= 5% of the first run's requests and takes <= 10% of its time.
Exit status 0 when both are met, 1 otherwise.

    .venv/bin/python bench/incremental.py                 # 2,000 articles, +20
    .venv/bin/python bench/incremental.py --articles 10000 --new 50 --workdir /tmp/inc   # keeps files
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from synthsite import add_articles, generate_site  # noqa: E402
from siteserver import serve_site  # noqa: E402

SETTINGS = {"AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0", "LOG_LEVEL": "INFO", "NEWSCRAWL_SUMMARY": "0"}
REQUEST_TARGET = 0.05
TIME_TARGET = 0.10


def crawl(name: str, start_urls: str, work: Path) -> dict:
    """One `scrapy crawl news` run; its summary plus wall time and the command line."""
    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_urls={start_urls}",
            "-s", f"NEWSCRAWL_STORE=sqlite:///{work / 'bench.db'}", "-s", f"NEWSCRAWL_SUMMARY_FILE={name}.json"]
    for key, value in SETTINGS.items():
        args += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    with open(work / f"{name}.log", "w") as log:
        status = subprocess.run(args, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=log).returncode
    wall = time.monotonic() - started
    if status != 0:
        raise SystemExit(f"bench/incremental.py: the {name} run exited {status}; see {work / (name + '.log')}")
    summary = json.loads((work / f"{name}.json").read_text())
    return {"summary": summary, "wall": wall, "command": shlex.join([".venv/bin/python", *args[1:]])}


def row(name: str, run: dict, served: int) -> str:
    s = run["summary"]
    return (f"{name:<7} {s['requests']:>9} {served:>7} {s['pages']['listing']:>8} {s['pages']['article']:>8} "
            f"{s['articles']['new']:>6} {s['skipped']['archived']:>8} {s['duration_seconds']:>8.2f} {run['wall']:>7.2f}")


def verdict(ratio: float, target: float) -> str:
    return f"{100 * ratio:.2f}% (target <= {100 * target:.0f}%: {'ok' if ratio <= target else 'NOT MET'})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sections", type=int, default=5)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--new", type=int, default=20, help="articles added before the second run")
    parser.add_argument("--workdir", help="keep the site, store, logs and summaries here")
    options = parser.parse_args()

    base = Path(options.workdir or tempfile.mkdtemp(prefix="newscrawl-incremental-"))
    site, work = base / "site", base / "work"
    if site.exists() or work.exists():
        raise SystemExit(f"bench/incremental.py: {base} already holds a site or store; give an empty --workdir")
    work.mkdir(parents=True)
    try:
        started = time.monotonic()
        generated = generate_site(site, articles=options.articles, sections=options.sections,
                                  per_page=options.per_page, seed=0)
        print(f"newscrawl incremental benchmark: {options.articles} articles, {options.sections} sections, "
              f"{options.per_page} per listing page, then +{options.new} (site generated in "
              f"{time.monotonic() - started:.1f}s; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
        with serve_site(site) as origin:
            start_urls = ",".join(origin + p for p in generated["start_paths"])
            first = crawl("first", start_urls, work)
            served_first = len(origin.requests)
            add_articles(site, options.new)
            second = crawl("second", start_urls, work)
            served_second = len(origin.requests) - served_first

        print(f"{'run':<7} {'requests':>9} {'served':>7} {'listing':>8} {'article':>8} {'new':>6} "
              f"{'skipped':>8} {'crawl_s':>8} {'wall_s':>7}")
        print(row("first", first, served_first))
        print(row("second", second, served_second))
        one, two = first["summary"], second["summary"]
        requests = two["requests"] / one["requests"]
        crawl_time = two["duration_seconds"] / one["duration_seconds"]
        wall_time = second["wall"] / first["wall"]
        print(f"second/first: requests {verdict(requests, REQUEST_TARGET)}; crawl time "
              f"{verdict(crawl_time, TIME_TARGET)}; wall time incl. start-up {verdict(wall_time, TIME_TARGET)}")
        stored_ok = one["articles"]["new"] == options.articles and two["articles"]["new"] == options.new
        if not stored_ok:
            print(f"note: stored {one['articles']['new']} then {two['articles']['new']} new articles "
                  f"(expected {options.articles} then {options.new})")
        print(f"crawl command (cwd {work}): {first['command']}")
        print(f"rerun: .venv/bin/python bench/incremental.py --articles {options.articles} "
              f"--sections {options.sections} --per-page {options.per_page} --new {options.new}")
        met = requests <= REQUEST_TARGET and crawl_time <= TIME_TARGET and wall_time <= TIME_TARGET
        return 0 if met and stored_ok else 1
    finally:
        if not options.workdir:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
