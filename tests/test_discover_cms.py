# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""CMS detection: which system a municipal page was made with, and why."""

from __future__ import annotations

import pytest

from scraper.discover.cms import CMS_NAMES, detect_cms

SITEVISION = """<!DOCTYPE html><html lang="sv"><head>
<meta name="generator" content="Sitevision">
<link rel="stylesheet" href="/sitevision/system-resource/a1b2c3/css/portlets.css">
<title>Startsida - Björkby kommun</title></head>
<body><div class="sv-layout sv-skip-spacer" id="svid10_4a3b2c1d">
<div class="sv-text-portlet sv-use-margins" id="svid12_7f8e9d"><div class="sv-text-portlet-content"><h1 class="heading">Välkommen</h1></div></div>
<div class="sv-image-portlet"><img src="/images/18.5f1e2d3c4b5a/1585642601091/stadshuset.jpg" alt="Stadshuset"></div>
<a href="/kommun-och-politik/press.4.5f1e2d3c4b5a6978.html">Press</a>
</div></body></html>"""

SITEVISION_WITHOUT_GENERATOR = """<html><body>
<div class="sv-layout"><div class="sv-text-portlet"><p class="normal">Text</p></div>
<div class="sv-archive-portlet"><ul><li><a href="/nyheter/2026-11-02-ny-skola.html">Ny skola</a></li></ul></div>
<div class="sv-related-portlet"></div></div></body></html>"""

SITEVISION_LAYOUT_ONLY = """<html><body><div class="sv-layout sv-vertical">
<div class="sv-text-portlet"><p>Text</p></div></div></body></html>"""

EPISERVER = """<html><head><title>Björkby kommun</title>
<link rel="stylesheet" href="/Static/css/site.min.css">
</head><body class="startpage">
<header><a href="/"><img src="/globalassets/logotyp/bjorkby-logo.svg" alt="Björkby kommun"></a></header>
<main><img src="/contentassets/8f2d41c7/stadshuset.jpg" alt="">
<a href="/Kommun-och-politik/Pressmaterial-och-extern-kommunikation/Pressmeddelanden/">Pressmeddelanden</a></main>
<script src="/ClientResources/Scripts/EPiServer/find.js"></script></body></html>"""

WORDPRESS = """<html><head>
<meta name="generator" content="WordPress 6.4.2">
<link rel="https://api.w.org/" href="https://www.bjorkby.se/wp-json/">
<link rel="stylesheet" href="https://www.bjorkby.se/wp-content/themes/bjorkby/style.css">
</head><body class="home page-template-default">
<a href="https://www.bjorkby.se/nyheter/">Nyheter</a>
<script src="https://www.bjorkby.se/wp-includes/js/jquery/jquery.min.js"></script></body></html>"""

MUNICIPIO = """<html><head>
<meta name="generator" content="WordPress 6.5">
<link rel="stylesheet" href="https://bjorkby.se/wp-content/themes/municipio/assets/dist/css/app.css">
<link rel="stylesheet" href="https://helsingborg-stad.github.io/styleguide-web/dist/css/hbg-prime.min.css">
</head><body class="municipio-theme"><a href="/nyheter/">Nyheter</a></body></html>"""

DRUPAL = """<html data-drupal-link-system-path="node/1"><head>
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">
<link rel="stylesheet" href="/sites/default/files/css/css_Ab12.css">
</head><body><div data-drupal-messages-fallback class="hidden"></div>
<script type="application/json" data-drupal-selector="drupal-settings-json">{"path":{"baseUrl":"\\/"}}</script>
<script>window.drupalSettings = {};</script></body></html>"""

WEBSPHERE = """<html><head><title>Startsida - Björkby stad</title>
<link rel="stylesheet" href="/wps/contenthandler/!ut/p/digest!abc/sp/mashup:ra:collection?themeID=ZJ_1">
</head><body>
<a href="/wps/portal/start/!ut/p/z1/04_Sj9CPykssy0xPLMnMz0vMAfIjo8z/">Start</a>
<a href="/wps/portal?uri=gbglnk%3Apress">Press och media</a></body></html>"""

HOMEGROWN = """<html><head><title>Björkby kommun</title><link rel="stylesheet" href="/css/main.css"></head>
<body><header><a href="/">Björkby</a></header><main><h1>Välkommen</h1>
<a href="/nyheter/">Nyheter</a></main><script src="/js/app.js"></script></body></html>"""


