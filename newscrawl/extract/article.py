"""extract_article: parse once, read the declared metadata, then find the body."""
from __future__ import annotations

import copy
import re

from . import body as body_mod
from . import datefields, dates, fields, overrides as ov, titles
from .authors import clean_byline, split_names
from .chrome import strip_chrome
from .jsonld import first_str
from .metadata import collect
from .pagekind import decide, teaser_count
from .text import absolute, clean, parse

FIELDS = ("title", "byline", "authors", "date_published", "date_modified", "body", "canonical_url",
          "section", "tags", "description", "image", "language", "site")
LIST_FIELDS = ("authors", "tags")
MIN_LD_BODY = 200  # a JSON-LD articleBody this long is trusted when the page text is thin


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words of a body; Chinese, Japanese and Korean have no spaces, so 2 characters count as a word.

    >>> word_count("Hello big world"), word_count("\u5e02\u8b70\u4f1a\u306f\u6728\u66dc\u65e5\u306b\u627f\u8a8d\u3057\u305f")
    (3, 6)
    """
    if not _CJK.search(text):
        return len(text.split())
    cjk = len(_CJK.findall(text))
    return len(_CJK.sub(" ", text).split()) + (cjk + 1) // 2


def empty_result() -> dict:
    out = {k: None for k in FIELDS}
    out["authors"] = []
    out["tags"] = []
    out["page_kind"] = "other"
    return out


def extract_article(html, url: str, overrides: dict | None = None) -> dict:
    """Fields of one article page (the 13 item fields plus page_kind); never raises."""
    try:
        return _extract(html, url or "", overrides or {})
    except RecursionError:
        return empty_result()
    except Exception:  # a broken page must not stop a crawl; unknown stays None
        return empty_result()


def page_kind(html, url: str) -> str:
    """"article" | "listing" | "other" for a page (same parse as extract_article)."""
    return extract_article(html, url)["page_kind"]


def _override_values(root, overrides: dict) -> dict:
    out = {}
    for field, spec in overrides.items():
        if field not in FIELDS or not isinstance(spec, str) or not spec.strip():
            continue
        if field == "body":
            nodes = [n for n in ov.select(root, spec) if hasattr(n, "tag")]
            if nodes:
                copies = [copy.deepcopy(n) for n in nodes]
                for c in copies:
                    strip_chrome(c, use_classes=False)
                text = "\n\n".join(body_mod.filter_blocks(body_mod.blocks_of(copies)))
                if text:
                    out["body"] = text
            continue
        attrs = ("content", "datetime")
        if field in ("image",):
            attrs = ("content", "src", "data-src", "href")
        elif field == "canonical_url":
            attrs = ("href", "content")
        vals = ov.values(root, spec, attrs)
        if not vals:
            continue
        if field == "authors":
            names = []
            for v in vals:
                names.extend(n for n in split_names(v) if n not in names)
            if names:
                out["authors"] = names
        elif field == "tags":
            out["tags"] = list(dict.fromkeys(vals))
        elif field in ("date_published", "date_modified"):
            d = dates.parse_iso(vals[0]) or dates.parse_text(vals[0])
            if d:
                out[field] = d
        elif field == "byline":
            out["byline"] = clean_byline(vals[0])
        else:
            out[field] = vals[0]
    return out


def _extract(html, url: str, overrides: dict) -> dict:
    root = parse(html)
    if root is None:
        return empty_result()
    page = collect(root)
    base = absolute(page.base, url) if page.base else None
    if not base or not base.startswith(("http://", "https://")):
        base = url  # a <base href> that is no web address ("og:type") does not replace the page's
    forced = _override_values(root, overrides) if overrides else {}

    out = empty_result()
    out["site"] = titles.site_name(page)
    out["section"] = fields.section_of(page)
    out["title"] = titles.title_of(page, out["site"], url, out["section"])
    out["byline"] = fields.byline_text(page)
    out["authors"] = fields.authors_of(page, out["byline"], out["site"])
    out["date_published"] = datefields.published(page, url)
    out["date_modified"] = datefields.modified(page)
    out["canonical_url"] = fields.canonical_of(page, base)
    out["tags"] = fields.tags_of(page)
    out["description"] = fields.description_of(page)
    out["image"] = fields.image_of(page, base)
    out["language"] = fields.language_of(page)
    out.update({k: v for k, v in forced.items() if v})
    if out["canonical_url"] and "canonical_url" in forced:
        out["canonical_url"] = absolute(out["canonical_url"], base)
    if out["image"] and "image" in forced:
        out["image"] = absolute(out["image"], base)

    hints = page.itemprops.get("articleBody", [])
    strip_chrome(root)
    teasers = teaser_count(root)
    if "body" not in forced:
        text = body_mod.extract_body(root, out["title"], hints)
        ld_body = first_str(page.jsonld.article.get("articleBody")) if page.jsonld.article else None
        if ld_body and len(ld_body) >= MIN_LD_BODY and (not text or len(text) < 0.3 * len(ld_body)):
            text = ld_body
        out["body"] = text
    for k in ("title", "byline", "description", "section", "site"):
        out[k] = clean(out[k])
    words = word_count(out["body"]) if out["body"] else 0
    out["page_kind"] = decide(page, teasers, words, bool(out["date_published"]), bool(out["authors"]),
                              bool(out["title"]))
    return out
