"""Main-content finder: clean the tree, score containers by paragraph text, serialise blocks.

Steps (each reads its rules from boilerplate.py):
1. ``chrome.strip_chrome`` (run first): drop elements whose tag, class/id or hidden state marks them as chrome.
2. ``best_container``: score paragraphs into their ancestors (text length, commas, link density),
   with a bonus for schema.org articleBody / content-class hints; merge sibling containers.
3. ``blocks_of``: walk the chosen containers into paragraphs, headings and list items.
4. ``filter_blocks``: drop chrome lines, leading metadata lines, link lists; stop at "Related"-style
   headings once the text has begun.
"""
from __future__ import annotations

from . import boilerplate as bp
from .chrome import MIN_PARA, is_content_class, link_chars
from .text import classes_of, el_text, squash

BLOCK_TAGS = frozenset("""
p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt div section article main header footer ul ol dl table
tbody thead tfoot tr td th center address details summary hr br figure body html caption
""".split())
PARA_TAGS = ("p", "pre", "blockquote", "td", "dd", "li", "h2", "h3", "h4")
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
RESUME_PARA = 100  # a paragraph this long (and nearly link-free) ends a skipped box


def best_container(root, hint_nodes=()):
    """The element(s) holding the article text, in document order; [] when nothing looks like text."""
    scores: dict = {}
    for el in root.iter(PARA_TAGS + ("div",)):
        tag = el.tag
        if tag == "div":
            text = squash((el.text or "") + "".join(
                (c.text or "") + (c.tail or "") if c.tag in ("a", "span", "em", "strong", "b", "i") else (c.tail or "")
                for c in el if isinstance(c.tag, str)))
        else:
            text = el_text(el)
        n = len(text)
        if n < MIN_PARA:
            continue
        link = link_chars(el) if tag != "div" else 0
        if link > 0.5 * n:
            continue
        s = 1.0 + text.count(",") + text.count("، ") + min(n / 100.0, 3.0)
        if tag in ("li", "td", "dd"):
            s *= 0.5
        parent = el.getparent()
        level = 1.0
        node = parent
        while node is not None and level <= 3:
            scores[node] = scores.get(node, 0.0) + s / (1.0 if level == 1 else level * 1.5 if level == 3 else 2.0)
            node = node.getparent()
            level += 1
    if not scores:
        return []
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    best, best_score = None, 0.0
    for node, s in ranked:
        text_len = len(el_text(node)) or 1
        ld = link_chars(node) / text_len
        s *= (1.0 - min(ld, 0.9))
        cls = classes_of(node)
        if is_content_class(cls) or node in hint_nodes:
            s *= 1.3
        if node.tag in ("html", "body"):
            s *= 0.7
        if s > best_score:
            best, best_score = node, s
    if best is None:
        return []
    for hint in hint_nodes:  # schema.org articleBody wins when it holds the chosen text
        if hint is not best and _contains(hint, best) and scores.get(hint, 0) > 0:
            best = hint
            break
    cousins = _same_class_cousins(best, scores)
    if cousins:
        return cousins
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    best_cls = best.get("class")
    out = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is best:
            out.append(sib)
            continue
        s = scores.get(sib, 0.0)
        if best_cls and sib.get("class") == best_cls and s > 0:
            out.append(sib)
        elif s >= threshold:
            out.append(sib)
        elif sib.tag == "p":
            t = el_text(sib)
            if len(t) > 80 and link_chars(sib) < 0.25 * len(t):
                out.append(sib)
    return out


def _same_class_cousins(best, scores, levels: int = 5):
    """Article text split over several boxes of the same class (between images, ads, quotes):
    all scored boxes with the best box's tag and class under a near ancestor, in page order."""
    cls = best.get("class")
    if not cls:
        return None
    anc = best
    for _ in range(levels):
        nxt = anc.getparent()
        if nxt is None or nxt.tag in ("body", "html"):
            break
        anc = nxt
    if anc is best:
        return None
    # compare tags in Python: a mangled tag name (control characters) makes lxml raise in iter(tag)
    same = [e for e in anc.iter() if e.tag == best.tag and e.get("class") == cls]
    if len(same) < 2:
        return None
    out = []
    for e in same:
        if any(_contains(o, e) for o in out):
            continue
        if e is best or (scores.get(e, 0.0) > 0 and e.find(".//p") is not None):
            t = len(el_text(e)) or 1
            if e is best or link_chars(e) < 0.3 * t:
                out.append(e)
    return out if len(out) > 1 else None


