"""Turn a search-box query into an FTS5 expression (web-search style).

Words are ANDed, "quoted phrases" kept, OR between terms, -word excludes;
every term is quoted so FTS5 syntax in user text is never interpreted.
"""

import re

from .errors import StoreError

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_fts5(query: str) -> str:
    """'climate "sea level" -opinion' -> '"climate" AND "sea level" NOT "opinion"'."""
    positive, negative, pending_or = [], [], False
    for m in _TOKEN.finditer(query or ""):
        neg, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None:
            if word == "OR":
                pending_or = bool(positive)
                continue
            neg, phrase = ("-", word[1:]) if word.startswith("-") and len(word) > 1 else ("", word)
        phrase = phrase.strip()
        if not phrase:
            continue
        if neg:
            negative.append(_quote(phrase))
        elif pending_or:
            positive[-1] = f"{positive[-1]} OR {_quote(phrase)}"
        else:
            positive.append(_quote(phrase))
        pending_or = False
    if not positive:
        raise StoreError(f"query {query!r} has no words to search for")
    expr = " AND ".join(f"({p})" for p in positive)
    return expr + "".join(f" NOT {n}" for n in negative)
