# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Newsroom platforms: recognised by URL and by markup, with their listings and feeds."""

from __future__ import annotations

import pytest

from scraper.discover.newsrooms import newsroom_names_organisation, recognise_newsroom
from scraper.discover.platforms import newsroom_parts, platform_of_host

MYNEWSDESK_HOME = """<!DOCTYPE html><html lang="sv"><head>
<title>Björkby kommun - Pressrum</title>
<meta property="og:site_name" content="Mynewsdesk">
<link rel="alternate" type="application/rss+xml" title="Björkby kommun - Pressmeddelanden" href="https://www.mynewsdesk.com/se/rss/source/123456?media_type=pressrelease">
<link rel="stylesheet" href="https://mnd-assets.mynewsdesk.com/assets/newsroom-2f3a.css">
</head><body>
<a class="skip-link" href="#main">Gå direkt till innehåll</a>
<header class="newsroom-header"><a href="/se/bjorkby_kommun"><img alt="Björkby kommun" src="https://mnd-assets.mynewsdesk.com/image/upload/logo.png"></a>
<nav><a href="/se/bjorkby_kommun/pressreleases">Pressmeddelanden</a><a href="/se/bjorkby_kommun/news">Nyheter</a><a href="/se/bjorkby_kommun/images">Bilder</a></nav></header>
<main id="main"><h1>Björkby kommun</h1>
<ul><li><a href="/se/bjorkby_kommun/pressreleases/nytt-aeldreboende-invigs-i-norrby-3312345">Nytt äldreboende invigs i Norrby</a> <span>Pressmeddelande · 2 nov 2026</span></li></ul>
<section class="boilerplate"><h2>Om Björkby kommun</h2><p>Björkby kommun är en kommun med 14 000 invånare.</p></section></main>
<footer><p>Powered by Mynewsdesk</p></footer></body></html>"""

MYNEWSDESK_PARTY = """<html><head><title>Socialdemokraterna i Björkby - Pressrum</title>
<meta property="og:site_name" content="Socialdemokraterna i Björkby"></head>
<body><h1>Socialdemokraterna i Björkby</h1>
<ul><li><a href="/se/s-bjorkby/pressreleases/vi-vill-bygga-nya-skolor-i-bjorkby-kommun-3300001">Vi vill bygga nya skolor i Björkby kommun</a></li></ul>
<section><h2>Om Socialdemokraterna i Björkby</h2></section></body></html>"""

VIATT_RELEASE = """<html><head><title>Spadtag för nya simhallen | Björkby kommun</title></head>
<body><header><a href="/">Via TT</a></header>
<main><h1>Spadtag för nya simhallen</h1><p>Pressmeddelande · 3 november 2026 09:00</p>
<p>Nu startar bygget.</p>
<aside><a href="https://via.tt.se/pressrum/3236269/bjorkby-kommun">Björkby kommun</a></aside></main></body></html>"""

NOTIFIED_HOME = """<html><head><title>Björkby kommun</title>
<script>window.__NEWSROOM__ = {"newsroomId": "48213", "locale": "sv"};</script></head>
<body><h1>Björkby kommun</h1>
<ul><li><a href="/bjorkby-kommun/posts/pressreleases/nu-oppnar-biblioteket-igen">Nu öppnar biblioteket igen</a><span>2026-11-02 10:00 Pressmeddelande</span></li></ul>
<section><h3>Om Björkby kommun</h3><p>...</p></section></body></html>"""

CUSTOM_DOMAIN_MYNEWSDESK = """<html><head><title>Pressrum | Björkby kommun</title>
<link rel="stylesheet" href="https://mnd-assets.mynewsdesk.com/assets/newsroom.css">
<script src="https://mnd-assets.mynewsdesk.com/assets/newsroom.js"></script></head>
<body><h1>Pressrum</h1><ul><li><a href="/pressreleases/ny-skola-3300100">Ny skola</a></li></ul>
<footer class="site-footer">Powered by Mynewsdesk</footer></body></html>"""

MUNICIPAL_PAGE_WITH_WIDGET = """<html><head><title>Pressmeddelanden - Björkby kommun</title>
<link rel="alternate" type="application/rss+xml" href="https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases.rss"></head>
<body><main><h1>Pressmeddelanden</h1>
<p>Våra pressmeddelanden publiceras via Mynewsdesk.</p>
<div id="mnd-widget"></div><script src="https://www.mynewsdesk.com/javascripts/widget.js"></script>
<a href="https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases/ny-skola-3300100">Ny skola</a></main>
<footer>Björkby kommun, 123 45 Björkby</footer></body></html>"""