@pytest.mark.parametrize(
    ("html", "expected", "confidence"),
    [
        (SITEVISION, "sitevision", "high"),
        # Three distinct portlet classes are as good as a generator (kravla's rule too).
        (SITEVISION_WITHOUT_GENERATOR, "sitevision", "high"),
        (SITEVISION_LAYOUT_ONLY, "sitevision", "low"),
        (EPISERVER, "episerver", "high"),
        (WORDPRESS, "wordpress", "high"),
        (MUNICIPIO, "municipio", "high"),
        (DRUPAL, "drupal", "high"),
        (WEBSPHERE, "websphere", "high"),
        (HOMEGROWN, "homegrown", "none"),
    ],
)
def test_each_cms_is_recognised_from_its_markup(html: str, expected: str, confidence: str) -> None:
    guess = detect_cms(html, "https://www.bjorkby.se/")
    assert guess.cms == expected, guess.evidence
    assert guess.confidence == confidence, guess.evidence
    assert guess.cms in CMS_NAMES
    assert guess.evidence


def test_evidence_names_the_markers_found() -> None:
    guess = detect_cms(SITEVISION, "https://www.bjorkby.se/")
    text = " | ".join(guess.evidence)
    assert "meta generator: Sitevision" in text
    assert "/sitevision/" in text
    assert "sv-image-portlet" in text and "sv-text-portlet" in text
    assert guess.evidence[0].startswith("sitevision: score")


def test_one_sitevision_class_alone_is_not_enough() -> None:
    html = '<html><body><div class="sv-text-portlet"><p>Hej</p></div></body></html>'
    guess = detect_cms(html, "https://www.bjorkby.se/")
    assert guess.cms == "homegrown"
    assert any("sv-text-portlet" in line for line in guess.evidence)


def test_municipio_wins_over_the_wordpress_it_runs_on() -> None:
    guess = detect_cms(MUNICIPIO, "https://bjorkby.se/")
    assert guess.cms == "municipio"
    assert any("wordpress" in line.lower() for line in guess.evidence)


def test_the_page_url_is_evidence() -> None:
    html = "<html><body><p>Text</p></body></html>"
    guess = detect_cms(html, "https://goteborg.se/wps/portal/start/!ut/p/z1/04_Sj9CPykssy0x/")
    assert guess.cms == "websphere"
    guess = detect_cms(html, "https://www.bjorkby.se/kommun/nyheter.4.1a2b3c4d5e6f7a8b.html")
    assert guess.cms == "sitevision"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((("x-powered-by", "SiteVision"),), "sitevision"),
        ((("set-cookie", "SiteVisionLTM=!abc; path=/; Httponly"),), "sitevision"),
        ({"X-Generator": "Drupal 10 (https://www.drupal.org)"}, "drupal"),
        ((("link", '<https://x.se/wp-json/>; rel="https://api.w.org/"'),), "wordpress"),
        (
            (("x-powered-by", "ASP.NET"), ("set-cookie", "EPi:StateMarker=true; path=/")),
            "episerver",
        ),
        ((("set-cookie", "JSESSIONID=abc; Path=/, LtpaToken2=xyz; Path=/"),), "websphere"),
    ],
)
def test_headers_are_evidence(headers: object, expected: str) -> None:
    guess = detect_cms("<html><body></body></html>", "https://x.se/", headers)  # type: ignore[arg-type]
    assert guess.cms == expected, guess.evidence


def test_weak_shared_signs_alone_name_no_cms() -> None:
    # ASP.NET and a Java session cookie are on many systems: no guess from them alone.
    headers = (("x-powered-by", "ASP.NET"), ("set-cookie", "JSESSIONID=abc; Path=/"))
    guess = detect_cms("<html><body></body></html>", "https://x.se/", headers)
    assert guess.cms == "homegrown"


def test_a_release_that_mentions_wordpress_in_its_text_is_not_wordpress() -> None:
    html = """<html><body><main><h1>Ny webbplats</h1>
    <p>Den nya webbplatsen är byggd i WordPress och ersätter den gamla i Sitevision.</p></main></body></html>"""
    assert detect_cms(html, "https://x.se/").cms == "homegrown"
