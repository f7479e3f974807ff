"""The operator's status report: failures and stale sources stand out."""

from datetime import UTC, datetime

from scraper.update.status import format_status, stale_warning

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
