"""Release links: an HTML listing page -> the releases it links to (pure).

No selector per site: anchors outside furniture whose URL could be a release
are grouped by their structural path (the items of one list share it), and
each group is scored on evidence (see ``find_release_links``).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.dates import date_from_url, normalize_datetime, parse_date, parse_labelled_dates
from scraper.records import ListingEntry

from .furniture import FURNITURE_WORDS, class_words, is_furniture
from .text import clean_text, kind_from_label, kind_from_title, node_text
from .urls import (
    base_url,
    is_release_url,
    listing_base_path,
    normalize_url,
    same_site,
)

__all__ = ["find_release_links", "find_release_links_in_tree"]

# --------------------------------------------------------------------------
# Word lists (data, not logic)

#: Tags that delimit one item of a repeated list.
RECORD_TAGS = frozenset({"li", "article", "tr", "dd"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Tags of the main content area.
MAIN_SELECTORS = ("main", "[role=main]", "#main", "#content", "#maincontent", "#main-content")
#: Link texts that say nothing about the release ("Läs mer").
_GENERIC_TEXT_RE = re.compile(
    r"^(läs (mer|hela)|mer\b|read more|continue|fortsätt|visa\b|gå till|till nyheten)",
    re.IGNORECASE,
)


@dataclass
class _Link:
    """One candidate anchor and what its surroundings say about it."""

    node: LexborNode
    url: str
    #: Structural path from <body> to the anchor (tags and first class words).
    path: tuple[str, ...]
    #: Ancestor mem_ids, nearest first (the anchor itself excluded).
    ancestors: tuple[int, ...]
    in_main: bool
    in_heading: bool


def find_release_links(html: str, url: str) -> tuple[ListingEntry, ...]:
    """Return the releases an HTML listing page links to, in page order.

    No selectors per site: the anchors are grouped by their structural path
    (the items of one list share it), furniture regions are skipped (header,
    nav, footer, aside, breadcrumbs, menus, skip links, share bars), and each
    group is scored on evidence: a date in the item or the URL, a URL under
    the listing's path, a title-like link text, a heading, the main content
    area. Each entry carries the title, the date and the kind label the item shows.
    """
    return find_release_links_in_tree(LexborHTMLParser(html or ""), url)


def _signature(node: LexborNode) -> str:
    tag = node.tag or ""
    if tag in RECORD_TAGS:
        return tag  # li.odd / li.even are the same item
    cls = (node.attributes.get("class") or "").split()
    return f"{tag}.{re.sub(r'[0-9]+', '', cls[0])}" if cls else tag


def _collect_links(tree: LexborHTMLParser, url: str) -> tuple[list[_Link], dict[int, set[str]]]:
    """Every anchor outside furniture whose URL could be a release.

    Also returns, per element (mem_id), up to two URLs of releases or
    listing pages beneath it: an item never holds two of them.
    """
    body = tree.body
    urls_under: dict[int, set[str]] = defaultdict(set)
    if body is None:
        return [], urls_under
    base = base_url(tree, url)
    listing_base = listing_base_path(urlsplit(url).path)
    main_ids = {m.mem_id for sel in MAIN_SELECTORS for m in tree.css(sel)}
    # Wrappers around the main area or the page's h1 ("page has-sidebar") are never furniture.
    around_main = {a for m in tree.css(",".join((*MAIN_SELECTORS, "h1"))) for a in _ancestor_ids(m)}
    links: list[_Link] = []
    for anchor in body.css("a[href]"):
        target = normalize_url(anchor.attributes.get("href") or "", base)
        if target is None:
            continue
        if not is_release_url(target, url):
            if same_site(target, url) and listing_base_path(urlsplit(target).path) == listing_base:
                _mark_ancestors(anchor, target, urls_under)  # pagination bounds items
            continue
        _mark_ancestors(anchor, target, urls_under)
        chain: list[LexborNode] = []
        node = anchor.parent
        while node is not None and node.tag not in {"body", "html", None}:
            chain.append(node)
            node = node.parent
        path: list[str] = []
        excluded = in_main = in_heading = in_item = False
        # Walk from the top so that "inside an item / the main area" is known on the way down.
        for element in reversed(chain):
            tag = element.tag or ""
            if element.mem_id not in around_main and is_furniture(
                element, tag, in_item=in_item, in_main=in_main
            ):
                excluded = True
                break
            in_item = in_item or tag in RECORD_TAGS
            in_main = in_main or element.mem_id in main_ids
            in_heading = in_heading or tag in HEADING_TAGS
            path.append(_signature(element))
        if excluded or class_words(anchor) & FURNITURE_WORDS:
            continue
        links.append(
            _Link(
                node=anchor,
                url=target,
                path=(*path, "a"),
                ancestors=tuple(e.mem_id for e in chain),
                in_main=in_main,
                in_heading=in_heading,
            )
        )
    return links, urls_under


def _ancestor_ids(node: LexborNode) -> list[int]:
    found = []
    parent = node.parent
    while parent is not None and parent.tag not in {"body", "html", None}:
        found.append(parent.mem_id)
        parent = parent.parent
    return found


def _mark_ancestors(anchor: LexborNode, target: str, urls_under: dict[int, set[str]]) -> None:
    node = anchor.parent
    while node is not None and node.tag not in {"body", "html", None}:
        bucket = urls_under[node.mem_id]
        if len(bucket) < 2:
            bucket.add(target)
        node = node.parent


def _item_of(link: _Link, urls_under: dict[int, set[str]]) -> LexborNode:
    """The element holding one list item: the highest ancestor with no other release."""
    item = link.node
    for mem_id in link.ancestors:
        parent = item.parent
        if parent is None or parent.mem_id != mem_id or parent.tag in {"main", "body"}:
            break
        if item.tag in RECORD_TAGS or len(urls_under.get(mem_id, ())) > 1:
            break
        item = parent
    return item


def _item_kind(item: LexborNode, title: str) -> str | None:
    kind = kind_from_title(title)
    if kind:
        return kind
    for element in item.css("span, div, p, small, em, strong, b, i, a, li, dt, dd, time, mark"):
        text = node_text(element)
        if 0 < len(text) <= 40 and text != title:
            kind = kind_from_label(text)
            if kind:
                return kind
    return None


def _item_date(item: LexborNode, title: str) -> str | None:
    """The date an item shows: <time>, a "Publicerad" label, any date in its text, or
    a date line just before it (<dt>2020-02-28</dt><dd><a ...></dd>)."""
    for time in item.css("time"):
        value = normalize_datetime(time.attributes.get("datetime") or "") or parse_date(
            node_text(time)
        )
        if value:
            return value
    text = node_text(item)
    if title and title in text:
        # A date inside the title ("Valet 2022-09-11") is not the item's date.
        text = text.replace(title, " ", 1)
    value = parse_labelled_dates(text).get("published") or parse_date(text)
    if value:
        return value
    if item.tag == "dd":
        previous = _sibling(item, forward=False)
        if previous is not None and previous.tag == "dt":
            return parse_date(node_text(previous))
    if item.tag in HEADING_TAGS:
        # A flat list: <h3><a/></h3><p>2020-02-28</p><p>teaser</p><h3>...
        sibling = _sibling(item, forward=True)
        for _ in range(3):
            if sibling is None or sibling.tag in HEADING_TAGS or sibling.css_first("a[href]"):
                break
            value = parse_date(node_text(sibling))
            if value:
                return value
            sibling = _sibling(sibling, forward=True)
    return None


def _sibling(node: LexborNode, *, forward: bool) -> LexborNode | None:
    """The next (or previous) element sibling."""
    sibling = node.next if forward else node.prev
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next if forward else sibling.prev
    return sibling


def _item_title(link: _Link, item: LexborNode) -> str | None:
    anchor_text = node_text(link.node)
    heading_sel = "h1, h2, h3, h4, h5, h6"
    if link.in_heading and anchor_text:
        return anchor_text
    inner = link.node.css_first(heading_sel)
    if inner is not None and node_text(inner):
        return node_text(inner)
    heading = item.css_first(heading_sel)
    if heading is not None and node_text(heading) and (not anchor_text or _is_generic(anchor_text)):
        return node_text(heading)
    if anchor_text and not _is_generic(anchor_text):
        return anchor_text
    title = link.node.attributes.get("title")
    if title:
        return clean_text(title)
    image = link.node.css_first("img[alt]")
    alt = clean_text(image.attributes.get("alt") or "") if image is not None else ""
    return alt or anchor_text or None


def _is_generic(text: str) -> bool:
    return len(text) < 4 or bool(_GENERIC_TEXT_RE.match(text))


@dataclass
class _Candidate:
    link: _Link
    entry: ListingEntry
    #: The item shows a date, or the URL carries one.
    dated: bool
    #: The URL lies under the listing's path.
    under: bool
    #: Evidence that the link is a release (0 to about 7).
    score: float


def _candidate(
    link: _Link, entry: ListingEntry, listing_base: str, *, has_main: bool
) -> _Candidate:
    dated = bool(entry.published or date_from_url(link.url))
    own = listing_base_path(urlsplit(link.url).path)
    under = bool(listing_base) and own.startswith(listing_base + "/")
    title = entry.title or ""
    score = 2.0 * dated + 2.0 * under
    score += len(title) >= 20 or len(title.split()) >= 3
    score += link.in_main or not has_main
    score += 0.5 * link.in_heading + 0.5 * bool(entry.kind)
    return _Candidate(link, entry, dated=dated, under=under, score=score)


def find_release_links_in_tree(tree: LexborHTMLParser, url: str) -> tuple[ListingEntry, ...]:
    """``find_release_links`` on a parsed page (``discover_listing`` parses once)."""
    links, urls_under = _collect_links(tree, url)
    if not links:
        return ()
    has_main = any(link.in_main for link in links)
    listing_base = listing_base_path(urlsplit(url).path)
    groups: dict[tuple[str, ...], list[_Candidate]] = defaultdict(list)
    for link in links:
        item = _item_of(link, urls_under)
        title = _item_title(link, item)
        entry = ListingEntry(
            url=link.url,
            title=title,
            published=_item_date(item, title or ""),
            kind=_item_kind(item, title or ""),
        )
        groups[link.path].append(_candidate(link, entry, listing_base, has_main=has_main))
    accepted = _accepted_groups(list(groups.values()))
    order = {id(link): index for index, link in enumerate(links)}
    return _merge(sorted(accepted, key=lambda c: order[id(c.link)]))


@dataclass(frozen=True)
class _Group:
    candidates: list[_Candidate]
    distinct: int
    quality: float
    dated: float
    under: float

    @property
    def weight(self) -> float:
        return self.quality * math.log2(1 + self.distinct)


def _rate(candidates: list[_Candidate]) -> _Group:
    n = len(candidates)
    return _Group(
        candidates=candidates,
        distinct=len({c.link.url for c in candidates}),
        quality=sum(c.score for c in candidates) / n,
        dated=sum(c.dated for c in candidates) / n,
        under=sum(c.under for c in candidates) / n,
    )


def _accepted_groups(groups: list[list[_Candidate]]) -> list[_Candidate]:
    """The candidates of the groups whose evidence says "list of releases"."""
    rated = [_rate(group) for group in groups]
    accepted = [
        g
        for g in rated
        if g.quality >= 3.5
        and max(g.dated, g.under) >= 0.5
        and (g.distinct >= 2 or g.quality >= 4.5)
    ]
    if accepted:
        best = max(accepted, key=lambda g: g.weight)
        # The releases of one listing share their evidence: when the main list lives
        # under the listing's path (or shows dates), a dated "most read" box elsewhere
        # on the site (or undated "Pressbilder"/"Presskontakter" links) is not part of it.
        if best.under >= 0.8:
            accepted = [g for g in accepted if g.under >= 0.5]
        if best.dated >= 0.8:
            accepted = [g for g in accepted if g.dated >= 0.5]
        return [c for g in accepted for c in g.candidates]
    # Nothing dated and nothing under the listing: an undated list of
    # title-like links in the main area is the best remaining guess.
    best = max(rated, key=lambda g: g.weight)
    if best.quality >= 2 and best.distinct >= 3:
        return best.candidates
    return []


def _merge(candidates: list[_Candidate]) -> tuple[ListingEntry, ...]:
    """One entry per URL, in page order, keeping the best title and any date/kind."""
    merged: dict[str, ListingEntry] = {}
    for candidate in candidates:
        entry = candidate.entry
        old = merged.get(entry.url)
        if old is None:
            merged[entry.url] = entry
            continue
        title = old.title
        if not title or (_is_generic(title) and entry.title and not _is_generic(entry.title)):
            title = entry.title
        merged[entry.url] = ListingEntry(
            url=old.url,
            title=title,
            published=old.published or entry.published,
            kind=old.kind or entry.kind,
            updated=old.updated or entry.updated,
        )
    return tuple(merged.values())
