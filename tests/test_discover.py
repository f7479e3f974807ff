# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Discovery entry points: real CMS listing pages, format detection, the fixture sites."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from feed_samples import ATOM, RSS, SITEMAP, SITEMAP_INDEX

import scraper.discover
from scraper.demo.sites import path_for_url
from scraper.discover import feeds, pagination
from scraper.discover import links as listing_links
from scraper.discover import urls as listing_urls
from scraper.discover.listing import (
    detect_format,
    discover_listing,
    find_feeds,
    find_next_page,
    find_release_links,
)

# --------------------------------------------------------------------------
# Realistic listing pages, one per CMS style

SITEVISION_URL = "https://www.sjovik.se/kommun-och-politik/nyheter.html"
SITEVISION = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Nyheter - Sjöviks kommun</title>
<meta name="generator" content="SiteVision">
<link rel="alternate" type="application/rss+xml" title="Nyheter" href="/4.1a2b3c/12.1a2b3c.portlet?state=rss&amp;sv.contenttype=text/xml;charset=UTF-8">
</head><body>
<div class="sv-layout"><a class="skip-link" href="#svid94_1">Gå direkt till innehåll</a></div>
<header class="sv-layout header"><a href="/"><img src="/logo.svg" alt="Sjöviks kommun"></a>
 <form action="/sok.html"><input name="query"></form>
 <nav class="sv-menu"><ul>
  <li><a href="/omsorg-och-stod.html">Omsorg och stöd</a></li>
  <li><a href="/kommun-och-politik.html">Kommun och politik</a></li>
  <li><a href="/kommun-och-politik/nyheter/nyheter/2023-05-12-ny-forskola-i-norrby.html">Ny förskola i Norrby öppnar</a></li>
 </ul></nav></header>
<div class="sv-layout" id="svid10_a1">
 <div class="sv-layout breadcrumbs"><ol>
  <li><a href="/">Startsida</a></li><li><a href="/kommun-och-politik.html">Kommun och politik</a></li>
  <li><a href="/kommun-och-politik/nyheter.html">Nyheter</a></li></ol></div>
 <div class="sv-layout pagecontent" id="svid94_1">
  <div class="sv-text-portlet sv-portlet" id="svid12_a1"><div class="sv-text-portlet-content">
   <h1 class="heading">Nyheter</h1>
   <p class="normal">Här hittar du nyheter från Sjöviks kommun. Läs också om
    <a href="/kommun-och-politik/press.html">press och media</a>.</p></div></div>
  <div class="sv-archive-portlet sv-portlet" id="svid12_a2"><ul>
   <li class="sv-channel-item"><a href="/kommun-och-politik/nyheter/nyheter/2023-05-12-ny-forskola-i-norrby.html">
     <h2 class="subheading">Ny förskola i Norrby öppnar i augusti</h2></a>
     <p class="normal"><span class="date">12 maj 2023</span></p>
     <p class="normal">Den nya förskolan tar emot 120 barn.</p></li>
   <li class="sv-channel-item"><a href="/kommun-och-politik/nyheter/nyheter/2023-04-02-vattenlacka-pa-storgatan.html">
     <h2 class="subheading">Vattenläcka på Storgatan</h2></a>
     <p class="normal"><span class="date">2 april 2023</span></p></li>
   <li class="sv-channel-item"><a href="/4.5f6e7d8c9b0a1.html">
     <h2 class="subheading">Pressinbjudan: Spadtag för nya simhallen</h2></a>
     <p class="normal"><span class="date">28 feb 2023</span></p></li>
  </ul></div>
  <div class="sv-text-portlet sv-portlet"><div class="sv-text-portlet-content">
   <p>Sida 1 av 3 <a href="/kommun-och-politik/nyheter.html?page=2">2</a>
   <a href="/kommun-och-politik/nyheter.html?page=3">3</a>
   <a href="/kommun-och-politik/nyheter.html?page=2">Nästa</a></p></div></div>
 </div>
 <div class="sv-layout" id="Hogerspalt">
  <div class="sv-archive-portlet sv-portlet"><h2>Senaste nyheterna</h2><ul>
   <li><a href="/kommun-och-politik/nyheter/nyheter/2023-05-12-ny-forskola-i-norrby.html">Ny förskola</a> 2023-05-12</li>
   <li><a href="/kommun-och-politik/nyheter/nyheter/2022-12-01-julmarknad.html">Julmarknad på torget</a> 2022-12-01</li>
  </ul></div>
  <div class="sv-contact2-portlet"><h3>Kommunikationsenheten</h3><a href="tel:0123456">0123-456</a></div>
 </div>
