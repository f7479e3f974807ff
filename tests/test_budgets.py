"""Budgets per source and run, and extraction that streams as pages arrive.

A feed offering more new releases than ``max_new_releases`` is stored in
batches over several runs (reported, nothing lost); ``max_requests_per_source``
and ``source_time_budget`` stop a source's fetching for the run; pages are
extracted and stored while the rest of a long fetch list is still coming.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_traps import write_sources
from trapsite import trap_site

from scraper.cli import cli
from scraper.config import load_config, parse_config
from scraper.errors import ConfigError
from scraper.records import Settings
from scraper.store import Archive
from scraper.update import update
from scraper.update.budget import SourceBudget


def run(db: Path, sources: Path) -> str:
    result = CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    return result.output


def releases(db: Path) -> int:
    with Archive(db) as archive:
        return archive.release_count("flode")


def findings(db: Path) -> list[str]:
    with Archive(db) as archive:
        return [f"{kind}: {detail}" for kind, detail in archive.last_findings("flode")]


def test_a_flood_of_new_releases_is_stored_in_batches_over_runs(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with trap_site() as site:
        sources = write_sources(
            tmp_path, site.base_url, {"flode": "/flode.xml?n=50"}, "max_new_releases = 20"
        )
        output = run(db, sources)
        assert releases(db) == 20
        assert any("max_new_releases=20: 20 fetched this run, 30 wait" in f for f in findings(db))
        assert "FINDING flode: budget: 50 new release links" in output
        run(db, sources)
        assert releases(db) == 40
        run(db, sources)
        assert releases(db) == 50  # nothing lost: the rest waited in the frontier
        assert findings(db) == []
        with Archive(db) as archive:
            assert archive.coverage("flode") == (50, [])


def test_the_request_budget_stops_the_source_for_the_run(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with trap_site() as site:
        sources = write_sources(
            tmp_path, site.base_url, {"flode": "/flode.xml?n=30"}, "max_requests_per_source = 11"
        )
        run(db, sources)
        fetched = [p for p in site.requests if p.startswith("/flode/")]
        assert len(fetched) == 10  # the feed, then 10 releases: 11 requests
        assert releases(db) == 10
        assert any(
            "max_requests_per_source=11 reached; 20 release URLs left" in f for f in findings(db)
        )
        run(db, sources)
        assert releases(db) == 20


class Stop(BaseException):
    """Stands for the process dying while the fetch list is still long."""


def test_pages_are_stored_as_they_arrive_not_after_the_last_fetch(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with trap_site() as site:
        sources = write_sources(tmp_path, site.base_url, {"flode": "/flode.xml?n=45"})
        config = load_config(sources)

        def progress(line: str) -> None:
            if line.endswith("/flode/nyhet-40/"):
                raise Stop

        with Archive(db) as archive, pytest.raises(Stop):
            update(config, archive, progress=progress)
        # The 40 pages fetched before it died are archived, not waiting for the 45th.
        assert releases(db) == 40
        with Archive(db) as archive:
            assert archive.template_provisional("flode")  # learned from the first pages only
        run(db, sources)
    with Archive(db) as archive:
        assert archive.release_count("flode") == 45
        template = archive.load_template("flode")
        assert template is not None and not archive.template_provisional("flode")
        # Every release extracted under the template learned from the whole sample.
        stale = archive.pages_extracted_under_another_template("flode", template.fingerprint)
        assert stale == []


def test_the_time_budget_is_per_source_and_run() -> None:
    ticks = iter([0.0, 10.0, 59.0, 61.0])
    budget = SourceBudget(max_seconds=60, clock=lambda: next(ticks))
    assert budget.spend_request() and budget.spend_request()
    assert not budget.spend_request()
    assert budget.reason == "source_time_budget=60 s reached"
    unlimited = SourceBudget.from_settings(
        Settings(max_requests_per_source=0, max_new_releases=0, source_time_budget=0)
    )
    assert all(unlimited.spend_request() for _ in range(10_000))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("max_new_releases = -1", "must be 0 or more"),
        ("max_requests_per_source = 1.5", "must be a whole number"),
        ('source_time_budget = "1h"', "must be a number"),
    ],
)
def test_budget_settings_are_validated(setting: str, message: str) -> None:
    text = f'[settings]\n{setting}\n[[source]]\nid = "a"\nname = "A"\nurl = "https://a.se/"\n'
    with pytest.raises(ConfigError, match=message) as info:
        parse_config(text)
    assert info.value.line == 2


def test_budget_defaults_let_a_first_crawl_finish_over_a_few_runs() -> None:
    settings = parse_config('[[source]]\nid = "a"\nname = "A"\nurl = "https://a.se/"\n').settings
    # A municipality's archive of ~3,000 releases: three runs.
    assert settings.max_new_releases == 1000
    assert settings.max_requests_per_source >= settings.max_new_releases
