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


# --------------------------------------------------------------------------
# The invariant: a next-page word alone never makes a link the next page.
# A three-page listing per CMS whose releases on pages 1 and 2 have titles
# that begin with a next-page (or previous-page) word; the walk must reach page 3.

#: Two release titles per word, as municipal editors write them.
TITLES_STARTING_WITH = {
    "Fler": ("Fler förskolor utsedda till Grön Flagg", "Fler laddstolpar utsedda i centrum"),
    "Nästa": ("Nästa etapp av Storgatan börjar byggas", "Nästa steg för nya simhallen"),
    "Äldre": ("Äldre broar i centrum ska renoveras", "Äldre personer erbjuds vaccin i höst"),
    "Visa fler": ("Visa fler hänsyn i trafiken nära skolorna", "Visa fler vägar till jobb"),
    "Mer": ("Mer pengar till skolan i nästa års budget", "Mer ljus på gång- och cykelvägar"),
    "Nyare": ("Nyare bussar i stadstrafiken från juni", "Nyare lokaler för kulturskolan"),
    "Föregående": (
        "Föregående års bokslut visar överskott",
        "Föregående mätning visade låga halter",
    ),
    "Next": ("Next Step-mässan kommer till stadshuset", "Next Generation-projektet avslutas"),
    "Äldre nyheter": ("Äldre nyheter från kommunen finns i arkivet", "Äldre nyheter flyttas"),
}
_FILLER = ("Vattenläcka på Storgatan", "Ny förskola i Norrby öppnar", "Budget för 2025 antagen")


def _slug(title: str) -> str:
    table = str.maketrans("åäöé", "aaoe")
    return "-".join(
        "".join(c for c in w if c.isalnum()) for w in title.lower().translate(table).split()
    )


def _titles(word: str, page: int) -> list[str]:
    """The release titles of one listing page: on pages 1 and 2 one starts with ``word``."""
    return [TITLES_STARTING_WITH[word][page - 1], *_FILLER] if page < 3 else list(_FILLER)


def _sitevision(word: str, page: int) -> tuple[str, str, str]:
    """Sitevision archive portlet; RESTApp-style page links (sv.target, sv.12.<id>.route, page)."""
    listing = "https://www.sjovik.se/kommun-och-politik/nyheter.html"
    route = "sv.target=12.1a2b3c4d&amp;sv.12.1a2b3c4d.route=/"

    def url(n: int) -> str:
        return listing if n == 1 else f"{listing}?{route.replace('&amp;', '&')}&page={n}"

    def href(n: int) -> str:
        return "/kommun-och-politik/nyheter.html" + ("" if n == 1 else f"?{route}&amp;page={n}")

    items = "".join(
        f'<li class="sv-channel-item"><a href="/kommun-och-politik/nyheter/nyheter/2023-0{page}-1{i}-{_slug(t)}.html">'
        f'<h2 class="subheading">{t}</h2></a><p class="normal"><span class="date">1{i} maj 2023</span></p></li>'
        for i, t in enumerate(_titles(word, page))
    )
    numbers = " ".join(
        f"<strong>{n}</strong>" if n == page else f'<a href="{href(n)}">{n}</a>' for n in (1, 2, 3)
    )
    forward = f' <a href="{href(page + 1)}">Nästa</a>' if page < 3 else ""
    back = f'<a href="{href(page - 1)}">Föregående</a> ' if page > 1 else ""
    html = f"""<!DOCTYPE html><html lang="sv"><head><title>Nyheter - Sjöviks kommun</title></head><body>
<header class="sv-layout header"><a href="/"><img src="/logo.svg" alt="Sjöviks kommun"></a>
 <nav class="sv-menu"><ul><li><a href="/kommun-och-politik.html">Kommun och politik</a></li></ul></nav></header>
<div class="sv-layout pagecontent" id="svid94_1">
 <div class="sv-text-portlet sv-portlet" id="svid12_a1"><div class="sv-text-portlet-content"><h1 class="heading">Nyheter</h1></div></div>
 <div class="sv-archive-portlet sv-portlet" id="svid12_1a2b3c4d"><ul>{items}</ul></div>
 <div class="sv-text-portlet sv-portlet"><div class="sv-text-portlet-content">
  <p>{back}Sida {page} av 3 {numbers}{forward}</p></div></div>
</div>
<footer class="sv-layout"><a href="/om-webbplatsen.html">Om webbplatsen</a></footer></body></html>"""
    return html, url(page), url(page + 1) if page < 3 else ""