</div>
<footer class="sv-layout"><a href="/om-webbplatsen.html">Om webbplatsen</a>
 <a href="/tillganglighetsredogorelse.html">Tillgänglighetsredogörelse</a>
 <a href="https://www.facebook.com/sjovik">Facebook</a></footer>
</body></html>"""

EPISERVER_URL = (
    "https://www.vastervik.se/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/"
    "Pressmeddelanden/"
)
EPISERVER = """<!DOCTYPE html><html lang="sv"><head><title>Pressmeddelanden - Västerviks kommun</title>
<link rel="canonical" href="/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/Pressmeddelanden/">
</head><body><form method="post" action="./" id="aspnetForm">
<div id="skiplinks"><a href="#content" accesskey="s">Gå direkt till innehåll</a></div>
<div class="cookie-bar">Vi använder kakor. <a href="/Om-webbplatsen/Kakor/">Läs mer om våra webbkakor</a></div>
<div id="header"><a href="/"><img alt="Västerviks kommun" src="/logo.png"></a>
 <ul id="mainmenu"><li><a href="/Uppleva-och-gora/">Uppleva och göra</a></li>
 <li class="selected"><a href="/Kommun-och-politik/">Kommun och politik</a></li></ul></div>
<div id="content" class="content-area">
 <h1>Pressmeddelanden</h1>
 <div class="news-list">
  <div class="news-list-item">
   <span class="news-date">2020-03-02</span>
   <h2><a href="/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/Pressmeddelanden/pressinbjudan-invigning-av-gamlebyviken/">Pressinbjudan: Invigning av Gamlebyviken</a></h2>
   <p>Välkommen till invigningen av den nya bryggan.</p>
  </div>
  <div class="news-list-item">
   <span class="news-date">2020-02-28</span>
   <h2><a href="/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/Pressmeddelanden/medborgarlofte/">Pressmeddelande: Västerviks kommun och Polisen i Västervik undertecknar Medborgarlöfte</a></h2>
   <p>Under fredagsmorgonen undertecknade kommunen och polisen ett medborgarlöfte.
   <a href="/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/Pressmeddelanden/medborgarlofte/">Läs mer</a></p>
  </div>
  <div class="news-list-item">
   <span class="news-date">2020-02-11</span>
   <h2><a href="/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/Pressmeddelanden/budget-2021/">Kommunstyrelsen föreslår budget för 2021</a></h2>
  </div>
 </div>
 <ul class="pagination">
  <li class="active"><span>1</span></li>
  <li><a href="?page=2">2</a></li><li><a href="?page=3">3</a></li>
  <li><a href="?page=2" aria-label="Nästa sida">›</a></li>
 </ul>
 <div class="sidebar-contact"><h2>Kontakt kring frågor om webb, press och extern kommunikation</h2>
  <a href="mailto:press@vastervik.se">press@vastervik.se</a></div>
