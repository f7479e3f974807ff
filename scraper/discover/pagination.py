"""Pagination: an HTML listing page -> the URL of its next page (pure).

The rule: a link is the next page only on structural evidence (rel="next", the
pager's number after the current one, this listing's URL with its page number
one step further), or when its *whole* text is a next-page phrase ("Nästa",
"Visa fler", "»") and it sits in a pager, has a page URL of this listing or is
a button. A link that points backwards, or whose URL has the shape of a
release, is never the next page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.dates import date_from_url

from .furniture import class_words
from .text import clean_text, node_text
from .urls import base_url, is_release_url, listing_base_path, normalize_url, same_site

__all__ = ["find_next_page", "find_next_page_in_tree"]

# --------------------------------------------------------------------------
# Word lists (data, not logic)

#: Query keys that number a listing's pages ("?page=2", Sitevision "sv.12.<id>.page=2").
PAGE_QUERY_KEYS = frozenset(
    {"page", "p", "sida", "pg", "paged", "pagenr", "pagenumber", "pageno", "pageindex",
     "currentpage", "sidnr"}
)  # fmt: skip
#: Query keys that count items, not pages ("?start=20").
OFFSET_QUERY_KEYS = frozenset({"start", "offset", "from", "skip"})
#: A page number in the path: "/nyheter/page/2/", "/sida/3".
_PAGE_SEGMENT_RE = re.compile(r"/(?:page|sida)/(\d{1,4})/?$", re.IGNORECASE)
#: class/id words of a pager block.
PAGER_WORDS = frozenset(
    {"pagination", "pager", "paging", "pagenav", "pagenavi", "paginering", "sidnavigering",
     "sidnumrering", "bladdring"}
)  # fmt: skip
#: aria-label of a pager block (<nav aria-label="Sidnumrering">).
_PAGER_LABEL_RE = re.compile(
    r"pagin|pager|paging|sidnavigering|sidnumrering|paginering|bläddr|^sidor$", re.IGNORECASE
)
#: class words of a button ("Visa fler" load-more buttons).
BUTTON_WORDS = frozenset({"button", "btn", "knapp", "loadmore", "showmore", "visafler"})
_BUTTON_PAIRS = ({"load", "more"}, {"show", "more"}, {"visa", "fler"}, {"ladda", "fler"})
#: One next-page phrase: "Nästa", "Nästa sida", "Visa fler nyheter", "Äldre inlägg", "Load more".
_NEXT_PHRASE = (
    r"(?:(?:gå till|go to)\s+)?"
    r"(?:(?:visa|ladda|hämta|se|show|load|view|see)\s+)?(?:\d+\s+)?"
    r"(?:nästa|fler|mer|äldre|next|more|older)(?:\s+\d+)?"
    r"(?:\s+(?:sida|sidan|sidor|nyheter|nyheterna|pressmeddelanden|inlägg|artiklar|poster"
    r"|resultat|träffar|page|posts|entries|news|articles|results|items))?"
)
#: A whole link text made of next-page phrases ("Nästa sida: Äldre inlägg", "Nästa sida Nästa").
_NEXT_TEXT_RE = re.compile(rf"{_NEXT_PHRASE}(?:[\s:,–-]+{_NEXT_PHRASE})*", re.IGNORECASE)
#: Of the phrases, those that never name another listing ("Fler evenemang" may).
_STRONG_NEXT_RE = re.compile(r"(?:gå till\s+)?(?:nästa|next|äldre|older)\b", re.IGNORECASE)
_ARROWS = "»›→>≫"
_BACK_ARROWS = "«‹←<≪"
#: Words of links that point backwards: never the next page.
_BACK_RE = re.compile(r"föregående|previous|\bprev\b|tidigare|nyare|newer", re.IGNORECASE)
#: Words of links that jump to the first or last page: no next-page phrase.
_JUMP_RE = re.compile(r"första|sista|\bfirst\b|\blast\b", re.IGNORECASE)
#: The label of a page-number link: "2", "Sida 2", "Gå till sida 2", "Aktuell sida 1".
_NUMBER_LABEL_RE = re.compile(
    r"^(?:(?:aktuell |nuvarande )?sida|(?:current )?page|gå till sida|go to page)?\s*:?\s*"
    r"(\d{1,4})$",
    re.IGNORECASE,
)
#: Class names of the current page in a pager ("current", "is-active", "pager__item--active").
_CURRENT_CLASS_RE = re.compile(r"\b(?:current|active|selected|aktiv|vald)\b", re.IGNORECASE)


def find_next_page(html: str, url: str) -> str | None:
    """Return the URL of the next listing page, or None on the last page.

    In order of trust: rel="next"; a link whose whole text (or aria-label or
    title) says "Nästa", "Visa fler", "Äldre nyheter", "»" ... and that sits in
    a pager, has a page URL of this listing or is a button; the pager's number
    after the current page; a link to this listing with its page parameter one
    step further. A release-shaped link, or one back to this page or an
    earlier one, is never returned.
    """
    return find_next_page_in_tree(LexborHTMLParser(html or ""), url)


def find_next_page_in_tree(tree: LexborHTMLParser, url: str) -> str | None:
    """``find_next_page`` on a parsed page (``discover_listing`` parses once)."""
    page = _Page.read(tree, url)
    return (
        _by_rel_next(tree, page)
        or _by_next_phrase(page)
        or _by_page_number(tree, page)
        or _by_incremented_url(page)
    )


# --------------------------------------------------------------------------
# Page URLs: which page of which listing a URL names


def _page_key(key: str) -> bool:
    """A query key that numbers pages or items ("page", "sv.12.1a2b.page", "start")."""
    last = key.lower().rsplit(".", 1)[-1]
    return last in PAGE_QUERY_KEYS or last in OFFSET_QUERY_KEYS


def _offset_key(key: str) -> bool:
    return key.lower().rsplit(".", 1)[-1] in OFFSET_QUERY_KEYS


def _routing_key(key: str) -> bool:
    """Sitevision's portlet routing keys ("sv.target", "sv.12.<id>.route") say no page."""
    return key.lower().startswith("sv.") and not _page_key(key)