def _episerver(word: str, page: int) -> tuple[str, str, str]:
    """EPiServer news list with a ul.pagination, the next link an aria-labelled arrow."""
    listing = "https://www.vastervik.se/Kommun-och-politik/Pressmeddelanden/"

    def url(n: int) -> str:
        return listing if n == 1 else f"{listing}?page={n}"

    items = "".join(
        f'<div class="news-list-item"><span class="news-date">2020-0{4 - page}-1{i}</span>'
        f'<h2><a href="/Kommun-och-politik/Pressmeddelanden/{_slug(t)}/">{t}</a></h2>'
        f"<p>Kort ingress om nyheten.</p></div>"
        for i, t in enumerate(_titles(word, page))
    )
    numbers = "".join(
        f'<li class="active"><span>{n}</span></li>'
        if n == page
        else f'<li><a href="?page={n}">{n}</a></li>'
        for n in (1, 2, 3)
    )
    back = (
        f'<li><a href="?page={page - 1}" aria-label="Föregående sida">‹</a></li>'
        if page > 1
        else ""
    )
    forward = (
        f'<li><a href="?page={page + 1}" aria-label="Nästa sida">›</a></li>' if page < 3 else ""
    )
    html = f"""<!DOCTYPE html><html lang="sv"><head><title>Pressmeddelanden - Västerviks kommun</title></head>
<body><form method="post" action="./" id="aspnetForm">
<div id="header"><a href="/"><img alt="Västerviks kommun" src="/logo.png"></a>
 <ul id="mainmenu"><li><a href="/Uppleva-och-gora/">Uppleva och göra</a></li></ul></div>
<div id="content" class="content-area"><h1>Pressmeddelanden</h1>
 <div class="news-list">{items}</div>
 <ul class="pagination">{back}{numbers}{forward}</ul>
</div><div id="footer"><a href="/Om-webbplatsen/">Om webbplatsen</a></div></form></body></html>"""
    return html, url(page), url(page + 1) if page < 3 else ""


def _wordpress(word: str, page: int) -> tuple[str, str, str]:
    """WordPress post-type archive (/nyheter/page/N/) with "Äldre inlägg"/"Nyare inlägg" only."""
    listing = "https://www.ekeby.se/nyheter/"

    def url(n: int) -> str:
        return listing if n == 1 else f"{listing}page/{n}/"

    items = "".join(
        f'<article class="post type-nyheter status-publish"><header class="entry-header">'
        f'<h2 class="entry-title"><a href="https://www.ekeby.se/nyheter/{_slug(t)}/" rel="bookmark">{t}</a></h2>'
        f'<time class="entry-date published" datetime="2021-0{4 - page}-1{i}T08:30:00+01:00">1{i} mars 2021</time>'
        f'</header><div class="entry-summary"><p>Kort ingress.</p></div></article>'
        for i, t in enumerate(_titles(word, page))
    )
    older = (
        f'<div class="nav-previous"><a href="{url(page + 1)}">Äldre inlägg</a></div>'
        if page < 3
        else ""
    )
    newer = (
        f'<div class="nav-next"><a href="{url(page - 1)}">Nyare inlägg</a></div>'
        if page > 1
        else ""
    )
    html = f"""<!DOCTYPE html><html lang="sv-SE"><head><title>Nyheter &#8211; Ekeby kommun</title></head>
<body class="archive post-type-archive"><header id="masthead" class="site-header">
<nav id="site-navigation" class="main-navigation"><ul class="menu"><li><a href="https://www.ekeby.se/bo-och-bygga/">Bo och bygga</a></li></ul></nav></header>
<div id="primary" class="content-area"><main id="main" class="site-main">
<header class="page-header"><h1 class="page-title">Nyheter</h1></header>{items}
<nav class="navigation posts-navigation" aria-label="Inlägg"><div class="nav-links">{older}{newer}</div></nav>
</main></div></body></html>"""
    return html, url(page), url(page + 1) if page < 3 else ""


