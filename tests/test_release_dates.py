"""Published and updated dates of a release (extract.release_dates), through extract_release."""

from __future__ import annotations

import pytest
from release_page import PARAGRAPHS, release_page

from scraper.extract.release import extract_release
from scraper.records import ListingEntry


@pytest.mark.parametrize(
    ("head", "after", "url", "published", "source"),
    [
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2020-02-28T09:15:00+01:00"}</script>'
            '<meta property="article:published_time" content="2019-01-01">',
            PARAGRAPHS,
            "https://ekas.se/a/",
            "2020-02-28T09:15:00+01:00",
            "json-ld",
        ),
        (
            '<meta property="article:published_time" content="2020-02-28T09:15:00Z">'
            '<meta name="DC.date" content="2019-01-01">',
            PARAGRAPHS,
            "https://ekas.se/a/",
            "2020-02-28T09:15:00+00:00",
            "meta",
        ),
        ('<meta name="DC.date" content="2020-02-28">', PARAGRAPHS, "https://ekas.se/a/",
         "2020-02-28", "dublin-core"),
        ("", '<time datetime="2020-02-28">28 feb</time>' + PARAGRAPHS, "https://ekas.se/a/",
         "2020-02-28", "time"),
        ("", "<p>Publicerad: 28 feb 2020 kl. 09.15</p>" + PARAGRAPHS, "https://ekas.se/a/",
         "2020-02-28T09:15", "text"),
        ("", "<p>28 februari 2020</p>" + PARAGRAPHS, "https://ekas.se/a/", "2020-02-28", "text"),
        ("", PARAGRAPHS, "https://ekas.se/nyheter/2020-02-28-forskola.html", "2020-02-28", "url"),
    ],
)  # fmt: skip
def test_published_date_sources_in_order(
    head: str, after: str, url: str, published: str, source: str
) -> None:
    release = extract_release(release_page(head=head, after=after), url)
    assert (release.published, release.published_source) == (published, source)
    assert release.body.startswith("Kommunfullmäktige beslutade")


def test_date_before_the_title_and_reviewed_line_ignored() -> None:
    after = PARAGRAPHS + "<p>Sidan senast granskad den 2 mars 2021</p>"
    release = extract_release(
        release_page(before="<p>8 juni 2015</p>", after=after), "https://e.se/a"
    )
    assert release.published == "2015-06-08"
    assert "granskad" not in release.body
    assert "8 juni 2015" not in release.body


def test_published_and_updated_from_one_labelled_line() -> None:
    after = "<p>Publicerad: 28 februari 2020 Uppdaterad: 3 mars 2020</p>" + PARAGRAPHS
    release = extract_release(release_page(after=after), "https://ekas.se/a/")
    assert (release.published, release.updated) == ("2020-02-28", "2020-03-03")
    assert release.updated_source == "text"


def test_published_from_listing_hint_when_page_has_none() -> None:
    url = "https://ekas.se/a/"
    release = extract_release(
        release_page(), url, hint=ListingEntry(url=url, published="2020-02-28")
    )
    assert (release.published, release.published_source) == ("2020-02-28", "listing")


def test_bare_date_then_labelled_update_on_one_line() -> None:
    before = "<p>11 februari 2013 | Uppdaterad 12 februari 2013</p>"
    release = extract_release(release_page(before=before), "https://ekas.se/a/")
    assert (release.published, release.updated) == ("2013-02-11", "2013-02-12")
    assert "2013" not in release.body
