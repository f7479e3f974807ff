"""Feeds and sitemaps: RSS/Atom/XML sitemap -> Listing, and the feeds a page announces (pure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
from selectolax.lexbor import LexborHTMLParser

from scraper.dates import normalize_datetime
from scraper.records import Listing, ListingEntry

from .text import clean_text, kind_from_label, kind_from_title
from .urls import base_url, normalize_url

__all__ = [
    "FEED_TYPES",
    "find_feeds",
    "find_feeds_in_tree",
    "is_content_sitemap",
    "parse_feed",
    "parse_sitemap",
]

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def parse_feed(text: str, url: str, *, kind: str) -> Listing:
    """An RSS or Atom feed (``kind`` "rss" or "atom") -> its entries and rel="next" page."""
    parsed = feedparser.parse(
        (text or "").encode("utf-8"),
        # Bytes, never a str (feedparser would fetch a str that looks like a URL);
        # the text is already decoded, so tell feedparser it is UTF-8 whatever the
        # XML declaration says.
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = normalize_url(item.get("link") or item.get("id") or "", url)
        if link is None or link in seen:
            continue
        seen.add(link)
        # dict.get: feedparser's own get() answers a missing <updated> with the
        # publication date (and a DeprecationWarning); we want what the feed says.
        updated = normalize_datetime(dict.get(item, "updated") or "")
        # An Atom entry may carry only <updated>: the best publication date there is.
        published = normalize_datetime(item.get("published") or "") or (
            updated if kind == "atom" else None
        )
        kind_label = None
        for tag in item.get("tags") or ():
            kind_label = kind_from_label(tag.get("term") or tag.get("label") or "")
            if kind_label:
                break
        title = clean_text(item.get("title") or "") or None
        entries.append(
            ListingEntry(
                url=link,
                title=title,
                published=published,
                kind=kind_label or kind_from_title(title or ""),
                updated=updated if updated != published else None,
            )
        )
    next_url = None
    for link in parsed.feed.get("links") or ():
        if link.get("rel") == "next" and link.get("href"):
            next_url = normalize_url(link["href"], url)
    return Listing(url=url, format=kind, entries=tuple(entries), next_url=next_url)


#: Child sitemaps of an index that list no articles: WordPress core
#: (wp-sitemap-posts-page-1.xml, wp-sitemap-taxonomies-*, wp-sitemap-users-*),
#: Yoast (page-sitemap.xml, category-sitemap.xml, author-sitemap.xml) and the like.
_NON_CONTENT_SITEMAP = re.compile(
    r"taxonom|categor|(^|[/_-])tags?[-_.]|author|users?[-_.]|posts-page|(^|[/_-])pages?[-_]sitemap",
    re.IGNORECASE,
)


def is_content_sitemap(url: str) -> bool:
    """False for a child sitemap that by its name lists pages, categories, tags or people."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return not _NON_CONTENT_SITEMAP.search(name)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def parse_sitemap(text: str, url: str, *, kind: str) -> Listing:
    """An XML sitemap or sitemap index (``kind`` "sitemap"/"sitemap-index") -> its <loc>s.

    A sitemap index lists sitemaps, not releases: the caller follows them.
    """
    item_tag = "sitemap" if kind == "sitemap-index" else "url"
    rows: list[dict[str, str]] = []
    try:
        root = ET.fromstring((text or "").lstrip("\ufeff \t\r\n"))
        for element in root.iter():
            if _local(element.tag) != item_tag:
                continue
            row: dict[str, str] = {}
            for child in element.iter():
                name = _local(child.tag)
                if name not in row and child.text and child.text.strip():
                    row[name] = child.text.strip()
            rows.append(row)
    except ET.ParseError:
        # A truncated or sloppy sitemap: take the <loc>s that are there.
        for block in re.findall(rf"<{item_tag}\b.*?(?:</{item_tag}>|$)", text, re.DOTALL | re.I):
            row = {}
            for name in ("loc", "lastmod", "publication_date", "title"):
                found = re.search(rf"<(?:\w+:)?{name}>\s*(.*?)\s*<", block, re.DOTALL)
                if found:
                    row[name] = found.group(1)
            rows.append(row)
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for row in rows:
        loc = normalize_url(_unescape_xml(row.get("loc", "")), url)
        if loc is None or loc in seen:
            continue
        seen.add(loc)
        entries.append(
            ListingEntry(
                url=loc,
                # Google News sitemaps carry the title and publication date.
                title=clean_text(row.get("title", "")) or None,
                published=normalize_datetime(row.get("publication_date", "")),
                updated=normalize_datetime(row.get("lastmod", "")),
            )
        )
    return Listing(url=url, format=kind, entries=tuple(entries))


def _unescape_xml(value: str) -> str:
    return (
        value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def find_feeds(html: str, url: str) -> tuple[str, ...]:
    """Return the RSS/Atom feeds an HTML page announces with <link rel="alternate">."""
    return find_feeds_in_tree(LexborHTMLParser(html or ""), url)


def find_feeds_in_tree(tree: LexborHTMLParser, url: str) -> tuple[str, ...]:
    """``find_feeds`` on a parsed page (``discover_listing`` parses once)."""
    base = base_url(tree, url)
    found: list[str] = []
    for link in tree.css("link[href]"):
        rel = (link.attributes.get("rel") or "").lower().split()
        kind = (link.attributes.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        feed = normalize_url(link.attributes.get("href") or "", base)
        # Comment feeds (WordPress) list comments, not posts.
        if feed and feed not in found and "/comments/" not in feed:
            found.append(feed)
    return tuple(found)
