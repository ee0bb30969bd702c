#!/usr/bin/env python3
"""Extraction benchmark: newscrawl.extract.extract_article on a directory of saved pages.

Two dataset layouts are recognised from the directory itself:
  * AEB-style:  html/<id>.html[.gz] + ground-truth.json   -> body scores (F1, precision, recall,
                accuracy: the article-extraction-benchmark metric)
  * meta-style: html/...         + ground_truth.json   -> date / authors / title scores

Scoring reuses the evaluators shipped with the data (aeb_eval.py, meta_eval.py), found next to the
data directory or given with --evaluators DIR. When aeb_eval.py is absent, the AEB metric is computed
by a small independent implementation below (4-token shingles, macro P/R, exact token match).

    python bench/extraction.py DATA_DIR [--compare trafilatura] [--repeat N] [--evaluators DIR]
                               [--per-page FILE]

--compare trafilatura runs trafilatura.bare_extraction (with metadata: body + title/author/date,
the same work as extract_article) on the same pages in the same run and prints both rows and the
median-time ratio. With --repeat N the extractors alternate N times over the pages and each
page's time is its minimum (less noise on a shared machine). trafilatura is a bench-only extra, never a runtime dependency.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ------------------------------------------------------------------ evaluators

def find_evaluator(name: str, data_dir: Path, explicit: Path | None):
    """Import aeb_eval / meta_eval from --evaluators, or the data dir's parents; None if absent."""
    places = [explicit] if explicit else []
    places += [data_dir, data_dir.parent, data_dir.parent.parent]
    for p in places:
        if p and (p / f"{name}.py").is_file():
            spec = importlib.util.spec_from_file_location(f"_bench_{name}", p / f"{name}.py")
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    return None


_WORD = re.compile(r"\w+")


def _shingles(text):
    toks = _WORD.findall(text or "")
    if not toks:
        return toks, Counter()
    if len(toks) < 4:
        return toks, Counter([tuple(toks)])
    return toks, Counter(zip(toks, toks[1:], toks[2:], toks[3:]))


def aeb_scores_builtin(truths: list, preds: list) -> dict:
    """AEB metric (independent implementation): macro precision/recall over pages of 4-token
    shingle multisets, F1 of the two averages, accuracy = share of exact token sequences."""
    ps, rs, exact = [], [], 0
    for t, p in zip(truths, preds):
        tt, ts = _shingles(t)
        pt, psh = _shingles(p)
        tp = sum((ts & psh).values())
        if psh:
            ps.append(tp / sum(psh.values()))
        if ts:
            rs.append(tp / sum(ts.values()))
        exact += tt == pt
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "accuracy": exact / len(truths) if truths else 0.0}


# ------------------------------------------------------------------ extractors

def newscrawl_func():
    from newscrawl.extract import extract_article
    return "newscrawl", extract_article


def trafilatura_func():
    import trafilatura

    def run(html, url):
        doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
        if doc is None:
            return {}
        get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
        author = get("author")
        return {"body": get("text") or "", "title": get("title"), "date_published": get("date"),
                "authors": [a.strip() for a in author.split(";")] if author else []}
    return f"trafilatura {trafilatura.__version__} bare_extraction", run


COMPARE = {"trafilatura": trafilatura_func}


def pct(times_ms, q):
    s = sorted(times_ms)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))] if s else float("nan")


# ------------------------------------------------------------------ AEB

def run_aeb(data_dir: Path, extractors, evaluator, per_page: Path | None, timeout: float, repeat: int = 1):
    gt = json.loads((data_dir / "ground-truth.json").read_text("utf8"))
    ids = sorted(gt)
    results = {}
    for r in range(max(1, repeat)):  # extractors alternate, so both see the same machine load
        for name, func in extractors:
            if evaluator:
                preds, times, failures, _ = evaluator.run_extractor(func, data_dir, gt, ids, timeout, False, 1)
            else:
                preds, times, failures = _run_plain(func, data_dir, gt, ids)
            if name not in results:
                results[name] = (preds, times, failures)
            else:
                p0, t0, f0 = results[name]
                results[name] = (p0, [min(a, b) for a, b in zip(t0, times)], f0)
    rows = []
    per = {}
    for name, _ in extractors:
        preds, times, failures = results[name]
        if evaluator:
            scores = [evaluator.PageScore(gt[i].get("articleBody"), preds[i]) for i in ids]
            metrics = evaluator.aggregate(scores)
            for i, sc in zip(ids, scores):
                per.setdefault(i, {"id": i, "url": gt[i].get("url")})[name] = round(sc.f1, 4)
        else:
            metrics = aeb_scores_builtin([gt[i].get("articleBody") for i in ids], [preds[i] for i in ids])
        ms = [t * 1000 for t in times]
        rows.append((name, metrics, statistics.median(ms), pct(ms, 0.95), max(ms), len(failures)))
    print(f"{'extractor':<42} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'med ms':>7} {'p95 ms':>7}"
          f" {'max ms':>7} {'fail':>4}")
    for name, m, med, p95, mx, nf in rows:
        print(f"{name:<42} {m['f1']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f} {m['accuracy']:6.3f}"
              f" {med:7.1f} {p95:7.1f} {mx:7.1f} {nf:4d}")
    if per_page and per:
        per_page.write_text("\n".join(json.dumps(v) for v in per.values()) + "\n", "utf8")
    return rows


