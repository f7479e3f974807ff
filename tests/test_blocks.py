"""The page walk (scraper.extract.blocks): blocks, link density, flags, hidden text, paths;
the class words behind the flags (scraper.extract.class_hints)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.blocks import (
    CAPTION,
    FIGURE,
    LEAD,
    NEGATIVE,
    POSITIVE,
    join_blocks,
    segment_page,
)
from scraper.extract.class_hints import hint_flags, hint_words


def test_walk_makes_blocks_with_link_density_and_flags() -> None:
    html = (
        '<body><div class="content"><p>Ett <a href="/x">länkat</a> ord och mer text.</p>'
        '<ul class="share"><li><a href="#">Dela</a></li></ul></div>'
        "<aside><p>Skippad helt</p></aside></body>"
    )
    seg = segment_page(LexborHTMLParser(html))
    texts = [b.text for b in seg.blocks]
    assert texts == ["Ett länkat ord och mer text.", "Dela"]
    assert 0 < seg.blocks[0].link_density < 0.5
    assert seg.blocks[1].link_density == 1.0
    assert seg.blocks[1].all_flags & NEGATIVE


def test_walk_skips_hidden_elements_and_reads_br_as_space() -> None:
    html = (
        "<body><p>Rad ett<br>rad två</p><p hidden>dold</p><p aria-hidden=true>dold</p>"
        '<p style="display:none">dold</p><span class="sr-only">dold</span>'
        '<p class="hidden-xs">syns på dator</p></body>'
    )
    seg = segment_page(LexborHTMLParser(html))
    assert [b.text for b in seg.blocks] == ["Rad ett rad två", "syns på dator"]


def test_walk_keeps_structural_paths_when_asked() -> None:
    html = '<body><div id="svid12_4f1c" class="sv-text-portlet"><p>Text</p></div></body>'
    seg = segment_page(LexborHTMLParser(html), with_paths=True)
    assert seg.blocks[0].path == "body/div.sv-text-portlet.svid#_#f#c/p"
    assert segment_page(LexborHTMLParser(html)).blocks[0].path == ""


def test_hidden_inline_separator_still_parts_words() -> None:
    """ "<span>Pressmeddelande</span><span aria-hidden=true> | </span>..." is no one word."""
    html = (
        '<body><p><span class="label">Pressmeddelande</span><span aria-hidden="true"> | </span>'
        '<span>14 maj 2025</span></p><p>Ring<span class="sr-only">telefon</span>0123</p></body>'
    )
    seg = segment_page(LexborHTMLParser(html))
    assert [b.text for b in seg.blocks] == ["Pressmeddelande 14 maj 2025", "Ring 0123"]


def test_walk_collects_tag_and_category_links_apart_from_documents() -> None:
    html = (
        '<body><ul><li><a href="/tagg/pressmeddelande/">Pressmeddelande</a></li>'
        '<li><a rel="category tag" href="/?cat=3">Nyheter</a></li>'
        '<li><a href="/nyheter/tag-och-buss/">Tåg och buss</a></li></ul>'
        '<p><a href="/files/beslut.pdf">Beslut</a></p></body>'
    )
    seg = segment_page(LexborHTMLParser(html))
    assert [ref.href for ref in seg.taxonomy] == ["/tagg/pressmeddelande/", "/?cat=3"]
    assert [ref.href for ref in seg.links] == ["/files/beslut.pdf"]


def test_join_blocks_puts_a_table_row_on_one_line() -> None:
    html = (
        "<body><table><tr><th>Nämnd</th><th>Ram</th></tr><tr><td><p>Omsorg</p></td>"
        "<td>784</td></tr></table><table><tr><td><p>Stycke ett.</p><p>Stycke två.</p></td>"
        "</tr></table></body>"
    )
    seg = segment_page(LexborHTMLParser(html))
    text = join_blocks(seg, list(range(len(seg.blocks))))
    assert text == "Nämnd Ram\n\nOmsorg 784\n\nStycke ett.\n\nStycke två."


def test_state_and_storage_type_classes_are_no_evidence() -> None:
    """Drupal's node--promoted is no promo box; field--type-text-with-summary is no lead."""
    assert not hint_flags("node node--type-news node--promoted") & NEGATIVE
    assert hint_flags("promo-box") & NEGATIVE
    body_field = hint_flags("field field--name-body field--type-text-with-summary")
    assert not body_field & LEAD and body_field & POSITIVE
    assert hint_flags("field field--name-field-ingress field--type-text-long") & LEAD


