"""Citations of a release's versions (pure).

Versions are numbered from 1, oldest first: revision n (``revisions`` ordered
by id) is version n and the release as it stands is version n + 1. Revisions
are only ever appended, so a version's number, and with it its permalink
``/<db>/releases/<id>/version/<n>``, never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Citation", "cite", "version_path", "versions"]


@dataclass(frozen=True)
class Citation:
    """What a citation of one version names."""

    title: str
    organisation: str
    published: str | None
    archived_at: str | None
    original_url: str | None
    archive_url: str

    def text(self) -> str:
        """One line to paste into an article or a paper."""
        parts = [f"{self.organisation}: ”{self.title}”"]
        if self.published:
            parts.append(f"publicerad {_day(self.published)}")
        if self.archived_at:
            parts.append(f"arkiverad {_moment(self.archived_at)}")
        line = ", ".join(parts) + "."
        if self.original_url:
            line += f" Original: {self.original_url}."
        return line + f" Arkivkopia: {self.archive_url}"


def _day(value: str) -> str:
    return value[:10] if len(value) >= 10 else value


def _moment(value: str) -> str:
    """``2026-10-07T08:00:00Z`` as ``2026-10-07 08:00 UTC``."""
    if len(value) >= 16 and value[10] == "T":
        return f"{value[:10]} {value[11:16]} UTC"
    return value


def version_path(release_path: str, number: int) -> str:
    """The permalink of version ``number`` under the release's own path."""
    return f"{release_path.rstrip('/')}/version/{number}"


def versions(release: dict[str, Any], revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every version, oldest first, as dicts with ``number``, ``current``, ``archived_at``
    (when the archive first saw it) and the version's own fields.

    :param revisions: the release's revisions ordered by id (oldest first).
    """
    found = [
        {**rev, "number": i, "current": False, "archived_at": rev.get("first_seen")}
        for i, rev in enumerate(revisions, start=1)
    ]
    found.append(
        {
            **release,
            "number": len(revisions) + 1,
            "current": True,
            "archived_at": release.get("version_seen") or release.get("first_seen"),
            "diff": None,
        }
    )
    return found


def cite(
    version: dict[str, Any], *, organisation: str, original_url: str | None, archive_url: str
) -> Citation:
    """The citation of one version (from ``versions``)."""
    return Citation(
        title=version.get("title") or "",
        organisation=organisation,
        published=version.get("published"),
        archived_at=version.get("archived_at"),
        original_url=original_url,
        archive_url=archive_url,
    )