</div>
<div id="footer"><a href="/Om-webbplatsen/">Om webbplatsen</a></div>
</form></body></html>"""

WORDPRESS_URL = "https://www.ekeby.se/nyheter/"
WORDPRESS = """<!DOCTYPE html><html lang="sv-SE"><head><title>Nyheter &#8211; Ekeby kommun</title>
<link rel="alternate" type="application/rss+xml" title="Ekeby kommun &raquo; Flöde" href="https://www.ekeby.se/feed/">
<link rel="alternate" type="application/rss+xml" title="Ekeby kommun &raquo; Kommentarsflöde" href="https://www.ekeby.se/comments/feed/">
<link rel="next" href="https://www.ekeby.se/nyheter/page/2/">
</head><body class="blog">
<a class="skip-link screen-reader-text" href="#primary">Hoppa till innehåll</a>
<header id="masthead" class="site-header"><div class="site-branding"><a href="https://www.ekeby.se/" rel="home">Ekeby kommun</a></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="https://www.ekeby.se/bo-och-bygga/">Bo och bygga</a></li></ul></nav></header>
<div id="primary" class="content-area"><main id="main" class="site-main">
<header class="page-header"><h1 class="page-title">Nyheter</h1></header>
<article id="post-412" class="post-412 post type-post status-publish category-pressmeddelanden">
 <header class="entry-header"><h2 class="entry-title"><a href="https://www.ekeby.se/2021/03/04/brandrisk-i-ekeby/" rel="bookmark">Stor brandrisk i Ekeby – eldningsförbud införs</a></h2>
 <div class="entry-meta"><span class="posted-on">Publicerad <a href="https://www.ekeby.se/2021/03/04/brandrisk-i-ekeby/" rel="bookmark"><time class="entry-date published" datetime="2021-03-04T08:30:00+01:00">4 mars 2021</time></a></span>
 <span class="byline">av <a class="url fn n" href="https://www.ekeby.se/author/redaktionen/">Redaktionen</a></span></div></header>
 <div class="entry-summary"><p>Från och med i dag råder eldningsförbud i hela kommunen.</p></div>
 <footer class="entry-footer"><span class="cat-links">Kategori: <a href="https://www.ekeby.se/category/pressmeddelanden/" rel="category tag">Pressmeddelanden</a></span></footer>
</article>
<article id="post-398" class="post-398 post type-post status-publish category-nyheter">
 <header class="entry-header"><h2 class="entry-title"><a href="https://www.ekeby.se/2021/02/15/sommarjobb-for-unga/" rel="bookmark">Sök sommarjobb hos kommunen</a></h2>
 <div class="entry-meta"><span class="posted-on">Publicerad <a href="https://www.ekeby.se/2021/02/15/sommarjobb-for-unga/" rel="bookmark"><time class="entry-date published" datetime="2021-02-15T10:00:00+01:00">15 februari 2021</time></a></span></div></header>
 <div class="entry-summary"><p>Nu kan du som är 16-19 år söka sommarjobb.</p></div>
 <footer class="entry-footer"><span class="cat-links">Kategori: <a href="https://www.ekeby.se/category/nyheter/" rel="category tag">Nyheter</a></span></footer>
</article>
<nav class="navigation posts-navigation" aria-label="Inlägg"><div class="nav-links">
 <div class="nav-previous"><a href="https://www.ekeby.se/nyheter/page/2/">Äldre inlägg</a></div></div></nav>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2>Senaste inläggen</h2><ul>
 <li><a href="https://www.ekeby.se/2021/03/04/brandrisk-i-ekeby/">Stor brandrisk i Ekeby</a></li>
 <li><a href="https://www.ekeby.se/2020/12/20/julhalsning/">Julhälsning från kommunstyrelsens ordförande</a></li></ul></section>
 <section class="widget widget_archive"><ul><li><a href="https://www.ekeby.se/2021/03/">mars 2021</a></li></ul></section></aside>
<footer id="colophon" class="site-footer"><a href="https://www.ekeby.se/tillganglighet/">Tillgänglighetsredogörelse</a></footer>
</body></html>"""

NEWSROOM_URL = "https://sjovikskommun.newsroom.example/pressreleases"
NEWSROOM = """<!DOCTYPE html><html lang="sv"><head><title>Pressmeddelanden från Sjöviks kommun</title></head>
<body><a href="#main" class="skip-to-content">Gå direkt till innehåll</a>
<div class="newsroom-header"><a href="/">Sjöviks kommun</a>
 <ul class="newsroom-tabs"><li><a href="/pressreleases">Pressmeddelanden</a></li><li><a href="/news">Nyheter</a></li>
 <li><a href="/contacts">Kontakter</a></li></ul></div>
