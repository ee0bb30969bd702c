"""Per-site selector overrides from a sites.toml profile: {field: "css:SEL" | "xpath:EXPR" | "SEL"}.

A selector that is invalid or matches nothing leaves the generic result in place.
"""
from __future__ import annotations

from functools import lru_cache

from cssselect import GenericTranslator, SelectorError
from lxml import etree

from .text import clean, el_text


@lru_cache(maxsize=256)
def compile_selector(spec: str):
    """Compile "css:SEL", "xpath:EXPR" or plain CSS to an XPath; None when invalid.

    >>> compile_selector("css:h1.title") is not None, compile_selector("xpath:((") is None
    (True, True)
    """
    spec = (spec or "").strip()
    try:
        if spec.startswith("xpath:"):
            return etree.XPath(spec[6:].strip())
        if spec.startswith("css:"):
            spec = spec[4:].strip()
        return etree.XPath(GenericTranslator().css_to_xpath(spec))
    except (SelectorError, etree.XPathSyntaxError, etree.XPathEvalError, ValueError, TypeError):
        return None


def select(root, spec: str) -> list:
    """Elements or strings the selector yields (never raises)."""
    xp = compile_selector(spec)
    if xp is None:
        return []
    try:
        res = xp(root)
    except (etree.XPathEvalError, ValueError, TypeError):
        return []
    if isinstance(res, list):
        return res
    if isinstance(res, (str, bytes)) or res:
        return [str(res)]
    return []


def values(root, spec: str, attrs=("content", "datetime")) -> list[str]:
    """Texts of what a selector matched: attribute values for <meta>/<time>, else element text."""
    out = []
    for r in select(root, spec):
        if isinstance(r, str):
            v = clean(r)
        elif hasattr(r, "tag") and isinstance(r.tag, str):
            v = None
            for a in attrs:
                if r.get(a):
                    v = clean(r.get(a))
                    break
            if v is None and r.tag == "img":
                v = clean(r.get("src"))
            if v is None:
                v = clean(el_text(r))
        else:
            v = None
        if v:
            out.append(v)
    return out
