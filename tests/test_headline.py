"""Title and kind of a release (scraper.headline), through extract_release."""

from __future__ import annotations

from release_page import release_page

from scraper.extract import extract_release
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