<main id="main"><h1>Pressmeddelanden</h1>
<div class="grid">
 <article class="panel panel--featured"><a class="panel__link" href="/pressreleases/kommunen-bygger-ny-skola-i-sjovik-3256789">
  <img src="https://resources.newsroom.example/image/upload/c_fill/skola.jpg" alt="">
  <div class="panel__body"><span class="panel__type">Pressmeddelande</span>
  <time datetime="2024-01-15T09:00:00+01:00">15 januari 2024</time>
  <h3 class="panel__title">Kommunen bygger ny skola i Sjövik</h3></div></a></article>
 <article class="panel"><a class="panel__link" href="/pressreleases/inbjudan-till-pressträff-om-budget-3251234">
  <div class="panel__body"><span class="panel__type">Pressinbjudan</span>
  <time datetime="2023-11-02T14:30:00+01:00">2 november 2023</time>
  <h3 class="panel__title">Inbjudan till pressträff om budget 2024</h3></div></a></article>
 <article class="panel"><a class="panel__link" href="/pressreleases/bredband-till-hela-landsbygden-3249876">
  <div class="panel__body"><span class="panel__type">Pressmeddelande</span>
  <time datetime="2023-10-20T08:00:00+02:00">20 oktober 2023</time>
  <h3 class="panel__title">Bredband till hela landsbygden</h3></div></a></article>
