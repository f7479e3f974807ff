# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Discovery: listing pages, feeds and sitemaps -> release URLs, pagination, feeds."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.discover import (
    detect_format,
    discover_listing,
    find_feeds,
    find_next_page,
    find_release_links,
    normalize_url,
)
from scraper.localsites import path_for_url

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
# Pagination styles


def _pager(links: str, *, current: str = "") -> str:
    items = "".join(
        f'<li><article><h2><a href="/nyheter/nyhet-{i}/">Nyhet nummer {i} om skolan</a></h2>'
        f"<p>2021-01-0{i}</p></article></li>"
        for i in range(1, 4)
    )
    return f"<html><body><main><ul>{items}</ul><div class='pager'>{current}{links}</div></main></body></html>"


BASE = "https://x.se/nyheter/"


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        (_pager('<a href="?page=2">Nästa sida</a>'), BASE, BASE + "?page=2"),
        (
            _pager('<a href="?page=1">Föregående</a><a href="?page=3">Nästa</a>'),
            BASE + "?page=2",
            BASE + "?page=3",
        ),
        (_pager('<a href="/nyheter/?sida=2">Visa fler</a>'), BASE, BASE + "?sida=2"),
        (_pager('<a href="arkiv/?p=2">Fler nyheter</a>'), BASE, BASE + "arkiv/?p=2"),
        (_pager('<a href="/nyheter/page/3/">Äldre inlägg</a>'), BASE + "page/2/", BASE + "page/3/"),
        (_pager('<a href="?page=2">»</a>'), BASE, BASE + "?page=2"),
        (_pager('<a href="?page=2"><span>›</span></a>'), BASE, BASE + "?page=2"),
        (_pager('<a href="?page=2">Next</a>'), BASE, BASE + "?page=2"),
        (_pager('<a href="?page=2" aria-label="Nästa"><svg></svg></a>'), BASE, BASE + "?page=2"),
        (
            _pager('<a href="?page=2" title="Gå till nästa sida"><i class="icon"></i></a>'),
            BASE,
            BASE + "?page=2",
        ),
        # numbered links: current + 1
        (
            _pager(
                '<a href="?page=1">1</a><a href="?page=2">2</a><a href="?page=3">3</a>', current=""
            ),
            BASE + "?page=2",
            BASE + "?page=3",
        ),
        (
            _pager(
                '<a href="?page=2">2</a><a href="?page=3">3</a>',
                current='<span aria-current="page">1</span>',
            ),
            BASE,
            BASE + "?page=2",
        ),
        (
            _pager(
                '<a href="?p=1">1</a><span class="current">2</span><a href="?p=3">3</a><a href="?p=5">Sista »</a>'
            ),
            BASE + "?p=2",
            BASE + "?p=3",
        ),
        # any query parameter that increments, the others kept
        (
            _pager('<a href="?cat=4&amp;start=10">x</a><a href="?cat=4&amp;start=20">y</a>'),
            BASE + "?cat=4&start=10",
            BASE + "?cat=4&start=20",
        ),
        (
            _pager('<a href="?cat=4&amp;start=10">x</a><a href="?cat=4&amp;start=20">y</a>'),
            BASE + "?cat=4",
            BASE + "?cat=4&start=10",
        ),
        # /page/N+1/ without any text
        (
            _pager(
                '<a href="/nyheter/page/2/">x</a><a href="/nyheter/page/4/">y</a><a href="/nyheter/page/3/">z</a>'
            ),
            BASE + "page/2/",
            BASE + "page/3/",
        ),
    ],
)
def test_next_page(html: str, url: str, expected: str) -> None:
    assert find_next_page(html, url) == expected


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # last page: only links back
        (
            _pager(
                '<a href="?page=2">Föregående</a><a href="?page=1">1</a><a href="?page=2">2</a><span class="current">3</span>'
            ),
            BASE + "?page=3",
        ),
        (_pager('<a href="/nyheter/page/2/">Nyare inlägg</a>'), BASE + "page/3/"),
        (_pager('<a href="?page=1">« Första</a><a href="?page=2">‹</a>'), BASE + "?page=3"),
        # a "next" link to this very page or to an earlier one is refused
        (_pager('<a href="?page=3">Nästa</a>'), BASE + "?page=3"),
        (_pager('<a href="?page=2">Nästa</a>'), BASE + "?page=3"),
        (_pager('<link rel="next" href="/nyheter/">'), BASE),
        (_pager(""), BASE),
        ("", BASE),
    ],
)
def test_no_next_page(html: str, url: str) -> None:
    assert find_next_page(html, url) is None


