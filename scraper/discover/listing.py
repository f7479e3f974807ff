"""A fetched listing page, feed or sitemap -> the releases it points to (pure).

``discover_listing`` detects the format (content type *and* content) and
returns a :class:`~scraper.records.Listing`. For HTML listings no per-site
selector is involved: release links are told apart from site furniture by
evidence (see ``find_release_links``), pagination by rel="next", link texts,
numbered page links and incrementing query parameters (``find_next_page``).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from scraper.records import Listing

from .feeds import find_feeds, find_feeds_in_tree, parse_feed, parse_sitemap
from .links import find_release_links, find_release_links_in_tree
from .pagination import find_next_page, find_next_page_in_tree
from .urls import normalize_url

__all__ = [
    "detect_format",
    "discover_listing",
    "find_feeds",
    "find_next_page",
    "find_release_links",
    "normalize_url",
]

_ROOT_RE = re.compile(r"<\s*([a-zA-Z][\w:.-]*)")


def detect_format(text: str, *, content_type: str = "") -> str:
    """Return "rss", "atom", "sitemap", "sitemap-index" or "html" for a fetched body.

    The content decides when it is clear (a feed served as text/html is a feed);
    the content type breaks ties.
    """
    head = (text or "").lstrip("\ufeff \t\r\n")[:4000]
    # Skip the XML declaration, processing instructions, comments and doctypes.
    head = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.DOTALL)
    match = _ROOT_RE.search(head)
    root = match.group(1).lower().rsplit(":", 1)[-1] if match else ""
    if root in {"rss", "rdf"}:
        return "rss"
    if root == "feed":
        return "atom"
    if root == "urlset":
        return "sitemap"
    if root == "sitemapindex":
        return "sitemap-index"
    if root in {"html", "head", "body"}:
        return "html"
    ctype = content_type.split(";", 1)[0].strip().lower()
    if "atom" in ctype:
        return "atom"
    if "rss" in ctype or "rdf" in ctype:
        return "rss"
    return "html"


def discover_listing(text: str, url: str, *, content_type: str = "") -> Listing:
    """Return what one fetched listing page, RSS/Atom feed or XML sitemap points to.

    :param text: the decoded body.
    :param url: the URL it was fetched from (after redirects); links resolve against it.
    :param content_type: the response's media type, a hint next to the content.

    Broken or empty input gives a Listing without entries: an empty listing is
    an answer, and the caller decides whether it is a failure.
    """
    kind = detect_format(text, content_type=content_type)
    if kind in {"rss", "atom"}:
        return parse_feed(text, url, kind=kind)
    if kind in {"sitemap", "sitemap-index"}:
        return parse_sitemap(text, url, kind=kind)
    tree = LexborHTMLParser(text or "")
    return Listing(
        url=url,
        format="html",
        entries=find_release_links_in_tree(tree, url),
        next_url=find_next_page_in_tree(tree, url),
        feed_urls=find_feeds_in_tree(tree, url),
    )
