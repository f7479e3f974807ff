# ruff: noqa: E501  (inline HTML fixtures keep their real line lengths)
"""Verdicts: is this page a listing of releases, which kind, and where a sitemap keeps them."""

from __future__ import annotations

import pytest

from scraper.discover.verify import (
    no_press_releases_sentence,
    notice_board,
    says_no_press_releases,
    sitemap_release_folders,
    verify_listing,
)
from scraper.records import ListingEntry


def _sitevision_archive(days: list[int], *, heading: str = "Nyhetsarkiv") -> str:
    items = "".join(
        f'<li class="sv-channel-item"><a href="/nyheter/nyhetsarkiv/2026-11-{d:02d}-nyhet-om-kommunen-nummer-{d}.html">'
        f"Nyhet om kommunen nummer {d}</a><p>{d} november 2026</p></li>"
        for d in days
    )
    return f"""<html><head><title>{heading} - Björkby kommun</title></head><body>
    <header><nav><a href="/">Start</a><a href="/kommun-och-politik.html">Kommun och politik</a></nav></header>
    <main><h1>{heading}</h1><div class="sv-archive-portlet"><ul>{items}</ul></div></main>
    <footer><a href="/press.html">Press</a></footer></body></html>"""


PRESS_LIST_WITH_PAGER = """<html><head><title>Pressmeddelanden - Björkby kommun</title></head><body>
<main><h1>Pressmeddelanden</h1><div class="list">
<div class="teaser"><h2><a href="/Kommun-och-politik/Pressmeddelanden/Budget-2027-klar/">Budget för 2027 klar</a></h2><span class="label">Pressmeddelande</span></div>
<div class="teaser"><h2><a href="/Kommun-och-politik/Pressmeddelanden/Ny-skola-i-Norrby/">Ny skola i Norrby</a></h2><span class="label">Pressmeddelande</span></div>
<div class="teaser"><h2><a href="/Kommun-och-politik/Pressmeddelanden/Spadtag-simhallen/">Spadtag för simhallen</a></h2><span class="label">Pressinbjudan</span></div>
<div class="teaser"><h2><a href="/Kommun-och-politik/Pressmeddelanden/Vinterns-snorojning/">Vinterns snöröjning</a></h2><span class="label">Pressmeddelande</span></div>
</div><nav class="pagination"><a href="?page=2" rel="next">Nästa sida</a></nav></main></body></html>"""

NEWS_WITH_PRESS_LABELS = """<html><head><title>Aktuellt | Björkby kommun</title></head><body><main><h1>Aktuellt</h1><ul>
<li><a href="/aktuellt/ny-skola-i-norrby/">Ny skola i Norrby öppnar i höst</a> <span>Pressmeddelande · 2026-11-03</span></li>
<li><a href="/aktuellt/vattenlacka-i-centrum/">Vattenläcka i centrum åtgärdad</a> <span>Nyhet · 2026-11-02</span></li>
<li><a href="/aktuellt/biblioteket-utokar-oppettiderna/">Biblioteket utökar öppettiderna</a> <span>Nyhet · 2026-10-28</span></li>
</ul></main></body></html>"""

EVENT_CALENDAR = """<html><head><title>Evenemang - Björkby kommun</title></head><body><main><h1>Evenemang</h1><ul>
<li><a href="/evenemang/julmarknad-pa-torget/">Julmarknad på torget i Björkby</a> <span>2026-12-05</span></li>
<li><a href="/evenemang/luciakonsert-i-kyrkan/">Luciakonsert i Björkby kyrka</a> <span>2026-12-13</span></li>
<li><a href="/evenemang/nyarsfirande-vid-hamnen/">Nyårsfirande vid hamnen</a> <span>2026-12-31</span></li>
<li><a href="/evenemang/vinterbad-i-sjon/">Vinterbad i sjön för alla</a> <span>2027-01-06</span></li>
</ul></main></body></html>"""

PRESS_HUB = """<html><head><title>Press och media - Björkby kommun</title></head><body><main><h1>Press och media</h1>
<p>Här hittar du som journalist allt material.</p><ul>
<li><a href="/press/pressmeddelanden/">Pressmeddelanden</a></li>
<li><a href="/press/pressbilder/">Pressbilder</a></li>
<li><a href="/press/presskontakt/">Presskontakt</a></li></ul></main></body></html>"""

