"""Sources whose listing stopped working: the signs, the proposals, the switches."""

from __future__ import annotations

import sqlite_utils


class HealingStore:
    """Sources whose listing stopped working: the signs, the proposals, the switches."""

    db: sqlite_utils.Database

    def note_listing_links(self, source: str, *, links: int) -> int:
        """Count runs in a row whose first listing page showed no release link; returns it.

        ``links`` -1: the page is unchanged since the last run (304), so an empty
        listing stays empty and one with links is not counted.
        """
        with self.db.atomic():
            self.db.execute(
                "UPDATE sources SET listing_empty_runs = CASE "
                "WHEN ? = 0 THEN COALESCE(listing_empty_runs, 0) + 1 "
                "WHEN ? < 0 AND COALESCE(listing_empty_runs, 0) > 0 THEN listing_empty_runs + 1 "
                "ELSE 0 END WHERE id = ?",
                [links, links, source],
            )
        row = self.db.execute(
            "SELECT listing_empty_runs FROM sources WHERE id = ?", [source]
        ).fetchone()
        return int(row[0] or 0) if row else 0

    def propose_source(
        self, source: str, *, url: str, evidence: str, switch: bool, configured: str, now: str
    ) -> None:
        """Keep what discovery found for a broken source; with ``switch``, crawl there."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE sources SET proposed_url = ?, proposal = ?, proposed_at = ? WHERE id = ?",
                [url, evidence, now, source],
            )
            self.note_source_event(source, event="proposed", evidence=f"{url}: {evidence}", now=now)
            if switch:
                self.db.execute(
                    "UPDATE sources SET healed_from = ?, healed_url = ? WHERE id = ?",
                    [configured, url, source],
                )
                self.note_source_event(
                    source, event="switched", evidence=f"{configured} -> {url}", now=now
                )

    def proposed_at(self, source: str) -> str | None:
        """When discovery last proposed another URL for the source."""
        row = self.db.execute("SELECT proposed_at FROM sources WHERE id = ?", [source]).fetchone()
        return row[0] if row else None

    def clear_proposal(self, source: str) -> None:
        """The listing works: an earlier proposal is no longer news."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE sources SET proposed_url = NULL, proposal = NULL, proposed_at = NULL "
                "WHERE id = ? AND proposed_url IS NOT NULL",
                [source],
            )

    def note_source_event(self, source: str, *, event: str, evidence: str, now: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO source_events (source, at, event, evidence) VALUES (?,?,?,?)",
                [source, now, event, evidence],
            )

    def healed_url(self, source: str, *, configured: str) -> str | None:
        """Where a switched source is crawled now, while its configured URL is the broken one."""
        row = self.db.execute(
            "SELECT healed_from, healed_url FROM sources WHERE id = ?", [source]
        ).fetchone()
        if row and row[0] == configured and row[1]:
            return str(row[1])
        return None
