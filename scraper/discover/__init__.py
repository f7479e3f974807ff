"""Discovery: what a listing page, feed or sitemap says about a site's releases (pure).

Takes the text of a fetched listing page, RSS/Atom feed or XML sitemap and
its URL; gives a ``records.Listing`` (release links with their dates, titles
and kinds, the next listing page, advertised feeds). ``listing`` is the entry
point, built on ``links`` (release links among the page's links),
``pagination`` (the next page), ``feeds`` (feeds and sitemaps), ``urls`` (URL
spelling and shape), ``text`` (link text and kind labels) and ``furniture``
(navigation and other site furniture).

Pure: never imports fetching, extraction, storage, the update run or serving,
and never reads the clock or the network.
"""

from .listing import (
    detect_format,
    discover_listing,
    find_feeds,
    find_next_page,
    find_release_links,
    normalize_url,
)

__all__ = [
    "detect_format",
    "discover_listing",
    "find_feeds",
    "find_next_page",
    "find_release_links",
    "normalize_url",
]
