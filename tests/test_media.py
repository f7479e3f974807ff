"""Images and attachments of a release (scraper.extract.media), through extract_release."""

from __future__ import annotations

from release_page import PARAGRAPHS, release_page

from scraper.extract.release import extract_release


def test_images_with_alt_and_caption_but_not_in_body_and_no_logos() -> None:
    after = (
        '<img src="/logo.png" class="logo" alt="Ekås kommun">'
        + PARAGRAPHS
        + '<figure><img src="/bilder/bygge.jpg" alt="Byggarbetare på tomten">'
        "<figcaption>Bygget startar i höst. Foto: Per Ek</figcaption></figure>"
    )
    release = extract_release(release_page(after=after), "https://ekas.se/nyheter/a/")
    assert [(i.url, i.alt, i.caption) for i in release.images] == [
        ("https://ekas.se/bilder/bygge.jpg", "Byggarbetare på tomten",
         "Bygget startar i höst. Foto: Per Ek")
    ]  # fmt: skip
    assert "Foto" not in release.body
    assert "Byggarbetare" not in release.body


def test_attachments_with_titles_and_mime_types() -> None:
    after = (
        PARAGRAPHS + '<p><a href="/dok/beslut.pdf">Beslut om förskola (pdf, 120 kB)</a></p>'
        '<p><a href="/dok/budget.xlsx">Budget</a> och <a href="/om/">om oss</a></p>'
    )
    release = extract_release(release_page(after=after), "https://ekas.se/nyheter/a/")
    assert [(a.url, a.title, a.mime_type) for a in release.attachments] == [
        ("https://ekas.se/dok/beslut.pdf", "Beslut om förskola (pdf, 120 kB)", "application/pdf"),
        ("https://ekas.se/dok/budget.xlsx", "Budget",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]  # fmt: skip
