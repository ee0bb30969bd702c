"""Crawl throughput benchmark: the full pipeline against a raw crawl of the same generated site.

For each size (default 2,000 and 10,000 articles) it generates a static news site with
bench/synthsite.py, serves it on 127.0.0.1 with nginx when installed (else a threaded Python
server), and runs, one after the other against that server:

  raw     bench/rawspider.py: the news spider's crawl (same links, same rules), article pages
          fetched and dropped -- no extraction, no item, no store;
  full    `scrapy crawl news` as users run it: crawl, extract, load, validate, dedupe, store in
          SQLite, the page -> item work in worker processes beside the crawl
          (NEWSCRAWL_EXTRACT_PROCESSES=auto, the default; --extract-processes sets another value);
  inline  the same with the page -> item work in the crawl process (NEWSCRAWL_EXTRACT_PROCESSES=0),
          for reference.

Each is a child process with a fresh store. CPU time comes from wait4(), so it includes the
workers (spawned children, reaped at shutdown); peak RSS is sampled from /proc every 100 ms as the
sum over the crawl process and its workers (rss_MB), beside the largest single process from
wait4() (max1_MB). Rates use the crawl's own elapsed_time_seconds (process start-up excluded,
worker start-up included). Printed: pages/s, articles/s, CPU seconds per 1,000 articles, peak RSS,
the full/raw pages/s ratio (target >= 0.60), inline/raw, and RSS growth from the smallest size
(target <= 300 MB at 10,000 and sublinear). On a shared machine absolute figures move with the
load; the ratios within one run are what to compare.

    .venv/bin/python bench/crawl.py                       # 2,000 and 10,000 articles
    .venv/bin/python bench/crawl.py --sizes 2000 --profile # plus a cProfile of the crawl process
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import platform
import pstats
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthsite import generate_site  # noqa: E402

# The same for both runs: no politeness delays against our own loopback server.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": "0",
}
PLACEHOLDER = b"{{ORIGIN}}"
RSS_LIMIT_MB = 300
RATIO_TARGET = 0.60


# -- serving -----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def has_placeholder(site: Path) -> bool:
    sample = next(site.rglob("index.html"), None)
    return sample is not None and PLACEHOLDER in sample.read_bytes()


NGINX_CONF = """\
{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/index.html $uri/ =404; }}
        {substitute}
    }}
}}
"""


@contextlib.contextmanager
def nginx(site: Path, nginx_bin: str):
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        substitute = ""
        if has_placeholder(site):
            substitute = (f"sub_filter '{PLACEHOLDER.decode()}' '{origin}'; sub_filter_once off; "
                          "sub_filter_types application/xml text/xml text/plain application/json;")
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            user="user root;\n" if os.geteuid() == 0 else "", tmp=tmp, port=port, root=site,
            substitute=substitute))
        process = subprocess.Popen([nginx_bin, "-c", str(conf), "-p", tmp, "-e", f"{tmp}/error.log"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_port(port, process)
            yield origin
        finally:
            process.terminate()
            process.wait(timeout=10)


class StaticHandler(SimpleHTTPRequestHandler):
    origin = b""

    def log_message(self, format, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data.replace(PLACEHOLDER, self.origin) if self.origin else data)

    def send_header(self, keyword, value):
        if keyword == "Content-Length" and self.origin:
            return  # substitution changes the length; HTTP/1.0 ends the body by closing
        super().send_header(keyword, value)


@contextlib.contextmanager
def python_server(site: Path):
    substitute = has_placeholder(site)
    handler = type("Handler", (StaticHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    handler.origin = origin.encode() if substitute else b""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()


def serve(site: Path, choice: str):
    nginx_bin = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if choice == "nginx" or (choice == "auto" and nginx_bin):
        if not nginx_bin:
            raise SystemExit("bench/crawl.py: --server nginx but nginx is not installed")
        version = subprocess.run([nginx_bin, "-v"], capture_output=True, text=True).stderr.strip()
        return "nginx " + version.rsplit("/", 1)[-1], nginx(site, nginx_bin)
    return "python ThreadingHTTPServer", python_server(site)


# -- running one crawl -------------------------------------------------------------------------------
def stats_of(log: str) -> dict[str, float]:
    block = log.rsplit("Dumping Scrapy stats:", 1)[-1]
    return {k: float(v) for k, v in re.findall(r"'([\w/.-]+)': ([\d.]+)", block)}


def run_crawl(kind: str, start_urls: str, workdir: Path, profile: Path | None = None,
              extra: dict | None = None) -> dict:
    database = workdir / f"{kind}.db"
    for stale in (database, *(Path(f"{database}{suffix}") for suffix in ("-wal", "-shm", ".lock"))):
        stale.unlink(missing_ok=True)  # a kept work directory: start from an empty store each time
    settings = {**CRAWL_SETTINGS, "NEWSCRAWL_STORE": f"sqlite:///{database}", **(extra or {})}
    if kind == "raw":
        command = ["runspider", str(ROOT / "bench" / "rawspider.py")]
    else:
        command = ["crawl", "news"]
    args = [*command, "-a", f"start_urls={start_urls}"]
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    python = [sys.executable, *(["-m", "cProfile", "-o", str(profile)] if profile else [])]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings", "PYTHONPATH": str(ROOT)}
    log_path = workdir / f"{kind}.log"
    with open(log_path, "w") as log:
        started = time.monotonic()
        process = subprocess.Popen([*python, "-m", "scrapy", *args], cwd=workdir, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        sampler = TreeRss(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(errors="replace")
    if process.returncode != 0 or "Traceback" in text:
        tail = "\n".join(text.splitlines()[-30:])
        raise SystemExit(f"bench/crawl.py: the {kind} crawl failed (exit {process.returncode}); "
                         f"log {log_path}:\n{tail}")
    stats = stats_of(text)
    articles = stats.get("raw/article_pages" if kind == "raw" else "newscrawl/articles/new", 0)
    return {
        "kind": kind, "pages": int(stats.get("response_received_count", 0)), "articles": int(articles),
        "elapsed": stats.get("elapsed_time_seconds", wall), "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime, "max1_mb": usage.ru_maxrss / 1024,
        "rss_mb": max(sampler.peak_mb, usage.ru_maxrss / 1024),
        "command": shlex.join(["scrapy", *args]),
    }


class TreeRss:
    """Peak of the summed resident memory of a process and its descendants, polled from /proc."""

    INTERVAL = 0.1

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._done.wait(self.INTERVAL):
            total = sum(_rss_kb(pid) for pid in _tree(self.pid)) / 1024
            self.peak_mb = max(self.peak_mb, total)


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                pending += [int(child) for child in children.read_text().split()]
    return found


def _rss_kb(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def row(size: int, r: dict) -> str:
    per_1k = 1000 * r["cpu"] / r["articles"] if r["articles"] else float("nan")
    return (f"{size:>8} {r['kind']:>6} {r['pages']:>7} {r['articles']:>8} {r['elapsed']:>9.1f} "
            f"{r['pages'] / r['elapsed']:>8.1f} {r['articles'] / r['elapsed']:>10.1f} {r['cpu']:>7.1f} "
            f"{per_1k:>12.2f} {r['rss_mb']:>7.1f} {r['max1_mb']:>7.1f}")


def print_profile(path: Path, limit: int) -> None:
    print(f"\ncProfile of the full pipeline ({path}), top {limit} by own time:")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(limit)
    print(f"top {limit} by cumulative time, newscrawl code only:")
    stats.sort_stats("cumulative").print_stats(r"newscrawl/", limit)


# -- main ------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,10000", help="article counts, comma-separated")
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--server", choices=("auto", "nginx", "python"), default="auto")
    parser.add_argument("--profile", action="store_true", help="cProfile the full run's crawl process")
    parser.add_argument("--profile-lines", type=int, default=30)
    parser.add_argument("--extract-processes", default="auto",
                        help="NEWSCRAWL_EXTRACT_PROCESSES for the full run (default: auto, the setting's default)")
    parser.add_argument("--no-inline", action="store_true", help="skip the inline reference run")
    parser.add_argument("--workdir", help="keep sites, logs, databases and profiles here")
    options = parser.parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",") if s.strip()]

    base = Path(options.workdir or tempfile.mkdtemp(prefix="newscrawl-bench-")).resolve()
    base.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"newscrawl crawl benchmark: {os.cpu_count()} CPUs, load average {load[0]:.2f} at start, "
          f"Python {platform.python_version()}")
    print("  (shared machine: absolute rates move with other users' load; compare the ratios, "
          "taken in the same run)")
    header = (f"{'articles':>8} {'run':>6} {'pages':>7} {'stored':>8} {'elapsed_s':>9} {'pages/s':>8} "
              f"{'articles/s':>10} {'cpu_s':>7} {'cpu_s/1k_art':>12} {'rss_MB':>7} {'max1_MB':>7}")
    results = {}
    try:
        for size in sizes:
            workdir = base / f"n{size}"
            site = workdir / "site"
            if not site.exists():
                started = time.monotonic()
                generated = generate_site(site, articles=size, sections=options.sections,
                                          per_page=options.per_page, seed=0)
                print(f"generated {size} articles in {time.monotonic() - started:.1f}s: {site}")
            else:
                generated = None
            start_paths = section_paths(generated, site)
            label, server = serve(site, options.server)
            with server as origin:
                start_urls = ",".join(origin + p for p in start_paths)
                runs = [run_crawl("raw", start_urls, workdir)]
                profile = workdir / "full.prof" if options.profile else None
                runs.append(run_crawl("full", start_urls, workdir, profile,
                                      extra={"NEWSCRAWL_EXTRACT_PROCESSES": options.extract_processes}))
                if not options.no_inline:
                    runs.append(run_crawl("inline", start_urls, workdir,
                                          extra={"NEWSCRAWL_EXTRACT_PROCESSES": "0"}))
            results[size] = runs
            raw = runs[0]
            print(f"\nserver: {label}; {len(start_paths)} section start URLs; full run: "
                  f"NEWSCRAWL_EXTRACT_PROCESSES={options.extract_processes}")
            print(header)
            for r in runs:
                print(row(size, r))
            for r in runs[1:]:
                ratio = (r["pages"] / r["elapsed"]) / (raw["pages"] / raw["elapsed"])
                cpu_ratio = (raw["cpu"] / raw["pages"]) / (r["cpu"] / r["pages"])
                verdict = ("ok" if ratio >= RATIO_TARGET else "BELOW TARGET") if r["kind"] == "full" else "reference"
                print(f"{r['kind']}/raw pages/s at {size}: {ratio:.3f} (target >= {RATIO_TARGET:.2f}: "
                      f"{verdict}); raw/{r['kind']} CPU per page: {cpu_ratio:.2f}")
                if r["articles"] != size:
                    print(f"note: the {r['kind']} run stored {r['articles']} of {size} generated articles")
            print(f"load average now {os.getloadavg()[0]:.2f}")
            if profile:
                print_profile(profile, options.profile_lines)
    finally:
        if not options.workdir:
            shutil.rmtree(base, ignore_errors=True)

    if len(results) > 1:
        small, large = min(results), max(results)
        for index, r in enumerate(results[large][1:], start=1):
            rss_small, rss_large = results[small][index]["rss_mb"], r["rss_mb"]
            growth = rss_large / rss_small
            linear = large / small
            ok = rss_large <= RSS_LIMIT_MB and growth < linear
            print(f"\npeak RSS, {r['kind']} (crawl process + workers): {rss_small:.0f} MB at {small} -> "
                  f"{rss_large:.0f} MB at {large} (x{growth:.2f} for x{linear:.0f} articles; "
                  f"target <= {RSS_LIMIT_MB} MB and sublinear: {'ok' if ok else 'NOT MET'})", end="")
        print()
    for r in results[max(results)][1:]:
        command = re.sub(r"start_urls=\S+", "start_urls=<the sections>", r["command"])
        print(f"\n{r['kind']} pipeline command (per size, in its work directory): {command}")
    print(f"rerun: .venv/bin/python bench/crawl.py --sizes {options.sizes}"
          + (" --profile" if options.profile else "") + (" --no-inline" if options.no_inline else "")
          + (f" --extract-processes {options.extract_processes}" if options.extract_processes != "auto" else ""))
    return 0


def section_paths(generated, site: Path) -> list[str]:
    """Start paths of the generated site's sections, as synthsite reports them."""
    for key in ("start_paths",):
        value = generated.get(key) if isinstance(generated, dict) else getattr(generated, key, None)
        if value:
            return [p if p.startswith("/") else f"/{p.strip('/')}/" for p in value]
    listed = sorted(p.parent.relative_to(site) for p in site.glob("category/*/index.html"))
    if not listed:
        raise SystemExit(f"bench/crawl.py: no section start pages found in {site}")
    return [f"/{p.as_posix()}/" for p in listed]


if __name__ == "__main__":
    sys.exit(main())
