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
from functools import lru_cache

from .query_language import Term, query_terms
from .words import fold, stem_word

__all__ = ["OPEN", "CLOSE", "make_excerpt"]

OPEN, CLOSE = "«", "»"
_WORD_RE = re.compile(r"[^\W_]+")
_SPACE_RE = re.compile(r"\s+")
WORDS = 24


class _Matcher:
    """Which words of a text match a query's terms (as written, by stem or by prefix)."""

    def __init__(self, terms: list[Term]) -> None:
        self.exact = {t for term in terms if not term.prefix for t in term.tokens}
        self.stems = {stem_word(t) for t in self.exact}
        self.prefixes = [
            (term.tokens[-1], stem_word(term.tokens[-1])) for term in terms if term.prefix
        ]
        # A word can only match when its first letters (folded) are those of a term:
        # the regex finds such words at C speed; the rest of the text is never looked at.
        heads = {
            fold(x)[:3]
            for x in (*self.exact, *self.stems, *(p for pair in self.prefixes for p in pair))
        }
        self.heads = heads
        alternatives = sorted(("".join(_letter_class(c) for c in h) for h in heads if h), key=len)
        self.candidates = (
            re.compile(r"(?<![^\W_])(?:" + "|".join(reversed(alternatives)) + r")[^\W_]*")
            if alternatives
            else None
        )
        self.matches = lru_cache(maxsize=4096)(self._matches)

    def _matches(self, word: str) -> bool:
        lower = word.lower()
        folded = fold(lower)
        if folded[:3] not in self.heads:
            return False
        if lower in self.exact or stem_word(lower) in self.stems:
            return True
        return any(lower.startswith(p) or folded.startswith(s) for p, s in self.prefixes)

    def first(self, text: str) -> int | None:
        """Where the first matching word of ``text`` starts, or None."""
        if self.candidates is None:
            return None
        for found in self.candidates.finditer(text):
            if self.matches(found.group()):
                return found.start()
        return None


@lru_cache(maxsize=1)
def _letters() -> dict[str, str]:
    """Each folded letter and the letters (either case) that fold to it: "a" -> "aAåÅäÄ..."."""
    table: dict[str, set[str]] = {}
    for cp in range(0x20, 0x250):
        ch = chr(cp)
        for variant in (ch, ch.lower(), ch.upper()):
            folded = fold(variant.lower())
            if len(folded) == 1:
                table.setdefault(folded, set()).update((variant,))
    return {k: "".join(sorted(v)) for k, v in table.items()}


def _letter_class(c: str) -> str:
    letters = _letters().get(c, c + c.upper())
    return "[" + re.escape(letters) + "]"


@lru_cache(maxsize=256)
def _query_matcher(q: str) -> _Matcher | None:
    """One matcher per query (a page asks for 20 excerpts of the same query)."""
    terms = query_terms(q)
    return _Matcher(terms) if terms else None


def _spans(text: str, matcher: _Matcher | None, words: int) -> list[tuple[int, int]]:
    """The spans of the words an excerpt shows.

    The excerpt starts ``words // 4`` words before the first match (or at the
    text's start); the list holds one word past its end when the text goes on.
    """
    before = words // 4
    hit = matcher.first(text) if matcher else None
    if hit is None:
        spans = []
        for found in _WORD_RE.finditer(text):
            spans.append(found.span())
            if len(spans) > words:
                break
        return spans
    low = max(0, hit - 60 * (before + 1))
    ahead = [m.span() for m in _WORD_RE.finditer(text, low, hit)]
    if low > 0 and len(ahead) <= before:  # very long words: look from the start
        ahead = [m.span() for m in _WORD_RE.finditer(text, 0, hit)]
    ahead = ahead[-before:] if before else []
    spans = list(ahead)
    for found in _WORD_RE.finditer(text, hit):
        spans.append(found.span())
        if len(spans) > words:
            break
    return spans


def make_excerpt(text: str | None, q: str | None, *, words: int = WORDS) -> str:
    """About ``words`` words of ``text`` around its first match of ``q``, matches in « »."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    matcher = _query_matcher(q) if q else None
    spans = _spans(text, matcher, words)
    if not spans:
        return text[:200]
    matches = matcher.matches if matcher else _never
    end = min(len(spans), words)
    pos = spans[0][0]
    out: list[str] = ["… " if _WORD_RE.search(text, 0, pos) else ""]
    for a, b in spans[:end]:
        out.append(_SPACE_RE.sub(" ", text[pos:a]))
        word = text[a:b]
        out.append(f"{OPEN}{word}{CLOSE}" if matches(word) else word)
        pos = b
    tail = text[pos : spans[end][0]] if end < len(spans) else text[pos:]
    out.append(_SPACE_RE.sub(" ", tail).rstrip() + (" …" if end < len(spans) else ""))
    return "".join(out).strip()


def _never(_word: str) -> bool:
    return False
