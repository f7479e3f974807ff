"""Boilerplate removal: what a page's markup says, and what a site repeats.

A page is walked once into *blocks*: runs of text owned by one block-level
element, in document order, each with its link density, structural path and
the furniture evidence of its ancestors. Two layers decide which blocks are
the release:

1. *What this site repeats* (``learn_template``): a block whose fingerprint
   (normalised text at its structural place, or text alone) recurs on a large
   share of a site's pages is boilerplate; so is every block of a *slot* (a
   structural place whose text on most pages is text seen on other pages too),
   which tolerates near-repeats such as a contact block whose people change.
2. *What any site repeats* (``select_content``): furniture tags and ARIA
   roles, class/id words of sharing bars, breadcrumbs, cookie banners, contact
   cards, related lists and the CMS markers of Sitevision, Episerver and
   WordPress, hidden elements, link density and text density. The main
   container is the DOM subtree with the largest content score, where furniture
   subtrees can only subtract.

No rule names a site: a municipality never seen works on its first page.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper import selectors as sel
from scraper.records import SiteTemplate

__all__ = [
    "Block",
    "BlockPrint",
    "Segmented",
    "Selection",
    "learn_template",
    "main_container",
    "page_blocks",
    "segment_page",
    "select_content",
    "template_drops",
]

# Flags of an element, inherited by the blocks below it.
FURNITURE = 1  # nav/aside/footer/header/form or a landmark role of furniture
NEGATIVE = 2  # class/id words of furniture
POSITIVE = 4  # class/id words of editorial text
LEAD = 8  # class/id words of an ingress
FIGURE = 16  # figure / figcaption / an image container class
CAPTION = 32  # figcaption or a caption class

_MAX_DEPTH = 400
_TOKEN_SPLIT = re.compile(r"[^a-z0-9åäö]+")
_NEGATIVE_RE = re.compile("|".join(re.escape(w.lower()) for w in sel.NEGATIVE_SUBSTRINGS))
_POSITIVE_RE = re.compile("|".join(re.escape(w.lower()) for w in sel.POSITIVE_SUBSTRINGS))
_LEAD_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in sel.LEAD_SUBSTRINGS) + r")(?![a-z])"
)
_CAPTION_RE = re.compile(r"caption|bildtext|figcaption|credit|photographer|fotograf")
_FIGURE_RE = re.compile(r"figure|image-portlet|imageportlet|wp-block-image|image-block|bildblock")
_HINT_CACHE: dict[str, int] = {}


def _hints(value: str) -> int:
    """Flags of one element's lower-cased "class id role" string (cached)."""
    cached = _HINT_CACHE.get(value)
    if cached is not None:
        return cached
    flags = 0
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
    if len(_HINT_CACHE) > 50_000:
        _HINT_CACHE.clear()
    _HINT_CACHE[value] = flags
    return flags


@dataclass(slots=True)
class Block:
    """A run of text owned by one block-level element."""

    #: Text with white space collapsed.
    text: str
    #: Tag of the owning block element ("p", "li", "div", "h2" ...).
    tag: str
    #: Index (pre-order) of the owning element.
    element: int
    #: Share of the characters inside links.
    link_density: float
    #: Flagged ancestors (element index, flags), outermost first, the owner included.
    flagged: tuple[tuple[int, int], ...]
    #: Structural path of the owner ("" when paths were not asked for).
    path: str = ""

    def flags_below(self, top: int) -> int:
        """Flags of the ancestors strictly below element ``top`` (and the owner)."""
        result = 0
        for index, flags in self.flagged:
            if index > top:
                result |= flags
        return result

    @property
    def all_flags(self) -> int:
        result = 0
        for _, flags in self.flagged:
            result |= flags
        return result


@dataclass(slots=True)
class ImageRef:
    """An <img> as met in the walk."""

    src: str
    alt: str | None
    #: Index of the next block to be emitted (the image sits before it).
    position: int
    element: int
    #: Element index of the enclosing figure-like container, or -1.
    figure: int
    classes: str
    width: int | None
    #: Caption written inline right after the image ("<img><br><em>... Foto: ...</em>").
    caption: str | None = None


@dataclass(slots=True)
class LinkRef:
    """An <a href> as met in the walk."""

    href: str
    position: int
    element: int
    node: LexborNode


@dataclass(slots=True)
class Segmented:
    """One page walked into blocks, with the element tree kept as flat lists."""

    blocks: list[Block] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    own_flags: list[int] = field(default_factory=list)
    #: Index of the last element inside each element's subtree.
    ends: list[int] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    #: Element index of the ``mark`` node given to ``segment_page`` (-1: not met).
    marked: int = -1
    images: list[ImageRef] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    #: <time> elements as (datetime attribute, text, class, position of the next block).
    times: list[tuple[str, str, str, int]] = field(default_factory=list)


_DIGITS = re.compile(r"\d+")
_HIDDEN_CLASSES: dict[str, bool] = {}
_INLINE_CAPTION_TAGS = frozenset({"em", "i", "small", "span", "cite"})
_CREDIT_RE = re.compile(r"\b(?:foto|bild|illustration|photo|image|källa|grafik)\s*:", re.I)


