"""The images and document attachments of a release (pure).

Both come from what the page walk met (``Segmented.images``, ``Segmented.links``)
inside the release's region, minus furniture, logos and icons.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scraper.records import Attachment, Image

from . import selectors as sel
from .blocks import CAPTION, FIGURE, FURNITURE, NEGATIVE, Segmented

__all__ = ["find_attachments", "find_images", "resolve_url"]

_CREDIT_RE = re.compile(r"\b(?:foto|bild|illustration|photo|källa|grafik)\s*:", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[^a-z0-9]+")


def resolve_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; None when the two make no URL ("http://[::1")."""
    try:
        url = urljoin(base, href)
        urlsplit(url)
    except ValueError:
        return None
    return url


def _under_furniture(seg: Segmented, element: int, region: int, *, strict: bool) -> bool:
    """True when ``element`` sits in a furniture subtree strictly below ``region``.

    ``strict`` also counts class/id evidence (related posts, share bars), not
    only furniture tags.
    """
    while element > region:
        flags = seg.own_flags[element]
        if flags & FURNITURE:
            return True
        if strict and flags & NEGATIVE and not flags & (CAPTION | FIGURE):
            return True
        element = seg.parents[element]
    return False


def _is_icon(src: str, classes: str, width: int | None) -> bool:
    """Logos, icons, spacers: by size, file name words or class words (not by alt text)."""
    if width is not None and width < 48:
        return True
    path = src.lower().split("?", 1)[0]
    if path.endswith(".svg"):
        return True
    name = path.rsplit("/", 1)[-1]
    words = set(_TOKEN_RE.split(f"{name} {classes}"))
    return bool(words & sel.ICON_WORDS)


def _caption_after(seg: Segmented, position: int, alt: str | None) -> bool:
    """True when the block right after an image is its caption.

    Marked as one (figcaption, "bildtext" class), the alt text written out
    again (old sites double their captions), or a short line with a credit
    ("Foto: ...").
    """
    if position >= len(seg.blocks):
        return False
    block = seg.blocks[position]
    if block.all_flags & CAPTION:
        return True
    text = block.text
    if alt and (text == alt or (text.startswith(alt) and len(text) < len(alt) + 60)):
        return True
    return len(text) < 250 and bool(_CREDIT_RE.search(text))


def find_images(seg: Segmented, region: int, base: str, captions: set[int]) -> tuple[Image, ...]:
    """The release's images; ``captions`` receives the indices of caption blocks."""
    end = seg.ends[region]
    images: list[Image] = []
    seen: set[str] = set()
    for ref in seg.images:
        if not region <= ref.element <= end:
            continue
        if _under_furniture(seg, ref.element, region, strict=True):
            continue
        if _is_icon(ref.src, ref.classes, ref.width):
            continue
        url = resolve_url(base, ref.src)
        if url is None or url in seen:
            continue
        seen.add(url)
        caption = ref.caption
        if caption is None and ref.figure >= 0:
            stop = seg.ends[ref.figure]
            texts = [
                b.text
                for b in seg.blocks
                if ref.figure <= b.element <= stop and b.all_flags & CAPTION
            ]
            caption = " ".join(texts) or None
        alt = " ".join(ref.alt.split()) if ref.alt else None
        if caption is None and _caption_after(seg, ref.position, alt):
            caption = seg.blocks[ref.position].text
            captions.add(ref.position)
        images.append(Image(url=url, alt=alt or None, caption=caption))
    return tuple(images)


def _attachment_title(text: str) -> str | None:
    return " ".join(text.split()) or None


def find_attachments(seg: Segmented, region: int, base: str) -> tuple[Attachment, ...]:
    end = seg.ends[region]
    found: list[Attachment] = []
    seen: set[str] = set()
    for ref in seg.links:
        if not region <= ref.element <= end:
            continue
        if _under_furniture(seg, ref.element, region, strict=False):
            continue
        url = resolve_url(base, ref.href.strip())
        if url is None or url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        extension = path.rsplit(".", 1)[-1].lower()
        found.append(
            Attachment(
                url=url,
                title=_attachment_title(ref.node.text(deep=True)),
                mime_type=sel.ATTACHMENT_TYPES.get(extension),
            )
        )
    return tuple(found)
