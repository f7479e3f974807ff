"""Discovery: what pages say about where a site's releases are (pure).

Takes the text of a fetched listing page, RSS/Atom feed or XML sitemap and
its URL; gives a ``records.Listing`` (release links with their dates, titles
and kinds, the next listing page, advertised feeds). ``listing`` is the entry
point, built on ``links`` (release links among the page's links),
``pagination`` (the next page), ``feeds`` (feeds and sitemaps), ``urls`` (URL
spelling and shape), ``text`` (link text and kind labels) and ``furniture``
(navigation and other site furniture).

Source discovery's judgements, which ``scraper.update.find`` calls on the pages
it fetches from a home page: ``cms`` (which CMS a page shows), ``press_links``
(every link scored as a way to the releases, with ``signs``: the label, path
and decoy words as data), ``newsrooms`` and ``platforms`` (Mynewsdesk, Via TT,
Cision, Notified, NewsMachine by URL and markup), ``names`` (is a newsroom the
same organisation's) and ``verify`` (does a page list releases, of which
kind; folders of dated pages in a sitemap) and ``ranking`` (which candidate wins).
Each answer carries its evidence.

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