@pytest.mark.parametrize(
    ("url", "platform", "home", "listing", "page"),
    [
        (
            "https://www.mynewsdesk.com/se/bjorkby_kommun",
            "mynewsdesk",
            "https://www.mynewsdesk.com/se/bjorkby_kommun",
            "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases",
            "home",
        ),
        (
            "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases",
            "mynewsdesk",
            "https://www.mynewsdesk.com/se/bjorkby_kommun",
            "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases",
            "listing",
        ),
        (
            "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases/nytt-aeldreboende-3312345",
            "mynewsdesk",
            "https://www.mynewsdesk.com/se/bjorkby_kommun",
            "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases",
            "release",
        ),
        (
            "https://bjorkby.mynewsdesk.com/pressreleases",
            "mynewsdesk",
            "https://bjorkby.mynewsdesk.com/",
            "https://bjorkby.mynewsdesk.com/pressreleases",
            "listing",
        ),
        (
            "https://via.tt.se/pressrum/3236269/bjorkby-kommun",
            "viatt",
            "https://via.tt.se/pressrum/3236269/bjorkby-kommun",
            "https://via.tt.se/pressrum/3236269/bjorkby-kommun",
            "home",
        ),
        (
            "https://via.tt.se/pressmeddelande/3401234/spadtag?publisherId=3236269",
            "viatt",
            "https://via.tt.se/pressrum/3236269",
            "https://via.tt.se/pressrum/3236269",
            "release",
        ),
        (
            "https://news.cision.com/se/bjorkby-kommun",
            "cision",
            "https://news.cision.com/se/bjorkby-kommun",
            "https://news.cision.com/se/bjorkby-kommun",
            "home",
        ),
        (
            "https://news.cision.com/se/bjorkby-kommun/r/ny-skola,c3912345",
            "cision",
            "https://news.cision.com/se/bjorkby-kommun",
            "https://news.cision.com/se/bjorkby-kommun",
            "release",
        ),
        (
            "https://newsroom.notified.com/bjorkby-kommun",
            "notified",
            "https://newsroom.notified.com/bjorkby-kommun",
            "https://newsroom.notified.com/bjorkby-kommun/posts/pressreleases",
            "home",
        ),
        (
            "https://newsroom.notified.com/bjorkby-kommun/posts/pressreleases/nu-oppnar-biblioteket",
            "notified",
            "https://newsroom.notified.com/bjorkby-kommun",
            "https://newsroom.notified.com/bjorkby-kommun/posts/pressreleases",
            "release",
        ),
        (
            "https://bjorkby.notified.com/",
            "notified",
            "https://bjorkby.notified.com",
            "https://bjorkby.notified.com/posts/pressreleases",
            "home",
        ),
        (
            "https://www.pressmachine.se/pressroom/view/bjorkby-kommun",
            "newsmachine",
            "https://www.pressmachine.se/pressroom/view/bjorkby-kommun",
            "https://www.pressmachine.se/pressroom/view/bjorkby-kommun",
            "home",
        ),
        (
            "https://press.newsmachine.com/pressroom/archive/bjorkby-kommun",
            "newsmachine",
            "https://press.newsmachine.com/pressroom/view/bjorkby-kommun",
            "https://press.newsmachine.com/pressroom/view/bjorkby-kommun",
            "listing",
        ),
    ],
)
def test_platform_urls_give_home_listing_and_page_kind(
    url: str, platform: str, home: str, listing: str, page: str
) -> None:
    newsroom = recognise_newsroom(url)
    assert newsroom is not None
    assert (newsroom.platform, newsroom.home, newsroom.press_listing, newsroom.page) == (
        platform,
        home,
        listing,
        page,
    )
    assert newsroom.evidence


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        (
            "https://www.mynewsdesk.com/se/bjorkby_kommun",
            "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases.rss",
        ),
        (
            "https://via.tt.se/pressrum/3236269/bjorkby-kommun",
            "https://via.tt.se/rss/releases/latest?publisherId=3236269",
        ),
        (
            "https://news.cision.com/se/bjorkby-kommun",
            "https://news.cision.com/se/bjorkby-kommun/ListItems?format=rss",
        ),
        (
            "https://api.client.notified.com/api/rss/publish/view/48213?type=press",
            "https://api.client.notified.com/api/rss/publish/view/48213?type=press",
        ),
    ],
)
def test_conventional_feeds(url: str, feed: str) -> None:
    newsroom = recognise_newsroom(url)
    assert newsroom is not None and feed in newsroom.feed_urls
    assert any("convention (unverified)" in line for line in newsroom.evidence)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.mynewsdesk.com/se/tag/politik",
        "https://www.mynewsdesk.com/se/search?q=bjorkby",
        "https://mnd-assets.mynewsdesk.com/assets/newsroom.css",
        "https://via.tt.se/",
        "https://www.bjorkby.se/press/",
        "https://www.cision.com/se/",
        "https://www.facebook.com/bjorkbykommun",
    ],
)
def test_platform_site_pages_and_other_sites_are_no_newsroom(url: str) -> None:
    assert recognise_newsroom(url) is None


