"""A small news site on 127.0.0.1 with faults mixed among its good article pages.

    with serve_fault_site(tmp_path) as site:
        site.start_url            # "http://127.0.0.1:PORT/news/"
        site.good                 # {path: {"title": ..., "body": ...}}: what a crawl must store
        site.expected_failures    # {reason: count}: newscrawl/failed/<reason>
        site.expected_refusals    # {reason: count}: newscrawl/refused/<reason>

Faults (FAULTS below): 500; 503 with Retry-After; 429; a read timeout; a connection reset
mid-body; truncated gzip; a redirect loop; redirects to another domain, to another host of this
machine and to file:; a page over DOWNLOAD_MAXSIZE with and without Content-Length; a gzip bomb;
binary data as text/html; an empty 200; a soft 404 (status 200); a plain 404; a tag with
15,000 attributes (a parser denial of service). Good pages that need
care: windows-1252 and Shift_JIS declared only in a meta tag, deeply nested and unclosed markup,
a gzip-encoded page, a 503 and a connection reset that succeed when retried, and a page whose
canonical and image URLs do not parse.
The crawl must be run with the settings in CRAWL_SETTINGS (small timeout and size limit).

`serve_plain_site(tmp_path, n)` serves n good articles (optionally slowed down) for crash tests.
By hand:  python tests/faultserver.py [PORT]
"""

from __future__ import annotations

import contextlib
import gzip
import io
import random
import socket
import struct
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newspages import (  # noqa: E402
    CP1252_PARAGRAPHS, CP1252_TITLE, PLAIN_TITLES, SITE_NAME, SJIS_PARAGRAPHS, SJIS_TITLE, WORDS,
    article_html, article_text, listing_html, nested_markup, unclosed_markup,
)
from siteserver import serve_site  # noqa: E402

MAX_SIZE = 256 * 1024  # DOWNLOAD_MAXSIZE for crawls of this site
TIMEOUT = 2  # DOWNLOAD_TIMEOUT for crawls of this site
# NEWSCRAWL_HEALTH=0: report only; a site that fails this much would (rightly) fail the health check
CRAWL_SETTINGS = {"DOWNLOAD_TIMEOUT": TIMEOUT, "DOWNLOAD_MAXSIZE": MAX_SIZE, "DOWNLOAD_WARNSIZE": 0,
                  "NEWSCRAWL_HEALTH": 0}


# -- raw answers used by routes -----------------------------------------------------------------------

