"""Findings: what a run found wrong with a source without failing it.

A trap on its listing (ever-growing page numbers with no dated items, a
calendar, a query-string explosion) or a budget reached (requests, new
releases, time). ``scraper status`` shows those of each source's last run.
"""

from __future__ import annotations

import sqlite_utils


class FindingStore:
    """Findings of the update runs, per source."""

    db: sqlite_utils.Database

    def add_finding(self, *, run_id: int, source: str, kind: str, detail: str, now: str) -> None:
        """Record one finding ("trap", "budget") of a run about a source."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO findings (run_id, source, at, kind, detail) VALUES (?,?,?,?,?)",
                [run_id, source, now, kind, detail],
            )

    def last_findings(self, source: str) -> list[tuple[str, str]]:
        """(kind, detail) of the findings of the last run that processed ``source``."""
        rows = self.db.execute(
            "SELECT kind, detail FROM findings WHERE source = ? AND run_id = "
            "(SELECT MAX(run_id) FROM fetches WHERE source = ?) ORDER BY id",
            [source, source],
        ).fetchall()
        return [(row[0], row[1]) for row in rows]