@pytest.mark.parametrize("markup", [_sitevision, _episerver, _wordpress])
@pytest.mark.parametrize("word", list(TITLES_STARTING_WITH))
def test_release_titles_starting_with_next_words_do_not_stop_the_walk(markup, word: str) -> None:
    pages = {markup(word, n)[1]: n for n in (1, 2, 3)}
    url: str | None = markup(word, 1)[1]
    walked = []
    while url is not None and len(walked) < 5:
        html, own, expected_next = markup(word, pages[url])
        walked.append(pages[url])
        url = find_next_page(html, own)
        # whatever it returns is one of the listing's pages, never a release
        assert url is None or url in pages, url
        assert url == (expected_next or None)
    assert walked == [1, 2, 3]


# --------------------------------------------------------------------------
# Each kind of structural evidence on its own


def _listing(extra: str, *, head: str = "") -> str:
    """A news listing with three releases and ``extra`` (a pager, a button ...) below them."""
    items = "".join(
        f'<li class="news-item"><h2><a href="/nyheter/{slug}/">{title}</a></h2><p>2024-0{i}-10</p></li>'
        for i, (slug, title) in enumerate(
            [
                ("ny-forskola-i-norrby", "Ny förskola i Norrby öppnar"),
                ("vattenlacka-pa-storgatan", "Vattenläcka på Storgatan"),
                ("budget-2025-antagen", "Budget för 2025 antagen"),
            ],
            start=1,
        )
    )
    return f"<html><head>{head}</head><body><main><h1>Nyheter</h1><ul class='news-list'>{items}</ul>{extra}</main></body></html>"


def test_a_visa_fler_button_with_a_page_url_is_followed() -> None:
    html = _listing('<a class="btn btn--primary load-more" href="/nyheter/?page=2">Visa fler</a>')
    assert find_next_page(html, BASE) == BASE + "?page=2"


@pytest.mark.parametrize(
    "head, extra",
    [
        ('<link rel="next" href="/nyheter/arkiv/">', ""),
        ("", '<p><a rel="next" href="/nyheter/arkiv/">Läs vidare</a></p>'),
    ],
)
def test_rel_next_alone_is_followed(head: str, extra: str) -> None:
    assert find_next_page(_listing(extra, head=head), BASE) == BASE + "arkiv/"


@pytest.mark.parametrize(
    "mark",
    [
        '<span aria-current="page">2</span>',
        '<span class="active">2</span>',
        '<b class="current">2</b>',
    ],
)
@pytest.mark.parametrize("block", ["<nav class='pagination'>{}</nav>", "<p>Sida: {}</p>"])
def test_a_numbered_pager_without_a_next_link_gives_the_next_number(mark: str, block: str) -> None:
    numbers = f'<a href="?sida=1">1</a> {mark} <a href="?sida=3">3</a> <a href="?sida=4">4</a>'
    # the page's own URL does not say which page it is (a POSTed or session pager)
    assert find_next_page(_listing(block.format(numbers)), BASE) == BASE + "?sida=3"


