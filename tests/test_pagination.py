# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Pagination: find_next_page over the pager styles municipal sites use."""

from __future__ import annotations

import pytest

from scraper.discover.pagination import find_next_page

# --------------------------------------------------------------------------
# Pagination styles


def _pager(links: str, *, current: str = "") -> str:
    items = "".join(
        f'<li><article><h2><a href="/nyheter/nyhet-{i}/">Nyhet nummer {i} om skolan</a></h2>'
        f"<p>2021-01-0{i}</p></article></li>"
        for i in range(1, 4)
    )
    return f"<html><body><main><ul>{items}</ul><div class='pager'>{current}{links}</div></main></body></html>"


BASE = "https://x.se/nyheter/"


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        (_pager('<a href="?page=2">Nästa sida</a>'), BASE, BASE + "?page=2"),
        (
            _pager('<a href="?page=1">Föregående</a><a href="?page=3">Nästa</a>'),
            BASE + "?page=2",
            BASE + "?page=3",
        ),
        (_pager('<a href="/nyheter/?sida=2">Visa fler</a>'), BASE, BASE + "?sida=2"),
        (_pager('<a href="arkiv/?p=2">Fler nyheter</a>'), BASE, BASE + "arkiv/?p=2"),
        (_pager('<a href="/nyheter/page/3/">Äldre inlägg</a>'), BASE + "page/2/", BASE + "page/3/"),
        (_pager('<a href="?page=2">»</a>'), BASE, BASE + "?page=2"),
        (_pager('<a href="?page=2"><span>›</span></a>'), BASE, BASE + "?page=2"),
        (_pager('<a href="?page=2">Next</a>'), BASE, BASE + "?page=2"),
        (_pager('<a href="?page=2" aria-label="Nästa"><svg></svg></a>'), BASE, BASE + "?page=2"),
        (
            _pager('<a href="?page=2" title="Gå till nästa sida"><i class="icon"></i></a>'),
            BASE,
            BASE + "?page=2",
        ),
        # numbered links: current + 1
        (
            _pager(
                '<a href="?page=1">1</a><a href="?page=2">2</a><a href="?page=3">3</a>', current=""
            ),
            BASE + "?page=2",
            BASE + "?page=3",
        ),
        (
            _pager(
                '<a href="?page=2">2</a><a href="?page=3">3</a>',
                current='<span aria-current="page">1</span>',
            ),
            BASE,
            BASE + "?page=2",
        ),
        (
            _pager(
                '<a href="?p=1">1</a><span class="current">2</span><a href="?p=3">3</a><a href="?p=5">Sista »</a>'
            ),
            BASE + "?p=2",
            BASE + "?p=3",
        ),
        # any query parameter that increments, the others kept
        (
            _pager('<a href="?cat=4&amp;start=10">x</a><a href="?cat=4&amp;start=20">y</a>'),
            BASE + "?cat=4&start=10",
            BASE + "?cat=4&start=20",
        ),
        (
            _pager('<a href="?cat=4&amp;start=10">x</a><a href="?cat=4&amp;start=20">y</a>'),
            BASE + "?cat=4",
            BASE + "?cat=4&start=10",
        ),
        # /page/N+1/ without any text
        (
            _pager(
                '<a href="/nyheter/page/2/">x</a><a href="/nyheter/page/4/">y</a><a href="/nyheter/page/3/">z</a>'
            ),
            BASE + "page/2/",
            BASE + "page/3/",
        ),
    ],
)
def test_next_page(html: str, url: str, expected: str) -> None:
    assert find_next_page(html, url) == expected


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # last page: only links back
        (
            _pager(
                '<a href="?page=2">Föregående</a><a href="?page=1">1</a><a href="?page=2">2</a><span class="current">3</span>'
            ),
            BASE + "?page=3",
        ),
        (_pager('<a href="/nyheter/page/2/">Nyare inlägg</a>'), BASE + "page/3/"),
        (_pager('<a href="?page=1">« Första</a><a href="?page=2">‹</a>'), BASE + "?page=3"),
        # a "next" link to this very page or to an earlier one is refused
        (_pager('<a href="?page=3">Nästa</a>'), BASE + "?page=3"),
        (_pager('<a href="?page=2">Nästa</a>'), BASE + "?page=3"),
        (_pager('<link rel="next" href="/nyheter/">'), BASE),
        (_pager(""), BASE),
        ("", BASE),
    ],
)
def test_no_next_page(html: str, url: str) -> None:
    assert find_next_page(html, url) is None


def test_weak_next_words_must_stay_on_the_listing() -> None:
    html = _pager('<a href="/evenemang/">Fler evenemang</a><a href="/nyheter/?page=2">2</a>')
    assert find_next_page(html, BASE) == BASE + "?page=2"
    assert find_next_page(_pager('<a href="/evenemang/">Visa fler</a>'), BASE) is None


def test_release_titles_starting_with_next_words_are_not_next_links() -> None:
    items = (
        '<a href="/nyheter/aldreboendet-invigt/">Äldreboendet Solgläntan invigt</a>'
        '<a href="/nyheter/nastan-400-jobb/">Nästan 400 sommarjobb till unga</a>'
        '<a href="/nyheter/nextgen-skola/">Nextgen-skolan öppnar</a>'
        '<a href="/nyheter/flera-vagar/">Flera vägar stängs i helgen</a>'
    )
    assert find_next_page(_pager(items), BASE) is None
    assert find_next_page(_pager(items + '<a href="?sida=2">Nästa sida</a>'), BASE) == (
        BASE + "?sida=2"
    )


def test_numbered_links_outside_the_listing_are_not_pages() -> None:
    calendar = '<a href="/evenemang/?dag=2">2</a><a href="/evenemang/?dag=3">3</a>'
    assert find_next_page(_pager(calendar, current='<span class="current">1</span>'), BASE) is None


def test_rel_next_wins_over_text() -> None:
    html = _pager('<a href="?page=9">Nästa</a>').replace(
        "<html>", '<html><head><link rel="next" href="?page=2"></head>'
    )
    assert find_next_page(html, BASE) == BASE + "?page=2"