def test_weak_next_words_must_stay_on_the_listing() -> None:
    html = _pager('<a href="/evenemang/">Fler evenemang</a><a href="/nyheter/?page=2">2</a>')
    assert find_next_page(html, BASE) == BASE + "?page=2"
    assert find_next_page(_pager('<a href="/evenemang/">Visa fler</a>'), BASE) is None


def test_release_titles_starting_with_next_words_are_not_next_links() -> None:
    items = (
        '<a href="/nyheter/aldreboendet-invigt/">Äldreboendet Solgläntan invigt</a>'
        '<a href="/nyheter/nastan-400-jobb/">Nästan 400 sommarjobb till unga</a>'
        '<a href="/nyheter/nextgen-skola/">Nextgen-skolan öppnar</a>'
        '<a href="/nyheter/flera-vagar/">Flera vägar stängs i helgen</a>'
    )
    assert find_next_page(_pager(items), BASE) is None
    assert find_next_page(_pager(items + '<a href="?sida=2">Nästa sida</a>'), BASE) == (
        BASE + "?sida=2"
    )


def test_numbered_links_outside_the_listing_are_not_pages() -> None:
    calendar = '<a href="/evenemang/?dag=2">2</a><a href="/evenemang/?dag=3">3</a>'
    assert find_next_page(_pager(calendar, current='<span class="current">1</span>'), BASE) is None


def test_rel_next_wins_over_text() -> None:
    html = _pager('<a href="?page=9">Nästa</a>').replace(
        "<html>", '<html><head><link rel="next" href="?page=2"></head>'
    )
    assert find_next_page(html, BASE) == BASE + "?page=2"


# --------------------------------------------------------------------------
# Release links: what is and is not a release


def test_furniture_and_non_release_links_are_ignored() -> None:
    html = """<html><body>
    <nav><a href="/nyheter/menylank-som-ser-ut-som-nyhet/">En lång menylänk med många ord</a></nav>
    <main><h1>Nyheter</h1>
     <ul>
      <li><a href="/nyheter/ny-skola/">Ny skola byggs i centrum</a> <span>2022-01-10</span></li>
      <li><a href="/nyheter/vattenlacka/#kommentarer">Vattenläcka i norra delen</a> <span>2022-01-05</span></li>
      <li><a href="/nyheter/ny-skola/">Ny skola byggs i centrum</a></li>
      <li><a href="/dokument/budget.pdf">Budget 2022 (pdf)</a> <span>2022-01-04</span></li>
      <li><a href="/nyheter/kategori/skola/">Fler om skola</a> <span>2022-01-03</span></li>
      <li><a href="/nyheter/?page=2">Sida två av nyheterna</a> <span>2022-01-02</span></li>
      <li><a href="https://annan.se/nyheter/extern/">Extern nyhet på annan sajt</a> <span>2022-01-01</span></li>
      <li><a href="mailto:info@x.se">Mejla oss om nyheterna</a> <span>2022-01-01</span></li>
      <li><a href="/">Tillbaka till startsidan</a> <span>2022-01-01</span></li>
     </ul>
    </main>
    <div class="breadcrumbs"><a href="/nyheter/gammal/">Gammal nyhet i brödsmulan</a></div>
    <footer><a href="/nyheter/sidfot-nyhet/">Nyhet länkad i sidfoten</a> 2022-01-01</footer>
    </body></html>"""
    entries = find_release_links(html, "https://x.se/nyheter/")
    assert [e.url for e in entries] == [
        "https://x.se/nyheter/ny-skola/",
        "https://x.se/nyheter/vattenlacka/",
    ]


def test_undated_list_under_the_listing_path() -> None:
    items = "".join(
        f'<div class="item"><h3><a href="/press/meddelande-{i}/">Meddelande nummer {i}</a></h3></div>'
        for i in range(4)
    )
    html = f'<html><body><div class="sidebar"><a href="/om/">Om oss</a></div><div id="main">{items}</div></body></html>'
    entries = find_release_links(html, "https://x.se/press/")
    assert [e.url for e in entries] == [f"https://x.se/press/meddelande-{i}/" for i in range(4)]
    assert entries[0].title == "Meddelande nummer 0"
    assert entries[0].published is None


def test_single_item_on_last_page_gets_its_own_date() -> None:
    html = """<html><body><main><h1>Pressmeddelanden</h1><p>Uppdaterad 2024-06-01</p>
    <div class="list"><div class="entry"><p class="meta">Pressinbjudan · 3 mars 2019</p>
    <h2><a href="/press/spadtag-simhall/">Spadtag för den nya simhallen</a></h2></div></div>
    <div class="pages"><a href="/press/?page=2">Föregående</a></div></main></body></html>"""
    (entry,) = find_release_links(html, "https://x.se/press/?page=3")
    assert entry.published == "2019-03-03"
    assert entry.kind == "Pressinbjudan"


