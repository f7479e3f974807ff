"""The archive's own pages: municipalities, counties, charts, versions and citations,
and change alerts that carry the change (feeds and the changes view)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from datasette.app import Datasette
from front_archive import build_front_archive

from scraper.serve.app import make_datasette
from scraper.serve.charts import (
    Chart,
    Series,
    bar_chart_svg,
    column_chart_svg,
    kind_chart,
    month_chart,
    nice_max,
)
from scraper.serve.cite import Citation, versions
from scraper.serve.pages import county_slug

TODAY = date.today()
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("pages") / "archive.db"
    return path, build_front_archive(path, today=TODAY)


@pytest.fixture
def ds(archive: tuple[Path, dict[str, int]]) -> Datasette:
    return make_datasette(archive[0])


@pytest.fixture
def ids(archive: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return archive[1]


async def page(ds: Datasette, path: str, status: int = 200) -> str:
    response = await ds.client.get(path)
    assert response.status_code == status, response.text[-2000:]
    return response.text


def text_of(html: str) -> str:
    """The page's words, tags and runs of white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------
# /kommuner


async def test_every_municipality_and_region_is_listed(ds: Datasette) -> None:
    html = await page(ds, "/kommuner")
    links = set(re.findall(r'href="/kommun/([0-9R]+)"', html))
    assert len(links) == 290 + 21
    assert {"0883", "0880", "R08", "1440"} <= links
    words = text_of(html)
    assert "2 av 311 har pressmeddelanden i arkivet" in words
    # Västervik: 3 releases, 2 of its 3 listed links archived.
    row = re.search(r'<tr>\s*<th scope="row"><a href="/kommun/0883">.*?</tr>', html, re.S)
    assert row is not None
    cells = text_of(row.group(0))
    assert "Västerviks kommun" in cells and " 3 " in cells and "67 %" in cells
    # A source tied to no municipality is still reachable.
    assert "Strandviks kommun" in words and "Källor utan kommun" in words
    assert 'href="/lan/kalmar-lan"' in html


# --------------------------------------------------------------------------
# /kommun/<id>


async def test_municipality_page(ds: Datasette, ids: dict[str, int]) -> None:
    html = await page(ds, "/kommun/0883")
    words = text_of(html)
    assert "<h1>Västerviks kommun</h1>" in html
    assert "Kommun i Kalmar län" in words
    # Its latest releases, newest first, linked to their pages.
    titles = re.findall(r'<li><a href="/archive/releases/(\d+)">', html)
    assert [int(t) for t in titles] == [ids["skolan"], ids["far"], ids["seed"]]
    # Its feeds and its search.
    assert 'href="/archive/organisation.atom?organisation=0883"' in html
    assert 'href="/archive/changes.atom?organisation=0883"' in html
    assert 'href="/?q=&amp;kommun=0883"' in html
    # Where it publishes, from discovery and the sources table.
    assert "lista på webbplatsen: https://www.vastervik.se/press/" in words
    assert "egna webbplatsen" in words
    # Its source's health, as scraper status judges it.
    assert "fungerar" in words and "67 % (2 av 3)" in words and "1 saknas" in words
    # The charts, each with its figures in a table.
    assert html.count('role="img"') == 2
    assert "<title>2024-08: 1 pressmeddelanden</title>" in html
    assert '<th scope="row">2023</th><td>1</td>' in html


async def test_failing_source_is_shown_as_failing(ds: Datasette) -> None:
    words = text_of(await page(ds, "/kommun/0880"))
    assert "misslyckas sedan" in words and "HTTP 503 after 4 attempts" in words
    assert "extern: www.ekby.se" in words  # Kalmar's domain is kalmar.se


async def test_municipality_without_releases(ds: Datasette) -> None:
    words = text_of(await page(ds, "/kommun/1440"))
    assert "Ale kommun" in words and "0 pressmeddelanden i arkivet" in words
    assert "Arkivet har ingen källa för Ale kommun än" in words
    assert "Inga pressmeddelanden att visa än" in words


async def test_unknown_municipality_and_county_are_404(ds: Datasette) -> None:
    await page(ds, "/kommun/9999", status=404)
    await page(ds, "/lan/ingenstans-lan", status=404)


async def test_year_export_is_that_years_releases(ds: Datasette, ids: dict[str, int]) -> None:
    html = await page(ds, "/kommun/0880")
    link = re.search(r'href="([^"]+)" class="csv-export" data-year="2024"', html)
    assert link is not None
    response = await ds.client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(int(r["id"]) for r in rows) == sorted(
        [ids["skolor"], ids["frukt"], ids["budget"]]
    )


# --------------------------------------------------------------------------
# /lan and /statistik


async def test_county_page_by_slug_and_code(ds: Datasette) -> None:
    html = await page(ds, "/lan/kalmar-lan")
    assert html == await page(ds, "/lan/08")
    words = text_of(html)
    assert "<h1>Kalmar län</h1>" in html
    assert "Västerviks kommun" in words and "Region Kalmar län" in words
    assert "Göteborgs kommun" not in words
    assert 'href="/archive/organisation.atom?county=08"' in html
    # Per capita in the newest year: Kalmar kommun, 3 releases in 2024.
    assert "Kalmar kommun: 0,41 per 10 000 invånare" in html


