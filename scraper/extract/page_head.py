"""What the <head> (and the <html> element) of a page say: meta, <title>, JSON-LD (pure)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

__all__ = ["PageHead", "read_head"]


@dataclass
class PageHead:
    """What the <head> (and the <html> element) say about a page."""

    meta: dict[str, str] = field(default_factory=dict)
    title: str = ""
    canonical: str | None = None
    base: str | None = None
    lang: str | None = None
    json_ld: list[dict] = field(default_factory=list)


def read_head(tree: LexborHTMLParser) -> PageHead:
    """Read the head metadata of a parsed page."""
    head = PageHead()
    html = tree.css_first("html")
    if html is not None:
        head.lang = (html.attributes.get("lang") or html.attributes.get("xml:lang") or "") or None
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and key.lower() not in head.meta:
            head.meta[key.lower()] = content.strip()
    title = tree.css_first("title")
    if title is not None:
        head.title = " ".join(title.text().split())
    for node in tree.css("link[rel]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel and node.attributes.get("href"):
            head.canonical = (node.attributes.get("href") or "").strip()
            break
    base = tree.css_first("base[href]")
    if base is not None:
        head.base = (base.attributes.get("href") or "").strip() or None
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text())
        except (ValueError, RecursionError):  # broken, or nested past the decoder's limit
            continue
        head.json_ld.extend(_json_ld_objects(data))
    return head


def _json_ld_objects(data: object) -> list[dict]:
    """Flatten JSON-LD (lists, @graph) into its objects."""
    found: list[dict] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return found
