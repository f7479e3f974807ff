"""What the crawler keeps between runs: runs, the request log, sources, the
frontier of discovered URLs, HTTP validators and robots.txt answers."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import sqlite_utils

from scraper.records import ListingEntry, Page, RobotsTxt, Source
from scraper.timestamps import shift


class CrawlState:
    """What the crawler keeps between runs: runs, the request log, sources, the"""

    db: sqlite_utils.Database

    # -- runs and logs

    def start_run(self, options: dict[str, Any], *, now: str) -> int:
        """Record the start of an update; runs left 'running' by a killed process are closed."""
        with self.db.atomic():
            self.db.execute("UPDATE runs SET status = 'killed' WHERE status = 'running'")
            cursor = self.db.execute(
                "INSERT INTO runs (started, status, options, pid) VALUES (?, 'running', ?, ?)",
                [now, json.dumps(options, ensure_ascii=False, sort_keys=True), os.getpid()],
            )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, *, status: str, summary: dict[str, Any], now: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = ?, summary = ? WHERE id = ?",
                [now, status, json.dumps(summary, ensure_ascii=False), run_id],
            )

    def log_fetch(
        self,
        *,
        run_id: int | None,
        source: str | None,
        url: str,
        purpose: str,
        status: int | None,
        size: int | None,
        elapsed: float | None,
        attempts: int,
        outcome: str,
        error: str | None,
        now: str,
    ) -> None:
        """Append one request outcome to the ``fetches`` log."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO fetches (run_id, source, url, purpose, status, bytes, elapsed, "
                "attempts, outcome, error, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    run_id,
                    source,
                    url,
                    purpose,
                    status,
                    size,
                    None if elapsed is None else round(elapsed, 4),
                    attempts,
                    outcome,
                    error,
                    now,
                ],
            )

    # -- sources

    def sync_sources(self, sources: tuple[Source, ...] | list[Source]) -> None:
        """Insert or update the configured sources (never deletes one)."""
        with self.db.atomic():
            for source in sources:
                # A corrected URL forgets the feed the old listing announced.
                self.db.execute(
                    "INSERT INTO sources (id, name, url, verified, overridden, default_kind, "
                    "body_selector, drop_selectors, date_selector, organisation) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET name=excluded.name, url=excluded.url, "
                    "organisation=excluded.organisation, "
                    "verified=excluded.verified, overridden=excluded.overridden, "
                    "default_kind=excluded.default_kind, body_selector=excluded.body_selector, "
                    "drop_selectors=excluded.drop_selectors, "
                    "date_selector=excluded.date_selector, feed_url=CASE WHEN "
                    "sources.url = excluded.url THEN sources.feed_url ELSE NULL END",
                    [
                        source.id,
                        source.name,
                        source.url,
                        int(source.verified),
                        int(source.overridden),
                        source.default_kind,
                        source.body_selector,
                        json.dumps(list(source.drop_selectors)) if source.drop_selectors else None,
                        source.date_selector,
                        source.organisation,
                    ],
                )

    def stored_sources(self) -> list[Source]:
        """The sources as the archive last saw them configured (overrides included).

        For work without the sources file, such as ``scraper reprocess``: a
        source's overrides must not be dropped because the file is elsewhere.
        """
        rows = self.db.execute(
            "SELECT id, name, url, verified, default_kind, body_selector, drop_selectors, "
            "date_selector, organisation FROM sources ORDER BY id"
        ).fetchall()
        return [
            Source(
                id=r[0],
                name=r[1],
                url=r[2],
                verified=bool(r[3]),
                default_kind=r[4],
                body_selector=r[5],
                drop_selectors=tuple(json.loads(r[6])) if r[6] else (),
                date_selector=r[7],
                organisation=r[8],
            )
            for r in rows
        ]

    def listing_resume(self, source_id: str) -> str | None:
        """The listing page a walk failed at, to be walked from next time."""
        row = self.db.execute("SELECT resume_url FROM sources WHERE id = ?", [source_id]).fetchone()
        return row[0] if row else None

    def set_listing_resume(self, source_id: str, url: str | None) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE sources SET resume_url = ? WHERE id = ?", [url, source_id])

    def source_feed(self, source_id: str) -> str | None:
        """The feed a source's listing announced, if one was seen."""
        row = self.db.execute("SELECT feed_url FROM sources WHERE id = ?", [source_id]).fetchone()
        return row[0] if row else None

    def set_source_feed(self, source_id: str, feed_url: str | None) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE sources SET feed_url = ? WHERE id = ?", [feed_url, source_id])

    def record_source_result(self, source_id: str, *, error: str | None, now: str) -> None:
        with self.db.atomic():
            if error is None:
                self.db.execute(
                    "UPDATE sources SET last_run = ?, last_success = ?, failing_since = NULL "
                    "WHERE id = ?",
                    [now, now, source_id],
                )
            else:
                self.db.execute(
                    "UPDATE sources SET last_run = ?, last_failure = ?, last_error = ?, "
                    "failing_since = COALESCE(failing_since, ?) WHERE id = ?",
                    [now, now, error, now, source_id],
                )

    # -- frontier

    def enqueue(self, source: str, entries: list[ListingEntry], *, now: str) -> None:
        """Remember discovered release URLs until they are fetched and stored."""
        with self.db.atomic():
            for entry in entries:
                self.db.execute(
                    "INSERT OR IGNORE INTO frontier (url, source, title, published, kind, "
                    "discovered_at, attempts) VALUES (?,?,?,?,?,?,0)",
                    [entry.url, source, entry.title, entry.published, entry.kind, now],
                )

    def pending(self, source: str, *, max_attempts: int) -> list[ListingEntry]:
        """Discovered URLs of ``source`` not stored yet (fewer than max_attempts failures)."""
        rows = self.db.execute(
            "SELECT url, title, published, kind FROM frontier WHERE source = ? AND attempts < ? "
            "ORDER BY discovered_at, rowid",
            [source, max_attempts],
        ).fetchall()
        return [ListingEntry(url=r[0], title=r[1], published=r[2], kind=r[3]) for r in rows]

    def frontier_urls(self, source: str) -> set[str]:
        """Every URL of ``source`` in the frontier, given up or not."""
        rows = self.db.execute("SELECT url FROM frontier WHERE source = ?", [source]).fetchall()
        return {row[0] for row in rows}

    def reset_attempts(self, source: str) -> None:
        """Give every discovered URL of ``source`` its attempts back (``--full``)."""
        with self.db.atomic():
            self.db.execute("UPDATE frontier SET attempts = 0 WHERE source = ?", [source])

    def save_hints(self, source: str, entries: list[ListingEntry], *, now: str) -> None:
        """Keep every release link a listing showed, and what it showed beside it.

        Extraction uses the title, date and kind every time the page is
        extracted again, not only the first: a date only the listing gives must
        not vanish on a re-check (nor when another listing shows the link bare).
        Reconciliation (``coverage_gaps``) counts the links against the archive.
        """
        with self.db.atomic():
            for entry in entries:
                self.db.execute(
                    "INSERT INTO hints (url, source, title, published, kind, updated, seen_at) "
                    "VALUES (?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET "
                    "source = excluded.source, title = COALESCE(excluded.title, hints.title), "
                    "published = COALESCE(excluded.published, hints.published), "
                    "kind = COALESCE(excluded.kind, hints.kind), "
                    "updated = COALESCE(excluded.updated, hints.updated), "
                    "seen_at = excluded.seen_at",
                    [
                        entry.url,
                        source,
                        entry.title,
                        entry.published,
                        entry.kind,
                        entry.updated,
                        now,
                    ],
                )

    def hint(self, *urls: str) -> ListingEntry | None:
        """What the listing showed for the first of ``urls`` it showed anything for."""
        for url in urls:
            row = self.db.execute(
                "SELECT url, title, published, kind, updated FROM hints WHERE url = ?", [url]
            ).fetchone()
            if row:
                return ListingEntry(
                    url=row[0], title=row[1], published=row[2], kind=row[3], updated=row[4]
                )
        return None

    def dequeue(self, url: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM frontier WHERE url = ?", [url])

    def note_attempt(self, url: str, *, error: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE frontier SET attempts = attempts + 1, last_error = ? WHERE url = ?",
                [error, url],
            )

    # -- HTTP cache

    def cache_validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified last seen for ``url``."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember_validators(self, page: Page) -> None:
        """Keep a 200 response's validators for the next conditional request."""
        if page.status != 200:
            return
        put_validators(
            self.db,
            page.url,
            etag=page.etag,
            last_modified=page.last_modified,
            fetched_at=page.fetched_at,
            body_hash=hashlib.sha256(page.content).hexdigest(),
        )

    def forget_validators(self, url: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM http_cache WHERE url = ?", [url])

    def load_robots(self, *, now: str, max_age_hours: float) -> list[RobotsTxt]:
        """robots.txt answers young enough to be reused instead of asked again."""
        cutoff = shift(now, hours=-max_age_hours)
        rows = self.db.execute(
            "SELECT url, status, text, fetched_at FROM robots WHERE fetched_at >= ?", [cutoff]
        ).fetchall()
        return [RobotsTxt(url=r[0], status=r[1], text=r[2], fetched_at=r[3]) for r in rows]

    def save_robots(self, answers: tuple[RobotsTxt, ...] | list[RobotsTxt]) -> None:
        with self.db.atomic():
            for answer in answers:
                self.db.execute(
                    "INSERT OR REPLACE INTO robots (url, status, text, fetched_at) "
                    "VALUES (?,?,?,?)",
                    [answer.url, answer.status, answer.text, answer.fetched_at],
                )


def put_validators(
    db: sqlite_utils.Database,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    fetched_at: str,
    body_hash: str,
) -> None:
    """Keep the validators of a 200 answer for ``url`` (one row per URL)."""
    with db.atomic():
        db.execute(
            "INSERT INTO http_cache (url, etag, last_modified, status, fetched_at, body_hash) "
            "VALUES (?,?,?,200,?,?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, "
            "last_modified=excluded.last_modified, status=200, "
            "fetched_at=excluded.fetched_at, body_hash=excluded.body_hash",
            [url, etag, last_modified, fetched_at, body_hash],
        )
