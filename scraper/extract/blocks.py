"""The page walk: one parsed page -> blocks of text (pure, one pass over the DOM).

A *block* is a run of text owned by one block-level element, in document
order, with its link density, structural path and the furniture evidence
(``FURNITURE`` ... ``CAPTION`` flags, ``scraper.extract.class_hints``) of its ancestors.
The same walk collects the images, document links, tag/category links and
<time> elements met on the way, so that extraction needs no second pass.
``scraper.extract.boilerplate`` chooses among the blocks; ``scraper.extract`` reads the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import selectors as sel
from .class_hints import (
    CAPTION,
    FIGURE,
    FURNITURE,
    IN_QUOTE,
    LEAD,
    NEGATIVE,
    POSITIVE,
    QUOTE_CLEARS,
    hint_flags,
    quote_figure,
)
from .element import (
    HIDDEN_CLASSES,
    document_link,
    flat_text,
    hidden_attrs,
    hidden_class,
    image_src,
    image_width,
    taxonomy_link,
)
from .parse_work import MAX_PARSE_WORK, parse_work

__all__ = [
    "CAPTION",
    "FIGURE",
    "FURNITURE",
    "LEAD",
    "MAX_PARSE_WORK",
    "NEGATIVE",
    "POSITIVE",
    "Block",
    "ImageRef",
    "LinkRef",
    "Segmented",
    "join_blocks",
    "parse_work",
    "segment_page",
]

#: Depth of the element tree walked into blocks; a subtree deeper than that is
#: read as one run of text (``flat_text``), so that no page, however deep, makes
#: the walk recurse without end and none of its text is lost.
_MAX_DEPTH = 400


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
    #: The class attribute of each element, as written ("" when none).
    classes: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    own_flags: list[int] = field(default_factory=list)
    #: Index of the last element inside each element's subtree.
    ends: list[int] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    #: Element index of the ``mark`` node given to ``segment_page`` (-1: not met).
    marked: int = -1
    images: list[ImageRef] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    #: Links to a taxonomy archive (a tag or category of the page: ``rel="tag"`` or a
    #: /tag/, /kategori/ ... path), whose text may name the kind of a release.
    taxonomy: list[LinkRef] = field(default_factory=list)
    #: <time> elements as (datetime attribute, text, class, position of the next block).
    times: list[tuple[str, str, str, int]] = field(default_factory=list)


_DIGITS = re.compile(r"\d+")
_INLINE_CAPTION_TAGS = frozenset({"em", "i", "small", "span", "cite"})
_CREDIT_RE = re.compile(r"\b(?:foto|bild|illustration|photo|image|källa|grafik)\s*:", re.I)
#: Characters of an element's class and id kept in its structural path.
_PATH_HINT_CHARS = 200


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
    element_classes = out.classes
    parents = out.parents
    own_flags = out.own_flags
    ends = out.ends
    paths = out.paths
    images = out.images
    links = out.links
    taxonomy = out.taxonomy
    times = out.times
    inline_caption = _INLINE_CAPTION_TAGS
    skip_tags = sel.SKIP_TAGS
    furniture_skip = sel.SKIPPED_FURNITURE_TAGS
    block_tags = sel.BLOCK_TAGS
    furniture_tags = sel.FURNITURE_TAGS
    figure_tags = sel.FIGURE_TAGS
    furniture_roles = sel.FURNITURE_ROLES
    hidden_classes = HIDDEN_CLASSES
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

    def add_flat(node: LexborNode, in_link: bool) -> None:
        text = flat_text(node)
        if text and (pieces or not text.isspace()):
            pieces.append(text)
            counts[0] += len(text)
            if in_link:
                counts[1] += len(text)

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
            # A processing instruction ("<?php ... ?>") has no tag name.
            if (
                not tag
                or tag[0] == "-"
                or tag in skip_tags
                or (skip_furniture and tag in furniture_skip)
            ):
                child = child.next
                continue
            attrs = child.attributes
            if attrs:
                cls = attrs.get("class")
                if cls is not None:
                    hidden = hidden_classes.get(cls)
                    if hidden is None:
                        hidden = hidden_class(cls)
                    if hidden:
                        if pieces:
                            pieces.append(" ")  # a hidden separator or icon still parts words
                        child = child.next
                        continue
                if (
                    "hidden" in attrs or "style" in attrs or "aria-hidden" in attrs
                ) and hidden_attrs(attrs):
                    if pieces:
                        pieces.append(" ")
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
                        hint = " ".join([v for v in (cls, ident, role) if v])
                        flags = hint_flags(hint)
                        if role and role.lower() in furniture_roles:
                            flags |= FURNITURE
                    elif cls:
                        hint = cls
                        flags = hint_flags(hint)
                inner_figure = figure
                if figure == IN_QUOTE:
                    flags &= ~QUOTE_CLEARS
                elif tag == "figure" and quote_figure(child):
                    flags &= ~QUOTE_CLEARS
                    inner_figure = IN_QUOTE
                if tag in furniture_tags:
                    flags |= FURNITURE
                elif tag in figure_tags:
                    if inner_figure != IN_QUOTE:
                        flags |= FIGURE | CAPTION if tag == "figcaption" else FIGURE
                elif tag == "caption":
                    flags |= CAPTION
                tags.append(tag)
                element_classes.append(cls or "")
                parents.append(owner)
                own_flags.append(flags)
                ends.append(index)
                if mark_id is not None and child.mem_id == mark_id:
                    out.marked = index
                if with_paths:
                    # Capped: every descendant's path repeats it.
                    hint = hint[:_PATH_HINT_CHARS].lower()
                    key = f"{tag}.{_DIGITS.sub('#', hint.replace(' ', '.'))}" if hint else tag
                    paths.append(f"{paths[owner]}/{key}")
                inner_flagged = flagged
                if flags:
                    inner_flagged = (*flagged, (index, flags))
                    if flags & FIGURE and inner_figure == -1:
                        inner_figure = index
                if depth < _MAX_DEPTH:
                    visit(child, index, inner_flagged, inner_figure, in_link, depth + 1)
                else:
                    add_flat(child, in_link)
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
                    src = image_src(attrs)
                    if src:
                        images.append(
                            ImageRef(
                                src,
                                attrs.get("alt"),
                                len(blocks),
                                owner,
                                figure,
                                (attrs.get("class") or "").lower(),
                                image_width(attrs.get("width")),
                            )
                        )
            elif tag == "a":
                if attrs and with_refs:
                    href = attrs.get("href")
                    if href:
                        if document_link(href):
                            links.append(LinkRef(href, len(blocks), owner, child))
                        elif taxonomy_link(href, attrs.get("rel")):
                            taxonomy.append(LinkRef(href, len(blocks), owner, child))
                if depth < _MAX_DEPTH:
                    visit(child, owner, flagged, figure, True, depth + 1)
                else:
                    add_flat(child, True)
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
                else:
                    add_flat(child, in_link)
            child = child.next

    # The <body> itself is element 0, the root of every path.
    tags.append("body")
    element_classes.append("")
    parents.append(-1)
    own_flags.append(0)
    ends.append(0)
    paths.append("body")
    visit(root, 0, (), -1, False, 0)
    if pieces:
        flush(0, ())
    ends[0] = len(tags) - 1
    return out


def join_blocks(seg: Segmented, indices: list[int]) -> str:
    """The text of some blocks, one paragraph each; the cells of one table row on one line.

    Only blocks of *different* cells of a row are joined: the paragraphs of a
    layout table's single cell stay paragraphs.
    """
    parts: list[str] = []
    last_row = last_cell = -1
    for index in indices:
        block = seg.blocks[index]
        row, cell = _table_cell(seg, block.element)
        if row >= 0 and row == last_row and cell != last_cell:
            parts[-1] += " " + block.text
        else:
            parts.append(block.text)
        last_row, last_cell = row, cell
    return "\n\n".join(parts)


def _table_cell(seg: Segmented, element: int) -> tuple[int, int]:
    """The <tr> and the cell a block's element sits in (a cell or a paragraph in one)."""
    tags, parents = seg.tags, seg.parents
    cell = -1
    for _ in range(3):
        tag = tags[element]
        if tag == "td" or tag == "th":
            cell = element
        elif tag == "tr":
            return (element, cell) if cell >= 0 else (-1, -1)
        elif tag == "table":
            break
        element = parents[element]
        if element < 0:
            break
    return -1, -1
