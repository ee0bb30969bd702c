"""The long fuzz run of extract_article: many more cases than the suite, every failure kept.

Same generators and contract as tests/test_fuzz_extract.py (tests/fuzzhtml.py, tests/extract_contract.py), driven by seeded
random.Random instead of Hypothesis so that the run never stops at the first failure and every
case is replayable by its seed:

    python bench/fuzz.py                       # default budget: 60000 generated, 24000 mutated, ...
    python bench/fuzz.py --scale 0.1           # a tenth of that
    python bench/fuzz.py --internal            # also count exceptions extract_article swallows
    python bench/fuzz.py --replay generated 1234   # print one case and its result

The same properties under Hypothesis (stops at the first failure of each):
    NEWSCRAWL_FUZZ_PROFILE=long python -m pytest tests/test_fuzz_extract.py
Prints the cases run per property, failures by kind with a seed to replay, CPU time.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import fuzzhtml  # noqa: E402
from extract_contract import check_result  # noqa: E402
from newscrawl.extract import extract_article  # noqa: E402

MB = 1024 * 1024
URL = "https://news.example/2026/03/14/story/"
BUDGET = {"generated": 60000, "mutated": 24000, "noisy": 8000, "deterministic": 4000, "megabyte": 200}


def make_case(kind: str, seed: int, seeds: list[bytes]):
    rng = random.Random(f"{kind}-{seed}")
    if kind == "generated":
        return fuzzhtml.document(rng)
    if kind == "mutated":
        return fuzzhtml.mutate(rng, seeds)
    if kind == "noisy":
        return fuzzhtml.noisy_article(rng)
    if kind == "deterministic":
        return fuzzhtml.document(rng) if rng.random() < 0.5 else fuzzhtml.mutate(rng, seeds)
    page = fuzzhtml.document(rng) if rng.random() < 0.5 else fuzzhtml.mutate(rng, seeds)
    return fuzzhtml.scaled_to(page, MB)


def check_case(kind: str, case) -> tuple[float, str | None]:
    """Run one case; return (CPU seconds, failure description or None)."""
    page = case[0] if kind == "noisy" else case
    started = time.process_time()
    try:
        result = extract_article(page, URL)
    except Exception as exc:  # the contract says never
        return time.process_time() - started, f"raised {type(exc).__name__}: {exc}"
    seconds = time.process_time() - started
    try:
        check_result(result, URL)
        if kind == "noisy":
            _, title, markers = case
            assert result["title"] == title, f"title: lost: {result['title']!r}"
            assert all(m in (result["body"] or "") for m in markers), f"body: paragraph lost: {len(markers)}"
        if kind == "deterministic":
            assert extract_article(page, URL) == result, "result: two runs differ: -"
        if seconds >= 1.0:
            return seconds, f"slow: over 1 s CPU for {len(page)} characters"
    except AssertionError as exc:
        return seconds, f"contract: {str(exc).splitlines()[0][:160]}"
    except Exception as exc:  # the check itself tripped on the value
        return seconds, f"contract: {type(exc).__name__}: {exc}"[:160]
    return seconds, None


def internal_failure(page) -> str | None:
    """An exception extract_article catches and turns into an all-None result (a lost page)."""
    from newscrawl.extract import article

    try:
        article._extract(page, URL, {})
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frame if "/newscrawl/" in f.filename] or frame
        where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}"
        return f"swallowed {type(exc).__name__} at {where}: {str(exc)[:80]}"
    return None


def replay(kind: str, seed: int) -> int:
    seeds = fuzzhtml.seed_pages()
    case = make_case(kind, seed, seeds)
    page = case[0] if kind == "noisy" else case
    print(repr(page[:4000]))
    print(extract_article(page, URL))
    print(check_case(kind, case)[1] or "ok", "|", internal_failure(page) or "no swallowed exception")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default case counts")
    parser.add_argument("--start", type=int, default=0, help="first seed (runs are replayable)")
    parser.add_argument("--internal", action="store_true", help="also count exceptions extract_article swallows")
    parser.add_argument("--replay", nargs=2, metavar=("KIND", "SEED"))
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay[0], int(args.replay[1]))

    seeds = fuzzhtml.seed_pages()
    failures: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    first_seed: dict[tuple[str, str], int] = {}
    ran: dict[str, int] = {}
    worst: dict[str, float] = {}
    started = time.process_time()
    wall = time.perf_counter()
    for kind, count in BUDGET.items():
        n = max(1, int(count * args.scale))
        worst[kind] = 0.0
        for seed in range(args.start, args.start + n):
            case = make_case(kind, seed, seeds)
            seconds, failure = check_case(kind, case)
            worst[kind] = max(worst[kind], seconds)
            found = [failure]
            if args.internal and kind != "megabyte":
                found.append(internal_failure(case[0] if kind == "noisy" else case))
            for item in filter(None, found):
                item, _, example = item.rpartition(": ") if item.startswith("contract:") else (item, "", "")
                failures[kind][item] += 1
                first_seed.setdefault((kind, item), (seed, example))
        ran[kind] = n
        print(f"{kind:>13}: {n} cases, slowest {worst[kind]:.3f}s CPU, "
              f"{sum(failures[kind].values())} failing", flush=True)
    total = sum(ran.values())
    print(f"\n{total} cases in {time.process_time() - started:.0f}s CPU ({time.perf_counter() - wall:.0f}s wall)")
    for kind, counter in failures.items():
        for item, times in counter.most_common():
            seed, example = first_seed[(kind, item)]
            shown = f" e.g. {example[:60]}" if example else ""
            print(f"  {kind}: {times}x {item}{shown}   [replay: python bench/fuzz.py --replay {kind} {seed}]")
    if not any(failures.values()):
        print("no failures")
    print(f"\nrerun: python bench/fuzz.py --scale {args.scale}{' --internal' if args.internal else ''}")
    return 1 if any(failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
