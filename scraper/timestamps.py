"""The archive's timestamps: ISO 8601 UTC strings such as "2026-11-27T14:37:00Z"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["days_between", "format_timestamp", "parse_timestamp", "shift", "utc_now"]


def format_timestamp(moment: datetime) -> str:
    """``moment`` as an ISO 8601 UTC string with second precision."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> str:
    """The current time as an archive timestamp."""
    return format_timestamp(datetime.now(UTC))


def parse_timestamp(value: str | None) -> datetime | None:
    """An archive timestamp or ISO date as an aware datetime (UTC when it names no zone).

    None for an empty or unreadable value: callers treat that as "never".
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def shift(timestamp: str, *, days: float = 0, hours: float = 0) -> str:
    """The timestamp ``days``/``hours`` later (negative: earlier)."""
    moment = parse_timestamp(timestamp)
    if moment is None:
        raise ValueError(f"not a timestamp: {timestamp!r}")
    return format_timestamp(moment + timedelta(days=days, hours=hours))


def days_between(value: str | None, current: datetime) -> float | None:
    """Days from ``value`` to ``current`` (None when ``value`` is empty or unreadable)."""
    moment = parse_timestamp(value)
    if moment is None:
        return None
    return (current - moment).total_seconds() / 86400
