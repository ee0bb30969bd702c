"""`scrapy export`: stream the archive out as JSON Lines, JSON, CSV or Parquet."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.store import StoreError, open_store

from .writers import FORMATS, writer_for

DEFAULT_STORE = "sqlite:///newscrawl.db"
_EXTENSIONS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


def _usage(msg: str) -> UsageError:
    return UsageError(msg, print_help=False)


def _day(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _usage(f"{flag} {value!r}: expected a date YYYY-MM-DD") from None


def _moment(value: str | None, flag: str) -> str | None:
    if value is None or len(value) == 10:
        return _day(value, flag)
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _usage(f"{flag} {value!r}: expected YYYY-MM-DD or an ISO datetime") from None
    return value


def _check_output(path: str | None, fmt: str) -> str | None:
    """The file to write (None = stdout); refuses directories and missing parents."""
    if path in (None, "-"):
        if fmt == "parquet":
            raise _usage("--format parquet needs -o FILE (it cannot go to stdout)")
        return None
    if os.path.isdir(path):
        raise _usage(f"-o {path}: is a directory, give a file name")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise _usage(f"-o {path}: directory {parent} does not exist")
    return path


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Export archived articles (jsonl, json, csv, parquet)"

    def long_desc(self) -> str:
        return ("Stream articles from the store (--store, default the NEWSCRAWL_STORE setting) "
                "to -o FILE or stdout. Filters combine with AND. CSV joins lists with '; '.")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add = parser.add_argument
        add("--format", "-f", choices=FORMATS, default=None,
            help="output format (default: from the -o extension, else jsonl)")
        add("-o", "--output", metavar="FILE", help="output file ('-' or omitted: stdout)")
        add("--store", metavar="URL", help="store URL (default: NEWSCRAWL_STORE setting)")
        add("--site", help="only this site (exact name)")
        add("--section", help="only this section")
        add("--since", metavar="YYYY-MM-DD", help="published on or after this day")
        add("--until", metavar="YYYY-MM-DD", help="published on or before this day")
        add("--changed-since", metavar="DATE", help="new or revised since (date or ISO datetime)")
        add("--query", metavar="TEXT", help='full-text search: words, "phrases", OR, -word')
        add("--revisions", action="store_true", help="also export earlier revisions")

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        if args:
            raise _usage(f"unexpected argument(s): {' '.join(args)}")
        ext = os.path.splitext(opts.output or "")[1].lower()
        opts.format = opts.format or _EXTENSIONS.get(ext, "jsonl")
        opts.since = _day(opts.since, "--since")
        opts.until = _day(opts.until, "--until")
        if opts.since and opts.until and opts.since > opts.until:
            raise _usage(f"--since {opts.since} is after --until {opts.until}")
        opts.changed_since = _moment(opts.changed_since, "--changed-since")
        if opts.query is not None and not opts.query.strip():
            raise _usage("--query needs some words")
        opts.writer = writer_for(opts.format)
        opts.output = _check_output(opts.output, opts.format)
        opts.store = opts.store or self.settings.get("NEWSCRAWL_STORE") or DEFAULT_STORE

    def run(self, args, opts) -> None:
        write = opts.writer
        try:
            store = open_store(opts.store, readonly=True)
        except StoreError as exc:
            return self._fail(exc)
        try:
            items = store.iter_articles(
                site=opts.site, section=opts.section, since=opts.since, until=opts.until,
                changed_since=opts.changed_since, query=opts.query, revisions=opts.revisions)
            n = self._write(write, items, opts.output)
        except StoreError as exc:
            return self._fail(exc)
        finally:
            store.close()
        if n is not None:
            where = opts.output or "stdout"
            print(f"scrapy export: {n} records ({opts.format}) to {where}", file=sys.stderr)

    def _write(self, write, items, path):
        if path is None:
            try:
                n = write(items, sys.stdout.buffer)
                sys.stdout.buffer.flush()
                return n
            except BrokenPipeError:  # e.g. `| head`: the reader has gone
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                return None
        with open(path, "wb", buffering=1 << 20) as file:
            return write(items, file)

    def _fail(self, exc: Exception) -> None:
        print(f"scrapy export: error: {exc}", file=sys.stderr)
        self.exitcode = 1
