"""The operator's status report: failures and stale sources stand out, and the
exit status says whether any needs attention (for monitoring)."""

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from scraper.cli import cli
from scraper.records import Source
from scraper.store import Archive
from scraper.update.status import format_status, needs_attention, stale_warning

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def row(**changes: object) -> dict:
    base = {
        "id": "vastervik",
        "name": "Västerviks kommun",
        "url": "https://x",
        "verified": 0,
        "overridden": 0,
        "last_run": "2026-11-27T03:00:00Z",
        "last_success": "2026-11-27T03:00:00Z",
        "last_failure": None,
        "last_error": None,
        "releases": 120,
        "newest": "2026-11-20",
        "last_new": None,
        "removed": 2,
        "usual_gap_days": 4.0,
        "failing_since": None,
    }
    base.update(changes)
    return base


def test_stale_when_silent_much_longer_than_usual() -> None:
    assert stale_warning(row(), now=NOW) is None
    warning = stale_warning(row(newest="2026-09-01"), now=NOW)
    assert warning and "nothing new for 87 days (usually every 4)" in warning
    # A source that publishes rarely is not stale after a few weeks.
    assert stale_warning(row(newest="2026-09-01", usual_gap_days=40.0), now=NOW) is None


def test_report_shows_failure_reason_flags_and_counts() -> None:
    text = format_status(
        [
            row(
                last_failure="2026-11-27T06:00:00Z",
                last_error="HTTP 503 after 4 attempts",
                failing_since="2026-11-25T06:00:00Z",
                overridden=1,
            )
        ],
        now=NOW,
    )
    assert "vastervik (Västerviks kommun) [unverified, overridden]" in text
    assert "releases:      120 (2 removed)" in text
    assert "last failure:  2026-11-27T06:00:00Z: HTTP 503 after 4 attempts" in text
    assert "FAILING:       since 2026-11-25T06:00:00Z" in text
    assert "FAILING" not in format_status([row()], now=NOW)


def test_never_produced_anything() -> None:
    assert stale_warning(row(releases=0, newest=None), now=NOW) == "no releases yet"


def test_needs_attention_names_failing_and_stale_sources() -> None:
    rows = [
        row(),
        row(id="felby", failing_since="2026-11-25T06:00:00Z"),
        row(id="tyst", newest="2026-09-01"),
        row(id="ny", last_run=None, releases=0, newest=None, usual_gap_days=None),
    ]
    assert needs_attention(rows, now=NOW) == ["felby", "tyst"]
    assert needs_attention([row()], now=NOW) == []


def test_status_exits_0_when_all_is_fine_and_1_when_a_source_fails(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.sync_sources([Source(id="felby", name="Felby kommun", url="https://felby.se/")])
    fine = CliRunner().invoke(cli, ["status", "--db", str(db)])
    assert fine.exit_code == 0, fine.output
    assert "failing or stale" not in fine.output

    with Archive(db) as archive:
        archive.record_source_result(
            "felby", error="cannot resolve host felby.se (DNS)", now="2026-11-27T03:00:00Z"
        )
    failing = CliRunner().invoke(cli, ["status", "--db", str(db)])
    assert failing.exit_code == 1
    assert "FAILING:       since 2026-11-27T03:00:00Z" in failing.output
    assert failing.output.splitlines()[-1] == "1 of 1 sources failing or stale: felby"


def test_status_of_a_missing_archive_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "saknas.db")])
    assert result.exit_code == 2 and "no such archive" in result.output
