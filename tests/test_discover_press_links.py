# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Signposts: every link and feed of a page scored as a way to the releases."""

from __future__ import annotations

import pytest

from scraper.discover.press_links import page_feeds, score_link, score_links
from scraper.records import LinkCandidate

SITEVISION_HOME = """<!DOCTYPE html><html lang="sv"><head><meta name="generator" content="Sitevision">
<title>Startsida - Björkby kommun</title></head><body>
<div class="sv-layout" id="svid10_1"><header class="header">
<a class="skip" href="#content">Gå till innehåll</a>
<a href="/4.1a2b3c4d5e6f.html"><img src="/images/18.1a2b/logo.svg" alt="Björkby kommun, till startsidan"></a>
<nav class="sv-jcrmenu-portlet"><ul>
 <li><a href="/barn-och-utbildning.html">Barn och utbildning</a></li>
 <li><a href="/kommun-och-politik.html">Kommun och politik</a></li>
 <li><a href="/translate.html">Translate</a></li>
 <li><a href="/lattlast.html">Lättläst</a></li>
 <li><a href="https://etjanster.bjorkby.se/login">Logga in</a></li>
</ul></nav></header>
<main id="content"><div class="sv-text-portlet"><h2 class="subheading">Nyheter</h2></div>
<div class="sv-archive-portlet"><ul>
 <li><a href="/nyheter/2026-11-02-pressinbjudan-spadtag-for-nya-simhallen.html">Pressinbjudan: Spadtag för nya simhallen</a> <span>2 november 2026</span></li>
 <li><a href="/nyheter/2026-10-30-kommunen-pressar-kostnaderna-for-hemtjansten.html">Kommunen pressar kostnaderna för hemtjänsten</a> <span>30 oktober 2026</span></li>
</ul><a href="/nyheter.html">Alla nyheter</a></div>
<div class="sv-text-portlet"><a href="/vart-bjorkby.html">Vårt Björkby</a> – kommunens magasin</div>
<a href="/kommunen-svarar.html">Kommunen svarar</a></main>
<footer class="footer"><ul>
 <li><a href="/kommun-och-politik/press-och-informationsmaterial.html">Press- och informationsmaterial</a></li>
 <li><a href="/kommun-och-politik/press-och-informationsmaterial/pressbilder.html">Pressbilder</a></li>
 <li><a href="/kommun-och-politik/anslagstavla.html">Anslagstavla</a></li>
 <li><a href="/om-webbplatsen/kakor.html">Kakor (cookies)</a></li>
 <li><a href="https://www.facebook.com/bjorkbykommun">Facebook</a></li>
 <li><a href="https://www.instagram.com/bjorkbykommun">Instagram</a></li>
</ul></footer></div></body></html>"""

EPISERVER_PRESS_HUB = """<html><head><title>Press och media - Björkby kommun</title></head><body>
<header><nav class="main-nav"><a href="/Kommun-och-politik/">Kommun och politik</a></nav></header>
<div class="breadcrumbs"><a href="/">Start</a> <a href="/Kommun-och-politik/">Kommun och politik</a></div>
<main><h1>Press och media</h1>
<p>Här hittar du som journalist pressmeddelanden, pressbilder och kontaktuppgifter.</p>
<ul class="link-list">
 <li><a href="/Kommun-och-politik/Press-och-media/Pressmeddelanden/">Pressmeddelanden</a></li>
 <li><a href="/Kommun-och-politik/Press-och-media/Pressbildarkiv/">Pressbildarkiv</a></li>
 <li><a href="/Kommun-och-politik/Press-och-media/Presstjansten/">Presstjänsten</a></li>
 <li><a href="/Kommun-och-politik/Press-och-media/Kontakta-kommunikatorerna/">Kontakta kommunikatörerna</a></li>
 <li><a href="/globalassets/press/grafisk-profil.pdf">Grafisk profil (pdf)</a></li>
</ul></main></body></html>"""