def _contains(outer, inner) -> bool:
    node = inner
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


class _Walker:
    """Serialise elements into (kind, text, link_chars) blocks."""

    def __init__(self):
        self.blocks: list[tuple[str, str, int]] = []
        self.buf: list[str] = []
        self.link = 0
        self.kind = "p"

    def flush(self):
        if self.buf:
            text = squash("".join(self.buf))
            if text:
                self.blocks.append((self.kind, text, self.link))
        self.buf, self.link = [], 0

    def walk(self, el, kind: str, in_link: bool):
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "br":
            self.flush()
            return
        if tag in BLOCK_TAGS:
            self.flush()
            prev_kind = self.kind
            if tag in HEADINGS:
                kind = "h1" if tag == "h1" else "h"
            elif tag in ("li", "dd", "dt"):
                kind = "li"
            elif tag in ("td", "th"):
                kind = "cell"
            elif tag == "pre":
                kind = "pre"
            elif tag in ("p", "blockquote"):
                kind = "p"
            self.kind = kind
            self._inner(el, kind, in_link)
            self.flush()
            self.kind = prev_kind
        else:
            self._inner(el, kind, in_link or tag == "a")

    def _inner(self, el, kind, in_link):
        if el.text:
            self.buf.append(el.text)
            if in_link or el.tag == "a":
                self.link += len(el.text.strip())
        for child in el:
            self.walk(child, kind, in_link or el.tag == "a")
            if child.tail:
                if isinstance(child.tag, str) and child.tag in BLOCK_TAGS:
                    self.kind = kind
                self.buf.append(child.tail)
                if in_link:
                    self.link += len(child.tail.strip())


def blocks_of(nodes) -> list[tuple[str, str, int]]:
    """Blocks of the chosen containers in document order.

    >>> from newscrawl.extract.text import parse
    >>> blocks_of([parse("<div><h2>Sub</h2><p>One <a>two</a></p><ul><li>x</li></ul></div>").find(".//div")])
    [('h', 'Sub', 0), ('p', 'One two', 3), ('li', 'x', 0)]
    """
    w = _Walker()
    for node in nodes:
        w.walk(node, "p", False)
        w.flush()
    return w.blocks


def filter_blocks(blocks, title: str | None = None) -> list[str]:
    """Keep article text: drop chrome lines, title repeats, link lists, leading metadata lines."""
    norm_title = squash(title).casefold() if title else None
    kept: list[tuple[str, str]] = []
    started = False
    skipping = False
    for i, (kind, text, link) in enumerate(blocks):
        n = len(text)
        if kind == "h1":
            continue
        if norm_title and text.casefold() == norm_title:
            continue
        if started and (kind == "h" or n < 60) and bp.STOP_HEADINGS.match(text):
            if kind == "h" and not _text_resumes(blocks[i + 1:], sum(len(t) for _, t in kept)):
                break  # a "Related"/"More stories" heading: the article has ended
            skipping = True  # a "Don't miss" box inside the text: skip it until running text resumes
            continue
        if n < 120 and bp.LINE_PATTERNS.match(text):
            continue
        if link > 0.5 * n and (n < 300 or kind == "li"):
            continue
        if skipping:
            if kind == "p" and n >= RESUME_PARA and link < 0.1 * n:
                skipping = False
            else:
                continue
        if not started:
            if n < 100 and bp.LEAD_PATTERNS.match(text):
                continue
            if kind in ("p", "pre", "li", "cell") and n >= 60:
                started = True
        if kept and kept[-1][1] == text:
            continue
        kept.append((kind, text))
    # trailing chrome: short non-sentence lines after the last paragraph
    while kept and kept[-1][0] == "h":
        kept.pop()
    return [t for _, t in kept]


def _text_resumes(rest, kept_chars: int) -> bool:
    """After a "Related"-style heading: does the article text go on (several long, link-free
    paragraphs amounting to half of what came before), or was that the end?"""
    long_paras = [len(t) for k, t, link in rest if k == "p" and len(t) >= RESUME_PARA and link < 0.1 * len(t)]
    return len(long_paras) >= 2 and sum(long_paras) >= 0.5 * kept_chars


def extract_body(root, title: str | None = None, hint_nodes=()) -> str | None:
    """Body text of an already-cleaned tree, paragraphs joined by one blank line."""
    nodes = best_container(root, hint_nodes)
    if not nodes:
        return None
    paras = filter_blocks(blocks_of(nodes), title)
    text = "\n\n".join(paras)
    return text or None