def send_raw(handler, status: int, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if not handler.head_only:
        handler.wfile.write(body)


def abandon(handler) -> None:
    """Make the server forget a connection we closed ourselves, without an error."""
    handler.close_connection = True
    handler.wfile = io.BytesIO()


def reset_mid_body(handler, body: bytes) -> None:
    """Promise the whole body, send a tenth of it, then reset the connection (RST)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 10])
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    abandon(handler)


def stream_forever(handler, chunk: bytes, limit: int) -> None:
    """A close-delimited body (no Content-Length) that keeps coming until the client hangs up."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    sent = 0
    try:
        handler.wfile.write(b"<!DOCTYPE html><html><head><title>Endless</title></head><body>")
        while sent < limit:
            handler.wfile.write(chunk)
            sent += len(chunk)
    except OSError:
        pass
    abandon(handler)


class FaultSite:
    """What serve_fault_site yields."""

    def __init__(self, origin, good, expected_failures, expected_refusals, hits):
        self.origin = origin
        self.start_url = f"{origin}/news/"
        self.good = good
        self.expected_failures = expected_failures
        self.expected_refusals = expected_refusals
        self.hits = hits  # {path: [time.monotonic() of each request]} for the fault routes


def _count_hit(hits: dict, lock: threading.Lock, key: str) -> int:
    """Record a request for `key` (its time.monotonic()); return how many there have been."""
    with lock:
        hits.setdefault(key, []).append(time.monotonic())
        return len(hits[key])


@contextlib.contextmanager
def serve_fault_site(directory):
    """Write the site into `directory`, serve it, yield a FaultSite."""
    root = Path(directory)
    stop = threading.Event()
    hits: dict[str, list[float]] = {}
    lock = threading.Lock()
    good: dict[str, dict] = {}
    files: dict[str, str] = {}

    for n, title in enumerate(PLAIN_TITLES, start=1):
        path = f"/news/story-{n}/"
        paragraphs = article_text(n)
        files[path] = article_html(path, title, paragraphs, day=n)
        good[path] = {"title": title, "body": "\n\n".join(paragraphs)}

    def page(path, title, seed, **kwargs):
        paragraphs = kwargs.pop("paragraphs", None) or article_text(seed)
        markup = kwargs.pop("markup", None)
        text = article_html(path, title, paragraphs, body_markup=markup(paragraphs) if markup else None, **kwargs)
        return text, paragraphs

    # good pages served by routes (encodings, retries) or from files (odd markup)
    special = {}
    for path, title, seed, kwargs in (
        ("/news/cp1252/", CP1252_TITLE, 0, {"paragraphs": CP1252_PARAGRAPHS,
                                             "meta": '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'}),
        ("/news/shift-jis/", SJIS_TITLE, 0, {"paragraphs": SJIS_PARAGRAPHS, "lang": "ja",
                                              "meta": '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'}),
        ("/news/deep-nesting/", "Engineers map the tunnel under the valley", 21, {"markup": nested_markup}),
        ("/news/unclosed/", "Volunteers rebuild the storm-hit pier", 22, {"markup": unclosed_markup}),
        ("/news/gzipped/", "Market traders vote on Sunday opening", 23, {}),
        ("/news/flaky/", "Airport night flights to end in May", 24, {}),
        ("/news/reset-once/", "Tenants win the rent inquiry appeal", 25, {}),
        ("/news/bad-metadata/", "Stadium roof repairs finish early", 26, {}),
    ):
        text, paragraphs = page(path, title, seed, **kwargs)
        good[path] = {"title": title, "body": "\n\n".join(paragraphs)}
        special[path] = text

    # unparseable URLs in its metadata: it must still be stored, under the URL it was fetched at
    special["/news/bad-metadata/"] = special["/news/bad-metadata/"].replace(
        '<link rel="canonical" href="{{ORIGIN}}/news/bad-metadata/">',
        '<link rel="canonical" href="http://[::1"><meta property="og:image" content="https://cdn.example:99999/i.jpg">')
    for path in ("/news/deep-nesting/", "/news/unclosed/", "/news/bad-metadata/"):
        files[path] = special.pop(path)

    for path, text in files.items():
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    broken_text = article_text(40)

    def filled(h, text: str) -> bytes:
        return text.replace("{{ORIGIN}}", h.origin).encode("utf-8")

    def page_bytes(h, path, title, seed):
        return filled(h, article_html(path, title, article_text(seed), day=9))

    def encoded(path, encoding):
        return lambda h: send_raw(h, 200, special[path].replace("{{ORIGIN}}", h.origin).encode(encoding),
                                  {"Content-Type": "text/html"})

    def gzipped(h):
        body = gzip.compress(filled(h, special["/news/gzipped/"]))
        send_raw(h, 200, body, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                                "Content-Length": str(len(body))})

    def flaky(h):
        if _count_hit(hits, lock, "/news/flaky/") == 1:
            send_raw(h, 503, b"busy", {"Content-Type": "text/plain", "Retry-After": "1", "Content-Length": "4"})
        else:
            h.send_bytes(200, filled(h, special["/news/flaky/"]), "text/html; charset=utf-8")

    def reset_once(h):
        body = filled(h, special["/news/reset-once/"])
        if _count_hit(hits, lock, "/news/reset-once/") == 1:
            reset_mid_body(h, body)
        else:
            h.send_bytes(200, body, "text/html; charset=utf-8")

    def status(code, headers=None):
        def answer(h):
            _count_hit(hits, lock, h.path)
            body = f"<html><title>{code}</title><h1>Error {code}</h1></html>".encode()
            send_raw(h, code, body, {"Content-Type": "text/html", "Content-Length": str(len(body)), **(headers or {})})
        return answer

    def slow(h):
        _count_hit(hits, lock, h.path)
        stop.wait(TIMEOUT * 5)
        with contextlib.suppress(OSError):
            h.send_bytes(200, b"<html>too late</html>", "text/html")

    def reset_always(h):
        _count_hit(hits, lock, h.path)
        reset_mid_body(h, page_bytes(h, h.path, "Half a story", 41))

    def truncated_gzip(h):
        body = gzip.compress(page_bytes(h, "/news/truncated-gzip/", "A story cut short", 42))
        body = body[: len(body) // 2]
        send_raw(h, 200, body, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                                "Content-Length": str(len(body))})

    def redirect(location):
        return lambda h: send_raw(h, 302, b"", {"Location": location.replace("{{ORIGIN}}", h.origin).replace(
            "{{PORT}}", str(h.server.server_address[1])), "Content-Length": "0"})

    def huge(h):
        body = page_bytes(h, "/news/huge/", "A very long read", 43)
        body = body.replace(b"</article>", b"<p>" + b"filler " * (MAX_SIZE // 6) + b"</p></article>")
        with contextlib.suppress(OSError):  # the crawler hangs up once it has seen Content-Length
            h.send_bytes(200, body, "text/html; charset=utf-8")
        abandon(h)

    def huge_stream(h):
        stream_forever(h, b"<p>" + b"more " * 2000 + b"</p>\n", MAX_SIZE * 8)

    def gzip_bomb(h):
        body = gzip.compress(b"<p>" + b"\x20" * (MAX_SIZE * 20) + b"</p>")
        send_raw(h, 200, body, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                                "Content-Length": str(len(body))})

    def binary(h):
        rng = random.Random(44)
        body = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(6000))
        h.send_bytes(200, body, "text/html; charset=utf-8")

    def empty(h):
        send_raw(h, 200, b"", {"Content-Type": "text/html; charset=utf-8", "Content-Length": "0"})

    def soft_404(h):
        body = (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Page not found - {SITE_NAME}</title>"
            "</head><body><header><nav><a href='/news/'>News</a></nav></header><main>"
            "<h1>Oops! That page can\u2019t be found.</h1><p>It looks like nothing was found at this location. "
            "Maybe try one of the links below or a search?</p>"
            + "".join(f"<p>{p}</p>" for p in broken_text[:2]) +
            "</main></body></html>"
        ).encode("utf-8")
        h.send_bytes(200, body, "text/html; charset=utf-8")

    def attribute_flood(h):
        flood = " ".join(f"data-a{i}='v'" for i in range(15000))
        body = page_bytes(h, "/news/attribute-flood/", "Attributes", 45).replace(b"<article>", f"<article {flood}>".encode())
        h.send_bytes(200, body, "text/html; charset=utf-8")

    routes = {
        "/news/attribute-flood/": attribute_flood,
        "/news/cp1252/": encoded("/news/cp1252/", "cp1252"),
        "/news/shift-jis/": encoded("/news/shift-jis/", "shift_jis"),
        "/news/gzipped/": gzipped,
        "/news/flaky/": flaky,
        "/news/reset-once/": reset_once,
        "/news/server-error/": status(500),
        "/news/unavailable/": status(503, {"Retry-After": "1"}),
        "/news/rate-limited/": status(429, {"Retry-After": "1"}),
        "/news/slow/": slow,
        "/news/reset/": reset_always,
        "/news/truncated-gzip/": truncated_gzip,
        "/news/loop-a/": redirect("/news/loop-b/"),
        "/news/loop-b/": redirect("{{ORIGIN}}/news/loop-a/"),
        "/news/moved-away/": redirect("http://elsewhere.example/news/moved-away/"),
        "/news/moved-local/": redirect("http://localhost:{{PORT}}/news/story-1/"),
        "/news/moved-file/": redirect("file:///etc/passwd"),
        "/news/huge/": huge,
        "/news/huge-stream/": huge_stream,
        "/news/gzip-bomb/": gzip_bomb,
        "/news/binary/": binary,
        "/news/empty/": empty,
        "/news/gone/": soft_404,
    }
    # loop-b is reached only through loop-a's redirect (a linked loop-b would be fetched on its own)
    faulty = [p for p in routes if p not in good and p != "/news/loop-b/"] + ["/news/missing/"]
    links = [(p, f"Story {p.strip('/').split('/')[-1]}") for p in sorted(good) + sorted(faulty)]
    random.Random(7).shuffle(links)  # faults mixed among the good pages
    half = len(links) // 2
    page_one = listing_html(links[:half], "/news/page/2/").encode("utf-8")
    page_two = listing_html(links[half:], None, title="News, page 2").encode("utf-8")
    routes["/news/"] = lambda h: h.send_bytes(200, page_one, "text/html; charset=utf-8")
    routes["/news/page/2/"] = lambda h: h.send_bytes(200, page_two, "text/html; charset=utf-8")

    with serve_site(root, routes=routes) as origin:
        site = FaultSite(
            origin, good,
            expected_failures={
                "http_500": 1, "http_503": 1, "http_429": 1, "http_404": 1, "timeout": 1,
                "data_loss": 1, "truncated_body": 1, "redirect_loop": 1, "oversize": 3,
                "binary_as_html": 1, "empty_body": 1, "soft_404": 1, "attribute_flood": 1,
            },
            expected_refusals={"offsite": 2, "scheme": 1},
            hits=hits,
        )
        try:
            yield site
        finally:
            stop.set()


