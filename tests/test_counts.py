"""release_counts: what the statistics read stays the count of the releases, whatever the write."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from search_archive import build_archive

from scraper.serve.queries import PER_CAPITA_SQL, PER_MUNICIPALITY_YEAR_SQL
from scraper.store import Archive

TODAY = date(2026, 11, 27)

COUNTED = (
    "SELECT source, coalesce(year, 0), coalesce(kind, ''), "
    "(removed_at IS NOT NULL AND removed_at != ''), count(*) FROM releases "
    "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
)
KEPT = "SELECT source, year, kind, removed, n FROM release_counts WHERE n != 0 ORDER BY 1, 2, 3, 4"

# The queries before the counts: every release grouped on each request.
OLD_PER_MUNICIPALITY_YEAR = """select s.name as municipality, c.* from (
  select source, year, count(*) as releases, sum(kind = 'Pressmeddelande') as press_releases,
    sum(kind = 'Pressinbjudan') as press_invitations, sum(kind = 'Nyhet') as news,
    sum(removed_at is not null) as removed
  from releases group by source, year) c
  join sources s on s.id = c.source order by s.name, c.year desc"""
OLD_PER_CAPITA = """select o.name as organisation, o.kommunkod, o.county, r.year,
  count(*) as releases, o.population,
  round(10000.0 * count(*) / o.population, 2) as per_10000_inhabitants
from releases r join sources s on s.id = r.source join organisations o on o.id = s.organisation
where o.population is not null and (:county = '' or o.county = :county or o.county_code = :county)
group by o.id, r.year order by r.year desc, per_10000_inhabitants desc"""


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    build_archive(path, today=TODAY)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE sources SET organisation = '0883' WHERE id = 'vastervik'")
        conn.execute("UPDATE sources SET organisation = '0861' WHERE id = 'ekby'")
    conn.close()
    return path


def test_counts_follow_every_write(archive: Path) -> None:
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute(KEPT).fetchall() == conn.execute(COUNTED).fetchall()
        for sql in (
            "UPDATE releases SET kind = 'Nyhet' WHERE id = 1",
            "UPDATE releases SET kind = NULL WHERE id = 2",
            "UPDATE releases SET removed_at = '2026-11-30T00:00:00Z' WHERE id = 3",
            "UPDATE releases SET removed_at = NULL WHERE id = 3",
            "UPDATE releases SET year = 2019, source = 'ekby' WHERE id = 4",
            "UPDATE releases SET last_seen = 'x'",  # not counted: no change
            "DELETE FROM release_stems WHERE release_id = 5",
            "DELETE FROM releases WHERE id = 5",
        ):
            conn.execute(sql)
            assert conn.execute(KEPT).fetchall() == conn.execute(COUNTED).fetchall(), sql
        conn.commit()
    finally:
        conn.close()


def test_an_archive_without_counts_is_counted_when_opened(archive: Path) -> None:
    conn = sqlite3.connect(archive)
    with conn:
        for trigger in ("release_counts_ai", "release_counts_ad", "release_counts_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE release_counts")
        conn.execute("UPDATE releases SET kind = 'Nyhet' WHERE id = 1")
    conn.close()
    Archive(archive).close()
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute(KEPT).fetchall() == conn.execute(COUNTED).fetchall()
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert {"release_counts_ai", "release_counts_ad", "release_counts_au"} <= triggers
    finally:
        conn.close()


def test_the_statistics_queries_answer_as_when_they_counted_every_release(archive: Path) -> None:
    conn = sqlite3.connect(archive)
    try:
        conn.execute("UPDATE releases SET removed_at = '2026-11-30T00:00:00Z' WHERE id = 3")
        assert (
            conn.execute(PER_MUNICIPALITY_YEAR_SQL).fetchall()
            == conn.execute(OLD_PER_MUNICIPALITY_YEAR).fetchall()
        )
        for county in ("", "08", "Kalmar län", "01"):
            new = conn.execute(PER_CAPITA_SQL, {"county": county}).fetchall()
            assert new == conn.execute(OLD_PER_CAPITA, {"county": county}).fetchall()
        assert conn.execute(PER_CAPITA_SQL, {"county": ""}).fetchall()
    finally:
        conn.close()