async def test_statistics_page(ds: Datasette) -> None:
    html = await page(ds, "/statistik")
    assert html.count('role="img"') == 3
    # Every month up to the newest release (the invitation of 5 days ago), empty ones
    # as 0, at most the newest 60.
    newest = (TODAY - timedelta(days=5)).isoformat()[:7]
    assert f'<th scope="row">{newest}</th><td>1</td>' in html
    months = re.findall(r'<th scope="row">(\d{4}-\d{2})</th>', html)
    assert len(months) == 60 and months[-1] == newest
    assert "Pressinbjudan" in html and "Nyhet" in html
    await page(ds, "/statistik?ar=2023")
    await page(ds, "/statistik?ar=bogus")


# --------------------------------------------------------------------------
# Versions and citations


async def test_each_version_has_a_permalink_and_a_citation(
    ds: Datasette, ids: dict[str, int]
) -> None:
    budget = ids["budget"]
    first = await page(ds, f"/archive/releases/{budget}/version/1")
    words = text_of(first)
    assert "Version 1 av 3" in words
    assert "Mest pengar går till äldreomsorg och skola." in words
    assert "Kalmar kommun: ”Budgeten för 2025 är klar”, publicerad 2024-11-20, arkiverad" in words
    assert "Original: https://www.ekby.se/nyheter/budget-2025/." in words
    assert f"Arkivkopia: http://localhost/archive/releases/{budget}/version/1" in words
    assert "<del>skola.</del>" in first and "<ins>räddningstjänst.</ins>" in first
    third = text_of(await page(ds, f"/archive/releases/{budget}/version/3"))
    assert "(den nuvarande)" in third and "kollektivtrafik" in third
    await page(ds, f"/archive/releases/{budget}/version/4", status=404)
    await page(ds, f"/archive/releases/{budget}/version/0", status=404)
    await page(ds, "/archive/releases/99999/version/1", status=404)


async def test_release_page_cites_its_current_version(ds: Datasette, ids: dict[str, int]) -> None:
    budget = ids["budget"]
    html = await page(ds, f"/archive/releases/{budget}")
    assert "<h2>Citera</h2>" in html
    assert f"Arkivkopia: http://localhost/archive/releases/{budget}/version/3" in html
    assert f'href="/archive/releases/{budget}/version/1"' in html
    assert f'href="/archive/releases/{budget}/version/2"' in html


def test_versions_are_numbered_oldest_first() -> None:
    release = {"title": "Nu", "first_seen": "2026-01-01T00:00:00Z", "version_seen": "2026-03-01"}
    revisions = [
        {"id": 7, "title": "Först", "first_seen": "2026-01-01T00:00:00Z", "diff": "a"},
        {"id": 9, "title": "Sedan", "first_seen": "2026-02-01T00:00:00Z", "diff": "b"},
    ]
    found = versions(release, revisions)
    assert [(v["number"], v["title"], v["current"]) for v in found] == [
        (1, "Först", False),
        (2, "Sedan", False),
        (3, "Nu", True),
    ]
    assert found[-1]["archived_at"] == "2026-03-01"


def test_citation_text() -> None:
    citation = Citation(
        title="Nya skolan",
        organisation="Västerviks kommun",
        published="2024-08-12T10:00",
        archived_at="2026-10-07T08:00:00Z",
        original_url="https://www.vastervik.se/a/",
        archive_url="https://arkiv.example/archive/releases/2/version/1",
    )
    assert citation.text() == (
        "Västerviks kommun: ”Nya skolan”, publicerad 2024-08-12, arkiverad 2026-10-07 08:00 UTC."
        " Original: https://www.vastervik.se/a/."
        " Arkivkopia: https://arkiv.example/archive/releases/2/version/1"
    )


# --------------------------------------------------------------------------
# Change alerts


def atom_entries(xml: str) -> list[tuple[str, str]]:
    feed = ElementTree.fromstring(xml.encode("utf-8"))
    return [
        (e.findtext(f"{ATOM}title") or "", e.findtext(f"{ATOM}content") or "")
        for e in feed.findall(f"{ATOM}entry")
    ]


async def test_changes_feed_carries_each_changes_diff(ds: Datasette) -> None:
    entries = atom_entries(await page(ds, "/archive/changes.atom"))
    changed = [content for title, content in entries if title.startswith("Ändrat: ")]
    assert len(changed) == 2
    newest, older = changed
    assert "<del>räddningstjänst.</del>" in newest and "<ins>kollektivtrafik.</ins>" in newest
    assert "<del>skola.</del>" in older and "<ins>räddningstjänst.</ins>" in older
    assert all("content hash" not in content for _, content in entries)
    removed = [content for title, content in entries if title.startswith("Borttaget: ")]
    assert removed and "HTTP 404" in removed[0]


