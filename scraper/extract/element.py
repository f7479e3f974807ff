"""What one element says of itself: hidden, a document or tag link, an image URL, flat text.

Small pure readers of a selectolax node or its attributes, used by the page
walk (``scraper.extract.blocks``); none of them looks at an element's
neighbours.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from . import selectors as sel

__all__ = [
    "HIDDEN_CLASSES",
    "document_link",
    "flat_text",
    "hidden_attrs",
    "hidden_class",
    "image_src",
    "image_width",
    "taxonomy_link",
]

#: hidden_class answers by class attribute (bounded), shared with the page walk.
HIDDEN_CLASSES: dict[str, bool] = {}
#: Longest class attribute kept as a key of HIDDEN_CLASSES.
_CACHED_CHARS = 256


def hidden_class(cls: str) -> bool:
    """True when a class attribute hides its element from every reader (cached)."""
    hidden = any(token in sel.HIDDEN_TOKENS for token in cls.lower().split())
    if len(cls) <= _CACHED_CHARS:  # a megabyte-long class attribute is no key to keep
        if len(HIDDEN_CLASSES) > 50_000:
            HIDDEN_CLASSES.clear()
        HIDDEN_CLASSES[cls] = hidden
    return hidden


def document_link(href: str) -> bool:
    """True when a link points to a document file (PDF, DOCX ...) by its extension."""
    path = href.split("?", 1)[0].split("#", 1)[0]
    dot = path.rfind(".")
    return dot > path.rfind("/") and path[dot + 1 :].lower() in sel.ATTACHMENT_TYPES


def taxonomy_link(href: str, rel: str | None) -> bool:
    """True when a link leads to a tag or category archive (by ``rel`` or its path)."""
    if rel and "tag" in rel.lower().split():
        return True
    return bool(sel.TAXONOMY_PATH_RE.search(href.split("?", 1)[0]))


def hidden_attrs(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and sel.HIDDEN_STYLE_RE.search(style))


def image_width(value: str | None) -> int | None:
    """The width attribute of an <img> in pixels, when it is a plain number."""
    if value and value.isascii() and value.isdigit() and len(value) <= 6:
        return int(value)
    return None


def flat_text(node: LexborNode) -> str:
    """The readable text of a subtree as one run, walked without recursion.

    What the page walk does below its depth limit (``blocks._MAX_DEPTH``):
    skipped and hidden elements stay out, block elements and <br> part words.
    """
    parts: list[str] = []
    stop = node.mem_id
    current = node.first_child
    while current is not None:
        tag = current.tag
        descend = False
        if tag == "-text":
            parts.append(current.text_content or "")
        elif tag and tag[0] != "-" and tag not in sel.SKIP_TAGS:
            attrs = current.attributes
            cls = attrs.get("class") if attrs else None
            hidden = attrs and ((cls is not None and hidden_class(cls)) or hidden_attrs(attrs))
            if not hidden:
                if tag in sel.BLOCK_TAGS or tag == "br":
                    parts.append(" ")
                descend = current.first_child is not None
        if descend:
            current = current.first_child
            continue
        while current is not None and current.next is None:
            current = current.parent
            if current is None or current.mem_id == stop:
                return "".join(parts)
        if current is not None:
            current = current.next
    return "".join(parts)


def image_src(attrs: dict[str, str | None]) -> str:
    """The image URL of an <img>, lazy-loading attributes included ("" when none)."""
    src = (attrs.get("src") or "").strip()
    if not src or src.startswith("data:"):
        src = (attrs.get("data-src") or attrs.get("data-lazy-src") or "").strip()
        if not src:
            srcset = (attrs.get("srcset") or attrs.get("data-srcset") or "").strip()
            src = srcset.split(" ", 1)[0].rstrip(",") if srcset else ""
    return "" if src.startswith("data:") else src
