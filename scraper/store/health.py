"""A source's health judged from its ``Reports.source_status`` row (pure).

Shared by ``scraper status`` (``scraper.update.status``, English, for the
operator) and the municipality pages of ``scraper serve`` (Swedish): both
read the same figures, so the site never calls a source healthy that
``scraper status`` calls stale or failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scraper.timestamps import parse_timestamp

__all__ = ["STALE_FACTOR", "STALE_MIN_DAYS", "Silence", "coverage_share", "silence"]

#: A source is stale when it published nothing for this many usual gaps ...
STALE_FACTOR = 3.0
#: ... and never before this many days.
STALE_MIN_DAYS = 14.0


@dataclass(frozen=True)
class Silence:
    """Why a source looks stale."""

    #: True when it was run but has never produced a release.
    never: bool
    #: Days since its newest release (0.0 when ``never``).
    days: float = 0.0
    #: Its usual gap between releases, in days (0.0 when ``never``).
    usual_gap: float = 0.0


def silence(row: dict[str, Any], *, now: datetime) -> Silence | None:
    """The source's silence when it looks stale, else None.

    Stale: its newest release is older than ``STALE_FACTOR`` times the
    source's usual gap between releases (at least ``STALE_MIN_DAYS``), or it
    has never produced a release although it was run.
    """
    if row["last_run"] and not row["releases"]:
        return Silence(never=True)
    newest = parse_timestamp(row["newest"])
    gap = row.get("usual_gap_days")
    if newest is None or gap is None:
        return None
    days = (now - newest).total_seconds() / 86400
    if days > max(STALE_MIN_DAYS, STALE_FACTOR * gap):
        return Silence(never=False, days=days, usual_gap=gap)
    return None


def coverage_share(listed: int, missing: int) -> float | None:
    """Per cent of the listed release links that are archived; None before anything was listed."""
    if not listed:
        return None
    return 100 * (listed - missing) / listed