def test_a_zero_based_pager_page_two_is_page_1() -> None:
    pager = (
        '<nav class="pager" role="navigation"><ul class="pager__items">'
        '<li class="pager__item is-active"><a href="?page=0" aria-current="page">1</a></li>'
        '<li class="pager__item"><a href="?page=1">2</a></li>'
        '<li class="pager__item"><a href="?page=2">3</a></li></ul></nav>'
    )
    assert find_next_page(_listing(pager), BASE) == BASE + "?page=1"
    page2 = pager.replace(
        ' is-active"><a href="?page=0" aria-current="page">', '"><a href="?page=0">'
    )
    page2 = page2.replace(
        '"><a href="?page=1">', ' is-active"><a href="?page=1" aria-current="page">'
    )
    assert find_next_page(_listing(page2), BASE + "?page=1") == BASE + "?page=2"
    # no number marked: the ?page=0 link says the count starts at 0
    bare = '<p><a href="?page=0">Första sidan</a> <a href="?page=1">Sida två</a></p>'
    assert find_next_page(_listing(bare), BASE) == BASE + "?page=1"


def test_a_lone_aldre_nyheter_link_to_an_archive_page_is_followed() -> None:
    html = _listing('<p><a href="/nyheter/arkiv/?page=2">Äldre nyheter</a></p>')
    assert find_next_page(html, BASE) == BASE + "arkiv/?page=2"


def test_fler_nyheter_to_another_listing_is_not_the_next_page() -> None:
    listing = "https://x.se/kommun-och-politik/press/pressmeddelanden/"
    html = _listing('<p><a href="/nyheter/">Fler nyheter</a></p>')
    assert find_next_page(html, listing) is None
    assert (
        find_next_page(_listing('<a class="button" href="/nyheter/">Fler nyheter</a>'), listing)
        is None
    )


@pytest.mark.parametrize(
    "extra",
    [
        # a title that *is* a next-page phrase, in the list itself
        '<ul><li><h2><a href="/nyheter/fler-nyheter-om-bredband/">Fler nyheter</a></h2></li></ul>',
        # a "Nästa" link or rel=next to a release: post navigation, not pagination
        '<div class="pager"><a href="/nyheter/nasta-steg-for-simhallen/">Nästa</a></div>',
        '<p><a rel="next" href="/nyheter/2024-05-01-nasta-steg.html">Nästa nyhet</a></p>',
        # backwards, whatever the URL says
        '<div class="pager"><a href="?page=2">Föregående</a></div>',
        '<div class="pager"><a href="?page=2">« Nyare</a> <a href="?page=2">Previous</a></div>',
    ],
)
def test_release_shaped_and_backward_links_are_never_the_next_page(extra: str) -> None:
    assert find_next_page(_listing(extra), BASE) is None


@pytest.mark.parametrize("word", [*TITLES_STARTING_WITH, "Nästa sida", "Visa fler nyheter"])
def test_no_structural_evidence_no_next_page(word: str) -> None:
    """The invariant: releases whose titles begin with (or are) a next-page phrase, and no
    pager, rel=next, page URL or button, give no next page."""
    items = "".join(
        f'<li><a href="/nyheter/{_slug(title)}-{i}/">{title}</a></li>'
        for i, title in enumerate([word, f"{word} i kommunen", *TITLES_STARTING_WITH.get(word, ())])
    )
    assert find_next_page(_listing(f"<ul>{items}</ul>"), BASE) is None


@pytest.mark.parametrize(
    "pager",
    [
        # an ellipsis link jumps pages: it is no "»"
        '<nav class="pagination"><span aria-current="page">1</span> <a href="?page=2">2</a> <a href="?page=5">…</a> <a href="?page=9">9</a></nav>',
        # numbers wrapped in spans inside the links are links, not the current page
        '<div class="pager"><a href="?page=2"><span>2</span></a> <a href="?page=3"><span>3</span></a></div>',
    ],
)
def test_pager_details_do_not_skip_page_two(pager: str) -> None:
    assert find_next_page(_listing(pager), BASE) == BASE + "?page=2"