def _hidden_class(cls: str) -> bool:
    """True when a class attribute hides its element from every reader (cached)."""
    hidden = any(token in sel.HIDDEN_TOKENS for token in cls.lower().split())
    if len(_HIDDEN_CLASSES) > 50_000:
        _HIDDEN_CLASSES.clear()
    _HIDDEN_CLASSES[cls] = hidden
    return hidden


def _document_link(href: str) -> bool:
    """True when a link points to a document file (PDF, DOCX ...) by its extension."""
    path = href.split("?", 1)[0].split("#", 1)[0]
    dot = path.rfind(".")
    return dot > path.rfind("/") and path[dot + 1 :].lower() in sel.ATTACHMENT_TYPES


def _hidden_attrs(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and sel.HIDDEN_STYLE_RE.search(style))


def _image_src(attrs: dict[str, str | None]) -> str:
    """The image URL of an <img>, lazy-loading attributes included ("" when none)."""
    src = (attrs.get("src") or "").strip()
    if not src or src.startswith("data:"):
        src = (attrs.get("data-src") or attrs.get("data-lazy-src") or "").strip()
        if not src:
            srcset = (attrs.get("srcset") or attrs.get("data-srcset") or "").strip()
            src = srcset.split(" ", 1)[0].rstrip(",") if srcset else ""
    return "" if src.startswith("data:") else src


def segment_page(
    tree: LexborHTMLParser,
    *,
    with_paths: bool = False,
    skip_furniture: bool = True,
    root: LexborNode | None = None,
    mark: LexborNode | None = None,
    with_refs: bool = True,
) -> Segmented:
    """Walk a parsed page once into blocks (see ``Block``).

    ``skip_furniture`` leaves out <nav>, <footer> and <aside> subtrees, which
    never hold release text, at once (they are a third of a typical page).
    ``root`` walks one subtree instead of the <body>; the element index of the
    ``mark`` node (a source's body selector) is kept as ``Segmented.marked``.
    ``with_refs`` collects images, document links and <time> elements (only
    the body's text needs none of them).

    The walk is the hot loop of extraction (every node of the page passes
    through it), hence one closure with local names rather than methods.
    """
    out = Segmented()
    if root is None:
        root = tree.body or tree.root
    if root is None:
        return out
    blocks = out.blocks
    tags = out.tags
    parents = out.parents
    own_flags = out.own_flags
    ends = out.ends
    paths = out.paths
    images = out.images
    links = out.links
    times = out.times
    inline_caption = _INLINE_CAPTION_TAGS
    skip_tags = sel.SKIP_TAGS
    furniture_skip = sel.SKIPPED_FURNITURE_TAGS
    block_tags = sel.BLOCK_TAGS
    furniture_tags = sel.FURNITURE_TAGS
    figure_tags = sel.FIGURE_TAGS
    furniture_roles = sel.FURNITURE_ROLES
    hidden_classes = _HIDDEN_CLASSES
    mark_id = mark.mem_id if mark is not None else None
    pieces: list[str] = []
    # [characters, characters inside links, consecutive <br>, image just before]
    counts = [0, 0, 0, 0]

    def flush(owner: int, flagged: tuple[tuple[int, int], ...]) -> None:
        joined = "".join(pieces)
        pieces.clear()
        raw, linked = counts[0], counts[1]
        counts[0] = counts[1] = 0
        if "\xad" in joined or "\u200b" in joined:
            joined = joined.replace("\xad", "").replace("\u200b", "")
        text = " ".join(joined.split())
        if text:
            blocks.append(
                Block(
                    text,
                    tags[owner],
                    owner,
                    linked / raw if linked < raw else 1.0,
                    flagged,
                    paths[owner] if with_paths else "",
                )
            )

    def visit(
        node: LexborNode,
        owner: int,
        flagged: tuple[tuple[int, int], ...],
        figure: int,
        in_link: bool,
        depth: int,
    ) -> None:
        child = node.first_child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                text = child.text_content
                if text and (pieces or not text.isspace()):
                    pieces.append(text)
                    counts[0] += len(text)
                    if in_link:
                        counts[1] += len(text)
                    counts[2] = 0
                    if counts[3] and not text.isspace():
                        counts[3] = 0
                child = child.next
                continue
            if tag[0] == "-" or tag in skip_tags or (skip_furniture and tag in furniture_skip):
                child = child.next
                continue
            attrs = child.attributes
            if attrs:
                cls = attrs.get("class")
                if cls is not None:
                    hidden = hidden_classes.get(cls)
                    if hidden is None:
                        hidden = _hidden_class(cls)
                    if hidden:
                        child = child.next
                        continue
                if (
                    "hidden" in attrs or "style" in attrs or "aria-hidden" in attrs
                ) and _hidden_attrs(attrs):
                    child = child.next
                    continue
            else:
                cls = None
            if tag in block_tags:
                if pieces:
                    flush(owner, flagged)
                counts[2] = 0
                index = len(tags)
                flags = 0
                hint = ""
                if attrs:
                    ident = attrs.get("id")
                    role = attrs.get("role")
                    if ident or role:
                        hint = " ".join([v for v in (cls, ident, role) if v]).lower()
                        flags = _hints(hint)
                        if role and role.lower() in furniture_roles:
                            flags |= FURNITURE
                    elif cls:
                        hint = cls.lower()
                        flags = _hints(hint)
                if tag in furniture_tags:
                    flags |= FURNITURE
                elif tag in figure_tags:
                    flags |= FIGURE | CAPTION if tag == "figcaption" else FIGURE
                elif tag == "caption":
                    flags |= CAPTION
                tags.append(tag)
                parents.append(owner)
                own_flags.append(flags)
                ends.append(index)
                if mark_id is not None and child.mem_id == mark_id:
                    out.marked = index
                if with_paths:
                    key = f"{tag}.{_DIGITS.sub('#', hint.replace(' ', '.'))}" if hint else tag
                    paths.append(f"{paths[owner]}/{key}")
                inner_flagged = flagged
                inner_figure = figure
                if flags:
                    inner_flagged = (*flagged, (index, flags))
                    if flags & FIGURE and figure < 0:
                        inner_figure = index
                if depth < _MAX_DEPTH:
                    visit(child, index, inner_flagged, inner_figure, in_link, depth + 1)
                else:
                    pieces.append(child.text(deep=True, separator=" "))
                if pieces:
                    flush(index, inner_flagged)
                ends[index] = len(tags) - 1
            elif tag == "br":
                counts[2] += 1
                if counts[2] >= 2:
                    if pieces:
                        flush(owner, flagged)
                else:
                    pieces.append(" ")
            elif tag == "img":
                counts[3] = 1
                if attrs and with_refs:
                    src = _image_src(attrs)
                    if src:
                        width = attrs.get("width") or ""
                        images.append(
                            ImageRef(
                                src,
                                attrs.get("alt"),
                                len(blocks),
                                owner,
                                figure,
                                (attrs.get("class") or "").lower(),
                                int(width) if width.isdigit() else None,
                            )
                        )
            elif tag == "a":
                if attrs and with_refs:
                    href = attrs.get("href")
                    if href and _document_link(href):
                        links.append(LinkRef(href, len(blocks), owner, child))
                visit(child, owner, flagged, figure, True, depth + 1)
            else:
                if tag == "time" and with_refs:
                    text = " ".join(child.text(deep=True).split())
                    value = (attrs.get("datetime") if attrs else None) or ""
                    if value or text:
                        classes = (attrs.get("class") or "").lower() if attrs else ""
                        times.append((value, text, classes, len(blocks)))
                elif counts[3] and tag in inline_caption:
                    # <img><br><em>Caption. Foto: NN</em>: the image's caption, not body text.
                    text = " ".join(child.text(deep=True).split())
                    if _CREDIT_RE.search(text):
                        last = images[-1] if images else None
                        if last is not None and last.position == len(blocks) and not last.caption:
                            last.caption = text
                        child = child.next
                        continue
                if depth < _MAX_DEPTH:
                    visit(child, owner, flagged, figure, in_link, depth + 1)
            child = child.next

    # The <body> itself is element 0, the root of every path.
    tags.append("body")
    parents.append(-1)
    own_flags.append(0)
    ends.append(0)
    paths.append("body")
    visit(root, 0, (), -1, False, 0)
    if pieces:
        flush(0, ())
    ends[0] = len(tags) - 1
    return out


