"""Pagination: an HTML listing page -> the URL of its next page (pure).

In order of trust: rel="next", "next" link texts, the numbered link of the
current page + 1, arrow symbols, and a link with one page parameter one step
further (see ``find_next_page``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .furniture import class_words
from .text import clean_text, node_text
from .urls import (
    PAGE_KEYS,
    PAGE_PATH_RE,
    base_url,
    listing_base_path,
    normalize_url,
    same_site,
)

__all__ = ["find_next_page", "find_next_page_in_tree"]

# --------------------------------------------------------------------------
# Word lists (data, not logic)

#: Link texts (or aria-labels) of a "next page" link, checked in this order.
_NEXT_WORDS_RE = re.compile(
    r"^(nästa|next|visa fler|visa mer|ladda fler|fler|äldre|older|load more|more (posts|news))\b",
    re.IGNORECASE,
)
#: Of those, the ones that never lead away from the listing ("Fler evenemang" may).
_STRONG_NEXT_RE = re.compile(r"^(nästa|next|äldre inlägg|older (posts|entries))\b", re.IGNORECASE)
_NEXT_SYMBOLS = ("›", "»", "→", ">", ">>", "next ›")
_PREVIOUS_RE = re.compile(
    r"föregående|previous|prev\b|tidigare|nyare|newer|första|sista|first|last", re.IGNORECASE
)
_PAGE_LABEL_RE = re.compile(r"^(?:sida|page|gå till sida)?\s*(\d{1,3})$", re.IGNORECASE)


def find_next_page(html: str, url: str) -> str | None:
    """Return the URL of the next listing page, or None on the last page.

    In order of trust: rel="next"; a link saying "Nästa", "Visa fler", "Äldre
    inlägg", "Next" (text, aria-label or title); the numbered link of the
    current page + 1; a "›"/"»" link; a link to this URL with one page
    parameter (?page=, /page/N/, any query number) one step further. A link
    back to this page or an earlier one is never returned.
    """
    return find_next_page_in_tree(LexborHTMLParser(html or ""), url)


def _page_number(url: str, current: str) -> tuple[str, int] | None:
    """The (parameter, value) in which ``url`` differs from ``current``, if numeric."""
    a, b = urlsplit(url), urlsplit(current)
    if a.path != b.path:
        pa, pb = PAGE_PATH_RE.search(a.path), PAGE_PATH_RE.search(b.path)
        base_a = PAGE_PATH_RE.sub("/", a.path)
        base_b = PAGE_PATH_RE.sub("/", b.path)
        if pa and base_a.rstrip("/") == base_b.rstrip("/"):
            return "/page/", int(pa.group(1))
        if pb and base_a.rstrip("/") == base_b.rstrip("/"):
            return "/page/", 1  # a link from /page/N/ back to the first page
        return None
    qa, qb = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    diff = [k for k in set(qa) | set(qb) if qa.get(k) != qb.get(k)]
    if len(diff) != 1:
        return None
    key = diff[0]
    value = qa.get(key)
    if value is None:
        return key, 0  # the parameter dropped: back to the first page
    return (key, int(value)) if value.isdigit() else None


def _current_number(current: str, key: str) -> int | None:
    if key == "/page/":
        match = PAGE_PATH_RE.search(urlsplit(current).path)
        return int(match.group(1)) if match else 1
    value = dict(parse_qsl(urlsplit(current).query)).get(key)
    return int(value) if value and value.isdigit() else None


def _goes_forward(candidate: str, current: str) -> bool:
    """False for a link to this page or, by its page number, an earlier one."""
    if candidate == current or not same_site(candidate, current):
        return False
    number = _page_number(candidate, current)
    if number is None:
        return True
    key, value = number
    now = _current_number(current, key)
    return now is None or value > now


def _link_label(anchor: LexborNode) -> str:
    attrs = anchor.attributes
    return clean_text(node_text(anchor) or attrs.get("aria-label") or attrs.get("title") or "")


def find_next_page_in_tree(tree: LexborHTMLParser, url: str) -> str | None:
    """``find_next_page`` on a parsed page (``discover_listing`` parses once)."""
    current = normalize_url(url, url) or url
    base = base_url(tree, url)

    def resolve(node: LexborNode) -> str | None:
        target = normalize_url(node.attributes.get("href") or "", base)
        return target if target and _goes_forward(target, current) else None

    for node in tree.css("link[rel][href], a[rel][href]"):
        if "next" in (node.attributes.get("rel") or "").lower().split():
            target = resolve(node)
            if target:
                return target

    anchors = [a for a in tree.css("a[href]") if a.attributes.get("href", "").strip("# ")]
    symbols: list[str] = []
    numbered: dict[int, str] = {}
    current_number: int | None = None
    for anchor in anchors:
        label = _link_label(anchor)
        aria = clean_text(
            anchor.attributes.get("aria-label") or anchor.attributes.get("title") or ""
        )
        words = re.sub(r"^[\s«‹<←]+|[\s»›>→]+$", "", label)
        for text in (words, aria):
            if text and _NEXT_WORDS_RE.match(text) and not _PREVIOUS_RE.search(text):
                target = resolve(anchor)
                if target and (_STRONG_NEXT_RE.match(text) or _same_listing(target, current)):
                    return target
        number = _PAGE_LABEL_RE.match(label) or _PAGE_LABEL_RE.match(aria)
        if number:
            value = int(number.group(1))
            target = normalize_url(anchor.attributes.get("href") or "", base)
            if target == current or _is_current(anchor):
                current_number = value
            elif target and _same_listing(target, current):
                numbered.setdefault(value, target)
        elif label in _NEXT_SYMBOLS and not _PREVIOUS_RE.search(aria):
            target = resolve(anchor)
            if target and _same_listing(target, current):
                symbols.append(target)
    if current_number is None:
        current_number = _marked_page_number(tree)
    if current_number is None and numbered:
        current_number = 1 if 2 in numbered or 1 not in numbered else None
    if current_number is not None:
        target = numbered.get(current_number + 1)
        if target and _goes_forward(target, current):
            return target
    if symbols:
        return symbols[0]
    return _incremented_link(anchors, base, current)


def _same_listing(target: str, current: str) -> bool:
    """True when ``target`` looks like another page of the listing at ``current``."""
    if not same_site(target, current):
        return False
    t, c = urlsplit(target), urlsplit(current)
    own, base = listing_base_path(t.path), listing_base_path(c.path)
    if own == base or own.startswith(base + "/"):
        return True
    keys = {k.lower() for k, _ in parse_qsl(t.query)}
    return bool(keys & PAGE_KEYS) or bool(PAGE_PATH_RE.search(t.path))


def _is_current(anchor: LexborNode) -> bool:
    attrs = anchor.attributes
    return attrs.get("aria-current") is not None or bool(
        class_words(anchor) & {"current", "active", "selected", "aktiv", "vald"}
    )


def _marked_page_number(tree: LexborHTMLParser) -> int | None:
    """The current page number as a pager shows it (aria-current or a "current" class)."""
    for node in tree.css("[aria-current], .current, .active, .is-active, .selected"):
        if node.tag == "a" and node.attributes.get("aria-current") is None:
            continue
        match = _PAGE_LABEL_RE.match(node_text(node))
        if match:
            return int(match.group(1))
    return None


def _incremented_link(anchors: list[LexborNode], base: str, current: str) -> str | None:
    """A link to this URL with one page number one step further."""
    best: tuple[int, str] | None = None
    for anchor in anchors:
        target = normalize_url(anchor.attributes.get("href") or "", base)
        if not target or not _goes_forward(target, current):
            continue
        number = _page_number(target, current)
        if number is None:
            continue
        key, value = number
        now = _current_number(current, key)
        # No such parameter on this page: it is the first page, numbered 0 or 1.
        first = {"page", "sida", "p", "pg", "paged"}
        if now is None and (value < 1 or (value == 1 and key in first)):
            continue
        if best is None or value < best[0]:
            best = (value, target)
    return best[1] if best else None
