"""Property tests of extract_article: generated and mutated HTML never raises, always returns the
typed fields of the contract, is deterministic, and a 1 MB page takes under a second.

Budget: NEWSCRAWL_FUZZ_PROFILE=suite (default) runs a few thousand cases in about a minute,
derandomized so CI is repeatable. NEWSCRAWL_FUZZ_PROFILE=long explores ~20x more with fresh
randomness (bench/fuzz.py runs it and prints the counts); "quick" is a smoke run.
Time is CPU time of this process (time.process_time), so other load on the machine does not count.
"""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract_contract import check_result
from fuzzhtml import documents, mutated, noisy_articles, scaled_to, seed_pages
from newscrawl.extract import extract_article

MB = 1024 * 1024
LIMIT_SECONDS = 1.0
URLS = ("https://news.example/2026/03/14/story/", "http://127.0.0.1:8000/a/", "", "not a url", "https://[::1")

_COMMON = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("suite", max_examples=100, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=100, derandomize=False, **_COMMON)
settings.register_profile("quick", max_examples=10, derandomize=True, **_COMMON)
PROFILE = os.environ.get("NEWSCRAWL_FUZZ_PROFILE", "suite")
if PROFILE not in ("suite", "long", "quick"):
    raise ValueError(f"NEWSCRAWL_FUZZ_PROFILE={PROFILE!r}: use suite, long or quick")
settings.load_profile(PROFILE)
# cases per property: (suite, long, quick)
EXAMPLES = {
    "generated": (3000, 60000, 50),
    "mutated": (1000, 24000, 20),
    "noisy": (400, 8000, 10),
    "deterministic": (200, 4000, 5),
    "megabyte": (8, 200, 2),
}
SEEDS = seed_pages()

CASES: dict[str, int] = {}  # cases run per property, read by bench/fuzz.py


def examples(name: str) -> int:
    return EXAMPLES[name][("suite", "long", "quick").index(PROFILE)]


def timed_extract(page, url):
    started = time.process_time()
    result = extract_article(page, url)
    return result, time.process_time() - started


def _count(name: str) -> None:
    CASES[name] = CASES.get(name, 0) + 1


@settings(max_examples=examples("generated"))
@given(page=documents(), url=st.sampled_from(URLS))
def test_generated_html_gives_typed_fields(page, url):
    _count("generated")
    result, seconds = timed_extract(page, url)
    check_result(result, url)
    assert seconds < LIMIT_SECONDS, f"{seconds:.2f}s for a {len(page)} character page"


@settings(max_examples=examples("mutated"))
@given(page=mutated(SEEDS), url=st.sampled_from(URLS[:2]))
def test_mutated_pages_give_typed_fields(page, url):
    _count("mutated")
    result, seconds = timed_extract(page, url)
    check_result(result, url)
    assert seconds < LIMIT_SECONDS, f"{seconds:.2f}s for a {len(page)} character page"


@settings(max_examples=examples("noisy"))
@given(case=noisy_articles())
def test_noise_in_a_good_article_loses_nothing(case):
    """Odd characters and chrome blocks must not cost an article its fields (a swallowed
    exception inside extract_article would return all None: a silently lost article)."""
    _count("noisy")
    page, title, markers = case
    result = extract_article(page, "https://news.example/noisy/")
    check_result(result, "https://news.example/noisy/")
    assert result["title"] == title
    assert result["page_kind"] == "article"
    missing = [m for m in markers if m not in (result["body"] or "")]
    assert not missing, f"lost paragraphs {missing}: body={result['body']!r:.300}"


@settings(max_examples=examples("deterministic"))
@given(page=st.one_of(documents(), mutated(SEEDS)))
def test_extraction_is_deterministic(page):
    _count("deterministic")
    assert extract_article(page, URLS[0]) == extract_article(page, URLS[0])


@settings(max_examples=examples("megabyte"))
@given(page=st.one_of(documents(), mutated(SEEDS)))
def test_generated_page_of_one_megabyte_within_a_second(page):
    _count("megabyte")
    big = scaled_to(page, MB)
    result, seconds = timed_extract(big, URLS[0])
    check_result(result, URLS[0])
    assert seconds < LIMIT_SECONDS, f"{seconds:.2f}s for {len(big)} characters"


def _article(paragraphs: str) -> str:
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Big - Site</title>"
        '<meta property="og:type" content="article"></head><body><article><h1>Big</h1>'
        f'<div class="entry-content">{paragraphs}</div></article></body></html>'
    )


PARAGRAPH = "<p>The council met on March 14, 2026 and agreed the budget for the river bridge. </p>\n"
ADVERSARIAL = {
    "long article": _article(PARAGRAPH * (MB // len(PARAGRAPH))),
    "one text node": _article("<p>" + "word " * (MB // 5) + "</p>"),
    "no spaces": _article("<p>" + "x" * MB + "</p>"),
    "nested divs": "<div>" * (MB // 5),
    "nested and closed": _article("<div>" * 5000 + "<p>deep</p>" + "</div>" * 5000) * 16,
    "unclosed paragraphs": _article("<p>text " * (MB // 8)),
    "many links": _article("".join(f'<h2><a href="/s/{i}/">Story {i}</a></h2>' for i in range(MB // 34))),
    "table cells": _article("<table>" + "<tr><td>cell</td></tr>" * (MB // 22) + "</table>"),
    "entities": _article("<p>" + "&amp;&lt;&#x41;&bogus;" * (MB // 21) + "</p>"),
    "dates as text": _article("<p>" + "Published on 14 March 2026 at 09:30 CET, updated 3/14/2026. " * (MB // 62) + "</p>"),
    "bylines": _article("<p class=byline>" + "By Jane Doe, John Roe and Ann Poe & " * (MB // 36) + "</p>"),
    "big json-ld": "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"articleBody\":\""
                   + "x " * (MB // 2) + "\"}</script>",
    "deep json-ld": "<script type='application/ld+json'>" + '{"@graph":[' * (MB // 13) + "]}" * (MB // 13) + "</script>",
    "many meta tags": "<head>" + '<meta property="article:tag" content="tag">' * (MB // 44) + "</head>",
    "attributes": "<div " + " ".join(f"data-a{i}='v'" for i in range(MB // 12)) + ">x</div>",
    "comments": "<!--" + "-" * MB + "-->" + _article(PARAGRAPH),
    "script heavy": "<script>" + "var a = '<div><p>';" * (MB // 19) + "</script>" + _article(PARAGRAPH),
    "whitespace": _article(" \n\t" * (MB // 3)),
    "lt signs": "<p>" + "< " * (MB // 2),
}


def _extract_in_child(page, url, connection):
    result, seconds = timed_extract(page, url)
    connection.send((result, seconds))


def bounded_extract(page, url, wall_limit: float = 10.0):
    """timed_extract in a forked child, killed after wall_limit s: a pathological page fails fast."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_extract_in_child, args=(page, url, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(wall_limit):
            return None, wall_limit
        return receiver.recv()
    finally:
        child.kill()
        child.join()


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
@pytest.mark.parametrize("form", ["text", "bytes"])
def test_adversarial_megabyte_pages_within_a_second(name, form):
    page = ADVERSARIAL[name]
    page = page.encode("utf-8") if form == "bytes" else page
    assert len(page) >= MB * 0.9 or name in ("nested and closed",), len(page)
    result, seconds = bounded_extract(page, URLS[0])
    assert result is not None, f"{name}: still running after {seconds:.0f}s"
    check_result(result, URLS[0])
    assert seconds < LIMIT_SECONDS, f"{name}: {seconds:.2f}s CPU"
