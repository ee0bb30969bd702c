"""Streaming record writers for `scrapy export`, one per format."""

from __future__ import annotations

from scrapy.exceptions import UsageError
from scrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter

from newscrawl.store import EXPORT_FIELDS

FORMATS = ("jsonl", "json", "csv", "parquet")
PARQUET_ROWS = 10_000


def _scrapy_exporter(cls, **extra):
    def write(items, file) -> int:
        exporter = cls(file, encoding="utf-8", fields_to_export=list(EXPORT_FIELDS), **extra)
        exporter.start_exporting()
        n = 0
        for n, item in enumerate(items, 1):
            exporter.export_item(item)
        exporter.finish_exporting()
        return n
    return write


def _parquet_schema(pa):
    text, names = pa.string(), pa.list_(pa.string())
    types = {"authors": names, "tags": names, "word_count": pa.int64(), "revision": pa.int64()}
    return pa.schema([(f, types.get(f, text)) for f in EXPORT_FIELDS])


def write_parquet(items, file) -> int:
    """Row groups of PARQUET_ROWS articles; never holds more than one group."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    schema = _parquet_schema(pa)
    n, rows = 0, []
    with pq.ParquetWriter(file, schema) as writer:
        for n, item in enumerate(items, 1):
            rows.append(item)
            if len(rows) == PARQUET_ROWS:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows or not n:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return n


def writer_for(fmt: str):
    """Callable(items, binary_file) -> count for ``fmt``; UsageError if unusable."""
    if fmt == "parquet":
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise UsageError("--format parquet needs pyarrow: pip install 'newscrawl[parquet]'",
                             print_help=False) from None
        return write_parquet
    return {
        "jsonl": _scrapy_exporter(JsonLinesItemExporter),
        "json": _scrapy_exporter(JsonItemExporter, indent=0),
        "csv": _scrapy_exporter(CsvItemExporter, join_multivalued="; "),
    }[fmt]
