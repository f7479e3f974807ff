"""What one site repeats: the learned template of a site (pure).

A block whose fingerprint (normalised text at its structural place, or text
alone) recurs on a large share of a site's pages is boilerplate; so is every
short block of a *slot* (a structural place whose text on most pages is text
seen on other pages too), which tolerates near-repeats such as a contact block
whose people change. ``learn_template`` counts the fingerprints over a site's
pages into a ``SiteTemplate``; ``template_drops`` applies one to a page.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from scraper.records import SiteTemplate

from .blocks import MAX_PARSE_WORK, Segmented, parse_work, segment_page

__all__ = ["BlockPrint", "block_prints", "learn_template", "page_blocks", "template_drops"]

_DIGITS = re.compile(r"\d+")
_SLOT_MIN_PAGES = 3
_SLOT_MIN_SHARE = 0.15
_SLOT_REPEAT_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class BlockPrint:
    """The fingerprints of one block (see ``page_blocks``)."""

    #: The block's structural place ("s:..."): a slot of the site's template.
    slot: str
    #: Normalised text at that place ("t:...").
    placed: str
    #: Normalised text anywhere on the page ("x:...").
    text: str


def _normalise(text: str) -> str:
    """Text as compared across pages: lower case, digits as 0, single spaces."""
    return _DIGITS.sub("0", text.lower())


def _digest(kind: str, value: str) -> str:
    return kind + hashlib.blake2b(value.encode("utf-8"), digest_size=8).hexdigest()


def block_prints(seg: Segmented) -> list[BlockPrint]:
    """Fingerprints of every block of a page segmented ``with_paths``, in order."""
    prints = []
    slots: dict[str, str] = {}
    for block in seg.blocks:
        slot = slots.get(block.path)
        if slot is None:
            slot = slots[block.path] = _digest("s:", block.path)
        text = _digest("x:", _normalise(block.text))
        # Text at a place: the two digests side by side (no third hash per block).
        prints.append(BlockPrint(slot, f"t:{slot[2:]}{text[2:]}", text))
    return prints


def page_blocks(html: str, url: str) -> tuple[BlockPrint, ...]:
    """Return the fingerprints of a page's blocks (what ``learn_template`` counts).

    ``url`` is accepted for symmetry with the extractor; fingerprints depend on
    markup and text only, so one site's pages can be compared with each other.
    """
    del url
    if parse_work(html) > MAX_PARSE_WORK:
        return ()  # too deep to parse (see blocks.parse_work): the page teaches nothing
    seg = segment_page(LexborHTMLParser(html), with_paths=True)
    return tuple(block_prints(seg))


def learn_template(
    source_id: str,
    pages: Iterable[tuple[str, str]],
    *,
    now: str,
    threshold: float = 0.5,
    min_slot_pages: int = _SLOT_MIN_PAGES,
) -> SiteTemplate:
    """Learn what one site repeats from its pages, given as (url, html) pairs.

    Three kinds of fingerprints are counted:

    * ``t:`` a text at a structural place, and ``x:`` a text anywhere: their
      share is the share of pages carrying them. Text repeated on a minority
      of pages (the same press contact under a fifth of the releases) stays
      below ``threshold`` and so stays content.
    * ``s:`` a structural place (a *slot*): its share is, over the pages that
      have the place, the mean share of its blocks whose text recurs at that
      place on another page. A contact block whose people change over the
      years keeps a high share even though no one text is on most pages; a
      body paragraph's place, whose texts are all different, scores near 0.
      Only places found on ``min_slot_pages`` pages (and on a sixth of them)
      are counted, so that a template used by a minority of pages (an old
      design) is learned while a one-off element is not.

    :param now: ISO timestamp stored as ``learned_at``.
    :param threshold: share at or above which a fingerprint is boilerplate.
    """
    text_pages: Counter[str] = Counter()
    placed_pages: Counter[str] = Counter()
    per_page: list[list[BlockPrint]] = []
    for url, html in pages:
        try:
            prints = list(page_blocks(html, url))
        except Exception:
            # A page the walk cannot read teaches nothing; its own extraction reports
            # the error. One such page must not stop its whole site's template.
            prints = []
        per_page.append(prints)
        placed_pages.update({p.placed for p in prints})
        text_pages.update({p.text for p in prints})
    total = len(per_page)
    if total == 0:
        return SiteTemplate(source=source_id, pages=0, threshold=threshold, learned_at=now)
    shares: dict[str, float] = {}
    for counter in (placed_pages, text_pages):
        for fingerprint, count in counter.items():
            if count >= 2:
                shares[fingerprint] = count / total
    floor = max(min_slot_pages, _SLOT_MIN_SHARE * total)
    shares.update(_slot_shares(per_page, floor=floor))
    blocks = tuple(sorted((fp, round(share, 4)) for fp, share in shares.items()))
    return SiteTemplate(
        source=source_id, pages=total, blocks=blocks, threshold=threshold, learned_at=now
    )


def _slot_shares(per_page: list[list[BlockPrint]], *, floor: float) -> dict[str, float]:
    """Share of each slot (found on ``floor`` pages or more) whose text recurs at it.

    Per page, the share of the slot's blocks whose text recurs at the slot on
    another page, on a fifth of the pages having the slot; averaged over pages.
    Aggregate pages (an archive listing whole posts: many more blocks at the
    slot than a page usually has) are left out, or every post paragraph would
    "recur" there.
    """
    per_slot: list[Counter[str]] = [Counter(p.slot for p in prints) for prints in per_page]
    sizes: defaultdict[str, list[int]] = defaultdict(list)
    for counts in per_slot:
        for slot, n in counts.items():
            sizes[slot].append(n)
    limit = {slot: max(3, 3 * sorted(ns)[len(ns) // 2]) for slot, ns in sizes.items()}
    regular_pages: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    for prints, counts in zip(per_page, per_slot, strict=True):
        regular = {slot for slot, n in counts.items() if n <= limit[slot]}
        regular_pages.update(regular)
        placed.update({p.placed for p in prints if p.slot in regular})
    repeats: defaultdict[str, float] = defaultdict(float)
    for prints, counts in zip(per_page, per_slot, strict=True):
        recurring: Counter[str] = Counter()
        for p in prints:
            if counts[p.slot] <= limit[p.slot] and placed[p.placed] >= max(
                2, _SLOT_REPEAT_SHARE * regular_pages[p.slot]
            ):
                recurring[p.slot] += 1
        for slot, n in recurring.items():
            repeats[slot] += n / counts[slot]
    return {
        slot: repeats[slot] / pages
        for slot, pages in regular_pages.items()
        if pages >= floor and repeats[slot] > 0
    }


def template_drops(seg: Segmented, repeated: frozenset[str]) -> frozenset[int]:
    """Indices of the blocks of a page (segmented ``with_paths``) that the site repeats.

    A block goes when its text is repeated (at its place or anywhere), or when
    it is a short line in a repeated slot: a slot alone never takes a long
    paragraph, so that a body whose place happens to carry some repeated
    paragraphs keeps its own text.
    """
    if not repeated:
        return frozenset()
    blocks = seg.blocks
    return frozenset(
        index
        for index, p in enumerate(block_prints(seg))
        if p.placed in repeated
        or p.text in repeated
        or (p.slot in repeated and len(blocks[index].text) <= _SLOT_MAX_CHARS)
    )


_SLOT_MAX_CHARS = 200
