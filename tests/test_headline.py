"""Title and kind of a release (scraper.extract.headline), through extract_release."""

from __future__ import annotations

from release_page import PARAGRAPHS, release_page

from scraper.extract.release import extract_release
from scraper.records import ListingEntry, Source


def test_title_keeps_prefix_and_kind_comes_from_it() -> None:
    html = release_page(title="Pressinbjudan: Invigning av ny förskola")
    release = extract_release(html, "https://ekas.se/nyheter/invigning/")
    assert release.title == "Pressinbjudan: Invigning av ny förskola"
    assert release.kind == "Pressinbjudan"


def test_title_falls_back_to_head_without_site_name() -> None:
    html = release_page().replace("<h1>Ny förskola i Ekås</h1>", "")
    release = extract_release(html, "https://ekas.se/nyheter/forskola/")
    assert release.title == "Ny förskola i Ekås"


def test_kind_from_listing_hint_then_source_default() -> None:
    html = release_page()
    url = "https://ekas.se/nyheter/forskola/"
    hinted = extract_release(html, url, hint=ListingEntry(url=url, kind="Pressmeddelande"))
    assert hinted.kind == "Pressmeddelande"
    source = Source(id="ekas", name="Ekås", url=url, default_kind="Nyhet")
    assert extract_release(html, url, source=source).kind == "Nyhet"
    assert extract_release(html, url).kind is None


def test_kind_from_a_label_beside_the_title() -> None:
    html = release_page(before='<p class="label">Pressmeddelande</p>')
    release = extract_release(html, "https://ekas.se/nyheter/forskola/")
    assert release.kind == "Pressmeddelande"
    assert "Pressmeddelande" not in release.body


def test_kind_from_a_label_glued_to_the_date_by_a_hidden_separator() -> None:
    before = (
        '<p class="meta"><span class="label">Pressinbjudan</span>'
        '<span aria-hidden="true"> | </span><span>20 januari 2025</span></p>'
    )
    release = extract_release(release_page(before=before), "https://ekas.se/nyheter/forskola/")
    assert release.kind == "Pressinbjudan"
    assert release.published == "2025-01-20"
    assert "Pressinbjudan" not in release.body


def _tags(*labels: str) -> str:
    items = "".join(f'<li><a href="/tagg/{t.lower()}/">{t}</a></li>' for t in labels)
    return f'<ul class="c-tags">{items}</ul>'


def test_kind_from_the_release_tag_list() -> None:
    """Municipio lists a post's tags (links to /tagg/...) under the text, without rel=tag."""
    url = "https://ekas.se/nyheter/forskola/"
    source = Source(id="ekas", name="Ekås", url=url, default_kind="Nyhet")
    tagged = release_page(after=PARAGRAPHS + _tags("Pressmeddelande", "Skola"))
    assert extract_release(tagged, url, source=source).kind == "Pressmeddelande"
    other = release_page(after=PARAGRAPHS + _tags("Skola"))
    assert extract_release(other, url, source=source).kind == "Nyhet"


def test_tags_out_of_the_release_or_in_a_sentence_name_no_kind() -> None:
    url = "https://ekas.se/nyheter/forskola/"
    # A "latest news" box beside the text lists another post's tags.
    box = f'<div role="complementary">{_tags("Pressmeddelande")}</div>'
    assert extract_release(release_page(after=PARAGRAPHS + box), url).kind is None
    sentence = PARAGRAPHS + (
        '<p>Länsstyrelsen skriver i ett <a href="/kategori/pressmeddelande/">Pressmeddelande</a>'
        " att brandrisken är stor i hela länet under veckan.</p>"
    )
    assert extract_release(release_page(after=sentence), url).kind is None