</div>
<a class="button" href="/pressreleases?page=2">Visa fler</a>
</main>
<footer><div class="social"><a href="https://twitter.com/sjovik">Twitter</a></div><a href="/about">Om Sjöviks kommun</a></footer>
</body></html>"""


def _paths(entries: tuple) -> list[str]:
    return [
        urlsplit(e.url).path + (f"?{urlsplit(e.url).query}" if urlsplit(e.url).query else "")
        for e in entries
    ]


def test_sitevision_archive_portlet() -> None:
    entries = find_release_links(SITEVISION, SITEVISION_URL)
    assert _paths(entries) == [
        "/kommun-och-politik/nyheter/nyheter/2023-05-12-ny-forskola-i-norrby.html",
        "/kommun-och-politik/nyheter/nyheter/2023-04-02-vattenlacka-pa-storgatan.html",
        "/4.5f6e7d8c9b0a1.html",
    ]
    first, _, third = entries
    assert first.title == "Ny förskola i Norrby öppnar i augusti"
    assert first.published == "2023-05-12"
    assert third.published == "2023-02-28"
    assert third.kind == "Pressinbjudan"
    # the sidebar archive widget (Hogerspalt) and the menu are furniture
    assert not any("julmarknad" in e.url for e in entries)


def test_sitevision_pagination_and_feed() -> None:
    assert find_next_page(SITEVISION, SITEVISION_URL) == SITEVISION_URL + "?page=2"
    assert find_feeds(SITEVISION, SITEVISION_URL) == (
        "https://www.sjovik.se/4.1a2b3c/12.1a2b3c.portlet"
        "?state=rss&sv.contenttype=text/xml;charset=UTF-8",
    )


def test_episerver_listing_inside_aspnet_form() -> None:
    entries = find_release_links(EPISERVER, EPISERVER_URL)
    assert [e.url.rsplit("/", 2)[-2] for e in entries] == [
        "pressinbjudan-invigning-av-gamlebyviken",
        "medborgarlofte",
        "budget-2021",
    ]
    assert [e.published for e in entries] == ["2020-03-02", "2020-02-28", "2020-02-11"]
    assert [e.kind for e in entries] == ["Pressinbjudan", "Pressmeddelande", None]
    # "Läs mer" duplicates the title link and does not replace its title
    assert entries[1].title.startswith("Pressmeddelande: Västerviks kommun och Polisen")


def test_episerver_next_is_the_aria_labelled_arrow() -> None:
    assert find_next_page(EPISERVER, EPISERVER_URL) == EPISERVER_URL + "?page=2"
    page2 = EPISERVER.replace(
        '<li class="active"><span>1</span></li>\n  <li><a href="?page=2">2</a>',
        '<li><a href="?page=1">1</a></li>\n  <li class="active"><span>2</span>',
    ).replace('href="?page=2" aria-label', 'href="?page=3" aria-label')
    assert find_next_page(page2, EPISERVER_URL + "?page=2") == EPISERVER_URL + "?page=3"


def test_wordpress_blog_index() -> None:
    listing = discover_listing(WORDPRESS, WORDPRESS_URL, content_type="text/html")
    assert listing.format == "html"
    assert [e.url for e in listing.entries] == [
        "https://www.ekeby.se/2021/03/04/brandrisk-i-ekeby/",
        "https://www.ekeby.se/2021/02/15/sommarjobb-for-unga/",
    ]
    first = listing.entries[0]
    assert first.title == "Stor brandrisk i Ekeby – eldningsförbud införs"
    assert first.published == "2021-03-04T08:30:00+01:00"
    assert first.kind == "Pressmeddelande"  # the category label shown in the item
    assert listing.next_url == "https://www.ekeby.se/nyheter/page/2/"
    assert listing.feed_urls == ("https://www.ekeby.se/feed/",)


def test_newsroom_cards() -> None:
    listing = discover_listing(NEWSROOM, NEWSROOM_URL)
    assert [e.title for e in listing.entries] == [
        "Kommunen bygger ny skola i Sjövik",
        "Inbjudan till pressträff om budget 2024",
        "Bredband till hela landsbygden",
    ]
    assert [e.kind for e in listing.entries] == [
        "Pressmeddelande",
        "Pressinbjudan",
        "Pressmeddelande",
    ]
    assert listing.entries[0].published == "2024-01-15T09:00:00+01:00"
    assert listing.next_url == NEWSROOM_URL + "?page=2"


def test_municipio_cards_with_icon_only_next_link() -> None:
    cards = "".join(
        f"""<div class="o-grid-12@md o-grid-4@lg"><a href="https://kommun.se/nyheter/rubrik-{i}/" class="c-card c-card--action">
        <div class="c-card__image"></div><div class="c-card__body"><span class="c-card__meta"><time datetime="2023-01-0{i}">{i} januari 2023</time></span>
        <h2 class="c-card__heading">Rubrik nummer {i}</h2><p class="c-card__text">Teaser om något.</p></div></a></div>"""
        for i in range(1, 5)
    )
    html = f"""<html><body><header class="c-header"><a href="/bo-bygga/">Bo och bygga</a></header>
    <main id="main-content"><h1>Nyheter</h1><div class="o-grid">{cards}</div>
    <nav class="c-pagination"><ul><li><span class="is-current" aria-current="page">1</span></li>
    <li><a href="https://kommun.se/nyheter/?paged=2">2</a></li>
    <li><a href="https://kommun.se/nyheter/?paged=2" aria-label="Nästa sida"><i class="c-icon">chevron_right</i></a></li></ul></nav>
    </main><footer class="c-footer"><a href="/kontakt/">Kontakt</a></footer></body></html>"""
    listing = discover_listing(html, "https://kommun.se/nyheter/")
    assert [(e.title, e.published) for e in listing.entries] == [
        (f"Rubrik nummer {i}", f"2023-01-0{i}") for i in range(1, 5)
    ]
    assert listing.next_url == "https://kommun.se/nyheter/?paged=2"


def test_homegrown_table_listing() -> None:
    rows = "".join(
        f'<tr><td>2019-0{i}-01</td><td><a href="nyhet.asp?id={100 + i}">Nyhet om kommunen nummer {i}</a></td></tr>'
        for i in range(1, 6)
    )
    html = f"""<html><body><table width="100%"><tr><td class="vanster"><a href="index.asp">Start</a><br>
    <a href="nyheter.asp">Nyheter</a><br><a href="kontakt.asp">Kontakt</a></td><td>
    <h1>Nyheter</h1><table class="lista">{rows}</table>
    <p><a href="nyheter.asp?sida=2">Nästa 10 &raquo;</a></p></td></tr></table></body></html>"""
    listing = discover_listing(html, "http://www.gammal.se/nyheter.asp")
    assert [e.url for e in listing.entries] == [
        f"http://www.gammal.se/nyhet.asp?id={100 + i}" for i in range(1, 6)
    ]
    assert listing.entries[4].published == "2019-05-01"
    assert listing.next_url == "http://www.gammal.se/nyheter.asp?sida=2"


# --------------------------------------------------------------------------
# Format detection and broken input


@pytest.mark.parametrize(
    ("text", "content_type", "expected"),
    [
        (RSS, "text/html", "rss"),  # content wins over a wrong header
        (ATOM, "", "atom"),
        (SITEMAP, "text/xml", "sitemap"),
        (SITEMAP_INDEX, "application/xml", "sitemap-index"),
        (WORDPRESS, "application/xml", "html"),
        ("\ufeff<?xml version='1.0'?><!-- x --><rss></rss>", "", "rss"),
        ("", "application/atom+xml", "atom"),
        ("", "", "html"),
    ],
)
def test_detect_format(text: str, content_type: str, expected: str) -> None:
    assert detect_format(text, content_type=content_type) == expected


BASE = "https://x.se/nyheter/"


@pytest.mark.parametrize("html", ["", "<html></html>", "<<<>>>", "<p>Inga nyheter just nu.</p>"])
def test_broken_or_empty_html(html: str) -> None:
    listing = discover_listing(html, BASE)
    assert listing.format == "html"
    assert listing.entries == ()
    assert listing.next_url is None


def test_names_moved_out_are_still_importable_from_discover() -> None:
    # Other modules import these from scraper.discover; the split must not break them.
    assert scraper.discover.find_release_links is listing_links.find_release_links
    assert scraper.discover.find_next_page is pagination.find_next_page
    assert scraper.discover.find_feeds is feeds.find_feeds
    assert scraper.discover.normalize_url is listing_urls.normalize_url
    assert all(callable(getattr(scraper.discover, name)) for name in scraper.discover.__all__)


# --------------------------------------------------------------------------
# The fixture sites: walk every listing page from disk, as the crawler would

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
FIXTURE_HOST = "http://fixture.test"


def _site_dirs() -> list:
    params = []
    for site in sorted(SITES.glob("*/site.toml")):
        data = tomllib.loads(site.read_text(encoding="utf-8"))
        holdout = bool(data.get("holdout", False))
        params.append(
            pytest.param(site.parent, id=f"{site.parent.name}{'-holdout' if holdout else ''}")
        )
    return params


def _walk_listing(site_dir: Path) -> tuple[list[str], int]:
    """Follow find_next_page from the site's listing; return release paths and pages walked."""
    info = tomllib.loads((site_dir / "site.toml").read_text(encoding="utf-8"))
    url: str | None = FIXTURE_HOST + info["listing"]
    found: list[str] = []
    seen: set[str] = set()
    while url and url not in seen and len(seen) < 50:
        seen.add(url)
        parts = urlsplit(url)
        file = path_for_url(site_dir / "public", parts.path, parts.query)
        if file.is_dir():  # as scraper.demo.sites serves it
            file = file / "index.html"
        text = file.read_bytes().decode(info.get("charset", "utf-8"))
        listing = discover_listing(text, url, content_type="text/html")
        for entry in listing.entries:
            entry_parts = urlsplit(entry.url)
            found.append(entry_parts.path + (f"?{entry_parts.query}" if entry_parts.query else ""))
        url = listing.next_url
    return found, len(seen)


@pytest.mark.parametrize("site_dir", _site_dirs())
def test_fixture_site_listing_walk(site_dir: Path) -> None:
    expected_files = sorted((site_dir / "expected").glob("*.json"))
    if not expected_files or not (site_dir / "public").is_dir():
        pytest.skip(f"{site_dir.name}: fixture site not complete yet")
    expected = {json.loads(f.read_text(encoding="utf-8"))["path"] for f in expected_files}
    info = tomllib.loads((site_dir / "site.toml").read_text(encoding="utf-8"))
    found, pages = _walk_listing(site_dir)
    assert pages >= 2, "the listing has more than one page"
    assert set(found) == expected
    assert len(set(found)) == info["releases"]
