"""The operator's figures: per-source health, counts and storage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from .findings import FindingStore


class Reports(FindingStore):
    """The operator's figures: per-source health, counts and storage."""

    db: sqlite_utils.Database

    # -- reporting

    def source_status(self, sources: list[str] | None = None) -> list[dict[str, Any]]:
        """Per source: last success and failure, releases, newest release, usual gap,
        release links listed and those missing from the archive (with reasons).

        :param sources: only these source ids (default: every source).
        """
        only = ""
        if sources is not None:
            only = "WHERE s.id IN (" + ", ".join("?" * len(sources)) + ") "
        rows = self.db.execute(
            "SELECT s.id, s.name, s.url, s.verified, s.overridden, s.last_run, s.last_success, "
            "s.last_failure, s.last_error, s.failing_since, s.proposed_url, s.proposal, "
            "s.healed_url, COUNT(r.id), MAX(r.published), "
            "MAX(r.first_seen), "
            "SUM(r.removed_at IS NOT NULL) FROM sources s LEFT JOIN releases r "
            "ON r.source = s.id " + only + "GROUP BY s.id ORDER BY s.id",
            list(sources or []),
        ).fetchall()
        keys = [
            "id",
            "name",
            "url",
            "verified",
            "overridden",
            "last_run",
            "last_success",
            "last_failure",
            "last_error",
            "failing_since",
            "proposed_url",
            "proposal",
            "healed_url",
            "releases",
            "newest",
            "last_new",
            "removed",
        ]
        result = []
        for row in rows:
            item = dict(zip(keys, row, strict=True))
            item["usual_gap_days"] = self._usual_gap(item["id"])
            item["listed"], item["missing"] = self.coverage(item["id"])
            item["findings"] = self.last_findings(item["id"])
            result.append(item)
        return result

    def coverage(self, source: str) -> tuple[int, list[dict[str, Any]]]:
        """(release links ever listed, the ones not archived with the reason why).

        The links are those the source's listings, feeds and sitemaps showed;
        a link counts as archived when a release was seen at that URL.
        """
        listed = self.db.execute(
            "SELECT COUNT(*) FROM hints WHERE source = ?", [source]
        ).fetchone()[0]
        rows = self.db.execute(
            "SELECT url, title, published, reason FROM coverage_gaps WHERE source = ? "
            "ORDER BY published DESC, url",
            [source],
        ).fetchall()
        missing = [dict(zip(("url", "title", "published", "reason"), r, strict=True)) for r in rows]
        return int(listed), missing

    def _usual_gap(self, source: str) -> float | None:
        """Median days between consecutive releases of a source (None: too few)."""
        dates = [
            row[0][:10]
            for row in self.db.execute(
                "SELECT published FROM releases WHERE source = ? AND published IS NOT NULL "
                "ORDER BY published DESC LIMIT 50",
                [source],
            ).fetchall()
        ]
        gaps = []
        for newer, older in zip(dates, dates[1:], strict=False):
            try:
                gaps.append((datetime.fromisoformat(newer) - datetime.fromisoformat(older)).days)
            except ValueError:
                continue
        if len(gaps) < 3:
            return None
        gaps.sort()
        return float(gaps[len(gaps) // 2])

    def release_count(self, source: str | None = None) -> int:
        if source is None:
            return int(self.db.execute("SELECT COUNT(*) FROM releases").fetchone()[0])
        return int(
            self.db.execute("SELECT COUNT(*) FROM releases WHERE source = ?", [source]).fetchone()[
                0
            ]
        )

    def releases_for_reprocess(
        self, *, source: str | None = None, since: str | None = None
    ) -> list[tuple[int, str, int]]:
        """(release id, source, page id) of releases that have a stored raw page."""
        sql = "SELECT id, source, page_id FROM releases WHERE page_id IS NOT NULL"
        params: list[Any] = []
        if source:
            sql += " AND source = ?"
            params.append(source)
        if since:
            sql += " AND COALESCE(published, first_seen) >= ?"
            params.append(since)
        return [tuple(row) for row in self.db.execute(sql + " ORDER BY id", params).fetchall()]

    def pages_extracted_under_another_template(self, source: str, fingerprint: str) -> list[int]:
        """Stored pages of ``source``'s releases extracted under a template other than this one."""
        rows = self.db.execute(
            "SELECT page_id FROM releases WHERE source = ? AND page_id IS NOT NULL "
            "AND (template_hash IS NULL OR template_hash != ?) ORDER BY id",
            [source, fingerprint],
        ).fetchall()
        return [row[0] for row in rows]

    def storage_figures(self) -> dict[str, int]:
        """Bytes used by raw pages (compressed and not) and extracted text."""
        raw = self.db.execute(
            "SELECT COALESCE(SUM(size),0), COALESCE(SUM(LENGTH(data)),0) FROM bodies"
        ).fetchone()
        text = self.db.execute(
            "SELECT COALESCE(SUM(LENGTH(CAST(COALESCE(title,'') || COALESCE(lead,'') || "
            "COALESCE(body,'') AS BLOB))),0), COUNT(*) FROM releases"
        ).fetchone()
        return {
            "raw_bytes": raw[0],
            "raw_compressed_bytes": raw[1],
            "text_bytes": text[0],
            "releases": text[1],
        }