def _query(url: str) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(urlsplit(url).query) if not _routing_key(k)}


def _page_path(url: str) -> tuple[str, int | None]:
    """The listing path without a page segment, and the segment's number."""
    path = unquote(urlsplit(url).path)
    match = _PAGE_SEGMENT_RE.search(path)
    if match:
        return path[: match.start()] or "/", int(match.group(1))
    return path, None


def _has_page_number(url: str) -> bool:
    """True when ``url`` carries a page number: a page or offset query key, or /page/N/."""
    return _page_path(url)[1] is not None or any(
        _page_key(key) and value.isdigit() for key, value in _query(url).items()
    )


def _in_family(target: str, current: str) -> bool:
    """True when ``target`` is this listing or lies under it (an archive beneath it)."""
    if not same_site(target, current):
        return False
    own = listing_base_path(_page_path(target)[0])
    base = listing_base_path(_page_path(current)[0])
    return own == base or own.startswith(base + "/")


def _is_page_url(target: str, current: str) -> bool:
    """A page of this listing's family: its path (or one under it) with a page number."""
    return _has_page_number(target) and _in_family(target, current)


def _step(target: str, current: str) -> tuple[str, int] | None:
    """(key, number) when ``target`` is ``current`` with only its page number changed."""
    (t_path, t_seg), (c_path, c_seg) = _page_path(target), _page_path(current)
    t_query, c_query = _query(target), _query(current)
    if not same_site(target, current):
        return None
    if t_path.rstrip("/") != c_path.rstrip("/"):
        return None
    if t_seg is not None or c_seg is not None:
        return ("/page/", t_seg or 1) if t_query == c_query else None
    keys = [k for k in set(t_query) | set(c_query) if t_query.get(k) != c_query.get(k)]
    if len(keys) != 1:
        return None
    value = t_query.get(keys[0])
    if value is None:
        return keys[0], 0  # the parameter dropped: back to the first page
    return (keys[0], int(value)) if value.isdigit() else None


def _current_number(current: str, key: str) -> int | None:
    if key == "/page/":
        return _page_path(current)[1] or 1
    value = _query(current).get(key)
    return int(value) if value and value.isdigit() else None


def _goes_forward(target: str, current: str) -> bool:
    """False for a link to this page, another site or, by its page number, an earlier page."""
    if target == current or not same_site(target, current):
        return False
    step = _step(target, current)
    if step is None:
        return True
    key, value = step
    now = _current_number(current, key)
    return now is None or value > now


# --------------------------------------------------------------------------
# The page: its links, its pager blocks and the shape of its release links


@dataclass
class _Link:
    node: LexborNode
    url: str
    #: Link text, aria-label and title, each whitespace-clean.
    labels: tuple[str, ...]


