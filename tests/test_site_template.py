"""The learned site template (scraper.extract.template): fingerprints, shares, slots, drops."""

from __future__ import annotations

import json

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.blocks import segment_page
from scraper.extract.template import learn_template, page_blocks, template_drops
from scraper.records import SiteTemplate

NOW = "2026-11-27T00:00:00Z"


def _page(body: str, *, sidebar: str = "") -> str:
    return (
        '<html><body><div class="wrap"><div class="top"><p>Välkommen till Ekås kommun</p></div>'
        f'<div class="row"><div class="col">{sidebar}</div><div class="col">{body}</div></div>'
        "</div></body></html>"
    )


WORDS = [
    "alfa",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "jota",
    "kappa",
    "lambda",
    "my",
    "ny",
    "xi",
    "omikron",
    "pi",
]


def _people(*names: str) -> str:
    return "".join(f'<div class="person"><p>{name}, kommunikatör</p></div>' for name in names)


def test_fingerprints_are_stable_strings() -> None:
    html = _page("<p>Hej</p>")
    first, second = page_blocks(html, "u1"), page_blocks(html, "u2")
    assert first == second
    assert all(p.slot.startswith("s:") and p.placed.startswith("t:") for p in first)
    assert all(p.text.startswith("x:") for p in first)


def test_template_shares_and_threshold() -> None:
    contact = "<p>Kontakt</p>"
    pages = [
        (f"https://e.se/{n}", _page(f"<p>Unik text {WORDS[n]}</p>" + (contact if n < 2 else "")))
        for n in range(10)
    ]
    template = learn_template("e", pages, now=NOW)
    assert (template.source, template.pages, template.learned_at) == ("e", 10, NOW)
    shares = dict(template.blocks)
    welcome = page_blocks(pages[0][1], "")[0]
    assert shares[welcome.placed] == 1.0 and shares[welcome.text] == 1.0
    contact = page_blocks(pages[0][1], "")[-1]
    assert shares[contact.placed] == 0.2
    assert contact.placed not in template.repeated()
    assert welcome.placed in template.repeated()


def test_template_is_serialisable_plain_data() -> None:
    pages = [(f"u{n}", _page(f"<p>Text {WORDS[n]} här</p>")) for n in range(4)]
    template = learn_template("e", pages, now=NOW)
    data = json.loads(json.dumps(template.__dict__))
    restored = SiteTemplate(**{**data, "blocks": tuple(tuple(b) for b in data["blocks"])})
    assert restored == template


def test_slot_tolerates_people_changing_over_the_years() -> None:
    eras = [("Per Ek", "Eva Al"), ("Per Ek", "Ola Ny"), ("Lisa Bo", "Ola Ny")]
    pages = [
        (f"u{n}", _page(f"<p>Nyhet {WORDS[n]} om något</p>", sidebar=_people(*eras[n % 3])))
        for n in range(9)
    ]
    template = learn_template("e", pages, now=NOW)
    new_page = _page("<p>En alldeles ny nyhet</p>", sidebar=_people("Helt Ny", "Per Ek"))
    seg = segment_page(LexborHTMLParser(new_page), with_paths=True)
    drops = template_drops(seg, template.repeated())
    kept = [seg.blocks[i].text for i in range(len(seg.blocks)) if i not in drops]
    assert kept == ["En alldeles ny nyhet"]


def test_minority_template_is_learned_but_one_off_markup_is_not() -> None:
    old = [
        (f"old{n}", _page(f"<p>Gammal nyhet {WORDS[n]}</p>", sidebar=_people("Per Ek")))
        for n in range(4)
    ]
    new = [(f"new{n}", _page(f"<p>Ny nyhet {WORDS[n]}</p>")) for n in range(12)]
    template = learn_template("e", old + new, now=NOW)
    seg = segment_page(
        LexborHTMLParser(_page("<p>Ännu en</p>", sidebar=_people("Ny Person"))), with_paths=True
    )
    assert {seg.blocks[i].text for i in template_drops(seg, template.repeated())} == {
        "Välkommen till Ekås kommun",
        "Ny Person, kommunikatör",
    }
    two = [(f"p{n}", _page(f"<p>Text {WORDS[n]}</p>", sidebar=_people("Per Ek"))) for n in range(2)]
    rest = [(f"q{n}", _page(f"<p>Annan {WORDS[n]}</p>")) for n in range(14)]
    template = learn_template("e", two + rest, now=NOW)
    person = page_blocks(two[0][1], "")[1]
    assert person.slot not in dict(template.blocks)


def test_no_template_from_one_page_or_none() -> None:
    assert learn_template("e", [], now=NOW).repeated() == frozenset()
    one = learn_template("e", [("u", _page("<p>x</p>"))], now=NOW)
    assert one.pages == 1 and one.repeated() == frozenset()


def test_body_place_with_repeated_paragraphs_keeps_its_own_text() -> None:
    about = (
        "<p>Om Ekås kommun: en växande kommun i norra Småland med fjorton tusen invånare, "
        "nära både natur och service, med ett rikt föreningsliv och goda kommunikationer.</p>"
    )
    pages = [
        (f"u{n}", _page(f"<p>{WORDS[n]} " + "lång unik text om en nyhet " * 8 + f"</p>{about}"))
        for n in range(8)
    ]
    template = learn_template("e", pages, now=NOW)
    seg = segment_page(LexborHTMLParser(pages[3][1]), with_paths=True)
    kept = [
        seg.blocks[i].text
        for i in range(len(seg.blocks))
        if i not in template_drops(seg, template.repeated())
    ]
    assert len(kept) == 1 and kept[0].startswith("delta lång unik text")


def test_archive_pages_showing_whole_posts_do_not_make_the_body_a_slot() -> None:
    bodies = [f"<p>Kort nyhet om {WORDS[n]} i kommunen.</p>" for n in range(12)]
    posts = [(f"post{n}", _page(body)) for n, body in enumerate(bodies)]
    archives = [(f"archive{k}", _page("".join(bodies))) for k in range(3)]
    template = learn_template("e", posts + archives, now=NOW)
    seg = segment_page(LexborHTMLParser(posts[5][1]), with_paths=True)
    kept = [
        seg.blocks[i].text
        for i in range(len(seg.blocks))
        if i not in template_drops(seg, template.repeated())
    ]
    assert kept == ["Kort nyhet om zeta i kommunen."]
