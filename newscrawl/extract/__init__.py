"""Pure HTML -> article fields. No Scrapy, no I/O, deterministic, never raises.

>>> from newscrawl.extract import extract_article
>>> item = extract_article("<html><head><title>Hi | Site</title></head><body><h1>Hi</h1></body></html>",
...                        "https://site.example/a")
>>> item["title"], item["body"], item["page_kind"]
('Hi', None, 'other')
"""
from .article import FIELDS, extract_article, page_kind, word_count

__all__ = ["extract_article", "page_kind", "word_count", "FIELDS"]