WORDPRESS_HOME = """<html><head><meta name="generator" content="WordPress 6.4">
<link rel="alternate" type="application/rss+xml" title="Björkby kommun » Flöde" href="https://www.bjorkby.se/feed/">
<link rel="alternate" type="application/rss+xml" title="Björkby kommun » Kommentarsflöde" href="https://www.bjorkby.se/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Björkby kommun » Pressmeddelanden Kategoriflöde" href="https://www.bjorkby.se/kategori/pressmeddelanden/feed/">
<link rel="alternate" type="application/rss+xml" title="Björkby kommun » Evenemang" href="https://www.bjorkby.se/evenemang/feed/">
<link rel="alternate" type="application/rss+xml" title="Lediga jobb" href="https://www.bjorkby.se/lediga-jobb/feed/">
<link rel="stylesheet" href="https://www.bjorkby.se/wp-content/themes/bjorkby/style.css">
</head><body>
<header id="masthead"><nav class="main-navigation"><ul id="primary-menu">
<li><a href="https://www.bjorkby.se/aktuellt/">Aktuellt</a></li>
<li><a href="https://www.bjorkby.se/kommun-och-politik/">Kommun och politik</a></li>
<li><a href="https://www.bjorkby.se/kommun-och-politik/partier/">Partierna i fullmäktige</a></li>
</ul></nav></header>
<main><article><h2><a href="https://www.bjorkby.se/2026/11/02/pressmeddelande-ny-forskola-i-norrby/">Pressmeddelande: Ny förskola i Norrby</a></h2></article>
<a href="https://www.socialdemokraterna.se/bjorkby">Socialdemokraterna i Björkby</a>
<a href="https://www.bjorkbyenergi.se/press/">Björkby Energi AB – Press</a>
<a href="https://www.bjorkbybostader.se/">Björkbybostäder</a></main>
<footer><a href="https://www.bjorkby.se/press/">Press</a>
<a href="https://www.mynewsdesk.com/se/bjorkby_kommun">Pressrum på Mynewsdesk</a>
<a href="https://www.bjorkby.se/sitemap.xml">Webbplatskarta (XML)</a></footer></body></html>"""

DRUPAL_FOOTER = """<html data-drupal-link-system-path="node/1"><body>
<div class="region-footer"><nav role="navigation" aria-labelledby="block-footer-menu">
<ul><li><a href="/nyheter-och-pressmeddelanden" data-drupal-link-system-path="node/12">Nyheter och pressmeddelanden</a></li>
<li><a href="/press-och-nyheter/nyhetsarkiv">Nyhetsarkiv</a></li>
<li><a href="/presskontakt">Presskontakt</a></li></ul></nav></div></body></html>"""

WEBSPHERE_NAV = """<html><body><header>
<a href="/wps/portal/start/!ut/p/z1/04_Sj9CPykssy0xPLMnMz0vMAfIjo8z/">Startsida</a>
<a href="/wps/portal?uri=gbglnk%3Apress">Press och media</a>
<a href="/wps/portal?uri=gbglnk%3Aaktuellt">Aktuellt</a></header></body></html>"""


def _by_url(candidates: tuple[LinkCandidate, ...]) -> dict[str, LinkCandidate]:
    return {c.url: c for c in candidates}


def test_press_beats_news_and_decoys_lose_on_a_sitevision_home_page() -> None:
    found = score_links(SITEVISION_HOME, "https://www.bjorkby.se/", organisation="Björkby kommun")
    best = found[0]
    assert (
        best.url == "https://www.bjorkby.se/kommun-och-politik/press-och-informationsmaterial.html"
    )
    assert best.kind == "hub" and best.label == "Press- och informationsmaterial"
    links = _by_url(found)
    news = links["https://www.bjorkby.se/nyheter.html"]
    assert news.kind == "listing" and 0 < news.score < best.score
    for decoy in (
        "/kommun-och-politik/press-och-informationsmaterial/pressbilder.html",
        "/kommun-och-politik/anslagstavla.html",
        "/vart-bjorkby.html",
        "/kommunen-svarar.html",
        "/translate.html",
        "/lattlast.html",
        "/om-webbplatsen/kakor.html",
    ):
        assert links["https://www.bjorkby.se" + decoy].score < 0, decoy
    assert links["https://www.facebook.com/bjorkbykommun"].score < 0
    assert links["https://etjanster.bjorkby.se/login"].score < 0


