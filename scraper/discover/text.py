"""The text of listing items: whitespace-clean text and kind labels (pure).

Shared by HTML listings and feeds: "Pressmeddelande · 3 mars 2019" in an item
and a feed's <category>Nyhet</category> both name the release's kind.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

__all__ = ["KIND_LABELS", "clean_text", "kind_from_label", "kind_from_title", "node_text"]

#: Kind labels shown in listing items, lower case, and the kind they name.
KIND_LABELS: dict[str, str] = {
    "pressmeddelande": "Pressmeddelande",
    "pressmeddelanden": "Pressmeddelande",
    "pressinbjudan": "Pressinbjudan",
    "pressinbjudningar": "Pressinbjudan",
    "nyhet": "Nyhet",
    "nyheter": "Nyhet",
}
_KIND_RE = re.compile(
    # The label alone, or before a separator or a date ("Pressmeddelande · 3 mars 2019"),
    # never the first word of a sentence ("Nyheter i sommar").
    r"^\s*(" + "|".join(sorted(KIND_LABELS, key=len, reverse=True)) + r")"
    r"(?=\s*($|[:|·•–—/,-]|\d))",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s+")


def node_text(node: LexborNode | None) -> str:
    """The text of ``node`` with whitespace collapsed; "" for no node."""
    return clean_text(node.text(separator=" ")) if node is not None else ""


def clean_text(text: str) -> str:
    """``text`` with runs of whitespace collapsed to one space and the ends stripped."""
    return _SPACE_RE.sub(" ", text or "").strip()


def kind_from_label(text: str) -> str | None:
    """The kind a label names ("Pressmeddelande · 3 mars 2019" -> "Pressmeddelande"), or None."""
    match = _KIND_RE.match(text or "")
    return KIND_LABELS[match.group(1).lower()] if match else None


def kind_from_title(title: str) -> str | None:
    """The kind a title starts with ("Pressinbjudan: Spadtag ..." -> "Pressinbjudan"), or None."""
    match = re.match(r"^\s*(pressmeddelande|pressinbjudan)\s*[:–—-]", title, re.IGNORECASE)
    return KIND_LABELS[match.group(1).lower()] if match else None
