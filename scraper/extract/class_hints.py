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
    "quote_figure",
]

# Flags of an element, inherited by the blocks below it.
FURNITURE = 1  # nav/aside/footer/header/form or a landmark role of furniture
NEGATIVE = 2  # class/id words of furniture
POSITIVE = 4  # class/id words of editorial text
LEAD = 8  # class/id words of an ingress
FIGURE = 16  # figure / figcaption / an image container class
CAPTION = 32  # figcaption or a caption class

_TOKEN_SPLIT = re.compile(r"[^a-z0-9åäö]+")
_NEGATIVE_RE = re.compile("|".join(re.escape(w.lower()) for w in sel.NEGATIVE_SUBSTRINGS))
_POSITIVE_RE = re.compile("|".join(re.escape(w.lower()) for w in sel.POSITIVE_SUBSTRINGS))
_LEAD_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in sel.LEAD_SUBSTRINGS) + r")(?![a-z])"
)
_CAPTION_RE = re.compile(r"caption|bildtext|figcaption|credit|photographer|fotograf")
_FIGURE_RE = re.compile(r"figure|image-portlet|imageportlet|wp-block-image|image-block|bildblock")
_HINT_CACHE: dict[str, int] = {}
_CACHED_CHARS = 256


def hint_flags(hint: str) -> int:
    """Flags of one element's lower-cased "class id role" string (cached)."""
    cached = _HINT_CACHE.get(hint)
    if cached is not None:
        return cached
    flags = 0
    value = sel.NEUTRAL_CLASS_RE.sub(" ", hint)
    tokens = set(_TOKEN_SPLIT.split(value))
    if _NEGATIVE_RE.search(value) or tokens & sel.NEGATIVE_TOKENS:
        flags |= NEGATIVE
    if _POSITIVE_RE.search(value):
        flags |= POSITIVE
    if _LEAD_RE.search(value):
        flags |= LEAD
    if _CAPTION_RE.search(value):
        flags |= CAPTION | FIGURE
    elif _FIGURE_RE.search(value):
        flags |= FIGURE
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
