"""Choosing the release's blocks by generic evidence (scraper.boilerplate.select_content)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper import blocks, boilerplate, site_template
from scraper.boilerplate import FURNITURE, segment_page, select_content

ARTICLE = (
    "<p>Kommunen bygger en ny simhall vid Lövnäs skola. Bygget startar i augusti och "
    "hallen ska vara klar hösten 2027, med en 25-metersbassäng och en undervisningsbassäng.</p>"
    "<p>– Det här är en efterlängtad satsning för både skolan och föreningslivet, säger "
    "kommunstyrelsens ordförande Eva Lind. Simkunnigheten bland barnen har minskat.</p>"
    "<p>Kostnaden beräknas till 180 miljoner kronor och finansieras med lån.</p>"
)


def _text(html: str) -> str:
    seg = segment_page(LexborHTMLParser(html))
    return "\n".join(seg.blocks[i].text for i in select_content(seg).kept)


def test_main_container_beats_sidebar_and_teasers() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/n/{n}">Annan nyhet {n} med lång rubrik här</a></h3>'
        f"<p>Ingress till en annan nyhet som handlar om något helt annat, nummer {n}.</p></div>"
        for n in range(6)
    )
    html = (
        f'<body><div class="page"><div class="main">{ARTICLE}</div>'
        f'<div class="latest">{teasers}</div></div></body>'
    )
    text = _text(html)
    assert text.startswith("Kommunen bygger") and text.endswith("finansieras med lån.")


def test_furniture_inside_the_main_column_is_dropped() -> None:
    html = (
        '<body><div class="article"><h1>Rubrik</h1>'
        '<div class="sidebar"><h2>Kontakt</h2><p>Anna Berg, kommunikatör, 0123-45 67 89. '
        "Ring gärna om du har frågor om kommunens verksamheter och om webbplatsen.</p></div>"
        f'<div class="editorial">{ARTICLE}</div>'
        '<p class="page-info">Sidan senast granskad 2024-01-02</p></div></body>'
    )
    text = _text(html)
    assert "Anna Berg" not in text and "Rubrik" not in text and "granskad" not in text
    assert text.startswith("Kommunen bygger")


def test_aspnet_form_around_the_whole_page_is_not_furniture() -> None:
    html = f'<body><form id="aspnetForm"><div class="x"><h1>R</h1>{ARTICLE}</div></form></body>'
    assert _text(html).startswith("Kommunen bygger")
    seg = segment_page(LexborHTMLParser(html))
    assert seg.own_flags[1] & FURNITURE


def test_heading_over_nothing_is_dropped() -> None:
    html = (
        f"<body><article>{ARTICLE}<h2>Mellanrubrik</h2><p>Mer text om simhallen och dess "
        'bassänger.</p><section><h2>Dokument</h2><ul><li><a href="/a.pdf">Beslut</a></li>'
        "</ul></section></article></body>"
    )
    text = _text(html)
    assert "Mellanrubrik" in text
    assert "Dokument" not in text


# --------------------------------------------------------------------------


def test_responsibility_block_with_contact_data_is_furniture() -> None:
    block = (
        '<div class="x">Ansvarig förvaltning<br>Kultur- och fritidsförvaltningen<br>'
        "Kulturhuset, Bruksgatan 2<br>643 80 Ekås<br>Tel 0151-190 00</div>"
    )
    text = _text(f"<body><div>{ARTICLE}{block}</div></body>")
    assert text.endswith("finansieras med lån.")
    sentence = "<p>Ansvarig nämnd för beslutet är kultur- och fritidsnämnden.</p>"
    assert _text(f"<body><div>{ARTICLE}{sentence}</div></body>").endswith("fritidsnämnden.")


def test_names_callers_import_from_boilerplate_are_the_moved_ones() -> None:
    """crawl.py, bench/ and older tests import the walk and the template from here."""
    for name in ("CAPTION", "FIGURE", "FURNITURE", "LEAD", "NEGATIVE", "POSITIVE"):
        assert getattr(boilerplate, name) == getattr(blocks, name)
    assert boilerplate.segment_page is blocks.segment_page
    assert boilerplate.Segmented is blocks.Segmented
    for name in ("learn_template", "page_blocks", "template_drops", "BlockPrint"):
        assert getattr(boilerplate, name) is getattr(site_template, name)
    assert all(hasattr(boilerplate, name) for name in boilerplate.__all__)
