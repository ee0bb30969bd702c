"""Author names and bylines: strip "By", roles, dates and handles; split on and / & / commas."""
from __future__ import annotations

import re

from .text import clean

# leading words that introduce a byline, in several languages
BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|text|words|story|photos?|reporting|compiled|edited)"
    r"\s+by|by|von|vom|par|por|door|av|af|autor(?:in|a)?|author|auteur|texto|"
    r"redakce|napisał|yazar|tekst|kirjoittanut)\b[\s:.\-–—]*", re.I)
# separators between several names
SPLIT = re.compile(r"\s*(?:,|;|\||&|\+|/|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\be\b|\bog\b|\boch\b|\ben\b|"
                   r"\bve\b|\bwith\b|\bmit\b)\s*", re.I)
# a word that makes a chunk a job title rather than a name
ROLE_WORDS = frozenset("""
correspondent correspondents reporter reporters editor editors writer writers staff columnist
contributor contributors journalist journalists author authors analyst producer presenter
photographer photographers chief senior deputy managing executive political political business
sports science health technology tech economics economy digital news desk bureau team
associate assistant special investigative national international foreign affairs
redakteur redakteurin redaktion korrespondent korrespondentin autor autorin rédaction
rédacteur journaliste redacción redaccion redazione redactie redaktionen toimitus
updated published posted min read minutes reading comments comment share follow
officer head president ceo cto cfo founder cofounder director manager vice coordinator specialist
lead intern fellow professor expert consultant strategist host anchor critic reviewer columnists
freelance freelancer guest edition labs research researcher head officer partner contributing
""".split())
# academic and professional credentials written after a name ("Jane Doe MS, RDN")
CREDENTIALS = frozenset("md ms ma mba phd ph.d rdn rd ld cpt cscs dds do rn np pa cfa cpa esq jd llm msc bsc mph"
                        .split())
# phrases printed where a name would be that are never a name
NOT_NAMES = frozenset(("about the author", "about author", "author", "authors", "admin", "administrator",
                       "editor", "editors", "staff", "guest", "guest author", "anonymous", "unknown",
                       "in partnership", "in association", "sponsored content", "paid partnership",
                       "contributor", "redaktion", "webmaster", "by", "posted by", "written by"))
ORG_HINT = re.compile(r"\b(?:press|news|agency|agencies|reuters|afp|dpa|apa|ansa|efe|staff|"
                      r"newsroom|desk|wire|media|online|redaktion|rédaction|redacción|team)\b", re.I)
# job titles written after a name in Korean, Japanese and Chinese bylines ("신현주 기자", "山田太郎記者")
CJK_ROLE = re.compile(r"\s*(?:선임기자|수습기자|기자|특파원|논설위원|객원기자|編集委員|特派員|記者|记者|編集部|编辑)$")
# credits after the author's that are not authorship ("Contributions from", "Photography by")
CREDIT_CUT = re.compile(r"\s(?:contributions? from|additional reporting|with reporting|photograph(?:y|s)? by|"
                        r"photos? by|styled by|edited by|illustrations? by|video by|produced by)\b", re.I)