def test_layout_wrappers_and_item_headers_are_not_furniture() -> None:
    items = "".join(
        f'<div class="news-item"><div class="news-item-header"><h2>'
        f'<a href="/aktuellt/nyhet-{i}/">Aktuell nyhet nummer {i}</a></h2></div>'
        f'<div class="news-item-footer">1{i} maj 2021</div></div>'
        for i in range(3)
    )
    html = (
        '<html><body><div class="page has-sidebar no-menu"><div class="site-header">'
        '<a href="/aktuellt/reklam/">Reklam i sidhuvudet med lång text</a></div>'
        f"<div class='c-grid c-grid--sidebar'><div class='c-grid__main'>{items}</div>"
        "<div class='c-grid__sidebar'><a href='/aktuellt/nyhet-9/'>Aktuell nyhet nummer 9</a> "
        "1 maj 2021</div></div></div></body></html>"
    )
    entries = find_release_links(html, "https://x.se/aktuellt/")
    assert [e.url for e in entries] == [f"https://x.se/aktuellt/nyhet-{i}/" for i in range(3)]
    assert entries[2].published == "2021-05-12"


def test_dated_box_outside_the_listing_path_is_left_out() -> None:
    items = "".join(
        f'<li><a href="/press/meddelande-{i}/">Pressmeddelande nummer {i}</a> 2022-0{i + 1}-01</li>'
        for i in range(4)
    )
    popular = "".join(
        f'<p class="popular"><a href="/evenemang/konsert-{i}/">Konsert i parken nummer {i}</a>'
        f" 2022-06-0{i + 1}</p>"
        for i in range(2)
    )
    html = f"<html><body><main><ul>{items}</ul><div>{popular}</div></main></body></html>"
    entries = find_release_links(html, "https://x.se/press/")
    assert [e.url.rsplit("/", 2)[-2] for e in entries] == [f"meddelande-{i}" for i in range(4)]


def test_undated_links_under_the_listing_path_beside_a_dated_list() -> None:
    html = """<html><body><main><h1>Press</h1>
    <p>Här finns <a href="/press/pressbilder/">pressbilder att ladda ned fritt</a> och
    <a href="/press/presskontakter/">alla våra presskontakter på ett ställe</a>.</p>
    <ul><li><a href="/press/ny-skola/">Ny skola byggs i centrum</a> 2022-01-10</li>
    <li><a href="/press/brandrisk/">Brandrisken är stor i hela länet</a> 2022-01-05</li></ul>
    </main></body></html>"""
    entries = find_release_links(html, "https://x.se/press/")
    assert [e.url for e in entries] == [
        "https://x.se/press/ny-skola/",
        "https://x.se/press/brandrisk/",
    ]


def test_kind_label_is_a_label_not_a_sentence() -> None:
    html = """<html><body><main><ul>
    <li><a href="/n/a/">Bygget av den nya skolan startar</a><p>Nyheter i sommar för alla barn</p><p>2021-05-01</p></li>
    <li><a href="/n/b/">Nytt bibliotek öppnar i centrum</a><p>Pressmeddelande · 3 mars 2021</p></li>
    <li><a href="/n/c/">Pressinbjudan – Spadtag för simhallen</a><p>2021-02-01</p></li>
    </ul></main></body></html>"""
    entries = find_release_links(html, "https://x.se/n/")
    assert [e.kind for e in entries] == [None, "Pressmeddelande", "Pressinbjudan"]


def test_definition_list_date_before_the_item() -> None:
    items = "".join(
        f'<dt>2019-0{i}-15</dt><dd><a href="/arkiv/sak-{i}/">Kommunfullmäktige beslutade om sak {i}</a></dd>'
        for i in range(1, 4)
    )
    html = f"<html><body><div id='content'><dl>{items}</dl></div></body></html>"
    entries = find_release_links(html, "https://x.se/nyheter/")
    assert [e.published for e in entries] == ["2019-01-15", "2019-02-15", "2019-03-15"]


def test_flat_list_takes_the_date_after_each_heading() -> None:
    html = """<html><body><main><h1>Nyheter</h1>
    <h3><a href="/nyheter/a/">Första nyheten om vägarbete</a></h3><p>2021-06-01</p><p>Vägen stängs.</p>
    <h3><a href="/nyheter/b/">Andra nyheten om badplatser</a></h3><p>Badplatserna öppnar.</p>
    <h3><a href="/nyheter/c/">Tredje nyheten om biblioteket</a></h3><p class="date">2021-04-01</p>
    </main></body></html>"""
    entries = find_release_links(html, "https://x.se/nyheter/")
    assert [e.published for e in entries] == ["2021-06-01", None, "2021-04-01"]


