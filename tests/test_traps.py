"""Traps (fixtures/hostile/traps): an endless ?page=N listing, a calendar and a
query-string explosion store none of their junk, are reported as findings,
and the real releases on the same site are all archived."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from trapsite import ROOT, trap_site

from scraper.cli import cli
from scraper.discover.traps import QueryExplosions, calendar_reason
from scraper.store import Archive

EXPECTED = json.loads((ROOT / "expected.json").read_text("utf-8"))
TODAY = date(2026, 12, 6)


def write_sources(tmp_path: Path, base: str, sources: dict[str, str], settings: str = "") -> Path:
    text = f'[settings]\nuser_agent = "scraper-tests/1 (+https://example.org/tests)"\n{settings}\n'
    for source_id, path in sources.items():
        text += f'[[source]]\nid = "{source_id}"\nname = "Fällby {source_id}"\n'
        text += f'url = "{base}{path}"\ndelay = 0\n'
    target = tmp_path / "sources.toml"
    target.write_text(text, encoding="utf-8")
    return target


def archived_paths(archive: Archive, source: str, base: str) -> set[str]:
    rows = archive.db.execute("SELECT url FROM releases WHERE source = ?", [source]).fetchall()
    return {row[0][len(base) :] for row in rows}


def test_traps_store_no_junk_and_are_reported(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with trap_site() as site:
        sources = write_sources(
            tmp_path,
            site.base_url,
            {"nyheter": "/nyheter/", "kalender": "/kalender/2031/05/", "arkiv": "/arkiv/"},
        )
        result = CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
        status = CliRunner().invoke(cli, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Archive(db) as archive:
        for source in ("nyheter", "arkiv"):
            stored = archived_paths(archive, source, site.base_url)
            assert stored == set(EXPECTED[source]), source  # every real release, no junk
            for path, expected in EXPECTED[source].items():
                row = archive.release_for_url(site.base_url + path)
                assert row is not None
                assert (row["title"], row["published"][:10]) == (
                    expected["title"],
                    expected["published"],
                )
        assert archived_paths(archive, "kalender", site.base_url) == set()
        kinds = {
            source: {
                row[0]
                for row in archive.db.execute(
                    "SELECT detail FROM findings WHERE source = ? AND kind = 'trap'", [source]
                )
            }
            for source in ("nyheter", "kalender", "arkiv")
        }
    assert any("ever-growing" in d for d in kinds["nyheter"]), kinds
    assert any("calendar" in d for d in kinds["kalender"]), kinds
    assert any("query-string" in d for d in kinds["arkiv"]), kinds
    # The trap's pages are not walked to max_pages: a few past the real ones at most.
    assert not any("page=8" in path for path in site.requests)
    # The operator sees them in scraper status and in the run's report.
    assert status.output.count("FINDING:       trap:") >= 3, status.output
    assert "FINDING nyheter: trap: ever-growing" in result.output


def test_calendar_urls_are_recognised_by_structure_not_by_a_year_in_a_slug() -> None:
    assert calendar_reason("https://x.se/kalender/2031/05/", today=TODAY)
    assert calendar_reason("https://x.se/kalender/2026/12/01/", today=TODAY)
    assert calendar_reason("https://x.se/evenemang/?date=2026-05-01", today=TODAY)
    assert calendar_reason("https://x.se/2031/", today=TODAY)
    # Release URLs: dated folders in the past, years in slugs, ids that look like years.
    assert not calendar_reason("https://x.se/nyheter/2024/05/ny-skola/", today=TODAY)
    assert not calendar_reason("https://x.se/nyheter/budget-2028-antagen/", today=TODAY)
    assert not calendar_reason("https://x.se/agenda-2030/nyheter/", today=TODAY)
    assert not calendar_reason("https://x.se/nyheter/?ar=2023", today=TODAY)
    assert not calendar_reason("https://x.se/nyhet.aspx?id=2045", today=TODAY)


def test_a_query_string_explosion_needs_two_varying_parameters() -> None:
    facets = [f"https://x.se/arkiv/visa?id={k}&vy={s}" for k in range(8) for s in range(5)]
    assert len(QueryExplosions().exploded(facets)) == 40
    # A CMS that names its releases by one id parameter is not an explosion.
    ids = [f"https://x.se/nyhet.aspx?id={k}" for k in range(200)]
    assert QueryExplosions().exploded(ids) == {}
    languages = [f"https://x.se/nyhet.aspx?id={k}&lang={la}" for k in range(50) for la in "ab"]
    assert QueryExplosions().exploded(languages) == {}
    assert QueryExplosions().exploded(facets[:10]) == {}