def _run_plain(func, data_dir, gt, ids):
    import gzip
    preds, times, failures = {}, [], {}
    for i in ids:
        p = data_dir / "html" / f"{i}.html"
        html = p.read_text("utf8", "replace") if p.exists() else gzip.open(
            data_dir / "html" / f"{i}.html.gz", "rt", encoding="utf8", errors="replace").read()
        t0 = time.perf_counter()
        try:
            r = func(html, gt[i].get("url") or "")
            text = r.get("body") if isinstance(r, dict) else r
        except Exception as e:  # noqa: BLE001 - scored as empty
            text, failures[i] = "", repr(e)
        times.append(time.perf_counter() - t0)
        preds[i] = text or ""
    return preds, times, failures


# ------------------------------------------------------------------ meta

class _Timed:
    """Wraps an extractor to record each call's wall time (the evaluator's own timing is kept
    for the first run; later runs only contribute their per-page minimum)."""

    def __init__(self, func):
        self.func, self.times = func, []

    def __call__(self, html, url):
        t0 = time.perf_counter()
        try:
            return self.func(html, url)
        finally:
            self.times.append((time.perf_counter() - t0) * 1000)


def run_meta(data_dir: Path, extractors, evaluator, per_page: Path | None, repeat: int = 1):
    if evaluator is None:
        sys.exit("error: meta-style data needs meta_eval.py (next to the data or --evaluators DIR)")
    summaries, best_times = {}, {}
    for r in range(max(1, repeat)):  # extractors alternate, so both see the same machine load
        for name, func in extractors:
            timed = _Timed(func)
            out = str(per_page) + f".{name.split()[0]}.jsonl" if per_page and r == 0 else None
            s = evaluator.evaluate(str(data_dir), timed, None, out, progress=False)
            summaries.setdefault(name, s)
            prev = best_times.get(name)
            best_times[name] = timed.times if prev is None else [min(a, b) for a, b in zip(prev, timed.times)]
    print(f"{'extractor':<42} {'date':>6} {'d-cov':>6} {'author':>6} {'a-tF1':>6} {'title':>6} {'t-tF1':>6}"
          f" {'med ms':>7} {'p95 ms':>7} {'err':>4}")
    rows = []
    for name, _ in extractors:
        s = summaries[name]
        d, a, t = s["date"], s["authors"], s["title"]
        med, p95 = statistics.median(best_times[name]), pct(best_times[name], 0.95)

        def f(x):
            return f"{100 * x:6.1f}" if x is not None else "     -"
        print(f"{name:<42} {f(d['accuracy'])} {f(d['coverage'])} {f(a['exact'])} {f(a['token_f1'])}"
              f" {f(t['exact'])} {f(t['token_f1'])} {med:7.1f} {p95:7.1f} {s['errors']:4d}")
        rows.append((name, s, med))
    return rows


# ------------------------------------------------------------------ main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="dataset directory (AEB-style or meta-style)")
    ap.add_argument("--compare", choices=sorted(COMPARE), action="append", default=[],
                    help="also run this extractor on the same pages")
    ap.add_argument("--evaluators", type=Path, help="directory holding aeb_eval.py / meta_eval.py")
    ap.add_argument("--per-page", type=Path, help="write per-page scores (JSON lines) here")
    ap.add_argument("--timeout", type=float, default=0, help="per-page timeout in seconds (AEB only)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run every extractor N times, alternating; per-page time = minimum over runs")
    args = ap.parse_args(argv)
    data = args.data.resolve()
    extractors = [newscrawl_func()] + [COMPARE[c]() for c in args.compare]
    cmd = "python bench/extraction.py " + " ".join(sys.argv[1:] if argv is None else argv)
    if (data / "ground-truth.json").is_file():
        kind = "aeb"
    elif (data / "ground_truth.json").is_file():
        kind = "meta"
    else:
        sys.exit(f"error: {data} has neither ground-truth.json (AEB) nor ground_truth.json (meta)")
    n = len(json.loads((data / ("ground-truth.json" if kind == "aeb" else "ground_truth.json")).read_text("utf8")))
    print(f"dataset: {data} ({kind}, {n} pages)")
    if kind == "aeb":
        ev = find_evaluator("aeb_eval", data, args.evaluators)
        print(f"scoring: {'aeb_eval.py from ' + os.path.dirname(ev.__file__) if ev else 'built-in AEB metric'}")
        rows = run_aeb(data, extractors, ev, args.per_page, args.timeout, args.repeat)
        meds = [(r[0], r[2]) for r in rows]
    else:
        ev = find_evaluator("meta_eval", data, args.evaluators)
        print(f"scoring: meta_eval.py from {os.path.dirname(ev.__file__) if ev else '?'}")
        rows = run_meta(data, extractors, ev, args.per_page, args.repeat)
        meds = [(r[0], r[2]) for r in rows]
    if len(meds) > 1 and meds[1][1]:
        print(f"time ratio (median ms, newscrawl / {meds[1][0].split()[0]}): {meds[0][1] / meds[1][1]:.2f}x")
    print(f"command: {cmd}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
