"""The operator's view of the archive: per-source health (pure formatting)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scraper.store.health import STALE_FACTOR, STALE_MIN_DAYS, coverage_share, silence

__all__ = [
    "STALE_FACTOR",
    "STALE_MIN_DAYS",
    "coverage_line",
    "format_status",
    "needs_attention",
    "stale_warning",
]

#: Missing releases listed by name under a source (the rest are counted).
MISSING_SHOWN = 10


def coverage_line(listed: int, missing: int) -> str:
    """Like "100 % (116 of 116 listed releases archived)"; "-" before anything was listed."""
    share = coverage_share(listed, missing)
    if share is None:
        return "-"
    archived = listed - missing
    shown = f"{share:.1f}" if 99 < share < 100 else f"{share:.0f}"
    return f"{shown} % ({archived} of {listed} listed releases archived)"


def stale_warning(row: dict[str, Any], *, now: datetime) -> str | None:
    """Why a source looks stale, or None.

    Stale as ``scraper.store.health.silence`` judges it.
    """
    found = silence(row, now=now)
    if found is None:
        return None
    if found.never:
        return "no releases yet"
    return f"nothing new for {found.days:.0f} days (usually every {found.usual_gap:.0f})"


def needs_attention(rows: list[dict[str, Any]], *, now: datetime | None = None) -> list[str]:
    """The sources that are failing (their last run failed) or stale; empty when all is fine."""
    now = now or datetime.now(UTC)
    return [row["id"] for row in rows if row.get("failing_since") or stale_warning(row, now=now)]


def format_status(rows: list[dict[str, Any]], *, now: datetime | None = None) -> str:
    """A plain-text report, one block per source."""
    now = now or datetime.now(UTC)
    if not rows:
        return "No sources in this archive yet."
    lines = []
    for row in rows:
        flags = []
        if not row["verified"]:
            flags.append("unverified")
        if row["overridden"]:
            flags.append("overridden")
        title = f"{row['id']} ({row['name']})" + (f" [{', '.join(flags)}]" if flags else "")
        lines.append(title)
        lines.append(
            f"  releases:      {row['releases']}"
            + (f" ({row['removed']} removed)" if row["removed"] else "")
        )
        lines.append(f"  newest:        {row['newest'] or '-'}")
        missing = row.get("missing") or []
        lines.append(f"  coverage:      {coverage_line(row.get('listed') or 0, len(missing))}")
        for gap in missing[:MISSING_SHOWN]:
            lines.append(f"    missing {gap['url']}: {gap['reason']}")
        if len(missing) > MISSING_SHOWN:
            lines.append(
                f"    ... and {len(missing) - MISSING_SHOWN} more "
                "(the coverage_gaps view lists them all)"
            )
        lines.append(f"  last success:  {row['last_success'] or 'never'}")
        failure = row["last_failure"]
        if failure:
            lines.append(f"  last failure:  {failure}: {row['last_error']}")
        warning = stale_warning(row, now=now)
        if warning:
            lines.append(f"  STALE:         {warning}")
        if row.get("failing_since"):
            lines.append(f"  FAILING:       since {row['failing_since']}")
        for kind, detail in row.get("findings") or []:
            lines.append(f"  FINDING:       {kind}: {detail}")
        if row.get("healed_url"):
            lines.append(f"  SWITCHED:      now crawled at {row['healed_url']}")
        elif row.get("proposed_url"):
            lines.append(f"  PROPOSAL:      {row['proposed_url']}")
            lines.append(f"                 {row.get('proposal') or ''}")
            lines.append('                 (make it the url in sources.toml, or heal = "switch")')
    return "\n".join(lines)
