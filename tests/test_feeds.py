"""Feeds and sitemaps: RSS/Atom/sitemap documents -> listings."""

from __future__ import annotations

import pytest
from feed_samples import ATOM, RSS, SITEMAP, SITEMAP_INDEX

from scraper.discover.listing import discover_listing


def test_rss_feed() -> None:
    listing = discover_listing(
        RSS, "https://www.sjovik.se/rss.xml", content_type="application/rss+xml"
    )
    assert listing.format == "rss"
    assert [(e.url, e.title, e.published, e.kind) for e in listing.entries] == [
        (
            "https://www.sjovik.se/nyheter/nytt-aldreboende.html",
            "Pressmeddelande: Nytt äldreboende på Åsen",
            "2020-02-28T09:15:00+01:00",
            "Pressmeddelande",
        ),
        (
            "https://www.sjovik.se/nyheter/vattenlacka.html",
            "Vattenläcka",
            "2020-02-27T16:00:00+00:00",
            "Nyhet",
        ),
    ]


def test_atom_feed_with_next_page() -> None:
    listing = discover_listing(ATOM, "https://www.ekeby.se/feed/atom/", content_type="text/xml")
    assert listing.format == "atom"
    first, second = listing.entries
    assert (first.published, first.updated) == (
        "2021-03-04T08:30:00+01:00",
        "2021-03-05T10:00:00+01:00",
    )
    # an Atom entry with only <updated>: that is the best publication date there is
    assert (second.published, second.updated) == ("2021-02-15T10:00:00+00:00", None)
    assert listing.next_url == "https://www.ekeby.se/feed/atom/?paged=2"


def test_sitemap() -> None:
    listing = discover_listing(
        SITEMAP, "https://www.norrby.se/sitemap.xml", content_type="application/xml"
    )
    assert listing.format == "sitemap"
    assert [(e.url, e.updated) for e in listing.entries] == [
        ("https://www.norrby.se/nyheter/2022-04-01-ny-skola.html", "2022-04-02T10:00:00+02:00"),
        ("https://www.norrby.se/nyheter/bredband.html?id=4&lang=sv", "2022-03-01"),
        ("https://www.norrby.se/nyheter/budget.html", None),
    ]
    assert listing.entries[2].title == "Budget 2023"
    assert listing.entries[2].published == "2022-02-01T08:00:00+01:00"


def test_sitemap_index() -> None:
    listing = discover_listing(SITEMAP_INDEX, "https://www.ekeby.se/sitemap_index.xml")
    assert listing.format == "sitemap-index"
    assert [(e.url, e.updated) for e in listing.entries] == [
        ("https://www.ekeby.se/post-sitemap.xml", "2021-03-05T10:00:00+00:00"),
        ("https://www.ekeby.se/page-sitemap.xml", None),
    ]


def test_truncated_sitemap_keeps_what_is_there() -> None:
    broken = (
        SITEMAP[: SITEMAP.index("<url><loc>https://www.norrby.se/nyheter/budget")]
        + "<url><loc>https://www.norrby.se/x"
    )
    listing = discover_listing(broken, "https://www.norrby.se/sitemap.xml")
    assert [e.url for e in listing.entries][:2] == [
        "https://www.norrby.se/nyheter/2022-04-01-ny-skola.html",
        "https://www.norrby.se/nyheter/bredband.html?id=4&lang=sv",
    ]


@pytest.mark.parametrize("text", ["", "<rss><channel><item><title>x", "<urlset>", "<feed></feed>"])
def test_broken_feeds_give_empty_listings(text: str) -> None:
    assert discover_listing(text, "https://x.se/feed").entries == ()


def test_feed_text_that_looks_like_a_url_is_not_fetched() -> None:
    # feedparser fetches a str that looks like a URL; we must hand it bytes
    listing = discover_listing(
        "https://127.0.0.1:1/feed", "https://x.se/", content_type="application/rss+xml"
    )
    assert listing.entries == ()


def test_child_sitemaps_of_pages_tags_and_people_are_not_content() -> None:
    from scraper.discover.feeds import is_content_sitemap

    for url in [
        "https://x.se/wp-sitemap-posts-post-1.xml",
        "https://x.se/post-sitemap.xml",
        "https://x.se/sitemap-news.xml",
        "https://x.se/sitemap.xml",
    ]:
        assert is_content_sitemap(url), url
    for url in [
        "https://x.se/wp-sitemap-posts-page-1.xml",
        "https://x.se/wp-sitemap-taxonomies-category-1.xml",
        "https://x.se/wp-sitemap-users-1.xml",
        "https://x.se/page-sitemap.xml",
        "https://x.se/category-sitemap.xml",
        "https://x.se/post_tag-sitemap.xml",
        "https://x.se/author-sitemap.xml",
    ]:
        assert not is_content_sitemap(url), url