@dataclass
class _Page:
    """What the rules read of one listing page."""

    current: str
    base: str
    links: list[_Link]
    #: Page-number links of this listing and marked current page numbers, with their numbers.
    numbers: list[tuple[LexborNode, int]] = field(default_factory=list)
    #: mem_ids of the blocks around a run of page numbers (pagers that do not say so).
    number_blocks: set[int] = field(default_factory=set)

    @classmethod
    def read(cls, tree: LexborHTMLParser, url: str) -> _Page:
        current = normalize_url(url, url) or url
        base = base_url(tree, url)
        links = []
        for anchor in tree.css("a[href]"):
            target = normalize_url(anchor.attributes.get("href") or "", base)
            if target:
                links.append(_Link(anchor, target, _labels(anchor)))
        page = cls(current, base, links)
        page.numbers = _number_nodes(tree, page)
        page.number_blocks = _number_blocks(page)
        return page

    @cached_property
    def shapes(self) -> Counter[tuple[str, str, str]]:
        """How many distinct release-like URLs on the page share each URL shape."""
        return Counter(
            shape
            for target in {link.url for link in self.links}
            if (shape := _release_shape(target, self.current)) is not None
        )

    def is_release(self, target: str) -> bool:
        """True when ``target`` has the shape of a release link: a date or node-id URL,
        or a slug in the same folder as another slug on the page."""
        shape = _release_shape(target, self.current)
        return shape is not None and (self.shapes[shape] >= 2 or shape[2] in {"date", "node"})

    def in_pager(self, node: LexborNode) -> bool:
        """Inside a block whose class/id/aria-label says pager, or around a run of numbers."""
        return any(
            n.mem_id in self.number_blocks or _says_pager(n) for n in _self_and_ancestors(node)
        )

    def is_listing_page(self, target: str) -> bool:
        """This listing, a page of it or an archive under it, and no release."""
        return _is_page_url(target, self.current) or (
            _in_family(target, self.current) and not self.is_release(target)
        )


def _labels(anchor: LexborNode) -> tuple[str, ...]:
    attrs = anchor.attributes
    texts = (node_text(anchor), attrs.get("aria-label") or "", attrs.get("title") or "")
    return tuple(label for text in texts if (label := clean_text(text)))


def _release_shape(target: str, current: str) -> tuple[str, str, str] | None:
    """(folder, extension, kind of name) of a URL that could be a release, else None.

    A release's URL is a slug of its title, a date-prefixed slug or a CMS node id;
    the releases of one listing share the folder and the kind.
    """
    if _has_page_number(target) or not is_release_url(target, current):
        return None
    path = unquote(urlsplit(target).path).lower().rstrip("/")
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.partition(".")
    if date_from_url(target):
        kind = "date"
    elif re.fullmatch(r"\d+\.[0-9a-f]{6,}(\.[0-9a-z]+)?", name):
        kind = "node"  # Sitevision "4.5f6e7d8c9b0a1.html"
    elif "-" in stem or "_" in stem:
        kind = "slug"
    else:
        return None  # a one-word name ("/evenemang/", "/nyheter.html") is a section
    return re.sub(r"\d+", "0", folder), ext if dot else "", kind


def _self_and_ancestors(node: LexborNode) -> Iterator[LexborNode]:
    current: LexborNode | None = node
    while current is not None and current.tag not in {"body", "html", None}:
        yield current
        current = current.parent


def _says_pager(node: LexborNode) -> bool:
    return bool(class_words(node) & PAGER_WORDS) or bool(
        _PAGER_LABEL_RE.search(node.attributes.get("aria-label") or "")
    )


def _is_button(node: LexborNode) -> bool:
    words = class_words(node)
    return (
        (node.attributes.get("role") or "").lower() == "button"
        or bool(words & BUTTON_WORDS)
        or any(pair <= words for pair in _BUTTON_PAIRS)
    )


def _number_label(labels: tuple[str, ...]) -> int | None:
    for label in labels:
        match = _NUMBER_LABEL_RE.match(label)
        if match:
            return int(match.group(1))
    return None


def _is_current(node: LexborNode | None) -> bool:
    """Marked as the current page: aria-current, or a "current"/"active" class."""
    if node is None:
        return False
    attrs = node.attributes
    return attrs.get("aria-current") is not None or bool(
        _CURRENT_CLASS_RE.search(attrs.get("class") or "")
    )


def _number_nodes(tree: LexborHTMLParser, page: _Page) -> list[tuple[LexborNode, int]]:
    """Page-number links of this listing, and page numbers marked as the current page."""
    found = [
        (link.node, number)
        for link in page.links
        if (number := _number_label(link.labels)) is not None
        and (link.url == page.current or page.is_listing_page(link.url))
    ]
    for node in tree.css("[aria-current], [class]"):
        if _is_current(node) and _is_text_number(node):
            found.append((node, _number_label((node_text(node),)) or 0))
    return found


def _is_text_number(node: LexborNode) -> bool:
    """A page number that is no link and sits in none ("<strong>2</strong>")."""
    return (
        _number_label((node_text(node),)) is not None
        and node.css_first("a") is None
        and not any(n.tag == "a" for n in _self_and_ancestors(node))
    )