def test_about_section_as_a_bem_element_is_furniture() -> None:
    assert hint_flags("post__about") & NEGATIVE
    assert hint_flags("about") & NEGATIVE
    assert not hint_flags("post__body") & NEGATIVE


def test_quote_figure_is_text_and_an_image_figure_is_not() -> None:
    html = (
        '<body><figure class="quote"><blockquote><p>Vi satsar på skolan.</p></blockquote>'
        '<figcaption class="quote__author">Anna Berg, ordförande</figcaption></figure>'
        '<figure><img src="/a.jpg" alt="x"><blockquote>Citat i bild</blockquote>'
        "<figcaption>Bild: NN</figcaption></figure></body>"
    )
    seg = segment_page(LexborHTMLParser(html))
    flags = {b.text: b.all_flags for b in seg.blocks}
    assert not flags["Vi satsar på skolan."] & (FIGURE | NEGATIVE)
    assert not flags["Anna Berg, ordförande"] & (FIGURE | CAPTION | NEGATIVE)
    assert flags["Citat i bild"] & FIGURE
    assert flags["Bild: NN"] & CAPTION


def test_class_and_id_values_split_into_words() -> None:
    assert hint_words("nav-new-1-pixel") == ["nav", "new", "1", "pixel"]
    assert hint_words("mainContent articleBody2 HTMLText") == [
        "main", "content", "article", "body", "2", "html", "text",
    ]  # fmt: skip
    assert hint_words("sv_text__portlet  Kontakt") == ["sv", "text", "portlet", "kontakt"]
    # A hexadecimal hash has no words (split at its digits it would spell "ad").
    assert hint_words("svid12_403452a6658abbd78ad320") == ["svid", "12"]


def test_hints_match_whole_words_only() -> None:
    for value in ("pageprint", "evolve-shared-mutable-history", "shopping-cart", "operating",
                  "research-article", "leader", "menuetto", "cookiejar-x"):  # fmt: skip
        assert not hint_flags(value) & NEGATIVE, value
    for value in ("print", "share-buttons", "cookie banner", "nav-new-1-pixel", "site-footer",
                  "shareButtons", "post_meta", "a11y-text", "d-lg-none", "sv-archive"):  # fmt: skip
        assert hint_flags(value) & NEGATIVE, value
    # A hint of several words matches them consecutive and in order.
    assert hint_flags("card-list") & NEGATIVE and hint_flags("cardList") & NEGATIVE
    assert not hint_flags("list-card") & NEGATIVE and not hint_flags("card-x-list") & NEGATIVE
    assert hint_flags("image-block") & FIGURE and not hint_flags("block-image") & FIGURE


def test_hint_words_take_inflection_endings_and_listed_compounds() -> None:
    for value in ("comments", "kontakter", "relaterade", "sidfoten", "menyn", "puffar",
                  "breadcrumbs", "submenu", "searchform", "huvudmeny", "brodsmulor"):  # fmt: skip
        assert hint_flags(value) & NEGATIVE, value
    # No ending on a short word but a plural "s", and no "-ed": "shared" is no sharing bar.
    assert hint_flags("ads") & NEGATIVE and not hint_flags("ada") & NEGATIVE
    assert not hint_flags("shared") & NEGATIVE
    assert hint_flags("maincontent") & POSITIVE and hint_flags("artikelmall") & POSITIVE
    assert not hint_flags("mainnav") & POSITIVE and not hint_flags("textarea") & POSITIVE
    # Lead words take no ending: a "leader" is no ingress.
    assert hint_flags("lead-text") & LEAD and not hint_flags("leader") & LEAD
