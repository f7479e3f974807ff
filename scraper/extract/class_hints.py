"""Class, id and role words of an element -> furniture evidence flags (pure, cached).

The page walk (``scraper.extract.blocks``) gives every block element the flags below;
blocks inherit their ancestors'. The words themselves are data in
``scraper.extract.selectors``.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from . import selectors as sel

__all__ = [
    "CAPTION",
    "FIGURE",
    "FURNITURE",
    "IN_QUOTE",
    "LEAD",
    "NEGATIVE",
    "POSITIVE",
    "QUOTE_CLEARS",
    "hint_flags",
    "hint_words",
    "quote_figure",
]

# Flags of an element, inherited by the blocks below it.
FURNITURE = 1  # nav/aside/footer/header/form or a landmark role of furniture
NEGATIVE = 2  # class/id words of furniture
POSITIVE = 4  # class/id words of editorial text
LEAD = 8  # class/id words of an ingress
FIGURE = 16  # figure / figcaption / an image container class
CAPTION = 32  # figcaption or a caption class

_TOKEN_RE = re.compile(r"[^\W_]+")
_HASH_RE = re.compile(r"(?=[a-f]*\d)[\da-f]+", re.IGNORECASE)
_HASH_CHARS = 8
# A run of letters or of digits; camelCase boundaries are spaced out first.
_WORD_RE = re.compile(r"[^\W\d_]+|\d+")
_CAMEL_RE = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ])")
#: Hint words shorter than this take no ending but a plural "s" ("ad" is no hint in "ada").
_ENDING_MIN_STEM = 4


def hint_words(value: str) -> list[str]:
    """The words of a class, id or role value, lower case.

    Split on anything but letters and digits, at camelCase boundaries and
    between letters and digits: "nav-new-1-pixel" is nav, new, 1, pixel and
    "articleBody2" is article, body, 2. A hexadecimal hash ("403452a6658abbd78ad320"
    in Sitevision's ids) has no words: split at its digits it would spell "ad".
    """
    words: list[str] = []
    for token in _TOKEN_RE.findall(value):
        if len(token) >= _HASH_CHARS and _HASH_RE.fullmatch(token):
            continue
        words += _WORD_RE.findall(_CAMEL_RE.sub(" ", token))
    return [word.lower() for word in words]


_Index = dict[str, list[tuple[tuple[str, ...], int]]]


def _index(groups: tuple[tuple[tuple[str, ...], int], ...]) -> _Index:
    """Hints by their first word: (the hint's words, its flags)."""
    index: _Index = {}
    for hints, flags in groups:
        for hint in hints:
            words = tuple(hint_words(hint))
            index.setdefault(words[0], []).append((words, flags))
    return index


_INFLECTED = _index(
    (
        (sel.NEGATIVE_WORDS, NEGATIVE),
        (sel.POSITIVE_WORDS, POSITIVE),
        (sel.CAPTION_WORDS, CAPTION | FIGURE),
        (sel.FIGURE_WORDS, FIGURE),
    )
)
_EXACT = _index(((sel.LEAD_WORDS, LEAD),))
_HINT_CACHE: dict[str, int] = {}
_CACHED_CHARS = 256
_HINT_CHARS = 1000


def _stems(word: str) -> list[str]:
    """The word and what it is without one of the inflection endings."""
    stems = [word]
    for ending in sel.HINT_WORD_ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if len(stem) >= _ENDING_MIN_STEM or (ending == "s" and len(stem) >= 2):
                stems.append(stem)
    return stems


def _match(index: _Index, words: list[str], at: int, stems: list[str], exact: bool) -> int:
    """Flags of the hints of ``index`` that start at ``words[at]``."""
    flags = 0
    for stem in stems:
        for hint, found in index.get(stem, ()):
            if at + len(hint) > len(words):
                continue
            if all(
                words[at + k] == hint[k] or (not exact and hint[k] in _stems(words[at + k]))
                for k in range(1, len(hint))
            ):
                flags |= found
        if exact:
            break
    return flags


def hint_flags(hint: str) -> int:
    """Flags of one element's "class id role" string, as written (cached).

    A hint matches whole words of the value (``hint_words``), consecutive ones
    for a hint of several words; see ``scraper.extract.selectors``.
    """
    cached = _HINT_CACHE.get(hint)
    if cached is not None:
        return cached
    # Past its first thousand characters a class attribute says nothing more.
    words = hint_words(sel.NEUTRAL_CLASS_RE.sub(" ", hint[:_HINT_CHARS]))
    flags = 0
    for at, word in enumerate(words):
        stems = _stems(word)
        flags |= _match(_INFLECTED, words, at, stems, exact=False)
        flags |= _match(_EXACT, words, at, stems, exact=True)
    if len(hint) <= _CACHED_CHARS:  # a megabyte-long class attribute is no key to keep
        if len(_HINT_CACHE) > 50_000:
            _HINT_CACHE.clear()
        _HINT_CACHE[hint] = flags
    return flags


#: ``figure`` value of the page walk inside a quote figure (see ``quote_figure``).
IN_QUOTE = -2
#: Evidence that does not hold inside a quote figure.
QUOTE_CLEARS = NEGATIVE | FIGURE | CAPTION


def quote_figure(node: LexborNode) -> bool:
    """True for a <figure> that holds a <blockquote> and no image, video or embed.

    That is the HTML standard's way to attribute a quotation (figure >
    blockquote + figcaption naming the speaker): its caption is the speaker,
    and class words such as "quote__author" are no byline. All of it is text.
    """
    return node.css_first("blockquote") is not None and node.css_first(sel.MEDIA_TAGS) is None