# "Ann Lee as told to Bo Kim": the writer is the second
TOLD_TO = re.compile(r"\bas told to\s+", re.I)
# lower-case words that never occur inside a name ("About the Author", "View all articles by")
# (words found in organisations' names, "University of Tokyo", are not listed)
NAME_STOPWORDS = frozenset("""about view all articles article this more with from to as by our your posts
stories read see""".split())
_NUMERIC_DATE = re.compile(r"\s\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_GLUED_MARKER = re.compile(r"(?<=[a-z])(?=(?:Published|Updated|Posted)\b)")
_HANDLE = re.compile(r"@\w+|\S+@\S+\.\w+|https?://\S+|www\.\S+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DATEISH = re.compile(r"\d")
_TRAIL = re.compile(r"\s*(?:\b(?:updated|published|posted|last updated|on|am|le|el|il|,|\|)\b.*)$", re.I)


def strip_by(text: str) -> str:
    """Remove a leading "By" (or its equivalents).

    >>> strip_by("By Jane Doe"), strip_by("Von Max Muster"), strip_by("Byron Lee")
    ('Jane Doe', 'Max Muster', 'Byron Lee')
    """
    prev = None
    while prev != text:
        prev = text
        text = BY_PREFIX.sub("", text, count=1)
    return text.strip()


def is_role(chunk: str) -> bool:
    """True when a chunk is a job title, not a name.

    >>> is_role("Chief Correspondent"), is_role("Jane Doe")
    (True, False)
    """
    words = re.findall(r"[^\W\d_]+", chunk.lower())
    return bool(words) and all(w in ROLE_WORDS or w in ("of", "the", "for", "at", "and") for w in words) \
        and any(w in ROLE_WORDS for w in words)


def looks_like_name(chunk: str) -> bool:
    """A plausible person or organisation name: 1-6 words, no digits or URLs, not a role.

    >>> looks_like_name("Jane Doe"), looks_like_name("Updated 5 hours ago"), looks_like_name("Share")
    (True, False, False)
    """
    if not chunk or len(chunk) > 60 or _DATEISH.search(chunk) or "http" in chunk:
        return False
    if chunk.casefold() in NOT_NAMES:
        return False
    words = chunk.split()
    if not 1 <= len(words) <= 6:
        return False
    if is_role(chunk):
        return False
    if any(w in NAME_STOPWORDS for w in words if w.islower()):
        return False
    if not any(c.isalpha() for c in chunk):
        return False
    return True


def split_names(text: str | None) -> list[str]:
    """A byline or author string -> person names (no "By", roles, dates, handles).

    >>> split_names("By Jane Doe and John Roe")
    ['Jane Doe', 'John Roe']
    >>> split_names("Jane Doe, Chief Correspondent")
    ['Jane Doe']
    >>> split_names("By ANN LEE | Updated March 3, 2026")
    ['Ann Lee']
    >>> split_names("김하나 기자")
    ['김하나']
    >>> split_names("By Ann Lee Contributions from Bo Kim"), split_names("Ann Lee as told to Bo Kim")
    (['Ann Lee'], ['Bo Kim'])
    >>> split_names("About the Author"), split_names("Ann Lee Ann LeePublished: May 2")
    ([], ['Ann Lee'])
    """
    text = clean(text)
    if not text:
        return []
    text = _HANDLE.sub(" ", _PARENS.sub(" ", text))
    told = TOLD_TO.search(text)
    if told:
        text = text[told.end():]
    text = CREDIT_CUT.split(_GLUED_MARKER.sub(" ", text), maxsplit=1)[0]
    # drop what follows a date-ish or "Updated" marker
    text = re.split(r"\s(?:[|•·–—]\s*)?(?:updated|published|posted|aktualisiert|veröffentlicht|"
                    r"publié|publicado|mis à jour)\b", text, maxsplit=1, flags=re.I)[0]
    text = re.split(r"\s[|•·]\s|\s[-–—]\s(?=\S*\d)", text, maxsplit=1)[0]
    text = _NUMERIC_DATE.split(text, maxsplit=1)[0]
    text = strip_by(text)
    out: list[str] = []
    for chunk in SPLIT.split(text):
        chunk = strip_by(chunk.strip(" .:-–—\"'“”‘’"))
        if chunk.casefold() in NOT_NAMES:  # before "Author" is cut off "About the Author"
            continue
        chunk = strip_tail_words(CJK_ROLE.sub("", chunk))
        if not chunk or not looks_like_name(chunk):
            continue
        name = fix_case(_undouble(chunk))
        if name not in out:
            out.append(name)
    return out[:12]


def _undouble(chunk: str) -> str:
    """A name printed twice in a row (an avatar's label and the link) once.

    >>> _undouble("Ann Lee Ann Lee"), _undouble("Ann Lee")
    ('Ann Lee', 'Ann Lee')
    """
    words = chunk.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return chunk


def strip_tail_words(chunk: str) -> str:
    """Drop credentials and job titles written after a name without a comma.

    >>> strip_tail_words("Lauren Manaker MS"), strip_tail_words("Aleksandar Stevanovic Senior Writer")
    ('Lauren Manaker', 'Aleksandar Stevanovic')
    >>> strip_tail_words("RDN")
    ''
    """
    words = chunk.split()
    original = chunk
    while words and (words[-1].lower().strip(".,") in CREDENTIALS or words[-1].lower() in ROLE_WORDS):
        if len(words) <= 2 and words[-1].lower() in ROLE_WORDS and words[-1].lower() not in (
                "senior", "staff", "writer", "editor", "reporter", "correspondent"):
            break  # "Jane Head" is a name; only clear titles are cut from short names
        words.pop()
    if len(words) == 1 and len(original.split()) > 1:
        return original  # "Guardian staff reporter" is a credit line, not "Guardian"
    return " ".join(words)


def fix_case(name: str) -> str:
    """ALL-CAPS names become title case; others are kept as written.

    >>> fix_case("JANE DOE"), fix_case("Jane McDoe")
    ('Jane Doe', 'Jane McDoe')
    """
    if name.isupper() and len(name) > 3:
        return " ".join(w.capitalize() if len(w) > 1 else w for w in name.split())
    return name


def clean_byline(text: str | None) -> str | None:
    """A byline as printed, tidied: whitespace collapsed, trailing dates dropped.

    >>> clean_byline("  By   Jane Doe and John Roe\\n | March 3, 2026")
    'By Jane Doe and John Roe'
    >>> clean_byline("Jane Doe Jane DoePublished: 04/06/2026")
    'Jane Doe'
    """
    text = clean(text)
    if not text:
        return None
    text = re.split(r"\s(?:[|•·]\s*)?(?:updated|published|posted)\b|\s[|•·]\s", _GLUED_MARKER.sub(" ", text),
                    maxsplit=1, flags=re.I)[0]
    text = _NUMERIC_DATE.split(_undouble(text), maxsplit=1)[0]
    text = re.split(r"\s+(?:on\s+)?(?:\w+,\s+)?(?=(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
                    text, maxsplit=1, flags=re.I)[0]
    text = text.strip(" |•·-–—,")
    if not text or len(text) > 200:
        return None
    return text


def people_first(pairs: list[tuple[str, str]]) -> list[str]:
    """Names from (name, kind) pairs: persons, or organisations only when no person is named.

    >>> people_first([("Reuters", "org"), ("Ann Lee", "person")])
    ['Ann Lee']
    >>> people_first([("Reuters", "org")])
    ['Reuters']
    """
    persons, orgs = [], []
    for name, kind in pairs:
        names = split_names(name) if kind != "org" else ([clean(name)] if clean(name) else [])
        for n in names:
            target = orgs if kind == "org" else persons
            if n not in target:
                target.append(n)
    return persons or orgs
