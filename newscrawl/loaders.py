"""ArticleLoader: the processors that clean and normalise extracted values into an Article."""

from __future__ import annotations

import re
from datetime import datetime

from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from newscrawl.items import ARTICLE_FIELDS, Article

_BLANK_LINES = re.compile(r"\n\s*\n")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def clean_text(value):
    """Collapse white space; empty becomes None so it is dropped.

    >>> clean_text("  Hello \\n  world ")
    'Hello world'
    >>> clean_text("   ") is None
    True
    """
    if value is None:
        return None
    return " ".join(str(value).split()) or None  # str.split() splits on exactly what \\s matches


def clean_body(value):
    """Paragraphs separated by exactly one blank line, each paragraph's white space collapsed.

    >>> clean_body("First  para.\\n\\n\\n  Second\\npara. ")
    'First para.\\n\\nSecond para.'
    """
    if value is None:
        return None
    paragraphs = (clean_text(p) for p in _BLANK_LINES.split(str(value)))
    return "\n\n".join(p for p in paragraphs if p) or None


def normalise_date(value):
    """ISO 8601 as given by extraction, re-spelled canonically; unparseable values are dropped.

    >>> normalise_date("2026-03-14T09:30:00Z")
    '2026-03-14T09:30:00+00:00'
    >>> normalise_date("2026-03-14")
    '2026-03-14'
    >>> normalise_date("last Tuesday") is None
    True
    """
    text = clean_text(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) == 10:  # a date without a time stays a date
        return parsed.date().isoformat()
    return parsed.isoformat()


def clean_author(value):
    """A person's name without a leading 'By'.

    >>> clean_author(" by  Jane   Doe ")
    'Jane Doe'
    """
    text = clean_text(value)
    return clean_text(_BY.sub("", text)) if text else None


def unique(values):
    """Keep the first of case-insensitive repeats, in order."""
    seen, kept = set(), []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def none_if_empty(values):
    return values or None


class ArticleLoader(ItemLoader):
    """Loads an Article from extract_article's dict plus what the spider knows (url, site)."""

    default_item_class = Article
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    body_in = MapCompose(clean_body)
    date_published_in = MapCompose(normalise_date)
    date_modified_in = MapCompose(normalise_date)
    authors_in = MapCompose(clean_author)
    authors_out = Compose(unique, none_if_empty)
    tags_out = Compose(unique, none_if_empty)
    word_count_in = Identity()

    def load_item(self):
        """The item with every field present, unknown ones as None, so feeds show them as null."""
        item = super().load_item()
        for name in ARTICLE_FIELDS:
            item.setdefault(name, None)
        return item


# Every other field names the default processors too: for a field without its own <field>_in/_out,
# itemloaders looks the processor up in the item's field metadata again for every value.
for _name in ARTICLE_FIELDS:
    for _suffix, _default in (("_in", ArticleLoader.default_input_processor),
                              ("_out", ArticleLoader.default_output_processor)):
        if not hasattr(ArticleLoader, _name + _suffix):
            setattr(ArticleLoader, _name + _suffix, _default)
del _name, _suffix, _default