def _number_blocks(page: _Page) -> set[int]:
    """The nearest block around each run of two or more page numbers, unless it also
    holds a release link."""
    blocks: set[int] = set()
    counts: Counter[int] = Counter()
    chains = []
    for node, _ in page.numbers:
        chain = list(_self_and_ancestors(node))[1:5]
        chains.append(chain)
        counts.update(n.mem_id for n in chain)
    for chain in chains:
        block = next((n for n in chain if counts[n.mem_id] >= 2), None)
        if block is not None and not any(
            (target := normalize_url(a.attributes.get("href") or "", page.base))
            and page.is_release(target)
            for a in block.css("a[href]")
        ):
            blocks.add(block.mem_id)
    return blocks


# --------------------------------------------------------------------------
# The evidence, in order of trust


def _by_rel_next(tree: LexborHTMLParser, page: _Page) -> str | None:
    base = base_url(tree, page.current)
    for node in tree.css("link[rel][href], a[rel][href]"):
        if "next" not in (node.attributes.get("rel") or "").lower().split():
            continue
        target = normalize_url(node.attributes.get("href") or "", base)
        if target and _goes_forward(target, page.current) and not page.is_release(target):
            return target
    return None


def _points_back(labels: tuple[str, ...]) -> bool:
    """True for "Föregående", "Nyare inlägg", "« Previous" (text, aria-label or title)."""
    return any(_BACK_RE.search(label) or label[:1] in _BACK_ARROWS for label in labels)


def _phrase(labels: tuple[str, ...]) -> str | None:
    """The label that is wholly a next-page phrase or arrow, unless any label points back."""
    if _points_back(labels) or any(_JUMP_RE.search(label) for label in labels):
        return None
    for label in labels:
        if label.strip() and not label.strip(_ARROWS + " "):
            return "»"  # an arrow alone
        words = label.strip(_ARROWS + " :.…")
        if words and _NEXT_TEXT_RE.fullmatch(words):
            return words
    return None


def _by_next_phrase(page: _Page) -> str | None:
    for link in page.links:
        phrase = _phrase(link.labels)
        if phrase is None:
            continue
        target, current = link.url, page.current
        if not _goes_forward(target, current) or page.is_release(target):
            continue
        if _is_page_url(target, current):
            return target
        in_pager = page.in_pager(link.node)
        strong = phrase == "»" or _STRONG_NEXT_RE.match(phrase)
        if (in_pager and strong) or (
            (in_pager or _is_button(link.node)) and _in_family(target, current)
        ):
            return target
    return None


def _by_page_number(tree: LexborHTMLParser, page: _Page) -> str | None:
    """The link of the pager's number after the current page's."""
    numbered: dict[int, str] = {}
    current_number = None
    offsets: dict[str, set[int]] = {}
    for node, number in page.numbers:
        if node.tag != "a":
            current_number = current_number or number  # a marked current page
            continue
        target = normalize_url(node.attributes.get("href") or "", page.base) or ""
        if target == page.current or _is_current(node) or _is_current(node.parent):
            current_number = number
            continue
        numbered.setdefault(number, target)
        step = _step(target, page.current)
        if step is not None and _has_page_number(target):
            offsets.setdefault(step[0], set()).add(number - step[1])
    if current_number is None:
        current_number = _unmarked_current_number(tree, page)
    if current_number is None and len(offsets) == 1:
        # This page's own number, read from its URL the way the pager's links count.
        ((key, counted),) = offsets.items()
        now = _current_number(page.current, key)
        if now is not None and len(counted) == 1:
            current_number = now + counted.pop()
    if current_number is None and numbered:
        current_number = 1 if 2 in numbered or 1 not in numbered else None
    if current_number is None:
        return None
    target = numbered.get(current_number + 1)
    return target if target and _goes_forward(target, page.current) else None


def _unmarked_current_number(tree: LexborHTMLParser, page: _Page) -> int | None:
    """A number in a pager that is no link ("<strong>2</strong>"): the current page."""
    for node in tree.css("strong, b, em, span"):
        if _is_text_number(node) and page.in_pager(node):
            return _number_label((node_text(node),))
    return None


def _by_incremented_url(page: _Page) -> str | None:
    """The link to this URL with its page number one higher (its offset the least step up)."""
    steps = [
        (s, link.url)
        for link in page.links
        if (s := _step(link.url, page.current)) and not _points_back(link.labels)
    ]
    zero_based = {key for (key, value), url in steps if value == 0 and _has_page_number(url)}
    best: tuple[int, str] | None = None
    for (key, value), target in steps:
        if (key != "/page/" and not _page_key(key)) or not _goes_forward(target, page.current):
            continue
        now = _current_number(page.current, key)
        if _offset_key(key):
            if now is None and value < 1:
                continue
        elif value != (now if now is not None else int(key not in zero_based)) + 1:
            continue  # no such parameter here: this is the first page, numbered 0 or 1
        if best is None or value < best[0]:
            best = (value, target)
    return best[1] if best else None
