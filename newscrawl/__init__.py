"""newscrawl: a Scrapy crawler that turns news sites into a clean, deduplicated archive."""

__version__ = "0.1.0"
