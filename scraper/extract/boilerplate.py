"""Boilerplate removal: which blocks of a page are the release.

A page is walked once into blocks (``scraper.extract.blocks.segment_page``). Two
layers decide which blocks are the release:

1. *What this site repeats* (``scraper.extract.template``): blocks whose text or
   structural place the site's learned template marks as repeated are
   dropped before the choice below (``template_drops``).
2. *What any site repeats* (``select_content``, this module): furniture tags
   and ARIA roles, class/id words of sharing bars, breadcrumbs, cookie
   banners, contact cards, related lists and the CMS markers of Sitevision,
   Episerver and WordPress, hidden elements, link density and text density.
   The main container is the DOM subtree with the largest content score,
   where furniture subtrees can only subtract; its siblings of the same kind
   (tag and class) that hold paragraphs join it (a text split over portlets).
   Table cells in a <figure> (a block-editor table) are text, not a caption.
   Class/id words are evidence, not verdicts: the element holding the
   headline and most of the page's dense text is the release whatever its
   words say (``overrule_hints``).

No rule names a site: a municipality never seen works on its first page.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from . import selectors as sel
from .blocks import CAPTION, FIGURE, FURNITURE, NEGATIVE, POSITIVE, Block, Segmented

__all__ = [
    "Selection",
    "dense",
    "main_container",
    "overrule_hints",
    "own_text",
    "select_content",
]

_DROP = FURNITURE | NEGATIVE | FIGURE
_CELL_TAGS = frozenset({"td", "th"})
_SENTENCE_END = (".", "!", "?", '"', "”", "»", ":", ")")


def _value(block: Block) -> float:
    """Content score of one block: text density, minus link text and a per-block cost."""
    n = len(block.text)
    density = block.link_density
    if density > 0.5:
        # A linked headline is the mark of a teaser in a list of other pages.
        return -1.5 * n if block.tag in sel.HEADING_TAGS else -n * density
    value = n * (1.0 - density)
    if block.tag in _CELL_TAGS and n < 100:
        return value * 0.3  # a data cell; long text in a cell is a layout table's content
    if block.tag in sel.HEADING_TAGS or not block.text.endswith(_SENTENCE_END) and n < 80:
        value *= 0.5
    return value - 10.0


def main_container(seg: Segmented, values: list[float]) -> int:
    """Index of the element whose subtree holds the most content.

    A furniture subtree only ever subtracts from its ancestors, and so does a
    *teaser*: a small subtree holding a linked headline (a card in a list of
    other pages). An element inside furniture counts a fifth as a candidate.
    """
    return _best_container(seg, values)[0]


def _best_container(seg: Segmented, values: list[float]) -> tuple[int, list[float], list[bool]]:
    """The main container, the content score of every subtree and which ones are furniture."""
    count = len(seg.tags)
    scores = [0.0] * count
    chars = [0] * count
    teaser = [False] * count
    headings = sel.HEADING_TAGS
    for block, value in zip(seg.blocks, values, strict=True):
        element = block.element
        scores[element] += value
        chars[element] += len(block.text)
        if block.link_density > 0.5 and block.tag in headings:
            teaser[element] = True
    parents = seg.parents
    own = seg.own_flags
    for index in range(count - 1, 0, -1):
        score = scores[index]
        parent = parents[index]
        chars[parent] += chars[index]
        if teaser[index]:
            teaser[parent] = True
            if chars[index] < _TEASER_CHARS and score > 0:
                scores[index] = score = -float(chars[index])
        if own[index] & _BAD and score > 0:
            continue
        scores[parent] += score
    bad = [False] * count
    best, best_score = 0, scores[0]
    for index in range(1, count):
        flags = own[index]
        bad[index] = bad[parents[index]] or bool(
            flags & FURNITURE or (flags & NEGATIVE and not flags & POSITIVE)
        )
        score = scores[index] * 0.2 if bad[index] else scores[index]
        if score >= best_score:
            best, best_score = index, score
    return best, scores, bad


def _sibling_run(seg: Segmented, top: int, scores: list[float], bad: list[bool]) -> list[int]:
    """The main container and its siblings of the same kind that hold content too.

    CMSs split one text into consecutive blocks of the same kind (Sitevision
    puts each run of paragraphs in its own ``sv-text-portlet``): when the best
    container, or one of its two nearest ancestors, has siblings with the same
    tag and class whose own content scores above zero and that are no
    furniture, and that hold a paragraph (not just a dateline in a <div>), the
    text is all of them.
    """
    element = top
    tags, classes, parents, ends = seg.tags, seg.classes, seg.parents, seg.ends
    paragraphs = sorted(
        block.element
        for block in seg.blocks
        if block.tag in sel.PARAGRAPH_TAGS and block.link_density <= 0.5
    )

    def holds_paragraph(element: int) -> bool:
        at = bisect_left(paragraphs, element)
        return at < len(paragraphs) and paragraphs[at] <= ends[element]

    for _ in range(_SIBLING_LEVELS):
        parent = parents[element]
        if parent <= 0:
            break
        kind = classes[element]
        if kind:
            run = [
                child
                for child in range(parent + 1, ends[parent] + 1)
                if parents[child] == parent
                and tags[child] == tags[element]
                and classes[child] == kind
                and (
                    child == element
                    or (scores[child] > 0 and not bad[child] and holds_paragraph(child))
                )
            ]
            if len(run) > 1:
                return run
        element = parent
    return [top]


_SIBLING_LEVELS = 3


def _table_in_figure(seg: Segmented, element: int, flags: int, top: int) -> bool:
    """True for a table cell whose only furniture evidence is its <figure> wrapper.

    The block editor of WordPress wraps tables in ``figure.wp-block-table``: a
    figure there is no image container, and its cells are the release's text.
    """
    if flags & (FURNITURE | NEGATIVE | CAPTION):
        return False
    tags, parents = seg.tags, seg.parents
    while element > top:
        if tags[element] == "table":
            return True
        element = parents[element]
    return False


_TEASER_CHARS = 600
_BAD = FURNITURE | NEGATIVE


def _furniture_line(text: str) -> bool:
    """Text that is furniture on any Swedish or English site, whatever its markup."""
    if len(text) > 300:
        return False
    lowered = text.lower()
    if _CONTACT_LABEL_RE.match(lowered) and _CONTACT_DATA_RE.search(text):
        return True  # "Ansvarig förvaltning Kommunledningsförvaltningen ... Tel 0151-190 00"
    if len(text) > 120:
        return False
    return lowered in sel.FURNITURE_LINES or lowered.startswith(sel.FURNITURE_LINE_PREFIXES)


def _furniture_heading(block: Block) -> bool:
    """A heading (or a short unpunctuated line) that opens a furniture section."""
    text = block.text
    if len(text) > _HEADING_CHARS or text.endswith((".", "!")):
        return False
    return bool(_FURNITURE_HEADING_RE.match(text.lower().rstrip(" :?")))


_HEADING_CHARS = 80
_FURNITURE_HEADING_RE = re.compile(
    "(?:" + "|".join(re.escape(h) for h in sel.FURNITURE_HEADINGS) + r")(?![^\W\d_])"
)

# A label is a whole word: "Kontakta kommunens bredbandssamordnare ..." is a body sentence.
_CONTACT_LABEL_RE = re.compile(
    "(?:" + "|".join(re.escape(label) for label in sel.CONTACT_LABELS) + r")(?![^\W\d_])"
)
_CONTACT_DATA_RE = re.compile(r"@|\b0\d{1,3}[- ]\d|\b\d{3} ?\d{2}\s+\w")


@dataclass(frozen=True, slots=True)
class Selection:
    """What ``select_content`` chose."""

    #: Element whose subtree holds the main text.
    top: int
    #: Blocks of the main text, in document order.
    kept: tuple[int, ...]


def select_content(
    seg: Segmented, *, drop: frozenset[int] = frozenset(), top: int | None = None
) -> Selection:
    """Choose the blocks that make up the main text of a page.

    ``drop`` holds block indices already known to be boilerplate (the site's
    template); they count against the container they sit in and are never kept.
    ``top`` imposes the main container (a source's body selector). Class/id
    evidence that the page's own text contradicts is overruled first
    (``overrule_hints``, which updates ``seg``).
    """
    blocks = seg.blocks
    if not blocks:
        return Selection(0, ())
    overrule_hints(seg, drop=drop)
    if top is None:
        values = [
            -float(len(block.text)) if index in drop else _value(block)
            for index, block in enumerate(blocks)
        ]
        top, scores, bad = _best_container(seg, values)
        run = _sibling_run(seg, top, scores, bad)
        if len(run) > 1:
            top = seg.parents[run[0]]
    else:
        run = [top]
    spans = [(element, seg.ends[element]) for element in run]
    kept = []
    for index, block in enumerate(blocks):
        element = block.element
        if index in drop or not any(lo <= element <= hi for lo, hi in spans):
            continue
        flags = block.flags_below(top)
        if flags & _DROP and not _table_in_figure(seg, block.element, flags, top):
            continue
        if block.link_density > 0.5 or block.tag == "h1":
            continue
        if _furniture_line(block.text):
            continue
        kept.append(index)
    if drop:
        kept = _close_over_repeats(seg, kept, drop, top)
    kept = _drop_orphan_labels(seg, kept, top)
    return Selection(top, tuple(_drop_orphan_headings(blocks, kept)))


def _close_over_repeats(
    seg: Segmented, kept: list[int], drop: frozenset[int], top: int
) -> list[int]:
    """Drop what is left of a container the site's template mostly repeats.

    A contact card where one of four people changed keeps the new person's
    line after the template took the others: when at least half of a
    container's text is repeated and what is left is short, the container goes.
    The main container itself is never closed over.
    """
    count = len(seg.tags)
    total = [0] * count
    repeated = [0] * count
    for index, block in enumerate(seg.blocks):
        total[block.element] += len(block.text)
        if index in drop:
            repeated[block.element] += len(block.text)
    parents = seg.parents
    for element in range(count - 1, 0, -1):
        parent = parents[element]
        total[parent] += total[element]
        repeated[parent] += repeated[element]
    result = []
    for index in kept:
        element = seg.blocks[index].element
        closed = False
        while element > top:
            left = total[element] - repeated[element]
            if repeated[element] * 2 >= total[element] and left < _CLOSURE_LEFT:
                closed = True
                break
            element = parents[element]
        if not closed:
            result.append(index)
    return result


_CLOSURE_LEFT = 250


def dense(block: Block) -> bool:
    """A paragraph of running text: long, hardly linked, ending a sentence."""
    return (
        len(block.text) >= _DENSE_CHARS
        and block.link_density <= _DENSE_LINKS
        and block.tag not in sel.HEADING_TAGS
        and block.text.endswith(_SENTENCE_END)
    )


_DENSE_CHARS = 100
_DENSE_LINKS = 0.2
#: Dense text (characters) a page needs before its own text can overrule a hint.
_DENSE_MIN = 300


def overrule_hints(seg: Segmented, *, drop: frozenset[int] = frozenset()) -> frozenset[int]:
    """Clear the class/id furniture evidence of the element that holds the release.

    A furniture hint never outweighs a body of dense text: an element flagged
    NEGATIVE by its class or id words (not by its tag or role) that holds the
    page's headline (its first <h1>) and most of its dense paragraphs
    (``dense``: running text, outside teaser cards, not repeated by the site's
    template) is the release, whatever its words say (``td.nav-new-1-pixel``
    of an old table layout around the article), and is read as plain. The
    headline is the anchor: without it, a long cookie or personal-data notice
    beside a short release would hold most of the page's dense text too.
    Returns the elements whose evidence was cleared (the flags in ``seg`` are
    updated).
    """
    blocks = seg.blocks
    headline = next((b.element for b in blocks if b.tag == "h1" and b.link_density <= 0.5), -1)
    own, parents = seg.own_flags, seg.parents
    hinted = []
    element = headline
    while element > 0:
        if own[element] & NEGATIVE and not own[element] & FURNITURE:
            hinted.append(element)
        element = parents[element]
    if not hinted:
        return frozenset()
    count = len(seg.tags)
    running = [0] * count
    chars = [0] * count
    teaser = [False] * count
    for index, block in enumerate(blocks):
        chars[block.element] += len(block.text)
        if block.link_density > 0.5 and block.tag in sel.HEADING_TAGS:
            teaser[block.element] = True
        elif index not in drop and dense(block):
            running[block.element] += len(block.text)
    for index in range(count - 1, 0, -1):
        parent = parents[index]
        chars[parent] += chars[index]
        if teaser[index]:
            teaser[parent] = True
            if chars[index] < _TEASER_CHARS:
                running[index] = 0  # a card in a list of other pages
        running[parent] += running[index]
    total = running[0]
    if total < _DENSE_MIN:
        return frozenset()
    overruled = frozenset(element for element in hinted if running[element] * 2 > total)
    if overruled:
        for element in overruled:
            own[element] &= ~NEGATIVE
        for block in blocks:
            if any(element in overruled for element, _ in block.flagged):
                block.flagged = tuple(
                    (element, flags & ~NEGATIVE if element in overruled else flags)
                    for element, flags in block.flagged
                )
    return overruled


def own_text(
    seg: Segmented, headline: int, *, skip: frozenset[int] | set[int] = frozenset()
) -> tuple[int, ...]:
    """The blocks in the release's own place: after its headline, up to the first furniture.

    The place is the smallest element holding the headline block and the
    first block of text after it (no date or label line: ``skip`` holds
    dates, the kind label, the lead, captions and the site's repeated blocks;
    no links, no furniture). From the headline on, in that element, every
    block of text is the release's own until the first that sits in
    furniture by tag or role (a <form>, a <footer>, a dialog: not one that
    holds the headline itself), that is a furniture heading ("Kontakta oss",
    "Så behandlar vi dina personuppgifter": ``selectors.FURNITURE_HEADINGS``)
    or another <h1>. Links, furniture lines ("Dela", "Skriv ut") and
    class/id furniture (a byline, a share bar, an image) on the way are
    passed over. The text of a short release is this, never what follows it.
    """
    blocks, parents, ends = seg.blocks, seg.parents, seg.ends
    if not 0 <= headline < len(blocks):
        return ()
    around = set()
    element = blocks[headline].element
    while element >= 0:
        around.add(element)
        element = parents[element]

    def flags_outside(block: Block, top: int) -> int:
        """Flags of the block's elements below ``top`` that do not hold the headline."""
        flags = 0
        for element, element_flags in block.flagged:
            if element > top and element not in around:
                flags |= element_flags
        return flags

    def passed_over(index: int, flags: int) -> bool:
        block = blocks[index]
        return bool(
            index in skip
            or flags & (NEGATIVE | FIGURE)
            or block.link_density > 0.5
            or _furniture_line(block.text)
        )

    after = next(
        (
            index
            for index in range(headline + 1, len(blocks))
            if not passed_over(index, flags := flags_outside(blocks[index], 0))
            and not flags & FURNITURE
        ),
        -1,
    )
    if after < 0:
        return ()
    region = blocks[after].element
    while region not in around:
        region = parents[region]
    end = ends[region]
    found: list[int] = []
    for index in range(headline + 1, len(blocks)):
        block = blocks[index]
        if not region <= block.element <= end:
            break
        if index in skip or block.link_density > 0.5:
            continue
        flags = flags_outside(block, region)
        if flags & FURNITURE or block.tag == "h1" or _furniture_heading(block):
            break
        if not passed_over(index, flags):
            found.append(index)
    return tuple(found)


def _drop_orphan_labels(seg: Segmented, kept: list[int], top: int) -> list[int]:
    """Drop labels whose container kept nothing else ("Bilagor" over a list of files).

    A label is a short line with no sentence end that opens a container below
    the main one (a CMS field label, a box title in a <div>); when none of the
    container's other blocks is kept, the label has nothing left to name.
    """
    blocks, parents, ends = seg.blocks, seg.parents, seg.ends
    kept_set = set(kept)
    result = []
    for index in kept:
        block = blocks[index]
        parent = parents[block.element]
        text = block.text
        if (
            parent > top
            and block.tag not in sel.PARAGRAPH_TAGS
            and len(text) <= _LABEL_CHARS
            and not text.endswith(_SENTENCE_END)
        ):
            end = ends[parent]
            opens = index == 0 or not parent <= blocks[index - 1].element <= end
            after = index + 1  # a container's blocks are consecutive
            while after < len(blocks) and parent <= blocks[after].element <= end:
                if after in kept_set:
                    break
                after += 1
            else:
                if opens and after > index + 1:
                    continue
        result.append(index)
    return result


_LABEL_CHARS = 60


def _drop_orphan_headings(blocks: list[Block], kept: list[int]) -> list[int]:
    """Drop headings whose section kept no text (a "Dokument" heading over a list of links)."""
    headings = sel.HEADING_TAGS
    result: list[int] = []
    for position in range(len(kept) - 1, -1, -1):
        index = kept[position]
        tag = blocks[index].tag
        if tag in headings:
            following = blocks[result[-1]].tag if result else None
            if following is None or (following in headings and following <= tag):
                continue
        result.append(index)
    result.reverse()
    return result
