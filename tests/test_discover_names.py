# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Organisation names: one municipality under its many spellings, and its look-alikes."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.discover.names import fold, organisation_core, page_names, same_organisation


@pytest.mark.parametrize(
    "other",
    [
        "Björkby kommun",
        "Björkbys kommun",
        "Björkby",
        "BJÖRKBY KOMMUN",
        "bjorkby-kommun",
        "bjorkby_kommun",
        "bjorkbykommun",
        "Björkby kommuns",
    ],
)
def test_spellings_of_one_municipality_match(other: str) -> None:
    same, why = same_organisation("Björkby kommun", other)
    assert same, why


@pytest.mark.parametrize(
    "other",
    [
        "Socialdemokraterna i Björkby",
        "Moderaterna Björkby",
        "Björkby Energi AB",
        "Björkbybostäder",
        "Björkby Vatten",
        "Region Björkby",
        "Länsstyrelsen i Björkby län",
        "Västerviks kommun",
    ],
)
def test_look_alikes_do_not_match(other: str) -> None:
    same, why = same_organisation("Björkby kommun", other)
    assert not same, why
    assert repr(other) in why


def test_stad_and_kommun_are_one_kind_of_body() -> None:
    assert same_organisation("Västerås stad", "Västerås kommun")[0]
    assert same_organisation("Stockholms stad", "City of Stockholm")[0]
    # Halmstad is a name, not "Halm" + "stad".
    assert organisation_core("Halmstads kommun") == ("halmstads", "municipal")
    assert same_organisation("Halmstads kommun", "halmstad")[0]


def test_a_region_is_not_the_municipality_of_the_same_name_except_gotland() -> None:
    same, why = same_organisation("Jönköpings kommun", "Region Jönköpings län")
    assert not same and "regional" in why
    assert same_organisation("Gotlands kommun", "Region Gotland")[0]
    assert same_organisation("Region Skåne", "Region Skåne")[0]


def test_fold_drops_accents_and_punctuation() -> None:
    assert fold("Upplands-Bro  Kommun!") == "upplands bro kommun"
    assert fold("Åre, Älvdalen & Örebro") == "are alvdalen orebro"


def test_page_names_skip_platform_and_generic_words() -> None:
    html = """<html><head><title>Pressmeddelanden från Björkby kommun | Mynewsdesk</title>
    <meta property="og:site_name" content="Mynewsdesk"></head>
    <body><header><a class="logo" href="/"><img src="/logo.png" alt="Björkby kommun logotyp"></a></header>
    <h1>Pressrum</h1><section class="about"><h2>Om Björkby kommun</h2><p>Björkby kommun har 14 000 invånare.</p></section></body></html>"""
    names = page_names(LexborHTMLParser(html))
    assert names == (("about", "Björkby kommun"),)


def test_page_names_in_order_of_reliability() -> None:
    html = """<html><head><title>Nyheter - Björkby Energi</title>
    <meta property="og:site_name" content="Björkby Energi AB"></head><body><h1>Nyheter från Björkby Energi AB</h1></body></html>"""
    names = page_names(LexborHTMLParser(html))
    assert names[0] == ("og:site_name", "Björkby Energi AB")
    assert ("title", "Björkby Energi") in names