def test_a_release_title_with_press_words_is_no_press_listing() -> None:
    links = _by_url(score_links(SITEVISION_HOME, "https://www.bjorkby.se/"))
    invitation = links[
        "https://www.bjorkby.se/nyheter/2026-11-02-pressinbjudan-spadtag-for-nya-simhallen.html"
    ]
    squeeze = links[
        "https://www.bjorkby.se/nyheter/2026-10-30-kommunen-pressar-kostnaderna-for-hemtjansten.html"
    ]
    for release in (invitation, squeeze):
        assert release.score <= 0, release.evidence
        assert release.kind not in {"listing", "hub"}
    assert any("reads like a title" in line for line in invitation.evidence)


def test_press_listing_beats_press_images_and_contact_pages_on_a_press_hub() -> None:
    found = score_links(
        EPISERVER_PRESS_HUB, "https://www.bjorkby.se/Kommun-och-politik/Press-och-media/"
    )
    assert (
        found[0].url
        == "https://www.bjorkby.se/Kommun-och-politik/Press-och-media/Pressmeddelanden/"
    )
    assert found[0].kind == "listing" and found[0].score >= 10
    links = _by_url(found)
    assert (
        links["https://www.bjorkby.se/Kommun-och-politik/Press-och-media/Pressbildarkiv/"].score < 0
    )
    assert links["https://www.bjorkby.se/globalassets/press/grafisk-profil.pdf"].score < 0
    # Contact pages may be the hub that links on to the releases: low, but above zero.
    for contact in ("Presstjansten", "Kontakta-kommunikatorerna"):
        link = links[f"https://www.bjorkby.se/Kommun-och-politik/Press-och-media/{contact}/"]
        assert link.kind == "hub" and 0 < link.score < 5, link.evidence


def test_wordpress_home_newsroom_parties_companies_and_sitemap() -> None:
    found = score_links(WORDPRESS_HOME, "https://www.bjorkby.se/", organisation="Björkby kommun")
    links = _by_url(found)
    newsroom = links["https://www.mynewsdesk.com/se/bjorkby_kommun"]
    assert newsroom.kind == "newsroom" and newsroom.platform == "mynewsdesk"
    assert any("names 'Björkby kommun'" in line for line in newsroom.evidence)
    press = links["https://www.bjorkby.se/press/"]
    aktuellt = links["https://www.bjorkby.se/aktuellt/"]
    assert newsroom.score > aktuellt.score and press.score > aktuellt.score > 0
    for decoy in (
        "https://www.socialdemokraterna.se/bjorkby",
        "https://www.bjorkbyenergi.se/press/",
        "https://www.bjorkbybostader.se/",
        "https://www.bjorkby.se/kommun-och-politik/partier/",
    ):
        assert links[decoy].score < 0, (decoy, links[decoy].evidence)
    release = links["https://www.bjorkby.se/2026/11/02/pressmeddelande-ny-forskola-i-norrby/"]
    assert release.score <= 0 and release.kind == "other", release.evidence
    assert links["https://www.bjorkby.se/sitemap.xml"].kind == "sitemap"
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_via_tt_newsroom_in_the_footer_beats_the_news_listing() -> None:
    html = """<html><body><main><a href="/aktuellt/">Fler nyheter</a></main><footer>
    <a href="https://via.tt.se/pressrum/bjorkby-kommun?publisherId=1213538">Pressrum</a></footer></body></html>"""
    found = score_links(html, "https://www.bjorkby.se/", organisation="Björkby kommun")
    assert [(c.kind, c.platform) for c in found] == [("newsroom", "viatt"), ("listing", None)]


def test_a_newsroom_of_another_organisation_loses() -> None:
    html = """<html><body><footer>
    <a href="https://www.mynewsdesk.com/se/socialdemokraterna-i-bjorkby">Pressrum</a>
    <a href="https://www.mynewsdesk.com/se/bjorkby-energi">Pressrum Björkby Energi</a>
    <a href="https://www.mynewsdesk.com/se/bjorkbykommun">Pressrum</a></footer></body></html>"""
    found = score_links(html, "https://www.bjorkby.se/", organisation="Björkby kommun")
    assert found[0].url == "https://www.mynewsdesk.com/se/bjorkbykommun"
    links = _by_url(found)
    assert links["https://www.mynewsdesk.com/se/socialdemokraterna-i-bjorkby"].score < 0
    assert links["https://www.mynewsdesk.com/se/bjorkby-energi"].score < 0


