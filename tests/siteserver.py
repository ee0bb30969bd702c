"""Serve a fixture site (tests/fixtures/sites/<name>/) on loopback for end-to-end tests.

    with serve_site("tests/fixtures/sites/metro") as origin:
        ...  # origin == "http://127.0.0.1:PORT"; origin.requests lists what was fetched

Rules (see tests/fixtures/README.md):
- "/a/b/" serves "a/b/index.html"; "/a/b" (a directory) redirects 301 to "/a/b/".
- The query string is ignored for the file lookup, except that a directory index may
  have an exact-query variant "index@<query>.html" (parameters sorted), e.g.
  "/news/?page=2" -> "news/index@page=2.html". Without such a file, "?utm_source=x"
  and the like serve the plain page.
- "{{ORIGIN}}" in text files (html, xml, txt, json) is replaced by the server origin.
- "/robots.txt" comes from the site directory, or is an allow-all default.
- routes={"/path": callable(handler)} answers that path (with or without its query,
  exact "/path?query" keys win) by the callable, for fault injection. The callable gets
  the request handler and writes the response itself; it may call
  handler.send_static() to fall back to the normal file answer.

By hand:  python tests/siteserver.py tests/fixtures/sites/metro 8000
"""

from __future__ import annotations

import contextlib
import mimetypes
import posixpath
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

PLACEHOLDER = b"{{ORIGIN}}"
ALLOW_ALL_ROBOTS = b"User-agent: *\nDisallow:\n"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".gz": "application/gzip",
}
SUBSTITUTED = {".html", ".htm", ".xml", ".txt", ".json"}


class SiteOrigin(str):
    """The origin string, carrying the request log of its server: [(method, path), ...]."""

    requests: list


class SiteHandler(BaseHTTPRequestHandler):
    server_version = "FixtureSite/1.0"
    protocol_version = "HTTP/1.0"

    # set on the subclass made per server
    site_dir: Path
    routes: dict
    origin: str
    request_log: list
    log_lock: threading.Lock

    def log_message(self, format, *args):  # quiet
        pass

    def do_HEAD(self):
        self._dispatch(head=True)

    def do_GET(self):
        self._dispatch(head=False)

    def _dispatch(self, head: bool) -> None:
        self.head_only = head
        with self.log_lock:
            self.request_log.append((self.command, self.path))
        path = urlsplit(self.path).path
        route = self.routes.get(self.path) or self.routes.get(path)
        if route is not None:
            route(self)
        else:
            self.send_static()

    # -- helpers usable from routes ---------------------------------------------------
    def send_bytes(self, status: int, body: bytes, content_type: str,
                   headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def send_not_found(self) -> None:
        self.send_bytes(404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>\n",
                        CONTENT_TYPES[".html"])

    def send_static(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == "/robots.txt" and not (self.site_dir / "robots.txt").is_file():
            self.send_bytes(200, ALLOW_ALL_ROBOTS, CONTENT_TYPES[".txt"])
            return
        target = self._resolve(path)
        if target is None:
            self.send_not_found()
            return
        if target.is_dir():
            if not path.endswith("/"):
                location = parts.path + "/" + (f"?{parts.query}" if parts.query else "")
                self.send_bytes(301, b"", CONTENT_TYPES[".html"], {"Location": location})
                return
            target = self._index_for(target, parts.query)
        if not target.is_file():
            self.send_not_found()
            return
        suffix = target.suffix.lower()
        body = target.read_bytes()
        if suffix in SUBSTITUTED:
            body = body.replace(PLACEHOLDER, self.origin.encode("ascii"))
        content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(target.name)[0]
        self.send_bytes(200, body, content_type or "application/octet-stream")

    def _resolve(self, path: str) -> Path | None:
        clean = posixpath.normpath(path).lstrip("/")
        if clean in ("", "."):
            return self.site_dir
        if clean.startswith("..") or "\\" in clean:
            return None
        target = self.site_dir / clean
        return target if target.exists() else None

    @staticmethod
    def _index_for(directory: Path, query: str) -> Path:
        if query:
            key = urlencode(sorted(parse_qsl(query, keep_blank_values=True)), safe=",")
            if key and "/" not in key and ".." not in key:
                variant = directory / f"index@{key}.html"
                if variant.is_file():
                    return variant
        return directory / "index.html"


@contextlib.contextmanager
def serve_site(directory, routes: dict | None = None, *, host: str = "127.0.0.1",
               port: int = 0):
    """Serve `directory` on http://host:port (a free port by default) in a daemon thread."""
    site_dir = Path(directory).resolve()
    if not site_dir.is_dir():
        raise FileNotFoundError(f"fixture site directory not found: {site_dir}")
    handler = type("BoundSiteHandler", (SiteHandler,), {
        "site_dir": site_dir,
        "routes": dict(routes or {}),
        "request_log": [],
        "log_lock": threading.Lock(),
    })
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    origin = SiteOrigin(f"http://{host}:{server.server_address[1]}")
    origin.requests = handler.request_log
    handler.origin = str(origin)
    thread = threading.Thread(target=server.serve_forever, name=f"siteserver-{origin}",
                              daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python tests/siteserver.py SITE_DIR [PORT]", file=sys.stderr)
        return 2
    port = int(argv[2]) if len(argv) == 3 else 0
    with serve_site(argv[1], port=port) as origin:
        print(f"serving {argv[1]} at {origin}/  (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
