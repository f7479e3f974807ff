"""What ``scraper discover`` found per home page, kept so that coverage is a table."""

from __future__ import annotations

import json
from dataclasses import asdict

import sqlite_utils

from scraper.records import Discovery


class DiscoveryStore:
    """What ``scraper discover`` found per home page, kept so that coverage is a table."""

    db: sqlite_utils.Database

    def save_discovery(self, found: Discovery, *, now: str) -> None:
        """Keep one home page's discovery (the latest replaces the one before)."""
        choice = found.choice
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO discoveries (home, organisation, name, final_home, cms, "
                "status, source_url, source_kind, platform, releases_seen, requests, error, "
                "candidates, discovered_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    found.home,
                    found.organisation,
                    found.name,
                    found.final_home,
                    found.cms,
                    found.status,
                    choice.url if choice else None,
                    choice.kind if choice else None,
                    (choice.platform or None) if choice else None,
                    choice.releases_seen if choice else None,
                    found.requests,
                    found.error,
                    json.dumps(
                        [
                            {k: v for k, v in asdict(c).items() if k != "entries"}
                            for c in found.candidates
                        ],
                        ensure_ascii=False,
                    ),
                    now,
                ],
            )

    def discovered_organisations(self) -> set[str]:
        """Registry ids of the organisations that have a discovery."""
        rows = self.db.execute(
            "SELECT organisation FROM discoveries WHERE organisation IS NOT NULL"
        ).fetchall()
        return {row[0] for row in rows}
