"""Search excerpts made in Python from the text of the rows shown (pure).

FTS5's ``snippet()`` needs the MATCH cursor on the row: for the 20 rows of a
page that is 20 look-ups of the whole query (milliseconds each for a common
word), and it marks only the words as written in the one column asked. Here
the excerpt is cut from the release's text around the first word that matches
a query term as written, by its stem, or by a prefix, and every such word in
it is marked with « ».
"""

from __future__ import annotations

import re
import unicodedata

from .query_language import Term, query_terms
from .words import fold, stem_word

__all__ = ["OPEN", "CLOSE", "make_excerpt"]

OPEN, CLOSE = "«", "»"
_WORD_RE = re.compile(r"[^\W_]+")
_SPACE_RE = re.compile(r"\s+")
WORDS = 24


def _matcher(terms: list[Term]):  # type: ignore[no-untyped-def]
    exact = {t for term in terms if not term.prefix for t in term.tokens}
    stems = {stem_word(t) for t in exact}
    prefixes = [(term.tokens[-1], stem_word(term.tokens[-1])) for term in terms if term.prefix]

    # A word can only match when its first letters (folded) are those of a term:
    # most words of a text are turned away by that before they are stemmed.
    heads = {fold(x)[:3] for x in (*exact, *stems, *(p for pair in prefixes for p in pair))}

    def matches(word: str) -> bool:
        lower = word.lower()
        if fold(lower)[:3] not in heads:
            return False
        if lower in exact or stem_word(lower) in stems:
            return True
        return any(lower.startswith(p) or fold(lower).startswith(s) for p, s in prefixes)

    return matches


def make_excerpt(text: str | None, q: str | None, *, words: int = WORDS) -> str:
    """About ``words`` words of ``text`` around its first match of ``q``, matches in « »."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    terms = query_terms(q)
    matches = _matcher(terms) if terms else (lambda _w: False)
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    if not spans:
        return text[:200]
    first = next((i for i, (a, b) in enumerate(spans) if matches(text[a:b])), 0)
    start = max(0, first - words // 4)
    end = min(len(spans), start + words)
    out: list[str] = ["… " if start > 0 else ""]
    pos = spans[start][0]
    for a, b in spans[start:end]:
        out.append(_SPACE_RE.sub(" ", text[pos:a]))
        word = text[a:b]
        out.append(f"{OPEN}{word}{CLOSE}" if matches(word) else word)
        pos = b
    tail = text[pos : spans[end][0]] if end < len(spans) else text[pos:]
    out.append(_SPACE_RE.sub(" ", tail).rstrip() + (" …" if end < len(spans) else ""))
    return "".join(out).strip()
