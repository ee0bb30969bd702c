"""Export benchmark: `scrapy export` speed and peak RSS at two store sizes.

Fills a SQLite store with synthetic articles through the Store API, exports
all of it to /dev/null in a subprocess at N/10 and N articles, and prints
articles/s and the export process's peak RSS (flat RSS = streaming).

    .venv/bin/python bench/export.py --n 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawl.store import open_store  # noqa: E402

WORDS = [f"w{i:04x}" for i in range(4000)] + "the a of to in and news vote city report".split()
SECTIONS = ["world", "politics", "business", "sport", "culture", "science"]


def article(i: int, rnd: random.Random) -> dict:
    paras = [" ".join(rnd.choices(WORDS, k=40)) for _ in range(3)]
    body = f"Article {i}.\n\n" + "\n\n".join(paras)
    day = 1 + i % 28
    return {
        "url": f"https://bench.example/{SECTIONS[i % 6]}/{i}?utm_source=rss",
        "canonical_url": f"https://bench.example/{SECTIONS[i % 6]}/{i}",
        "site": f"Bench {i % 10}", "section": SECTIONS[i % 6],
        "title": f"Headline {i} " + " ".join(rnd.choices(WORDS, k=6)),
        "byline": "By Jane Doe", "authors": ["Jane Doe"],
        "date_published": f"2026-02-{day:02d}T09:30:00+00:00", "date_modified": None,
        "body": body, "description": None, "tags": ["bench"], "image": None,
        "language": "en", "word_count": len(body.split()),
        "fingerprint": hashlib.sha1(body.encode()).hexdigest(),
        "crawled_at": f"2026-03-{day:02d}T10:00:00+00:00",
    }


def fill(url: str, start: int, stop: int) -> float:
    """Put articles [start, stop); return articles/s."""
    rnd = random.Random(start)
    t0 = time.perf_counter()
    with open_store(url, batch_size=20_000) as store:
        for i in range(start, stop):
            store.put(article(i, rnd), simhash=rnd.getrandbits(64))
    return (stop - start) / (time.perf_counter() - t0)


def export(workdir: Path, url: str) -> tuple[float, int, int]:
    """Run `scrapy export` to /dev/null; return (seconds, records, peak RSS kB)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(workdir)]))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "scrapy", "export", "--store", url,
                             "-o", os.devnull], cwd=workdir, env=env, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"export failed: {err}")
    records = int(err.split("scrapy export: ", 1)[1].split()[0])
    return seconds, records, usage.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="articles at the large size")
    ap.add_argument("--dir", help="work directory (default: a temporary one, removed)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        workdir = Path(tmp)
        (workdir / "scrapy.cfg").write_text("[settings]\ndefault = bench_settings\n")
        (workdir / "bench_settings.py").write_text('COMMANDS_MODULE = "newscrawl.commands"\n')
        url = f"sqlite:///{workdir}/bench.db"
        done = 0
        print(f"{'articles':>10} {'fill/s':>9} {'export s':>9} {'export/s':>9} {'peak RSS MB':>12}")
        for size in (max(1, args.n // 10), args.n):
            rate = fill(url, done, size)
            done = size
            seconds, records, rss_kb = export(workdir, url)
            assert records == size, (records, size)
            print(f"{size:>10,} {rate:>9,.0f} {seconds:>9.1f} {records / seconds:>9,.0f}"
                  f" {rss_kb / 1024:>12.1f}", flush=True)
        db_mb = os.path.getsize(workdir / "bench.db") / 2**20
        print(f"store file: {db_mb:,.0f} MB")
    print("rerun: .venv/bin/python bench/export.py " + shlex.join(sys.argv[1:]))


if __name__ == "__main__":
    main()
