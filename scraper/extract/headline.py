"""The headline of a release and its kind ("Pressmeddelande", "Nyhet" ...) (pure)."""

from __future__ import annotations

import re

from scraper.dates import parse_date
from scraper.records import ListingEntry, Source

from . import selectors as sel
from .blocks import FURNITURE, NEGATIVE, POSITIVE, Segmented
from .page_head import PageHead

__all__ = ["find_kind", "find_title", "release_tags"]

_KIND_PREFIX_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(k) for k in sel.KIND_LABELS) + r")\s*[:\-–—|]\s*\S",
    re.IGNORECASE,
)
_SITE_NAME_RE = re.compile(r"kommun|\bstad\b|\bregion\b|municipality|council", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")


def _strip_site_name(title: str, site_name: str | None) -> str:
    """Remove the site-name suffix (or prefix) of a <title>."""
    if site_name:
        for sep in _TITLE_SEPARATORS:
            if title.endswith(sep + site_name):
                return title[: -len(sep + site_name)].strip()
            if title.startswith(site_name + sep):
                return title[len(site_name + sep) :].strip()
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if _SITE_NAME_RE.search(tail) and not _SITE_NAME_RE.search(head):
                return head.strip()
            head, _, tail = title.partition(sep)
            if _SITE_NAME_RE.search(head) and not _SITE_NAME_RE.search(tail):
                return tail.strip()
            head, _, tail = title.rpartition(sep)
            return head.strip() if len(head) >= len(tail) else tail.strip()
    return title


def find_title(seg: Segmented, head: PageHead) -> tuple[str, int]:
    """The headline and the index of its block (-1 when it comes from metadata only)."""
    meta_title = next((head.meta[k] for k in sel.TITLE_META if head.meta.get(k)), "")
    meta_title = " ".join(meta_title.split())
    page_title = _strip_site_name(head.title, head.meta.get("og:site_name"))
    blocks = seg.blocks
    candidates = [
        index
        for index, block in enumerate(blocks)
        if block.tag == "h1" and block.link_density <= 0.5
    ]
    for index in candidates:
        text = blocks[index].text
        if text in (meta_title, page_title) or (head.title and text in head.title):
            return text, index
    for index in candidates:
        if not blocks[index].all_flags & NEGATIVE or blocks[index].all_flags & POSITIVE:
            return blocks[index].text, index
    if candidates:
        return blocks[candidates[0]].text, candidates[0]
    # No <h1> (old sites set the headline in <b> or <font>): the block that
    # repeats the title of the page.
    for option in (meta_title, page_title):
        for index, block in enumerate(blocks):
            if option and block.text == option and block.link_density <= 0.5:
                return option, index
    return meta_title or page_title, -1


def release_tags(seg: Segmented, region: int) -> list[str]:
    """Texts of the tag and category links of the release (``Segmented.taxonomy``).

    Only links inside the release's region and out of furniture tags count (a
    sidebar lists other posts' tags), and only on a line that is mostly links
    (a tag list, not a sentence that links to an archive).
    """
    end = seg.ends[region]
    blocks = seg.blocks
    found: list[str] = []
    for ref in seg.taxonomy:
        element = ref.element
        if not region <= element <= end or ref.position >= len(blocks):
            continue
        if blocks[ref.position].link_density <= 0.5:
            continue
        while element > region and not seg.own_flags[element] & FURNITURE:
            element = seg.parents[element]
        if element > region:
            continue
        text = " ".join(ref.node.text(deep=True).split())
        if text:
            found.append(text)
    return found


def _kind_label(text: str) -> str | None:
    return sel.KIND_LABELS.get(text.strip(" :-–—|").lower())


def find_kind(
    title: str,
    seg: Segmented,
    categories: list[str],
    title_index: int,
    hint: ListingEntry | None,
    source: Source | None,
) -> tuple[str | None, int]:
    """The kind of the release and the index of the label block (-1 when none)."""
    match = _KIND_PREFIX_RE.match(title)
    if match:
        return sel.KIND_LABELS[match.group(1).lower()], -1
    if title_index >= 0:
        lo, hi = max(0, title_index - 4), min(len(seg.blocks), title_index + 5)
        for index in range(lo, hi):
            block = seg.blocks[index]
            if index == title_index or block.link_density > 0.5 or len(block.text) > 60:
                continue
            label = _kind_label(block.text)
            if label is None:
                # "2020-02-28 09:15 Pressmeddelande", "Pressmeddelande • 28 feb 2020"
                words = [w for w in re.split(r"[\s|•·,]+", block.text) if w]
                labels = [_kind_label(w) for w in words if _kind_label(w)]
                if labels and parse_date(block.text):
                    label = labels[0]
            if label:
                return label, index
    labels = [label for label in map(_kind_label, categories) if label]
    if labels:
        # A post filed under "Nyheter" and "Pressmeddelande" is a press release.
        specific = [label for label in labels if label != "Nyhet"]
        return (specific or labels)[0], -1
    if hint is not None and hint.kind:
        return _kind_label(hint.kind) or hint.kind, -1
    if source is not None and source.default_kind:
        return source.default_kind, -1
    return None, -1