async def test_change_feeds_per_municipality_county_and_search(ds: Datasette) -> None:
    def titles(xml: str) -> list[str]:
        return [title for title, _ in atom_entries(xml)]

    ekby = titles(await page(ds, "/archive/changes.atom?organisation=0880"))
    assert ekby == ["Ändrat: Budgeten för 2025 är klar"] * 2
    assert titles(await page(ds, "/archive/changes.atom?organisation=0883")) == []
    assert len(titles(await page(ds, "/archive/changes.atom?county=08"))) == 2
    assert titles(await page(ds, "/archive/changes.atom?q=budgeten")) == ekby
    assert titles(await page(ds, "/archive/changes.atom?q=vattenläcka")) == [
        "Borttaget: Vattenläcka på Storgatan"
    ]


async def test_changes_view_shows_the_diff_not_markup(ds: Datasette) -> None:
    html = await page(ds, "/archive/changes")
    assert "<del>räddningstjänst.</del>" in html and "<ins>kollektivtrafik.</ins>" in html
    assert "[-" not in html and "{+" not in html


# --------------------------------------------------------------------------
# Clean tables and the database page


async def test_database_page_leads_with_the_archives_pages(ds: Datasette) -> None:
    html = await page(ds, "/archive")
    start = html.index("Sök i pressmeddelandena")
    assert start < html.index("Färdiga frågor") < html.index("<textarea")
    assert "select * from attachments" not in html
    assert re.search(r"<details class=\"scraper-sql\">\s*<summary>Egen SQL-fråga", html)


async def test_column_descriptions_are_folded_away(ds: Datasette) -> None:
    html = await page(ds, "/archive/releases")
    assert '<details class="scraper-columns" lang="sv">' in html
    assert "Kolumnerna (" in html


# --------------------------------------------------------------------------
# Charts (pure)


def test_month_chart_fills_empty_months() -> None:
    chart = month_chart([("2024-11", 2), ("2025-02", 1), ("bogus", 4)], "t")
    assert chart.labels == ("2024-11", "2024-12", "2025-01", "2025-02")
    assert chart.series[0].values == (2, 0, 0, 1)


def test_kind_chart_keeps_the_commonest_kinds() -> None:
    rows = [{"year": 2020, "kind": f"k{i}", "n": 10 - i} for i in range(6)]
    rows.append({"year": 2022, "kind": None, "n": 1})
    chart = kind_chart(rows, "t")
    assert chart.labels == ("2020", "2021", "2022")
    assert [s.name for s in chart.series] == ["k0", "k1", "k2", "k3", "Övrigt"]
    assert chart.series[-1].values == (6 + 5, 0, 1)


def test_svg_charts() -> None:
    chart = Chart("Per år", ("2023", "2024"), (Series("A", (3, 0)), Series("B", (1, 2))))
    svg = str(column_chart_svg(chart))
    assert svg.startswith("<svg") and 'aria-label="Per år"' in svg
    assert svg.count("<rect") == 3 + 2  # three bars (a zero draws none) and two legend keys
    assert "<title>2023: B: 1</title>" in svg
    assert str(column_chart_svg(Chart("x", (), ()))) == ""
    bars = str(bar_chart_svg(Chart("<b>", ("Ale",), (Series("s", (2.5,)),))))
    assert "&lt;b&gt;" in bars and "2,5" in bars
    assert nice_max(7) == 10 and nice_max(12) == 20 and nice_max(0) == 1


def test_county_slug() -> None:
    assert county_slug("Västra Götalands län") == "vastra-gotalands-lan"
    assert county_slug("Örebro län") == "orebro-lan"


async def test_pages_load_nothing_from_elsewhere_and_run_no_script_of_their_own(
    ds: Datasette, ids: dict[str, int]
) -> None:
    templates = Path(__file__).resolve().parent.parent / "scraper" / "serve" / "templates"
    for template in templates.glob("*.html"):
        assert "<script" not in template.read_text("utf-8"), template.name
    for path in ["/kommuner", "/kommun/0883", "/lan/08", "/statistik"]:
        html = await page(ds, path)
        assert not re.search(r'(src|href)="(https?:)?//(?!localhost)[^"]*\.(js|css)', html), path
        assert 'src="http' not in html, path


async def test_canned_queries_read_as_pages_of_the_archive(ds: Datasette) -> None:
    # The atom_* columns feed only the .atom renderer: the HTML page leaves them out,
    # the tab shows the query's title (not its SQL), the page speaks Swedish.
    for name in ("latest", "search?q=budgeten", "changes"):
        html = await page(ds, f"/archive/{name}")
        assert 'class="col-atom_' not in html
        title = re.search(r"<title>([\s\S]*?)</title>", html).group(1)
        assert "select" not in title.lower() and "kommunala pressmeddelanden" in title
        assert "Custom SQL query" not in html and 'value="Run SQL"' not in html
    latest = await page(ds, "/archive/latest")
    assert 'class="col-title"' in latest and " rader" in latest
    # JSON keeps every column, and visitors' own SQL keeps Datasette's page
    data = (await ds.client.get("/archive/latest.json?_shape=objects")).json()
    assert "atom_title" in data["rows"][0]
    own = await page(ds, "/archive?sql=select+1+as+atom_x")
    assert 'class="col-atom_x"' in own