@contextlib.contextmanager
def serve_plain_site(directory, n_articles: int = 40, *, delay: float = 0.0, per_page: int = 10):
    """n good articles behind paginated listings; each answer delayed by `delay` seconds."""
    root = Path(directory)
    good: dict[str, dict] = {}
    paths = []
    for n in range(1, n_articles + 1):
        path = f"/news/item-{n:03d}/"
        rng = random.Random(1000 + n)
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} report number {n}"
        paragraphs = article_text(1000 + n)
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article_html(path, title, paragraphs, day=1 + n % 28), encoding="utf-8")
        good[path] = {"title": title, "body": "\n\n".join(paragraphs)}
        paths.append(path)
    pages = [paths[i:i + per_page] for i in range(0, len(paths), per_page)]
    for index, chunk in enumerate(pages, start=1):
        listing_path = "/news/" if index == 1 else f"/news/page/{index}/"
        next_path = f"/news/page/{index + 1}/" if index < len(pages) else None
        target = root / listing_path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(listing_html([(p, good[p]["title"]) for p in chunk], next_path), encoding="utf-8")
    routes = {}
    if delay:
        def slowed(handler):
            time.sleep(delay)
            handler.send_static()

        routes = {p: slowed for p in [*paths, "/news/", *(f"/news/page/{i}/" for i in range(2, len(pages) + 1))]}
    with serve_site(root, routes=routes) as origin:
        yield FaultSite(origin, good, {}, {}, {})


def main(argv: list[str]) -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, serve_fault_site(tmp) as site:
        print(f"fault site at {site.start_url}  (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
