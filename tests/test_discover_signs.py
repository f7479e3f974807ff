"""Signpost words: what a whole link label promises, and the decoys that only look like one."""

from __future__ import annotations

import pytest

from scraper.discover.signs import decoy, match_label, path_words


@pytest.mark.parametrize(
    ("label", "kind", "topic", "points"),
    [
        ("Pressmeddelanden", "listing", "press", 10),
        ("Alla pressmeddelanden", "listing", "press", 10),
        ("Pressmeddelanden från Björkby kommun", "listing", "press", 10),
        ("Nyheter och pressmeddelanden", "listing", "mixed", 9.5),
        ("Press och nyheter", "hub", "mixed", 8.5),
        ("Pressrum", "hub", "", 8.5),
        ("Press", "hub", "", 8),
        ("Press och media", "hub", "", 8),
        ("Press- och informationsmaterial", "hub", "", 8),
        ("Press och kommunikation", "hub", "", 8),
        ("Pressmaterial", "hub", "", 8),
        ("Nyhetsarkiv", "listing", "news", 5.5),
        ("Nyheter", "listing", "news", 5),
        ("Aktuellt", "listing", "news", 5),
        ("Visa alla nyheter »", "listing", "news", 5),
        ("Nyheter (24)", "listing", "news", 5),
        ("Presskontakt", "hub", "", 1.5),
        ("Presstjänsten", "hub", "", 1.5),
        ("Kontakta kommunikatörerna", "hub", "", 1.5),
    ],
)
def test_labels(label: str, kind: str, topic: str, points: float) -> None:
    matched = match_label(label)
    assert matched.rule is not None, label
    assert (matched.rule.kind, matched.rule.topic, matched.rule.points) == (kind, topic, points)


def test_alla_says_all_of_them() -> None:
    assert match_label("Alla nyheter").all_of_them
    assert not match_label("Nyheter").all_of_them


@pytest.mark.parametrize(
    "label",
    [
        "Pressinbjudan: Spadtag för nya simhallen",
        "Pressmeddelande: Ny förskola i Norrby",
        "Kommunen pressar kostnaderna för hemtjänsten",
        "Nyheter i sommar: så blir badplatserna vid sjön i Björkby",
        "Pressbilder",
        "Mediabank",
    ],
)
def test_titles_and_look_alikes_are_no_signposts(label: str) -> None:
    assert match_label(label).rule is None


def test_a_title_that_starts_like_a_signpost_is_marked_title_like() -> None:
    assert match_label("Pressinbjudan: Spadtag för nya simhallen").title_like
    assert not match_label("Kommunen svarar").title_like


@pytest.mark.parametrize(
    ("label", "says"),
    [
        ("Pressbilder", "press images"),
        ("Pressbildarkiv", "press images"),
        ("Bildbank", "press images"),
        ("Vårt Björkby", "magazine or newsletter"),
        ("Björkbymagasinet", "magazine or newsletter"),
        ("Kommunen svarar", "questions to the municipality"),
        ("Anslagstavla", "notice board"),
        ("Kungörelser", "notice board"),
        ("Kallelser och protokoll", "notice board"),
        ("Socialdemokraterna i Björkby", "political party"),
        ("Sverigedemokraterna Björkby", "political party"),
        ("Partierna i fullmäktige", "political party"),
        ("Björkby Energi AB", "municipal company"),
        ("Björkbybostäder", "municipal company"),
        ("Björkby Vatten", "municipal company"),
        ("Kommunens bolag", "municipal company"),
        ("Translate", "language page"),
        ("Other languages", "language page"),
        ("Lättläst", "language page"),
        ("Logga in", "login"),
        ("Kakor (cookies)", "cookies or privacy"),
        ("Evenemang", "events, jobs or tenders"),
        ("Lediga jobb", "events, jobs or tenders"),
    ],
)
def test_decoys(label: str, says: str) -> None:
    found = decoy(label)
    assert found is not None and found.says == says and found.points < 0


@pytest.mark.parametrize(
    "label", ["Pressmeddelanden", "Vårt pressrum", "Press och media", "Nyheter", "Presskontakt"]
)
def test_signposts_are_no_decoys(label: str) -> None:
    assert decoy(label) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://x.se/Kommun-och-politik/Pressmeddelanden/", "pressmeddelanden"),
        (
            "https://x.se/pressochinformationsmaterial.4.bbd1b101a5.html",
            "pressochinformationsmaterial",
        ),
        ("https://x.se/kategori/pressmeddelanden/feed/", "pressmeddelanden"),
        ("https://x.se/rss/nyheter.xml", "nyheter"),
        ("https://x.se/", ""),
    ],
)
def test_path_words(url: str, words: str) -> None:
    assert path_words(url) == words


def test_top_level_sections_are_known_by_their_whole_label() -> None:
    from scraper.discover.signs import is_section

    for label in ("Kommun och politik", "Kommun & politik", "Om kommunen", "Politik och demokrati"):
        assert is_section(label), label
    for label in ("Kommunens pressmeddelanden", "Politik", "Kommun och politik i Ekeby idag"):
        assert not is_section(label), label