def test_a_local_copy_keeps_its_scheme_and_host() -> None:
    newsroom = recognise_newsroom("http://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases")
    assert newsroom is not None
    assert newsroom.home == "http://www.mynewsdesk.com/se/bjorkby_kommun"
    assert newsroom.feed_urls == ("http://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases.rss",)


def test_mynewsdesk_page_adds_announced_feeds_first_and_the_organisation() -> None:
    newsroom = recognise_newsroom("https://www.mynewsdesk.com/se/bjorkby_kommun", MYNEWSDESK_HOME)
    assert newsroom is not None
    assert newsroom.feed_urls == (
        "https://www.mynewsdesk.com/se/rss/source/123456?media_type=pressrelease",
        "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases.rss",
    )
    assert newsroom.organisation_name == "Björkby kommun"
    assert any("organisation 'Björkby kommun'" in line for line in newsroom.evidence)


def test_via_tt_release_without_publisher_finds_its_newsroom_in_the_page() -> None:
    newsroom = recognise_newsroom(
        "https://via.tt.se/pressmeddelande/3401234/spadtag", VIATT_RELEASE
    )
    assert newsroom is not None
    assert newsroom.home == "https://via.tt.se/pressrum/3236269/bjorkby-kommun"
    assert newsroom.feed_urls == ("https://via.tt.se/rss/releases/latest?publisherId=3236269",)
    assert newsroom.page == "release"
    # A release page's h1 is the release's title, never the organisation.
    assert newsroom.organisation_name == "Björkby kommun"


def test_notified_feed_from_the_newsroom_id_in_the_page() -> None:
    newsroom = recognise_newsroom("https://newsroom.notified.com/bjorkby-kommun", NOTIFIED_HOME)
    assert newsroom is not None
    assert newsroom.feed_urls == (
        "https://api.client.notified.com/api/rss/publish/view/48213?type=press",
    )
    assert newsroom.account == "48213"


def test_custom_domain_newsroom_is_recognised_by_markup() -> None:
    newsroom = recognise_newsroom("https://press.bjorkby.se/", CUSTOM_DOMAIN_MYNEWSDESK)
    assert newsroom is not None and newsroom.platform == "mynewsdesk"
    assert newsroom.press_listing == "https://press.bjorkby.se/pressreleases"
    assert any("Powered by Mynewsdesk" in line for line in newsroom.evidence)


def test_a_municipal_page_with_a_newsroom_widget_is_not_a_newsroom() -> None:
    assert recognise_newsroom("https://www.bjorkby.se/press/", MUNICIPAL_PAGE_WITH_WIDGET) is None


def test_the_newsroom_names_the_municipality() -> None:
    match = newsroom_names_organisation(MYNEWSDESK_HOME, "Björkby kommun")
    assert match.same and match.name == "Björkby kommun"
    assert match.evidence


def test_a_party_newsroom_does_not_name_the_municipality() -> None:
    # Its releases mention "Björkby kommun"; its own names are the party's.
    match = newsroom_names_organisation(MYNEWSDESK_PARTY, "Björkby kommun")
    assert not match.same
    assert match.name == "Socialdemokraterna i Björkby"
    assert any("is not 'Björkby kommun'" in line for line in match.evidence)


@pytest.mark.parametrize("owner", ["Björkby Energi AB", "Björkbybostäder", "Region Björkby"])
def test_company_and_region_newsrooms_do_not_name_the_municipality(owner: str) -> None:
    html = f"<html><head><title>{owner} - Pressrum</title></head><body><h1>{owner}</h1><h2>Om {owner}</h2></body></html>"
    assert not newsroom_names_organisation(html, "Björkby kommun").same


def test_with_no_name_on_the_page_the_slug_decides() -> None:
    html = "<html><body><ul><li>...</li></ul></body></html>"
    url = "https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases"
    assert newsroom_names_organisation(html, "Björkby kommun", url=url).same
    match = newsroom_names_organisation(html, "Björkby kommun")
    assert not match.same and match.evidence == ("the page names no organisation",)


def test_via_tt_newsroom_named_by_its_slug_and_numbered_by_its_publisher() -> None:
    url = "https://via.tt.se/pressrum/bjorkby-kommun?publisherId=1213538"
    newsroom = recognise_newsroom(url)
    assert newsroom is not None
    assert (newsroom.home, newsroom.press_listing, newsroom.page) == (url, url, "home")
    assert newsroom.feed_urls == ("https://via.tt.se/rss/releases/latest?publisherId=1213538",)
    assert newsroom.account == "1213538"
    html = "<html><body><p>Inga namn här</p></body></html>"
    assert newsroom_names_organisation(html, "Björkby kommun", url=url).same


def test_platform_of_host() -> None:
    assert platform_of_host("bjorkby.mynewsdesk.com") == "mynewsdesk"
    assert platform_of_host("API.CLIENT.NOTIFIED.COM") == "notified"
    assert platform_of_host("notmynewsdesk.com") is None
    assert newsroom_parts("https://www.bjorkby.se/") is None