ONE_RELEASE = """<html><head><title>Ny skola i Norrby - Björkby kommun</title></head><body><main>
<article><h1>Ny skola i Norrby</h1><p>Publicerad 2026-11-03</p><p>Kommunfullmäktige har beslutat att bygga en ny skola.</p>
<p>Läs också: <a href="/nyheter/2026-10-01-skolutredningen-klar.html">Skolutredningen klar</a></p></article></main></body></html>"""

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Pressmeddelanden</title>
<item><title>Ny skola</title><link>https://www.bjorkby.se/press/ny-skola/</link><pubDate>Tue, 03 Nov 2026 09:00:00 +0100</pubDate><category>Pressmeddelande</category></item>
<item><title>Budget</title><link>https://www.bjorkby.se/press/budget/</link><pubDate>Mon, 02 Nov 2026 09:00:00 +0100</pubDate><category>Pressmeddelande</category></item>
</channel></rss>"""


def test_a_dated_news_archive_newest_first_is_a_news_listing() -> None:
    verdict = verify_listing(
        _sitevision_archive([20, 18, 15, 9, 2]), "https://www.bjorkby.se/nyheter/nyhetsarkiv.html"
    )
    assert verdict.is_listing, verdict.evidence
    assert verdict.kind == "news"
    assert verdict.releases_seen == 5 and verdict.newest == "2026-11-20"
    assert (
        verdict.entries[0]
        == "https://www.bjorkby.se/nyheter/nyhetsarkiv/2026-11-20-nyhet-om-kommunen-nummer-20.html"
    )
    assert "5 of 5 dated, newest 2026-11-20" in verdict.evidence


def test_undated_press_list_with_pager_and_labels_is_a_press_listing() -> None:
    verdict = verify_listing(
        PRESS_LIST_WITH_PAGER, "https://www.bjorkby.se/Kommun-och-politik/Pressmeddelanden/"
    )
    assert verdict.is_listing, verdict.evidence
    assert verdict.kind == "press"
    assert verdict.next_url == "https://www.bjorkby.se/Kommun-och-politik/Pressmeddelanden/?page=2"
    assert any(line.startswith("a pager") for line in verdict.evidence)
    assert any("kind labels: press 4" in line for line in verdict.evidence)


def test_news_page_whose_items_are_partly_press_releases_is_mixed() -> None:
    verdict = verify_listing(NEWS_WITH_PRESS_LABELS, "https://www.bjorkby.se/aktuellt/")
    assert verdict.is_listing and verdict.kind == "mixed"


def test_press_heading_wins_over_a_news_url() -> None:
    html = _sitevision_archive([9, 8, 7], heading="Pressmeddelanden")
    verdict = verify_listing(html, "https://www.bjorkby.se/nyheter/nyhetsarkiv.html")
    assert verdict.kind == "press", verdict.evidence


@pytest.mark.parametrize(
    ("html", "url", "why"),
    [
        (EVENT_CALENDAR, "https://www.bjorkby.se/evenemang/", "oldest first"),
        (PRESS_HUB, "https://www.bjorkby.se/press/", "undated, and no pager"),
        (ONE_RELEASE, "https://www.bjorkby.se/nyheter/2026-11-03-ny-skola.html", "fewer than 3"),
    ],
)
def test_calendars_hubs_and_single_releases_are_no_listings(html: str, url: str, why: str) -> None:
    verdict = verify_listing(html, url)
    assert not verdict.is_listing
    assert any(why in line for line in verdict.evidence), verdict.evidence


def test_an_ascending_archive_is_no_listing() -> None:
    verdict = verify_listing(
        _sitevision_archive([1, 5, 9, 14, 20]), "https://www.bjorkby.se/nyheter/"
    )
    assert not verdict.is_listing


def test_a_feed_with_entries_is_a_listing() -> None:
    verdict = verify_listing(FEED, "https://www.bjorkby.se/press/rss/")
    assert verdict.is_listing and verdict.kind == "press"
    assert verdict.newest == "2026-11-03"


def test_a_sitemap_is_left_to_sitemap_release_folders() -> None:
    sitemap = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.se/a</loc></url></urlset>'
    verdict = verify_listing(sitemap, "https://x.se/sitemap.xml")
    assert not verdict.is_listing
    assert any("sitemap_release_folders" in line for line in verdict.evidence)


# --------------------------------------------------------------------------
# "We publish no press releases"


@pytest.mark.parametrize(
    "text",
    [
        "Vi publicerar inte pressmeddelanden på ett särskilt ställe, utan som nyheter på webbplatsen.",
        "Björkby kommun skickar inte ut pressmeddelanden.",
        "Kommunen publicerar inga pressmeddelanden.",
        "Vi skickar inte längre ut några pressmeddelanden.",
        "Inga pressmeddelanden publiceras här sedan 2024.",
    ],
)
def test_saying_no_press_releases(text: str) -> None:
    html = f"<html><body><main><h1>Press</h1><p>Välkommen. {text} Kontakta oss gärna.</p></main></body></html>"
    assert says_no_press_releases(html)
    assert no_press_releases_sentence(html) == text


@pytest.mark.parametrize(
    "text",
    [
        "Har du inte fått våra pressmeddelanden? Anmäl dig till utskicket.",
        "Vi skickar inte ut pressmeddelanden om enskilda personalärenden.",
        "Här hittar du våra pressmeddelanden.",
        "Det finns inga nyheter just nu.",
    ],
)
def test_pages_that_do_not_say_so(text: str) -> None:
    assert not says_no_press_releases(f"<html><body><p>{text}</p></body></html>")


def test_a_script_saying_so_does_not_count() -> None:
    html = "<html><body><script>var t = 'Vi publicerar inte pressmeddelanden.';</script><p>Hej</p></body></html>"
    assert not says_no_press_releases(html)


# --------------------------------------------------------------------------
# Sitemaps


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        ("https://x.se/kommun-och-politik/anslagstavla/", None, True),
        ("https://x.se/kommun-och-politik/anslagstavla/kungorelse-detaljplan.html", None, True),
        ("https://x.se/politik/kallelser-och-protokoll/", None, True),
        ("https://x.se/dokument/4711/", "Kungörelse om granskning", True),
        ("https://x.se/nyheter/", "Nyheter", False),
        ("https://x.se/press/pressmeddelanden/", None, False),
    ],
)
def test_notice_board(url: str, title: str | None, expected: bool) -> None:
    assert notice_board(url, title) is expected


def test_sitemap_release_folders_finds_dated_and_press_folders_and_skips_the_rest() -> None:
    entries: list[ListingEntry | str | tuple[str, str | None]] = []
    entries += [f"https://x.se/nyheter/2026/{m:02d}/nyhet-nummer-{m}.html" for m in range(1, 9)]
    entries += ["https://x.se/nyheter/"]
    entries += [
        ListingEntry(
            url=f"https://x.se/kommun/anslagstavla/kungorelse-{i}.html",
            updated=f"2026-10-{i + 1:02d}",
        )
        for i in range(9)
    ]
    entries += [f"https://x.se/nyhetsarkiv/2022-04-{d:02d}-slug-{d}.html" for d in range(1, 7)]
    entries += ["https://x.se/nyhetsarkiv/nyhetsarkiv.html"]
    entries += [f"https://x.se/skola/grundskolor/skola-{i}.html" for i in range(10)]
    entries += [
        (f"https://x.se/press/pressmeddelanden/pm-{i}/", f"2026-11-0{i + 1}") for i in range(5)
    ]
    entries += [f"https://x.se/arkiv/nyheter/nyheter-2025/nyhet-{i}/" for i in range(4)]
    entries += [f"https://x.se/arkiv/nyheter/nyheter-2024/nyhet-{i}/" for i in range(4)]
    folders = sitemap_release_folders(entries)
    assert [f.folder for f in folders] == [
        "https://x.se/press/pressmeddelanden/",
        "https://x.se/arkiv/nyheter/",
        "https://x.se/nyheter/",
        "https://x.se/nyhetsarkiv/",
    ]
    press, years, news, archive = folders
    assert (press.kind, press.pages, press.newest) == ("press", 5, "2026-11-05")
    assert press.examples[0] == "https://x.se/press/pressmeddelanden/pm-4/"
    assert (years.pages, years.dated) == (8, 8)
    assert (news.kind, news.pages, news.dated, news.newest) == ("news", 8, 8, "2026-08")
    assert news.listing == "https://x.se/nyheter/"
    assert (archive.pages, archive.listing) == (6, "https://x.se/nyhetsarkiv/nyhetsarkiv.html")
    assert all(f.evidence for f in folders)


def test_an_undated_folder_without_press_words_is_no_release_folder() -> None:
    entries = [f"https://x.se/om-kommunen/organisation/enhet-{i}/" for i in range(20)]
    assert sitemap_release_folders(entries) == ()
    assert sitemap_release_folders(entries[:4] + ["https://x.se/nyheter/a/"]) == ()


def test_a_dated_folder_without_words_counts() -> None:
    entries = [f"https://x.se/blog/2026/11/{d:02d}/inlagg-{d}/" for d in range(1, 7)]
    (folder,) = sitemap_release_folders(entries)
    assert (folder.folder, folder.kind, folder.dated, folder.newest) == (
        "https://x.se/blog/",
        "unknown",
        6,
        "2026-11-06",
    )