@pytest.mark.parametrize(
    ("html", "url", "best", "kind"),
    [
        (
            DRUPAL_FOOTER,
            "https://www.bjorkby.se/",
            "https://www.bjorkby.se/nyheter-och-pressmeddelanden",
            "listing",
        ),
        (
            WEBSPHERE_NAV,
            "https://bjorkby.se/wps/portal/start",
            "https://bjorkby.se/wps/portal?uri=gbglnk%3Apress",
            "hub",
        ),
    ],
)
def test_navs_of_other_cmss(html: str, url: str, best: str, kind: str) -> None:
    found = score_links(html, url)
    assert (found[0].url, found[0].kind) == (best, kind), found[0].evidence


def test_every_link_comes_with_evidence_and_the_page_itself_is_left_out() -> None:
    found = score_links(SITEVISION_HOME, "https://www.bjorkby.se/")
    assert all(c.evidence for c in found)
    assert "https://www.bjorkby.se/" not in {c.url for c in found}
    plain = _by_url(found)["https://www.bjorkby.se/barn-och-utbildning.html"]
    assert plain.score == 0 and plain.kind == "other"


@pytest.mark.parametrize(
    ("label", "url", "kind"),
    [
        ("Visa alla", "https://www.bjorkby.se/press/pressmeddelanden/", "listing"),
        ("", "https://www.bjorkby.se/pressochinformationsmaterial.4.bbd1b101a5.html", "hub"),
    ],
)
def test_a_silent_label_leaves_the_path_to_speak(label: str, url: str, kind: str) -> None:
    cand = score_link(url, label, page_url="https://www.bjorkby.se/")
    assert cand.kind == kind and cand.score > 3, cand.evidence


def test_announced_feeds_press_first_and_decoys_below_zero() -> None:
    found = page_feeds(WORDPRESS_HOME, "https://www.bjorkby.se/")
    feeds = _by_url(found)
    assert found[0].url == "https://www.bjorkby.se/kategori/pressmeddelanden/feed/"
    assert feeds["https://www.bjorkby.se/feed/"].score > 0
    for decoy in ("comments/feed/", "evenemang/feed/", "lediga-jobb/feed/"):
        assert feeds["https://www.bjorkby.se/" + decoy].score < 0, decoy
    assert all(c.kind == "feed" for c in found)


def test_feed_titles_press_above_news() -> None:
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="Nyheter" href="/rss/nyheter.xml">
    <link rel="alternate" type="application/atom+xml" title="Pressmeddelanden" href="/rss/press.xml">
    </head><body></body></html>"""
    found = page_feeds(html, "https://www.bjorkby.se/")
    assert [c.label for c in found] == ["Pressmeddelanden", "Nyheter"]


def test_sitevision_portlet_feed_and_wordpress_convention() -> None:
    sitevision = """<html><body><div class="sv-archive-portlet"><h2>Pressmeddelanden</h2>
    <a href="/4.1a2b3c/12.4d5e6f.portlet?state=rss&amp;sv.contenttype=text/xml;charset=UTF-8"><img src="/rss.svg" alt=""></a>
    </div></body></html>"""
    found = page_feeds(sitevision, "https://www.bjorkby.se/press/pressmeddelanden.html")
    assert found[0].url.startswith("https://www.bjorkby.se/4.1a2b3c/12.4d5e6f.portlet?state=rss")
    assert found[0].label == "Pressmeddelanden" and found[0].score > 4
    wordpress = (
        '<html><head><meta name="generator" content="WordPress 6.4"></head><body></body></html>'
    )
    found = page_feeds(wordpress, "https://www.bjorkby.se/nyheter/")
    assert [c.url for c in found] == [
        "https://www.bjorkby.se/nyheter/feed/",
        "https://www.bjorkby.se/feed/",
    ]
    assert all("unverified" in " ".join(c.evidence) for c in found)


def test_newsroom_page_feeds_carry_the_platform() -> None:
    html = "<html><head><title>Björkby kommun - Pressrum</title></head><body></body></html>"
    found = page_feeds(html, "https://www.mynewsdesk.com/se/bjorkby_kommun")
    assert [(c.url, c.platform) for c in found] == [
        ("https://www.mynewsdesk.com/se/bjorkby_kommun/pressreleases.rss", "mynewsdesk")
    ]