# --------------------------------------------------------------------------
# Layer 2: generic evidence

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
    return best


_TEASER_CHARS = 600
_BAD = FURNITURE | NEGATIVE


def _furniture_line(text: str) -> bool:
    """Text that is furniture on any Swedish or English site, whatever its markup."""
    if len(text) > 300:
        return False
    lowered = text.lower()
    if lowered.startswith(sel.CONTACT_LABELS) and _CONTACT_DATA_RE.search(text):
        return True  # "Ansvarig förvaltning Kommunledningsförvaltningen ... Tel 0151-190 00"
    if len(text) > 120:
        return False
    return lowered in sel.FURNITURE_LINES or lowered.startswith(sel.FURNITURE_LINE_PREFIXES)


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
    ``top`` imposes the main container (a source's body selector).
    """
    blocks = seg.blocks
    if not blocks:
        return Selection(0, ())
    if top is None:
        values = [
            -float(len(block.text)) if index in drop else _value(block)
            for index, block in enumerate(blocks)
        ]
        top = main_container(seg, values)
    end = seg.ends[top]
    kept = []
    for index, block in enumerate(blocks):
        if not top <= block.element <= end or index in drop:
            continue
        if block.flags_below(top) & _DROP:
            continue
        if block.link_density > 0.5 or block.tag == "h1":
            continue
        if _furniture_line(block.text):
            continue
        kept.append(index)
    if drop:
        kept = _close_over_repeats(seg, kept, drop, top)
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


# --------------------------------------------------------------------------
# Layer 1: what one site repeats

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
        prints = list(page_blocks(html, url))
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