def test_published_label_wins_over_an_earlier_updated_date() -> None:
    html = """<html><body><main><ul>
    <li><h3><a href="/n/a/">Nyhet A om bygget</a></h3><p>Uppdaterad 2021-05-01 · Publicerad 2021-04-01</p></li>
    <li><h3><a href="/n/b/">Nyhet B om bygget</a></h3><p>Publicerad 2021-03-01</p></li></ul></main></body></html>"""
    entries = find_release_links(html, "https://x.se/n/")
    assert [e.published for e in entries] == ["2021-04-01", "2021-03-01"]


def test_date_in_url_counts_as_evidence() -> None:
    items = "".join(
        f'<p><a href="/2020/0{i}/1{i}/slug-{i}/">Rubrik på nyheten nummer {i}</a></p>'
        for i in range(1, 4)
    )
    html = f"<html><body><div>{items}</div><div><a href='/kontakt/'>Kontakt</a></div></body></html>"
    entries = find_release_links(html, "https://x.se/blogg/")
    assert len(entries) == 3


@pytest.mark.parametrize("html", ["", "<html></html>", "<<<>>>", "<p>Inga nyheter just nu.</p>"])
def test_broken_or_empty_html(html: str) -> None:
    listing = discover_listing(html, BASE)
    assert listing.format == "html"
    assert listing.entries == ()
    assert listing.next_url is None


# --------------------------------------------------------------------------
# Feeds and sitemaps

RSS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Nyheter från Sjöviks kommun</title><link>https://www.sjovik.se/</link>
<item><title>Pressmeddelande: Nytt äldreboende på Åsen</title><link>https://www.sjovik.se/nyheter/nytt-aldreboende.html</link>
 <pubDate>Fri, 28 Feb 2020 09:15:00 +0100</pubDate><guid>1</guid></item>
<item><title>Vattenläcka</title><link>/nyheter/vattenlacka.html</link><category>Nyhet</category>
 <pubDate>Thu, 27 Feb 2020 16:00:00 GMT</pubDate></item>
<item><title>Utan länk</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ekeby</title>
<link rel="next" href="https://www.ekeby.se/feed/atom/?paged=2"/>
<entry><title>Stor brandrisk</title><link rel="alternate" href="https://www.ekeby.se/2021/03/04/brandrisk/"/>
 <id>tag:ekeby.se,2021:412</id><published>2021-03-04T08:30:00+01:00</published><updated>2021-03-05T10:00:00+01:00</updated></entry>
<entry><title>Sommarjobb</title><link href="https://www.ekeby.se/2021/02/15/sommarjobb/"/><id>x</id>
 <updated>2021-02-15T10:00:00Z</updated></entry>
</feed>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.norrby.se/nyheter/2022-04-01-ny-skola.html</loc><lastmod>2022-04-02T10:00:00+02:00</lastmod></url>
<url><loc>https://www.norrby.se/nyheter/bredband.html?id=4&amp;lang=sv</loc><lastmod>2022-03-01</lastmod></url>
<url><loc>https://www.norrby.se/nyheter/budget.html</loc>
 <news:news><news:publication_date>2022-02-01T08:00:00+01:00</news:publication_date><news:title>Budget 2023</news:title></news:news></url>
</urlset>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.ekeby.se/post-sitemap.xml</loc><lastmod>2021-03-05T10:00:00+00:00</lastmod></sitemap>
<sitemap><loc>https://www.ekeby.se/page-sitemap.xml</loc></sitemap>
</sitemapindex>"""


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


@pytest.mark.parametrize("text", ["", "<rss><channel><item><title>x", "<urlset>", "<feed></feed>"])
def test_broken_feeds_give_empty_listings(text: str) -> None:
    assert discover_listing(text, "https://x.se/feed").entries == ()


def test_feed_text_that_looks_like_a_url_is_not_fetched() -> None:
    # feedparser fetches a str that looks like a URL; we must hand it bytes
    listing = discover_listing(
        "https://127.0.0.1:1/feed", "https://x.se/", content_type="application/rss+xml"
    )
    assert listing.entries == ()


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/a/b/#top", "https://x.se/a/b/"),
        ("c?x=1&y=2#f", "https://x.se/nyheter/c?x=1&y=2"),
        ("HTTPS://X.SE:443/A", "https://x.se/A"),
        ("http://x.se:8080/a", "http://x.se:8080/a"),
        ("  /a  ", "https://x.se/a"),
        ("mailto:a@x.se", None),
        ("tel:+4612345", None),
        ("javascript:void(0)", None),
        ("", None),
        ("ftp://x.se/a", None),
    ],
)
def test_normalize_url(href: str, expected: str | None) -> None:
    assert normalize_url(href, "https://x.se/nyheter/") == expected


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
        if file.is_dir():  # as scraper.localsites serves it
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
