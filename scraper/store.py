"""The archive database: the only module that writes SQL.

Every write that belongs together happens in one transaction
(``Database.atomic()``), so a run killed at any point leaves a consistent
database. Nothing is ever deleted: an edited release keeps its earlier
versions in ``revisions``, a release that left the site is marked
``removed_at``, raw pages are immutable and stored once per distinct body.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils
import zstandard

from . import search
from .diff import word_diff
from .errors import LockedError, StorageError
from .fetch import RobotsTxt
from .records import ListingEntry, Page, RefetchSchedule, Release, SiteTemplate, Source

__all__ = ["Archive", "SaveOutcome", "utc_now"]

SCHEMA_VERSION = 1

#: What save_release did: "new", "changed" (a revision was kept),
#: "updated" (same publication, new extraction), "unchanged".
SaveOutcome = str


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string (second precision)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _year(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


_COMPRESSOR = zstandard.ZstdCompressor(level=10)

#: The archive's tables: columns (name -> type), primary key, foreign keys.
#: New columns are added to an existing database on open; nothing is dropped.
_TABLES: dict[str, dict[str, Any]] = {
    "sources": {
        "columns": {
            "id": str,
            "name": str,
            "url": str,
            "verified": int,
            "overridden": int,
            "feed_url": str,
            "last_run": str,
            "last_success": str,
            "last_failure": str,
            "last_error": str,
        },
        "pk": "id",
    },
    "pages": {
        "columns": {
            "id": int,
            "source": str,
            "url": str,
            "final_url": str,
            "status": int,
            "headers": str,
            "fetched_at": str,
            "body_hash": str,
            "encoding": str,
            "run_id": int,
        },
        "pk": "id",
    },
    "bodies": {
        "columns": {"hash": str, "size": int, "compression": str, "data": bytes},
        "pk": "hash",
    },
    "releases": {
        "columns": {
            "id": int,
            "source": str,
            "url": str,
            "title": str,
            "kind": str,
            "published": str,
            "published_source": str,
            "updated": str,
            "updated_source": str,
            "lead": str,
            "body": str,
            "language": str,
            "year": int,
            "first_seen": str,
            "last_seen": str,
            "last_fetched": str,
            "content_hash": str,
            "version_seen": str,
            "changed_at": str,
            "removed_at": str,
            "removal_evidence": str,
            "last_listed": str,
            "extractor_version": str,
            "page_id": int,
            "stems": str,
        },
        "pk": "id",
        "foreign_keys": [("source", "sources", "id"), ("page_id", "pages", "id")],
    },
    "release_urls": {
        "columns": {"url": str, "release_id": int, "first_seen": str},
        "pk": "url",
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "images": {
        "columns": {"release_id": int, "position": int, "url": str, "alt": str, "caption": str},
        "pk": ("release_id", "position"),
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "attachments": {
        "columns": {"release_id": int, "position": int, "url": str, "title": str, "mime_type": str},
        "pk": ("release_id", "position"),
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "revisions": {
        "columns": {
            "id": int,
            "release_id": int,
            "title": str,
            "lead": str,
            "body": str,
            "published": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "page_id": int,
            "diff": str,
        },
        "pk": "id",
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "events": {
        "columns": {"id": int, "release_id": int, "at": str, "event": str, "evidence": str},
        "pk": "id",
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "frontier": {
        "columns": {
            "url": str,
            "source": str,
            "title": str,
            "published": str,
            "kind": str,
            "discovered_at": str,
            "attempts": int,
            "last_error": str,
        },
        "pk": "url",
    },
    "http_cache": {
        "columns": {
            "url": str,
            "etag": str,
            "last_modified": str,
            "status": int,
            "fetched_at": str,
            "body_hash": str,
        },
        "pk": "url",
    },
    "robots": {
        "columns": {"url": str, "status": int, "text": str, "fetched_at": str},
        "pk": "url",
    },
    "site_templates": {
        "columns": {
            "source": str,
            "pages": int,
            "blocks": str,
            "threshold": float,
            "learned_at": str,
        },
        "pk": "source",
    },
    "runs": {
        "columns": {
            "id": int,
            "started": str,
            "finished": str,
            "status": str,
            "options": str,
            "pid": int,
            "summary": str,
        },
        "pk": "id",
    },
    "fetches": {
        "columns": {
            "id": int,
            "run_id": int,
            "source": str,
            "url": str,
            "purpose": str,
            "status": int,
            "bytes": int,
            "elapsed": float,
            "attempts": int,
            "outcome": str,
            "error": str,
            "at": str,
        },
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
    },
}

_INDEXES: list[tuple[str, list[str]]] = [
    ("releases", ["source"]),
    ("releases", ["published"]),
    ("releases", ["removed_at"]),
    ("releases", ["changed_at"]),
    ("releases", ["page_id"]),
    ("pages", ["url"]),
    ("pages", ["source"]),
    ("revisions", ["release_id"]),
    ("events", ["release_id"]),
    ("fetches", ["run_id"]),
    ("fetches", ["source", "at"]),
    ("fetches", ["url"]),
    ("release_urls", ["release_id"]),
    ("frontier", ["source"]),
]


class Archive:
    """An archive database opened for reading and writing.

    :param path: the SQLite file; created with the full schema when missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL never corrupts, and a killed process
            # loses nothing (the OS has the pages); only a power cut may lose
            # the last commits. It saves an fsync per transaction.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=10000")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._ensure_schema()
        except Exception as exc:  # sqlite3.DatabaseError: not a database, disk full ...
            raise StorageError(f"{self.path}: cannot open the archive: {exc}") from exc
        self._lock_file: Any = None

    # ------------------------------------------------------------------ schema

    def _ensure_schema(self) -> None:
        """Create missing tables, columns and indexes (never drops or alters one)."""
        db = self.db
        with db.atomic():
            for name, table in _TABLES.items():
                if db[name].exists():
                    present = set(db[name].columns_dict)
                    for column, kind in table["columns"].items():
                        if column not in present:
                            db[name].add_column(column, kind)
                else:
                    db[name].create(
                        table["columns"],
                        pk=table["pk"],
                        foreign_keys=table.get("foreign_keys", []),
                    )
            for name, columns in _INDEXES:
                db[name].create_index(columns, if_not_exists=True)
        search.ensure_search_index(db)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # ------------------------------------------------------------------ locking

    def lock(self) -> None:
        """Take the update lock of this database, or raise LockedError at once."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        handle = open(lock_path, "a+")  # noqa: SIM115 - held until unlock()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise LockedError(
                f"{self.path}: another update is running (lock held by pid {holder or '?'})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle

    def unlock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def close(self) -> None:
        self.unlock()
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ runs and logs

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

    # ------------------------------------------------------------------ sources

    def sync_sources(self, sources: tuple[Source, ...] | list[Source]) -> None:
        """Insert or update the configured sources (never deletes one)."""
        with self.db.atomic():
            for source in sources:
                self.db.execute(
                    "INSERT INTO sources (id, name, url, verified, overridden) VALUES (?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET name=excluded.name, url=excluded.url, "
                    "verified=excluded.verified, overridden=excluded.overridden",
                    [
                        source.id,
                        source.name,
                        source.url,
                        int(source.verified),
                        int(source.overridden),
                    ],
                )

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
                    "UPDATE sources SET last_run = ?, last_success = ? WHERE id = ?",
                    [now, now, source_id],
                )
            else:
                self.db.execute(
                    "UPDATE sources SET last_run = ?, last_failure = ?, last_error = ? "
                    "WHERE id = ?",
                    [now, now, error, source_id],
                )

    # ------------------------------------------------------------------ frontier

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

    def dequeue(self, url: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM frontier WHERE url = ?", [url])

    def note_attempt(self, url: str, *, error: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE frontier SET attempts = attempts + 1, last_error = ? WHERE url = ?",
                [error, url],
            )

    # ------------------------------------------------------------------ HTTP cache

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
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO http_cache (url, etag, last_modified, status, fetched_at, body_hash) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, "
                "last_modified=excluded.last_modified, status=excluded.status, "
                "fetched_at=excluded.fetched_at, body_hash=excluded.body_hash",
                [
                    page.url,
                    page.etag,
                    page.last_modified,
                    page.status,
                    page.fetched_at,
                    hashlib.sha256(page.content).hexdigest(),
                ],
            )

    def forget_validators(self, url: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM http_cache WHERE url = ?", [url])

    def load_robots(self, *, now: str, max_age_hours: float) -> list[RobotsTxt]:
        """robots.txt answers young enough to be reused instead of asked again."""
        cutoff = (
            datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(hours=max_age_hours)
        ).strftime("%Y-%m-%dT%H:%M:%SZ")
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

    # ------------------------------------------------------------------ raw pages

    def save_page(self, page: Page, *, source: str, run_id: int | None) -> int:
        """Store a fetched page as fetched; identical bodies are stored once."""
        body_hash = hashlib.sha256(page.content).hexdigest()
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO bodies (hash, size, compression, data) VALUES (?,?,?,?)",
                [body_hash, len(page.content), "zstd", _COMPRESSOR.compress(page.content)],
            )
            cursor = self.db.execute(
                "INSERT INTO pages (source, url, final_url, status, headers, fetched_at, "
                "body_hash, encoding, run_id) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    source,
                    page.url,
                    page.final_url,
                    page.status,
                    json.dumps(page.headers, ensure_ascii=False),
                    page.fetched_at,
                    body_hash,
                    page.encoding,
                    run_id,
                ],
            )
        return int(cursor.lastrowid)

    def page_html(self, page_id: int) -> tuple[str, str]:
        """(final URL, decoded HTML) of a stored raw page."""
        row = self.db.execute(
            "SELECT p.final_url, p.encoding, b.data, b.compression FROM pages p "
            "JOIN bodies b ON b.hash = p.body_hash WHERE p.id = ?",
            [page_id],
        ).fetchone()
        if row is None:
            raise StorageError(f"no stored page {page_id}")
        final_url, encoding, data, compression = row
        raw = zstandard.ZstdDecompressor().decompress(data) if compression == "zstd" else data
        try:
            return final_url, raw.decode(encoding or "utf-8", errors="replace")
        except LookupError:
            return final_url, raw.decode("utf-8", errors="replace")

    def page_body_hash(self, page_id: int | None) -> str | None:
        if page_id is None:
            return None
        row = self.db.execute("SELECT body_hash FROM pages WHERE id = ?", [page_id]).fetchone()
        return row[0] if row else None

    def release_pages(self, source: str, *, limit: int = 300) -> Iterator[tuple[str, str]]:
        """(url, html) of the newest stored page of each release of ``source``."""
        rows = self.db.execute(
            "SELECT page_id FROM releases WHERE source = ? AND page_id IS NOT NULL "
            "ORDER BY COALESCE(published, first_seen) DESC LIMIT ?",
            [source, limit],
        ).fetchall()
        for (page_id,) in rows:
            yield self.page_html(page_id)

    def unextracted_pages(self, source: str) -> list[int]:
        """Release pages fetched with status 200 that no release points at yet.

        These are the pages of a run that was killed between fetching and
        extracting (or pages whose extraction failed); the next run retries them.
        """
        rows = self.db.execute(
            "SELECT p.id FROM pages p WHERE p.source = ? AND p.status = 200 "
            "AND p.id = (SELECT MAX(p2.id) FROM pages p2 WHERE p2.url = p.url) "
            "AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.page_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM fetches f WHERE f.url = p.url AND f.outcome = "
            "'failed' AND f.purpose = 'extract' AND f.at >= p.fetched_at) ORDER BY p.id",
            [source],
        ).fetchall()
        return [row[0] for row in rows]

    # ------------------------------------------------------------------ templates

    def save_template(self, template: SiteTemplate) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO site_templates (source, pages, blocks, threshold, learned_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT(source) DO UPDATE SET pages=excluded.pages, "
                "blocks=excluded.blocks, threshold=excluded.threshold, "
                "learned_at=excluded.learned_at",
                [
                    template.source,
                    template.pages,
                    json.dumps(template.blocks),
                    template.threshold,
                    template.learned_at,
                ],
            )

    def load_template(self, source: str) -> SiteTemplate | None:
        row = self.db.execute(
            "SELECT pages, blocks, threshold, learned_at FROM site_templates WHERE source = ?",
            [source],
        ).fetchone()
        if row is None:
            return None
        blocks = tuple((fp, float(share)) for fp, share in json.loads(row[1]))
        return SiteTemplate(
            source=source, pages=row[0], blocks=blocks, threshold=row[2], learned_at=row[3]
        )

    # ------------------------------------------------------------------ releases

    def known_urls(self, source: str) -> set[str]:
        """Every URL at which a release of ``source`` has been seen."""
        rows = self.db.execute(
            "SELECT u.url FROM release_urls u JOIN releases r ON r.id = u.release_id "
            "WHERE r.source = ?",
            [source],
        ).fetchall()
        return {row[0] for row in rows}

    def release_for_url(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT r.* FROM release_urls u JOIN releases r ON r.id = u.release_id WHERE u.url = ?",
            [url],
        ).fetchone()
        if row is None:
            return None
        columns = [d[0] for d in self.db.execute("SELECT * FROM releases LIMIT 0").description]
        return dict(zip(columns, row, strict=True))

    def mark_listed(self, urls: list[str], *, now: str) -> None:
        """Note that these release URLs were seen on their listing now."""
        with self.db.atomic():
            for url in urls:
                self.db.execute(
                    "UPDATE releases SET last_listed = ?, last_seen = ? WHERE id = "
                    "(SELECT release_id FROM release_urls WHERE url = ?)",
                    [now, now, url],
                )

    def save_release(
        self,
        release: Release,
        *,
        source: str,
        page_id: int | None,
        extractor_version: str,
        now: str,
        revise: bool = True,
        seen: bool = True,
        aliases: tuple[str, ...] = (),
    ) -> tuple[int, SaveOutcome]:
        """Insert or update one release and its images and attachments, atomically.

        The release is found by any URL it was seen at (fetched URL, final URL
        after redirects, canonical URL; ``aliases`` adds more). When its content
        changed on the site, the stored version moves to ``revisions`` with a
        word diff against the new one.
        With ``revise=False`` (the same raw page run through a newer extractor)
        a different result updates the release in place without a revision.
        ``seen=False`` (re-extraction without a fetch) leaves the seen and
        fetched times alone.
        Returns (release id, outcome).
        """
        urls = [u for u in dict.fromkeys([release.canonical_url, release.url, *aliases]) if u]
        with self.db.atomic():
            existing = None
            for url in urls:
                existing = self.release_for_url(url)
                if existing:
                    break
            fields = self._release_fields(release, page_id, extractor_version)
            if existing is None:
                cursor = self.db.execute(
                    "INSERT INTO releases (source, url, first_seen, last_seen, last_fetched, "
                    "version_seen, "
                    + ", ".join(fields)
                    + ") VALUES (?,?,?,?,?,?,"
                    + ",".join("?" * len(fields))
                    + ")",
                    [source, release.canonical_url, now, now, now, now, *fields.values()],
                )
                release_id = int(cursor.lastrowid)
                outcome = "new"
            else:
                release_id = existing["id"]
                outcome = self._update_release(
                    existing, release, fields, now=now, revise=revise, seen=seen
                )
            for url in urls:
                self.db.execute(
                    "INSERT OR IGNORE INTO release_urls (url, release_id, first_seen) "
                    "VALUES (?,?,?)",
                    [url, release_id, now],
                )
            if outcome != "unchanged" or existing is None:
                self._replace_media(release_id, release)
        return release_id, outcome

    def _release_fields(
        self, release: Release, page_id: int | None, extractor_version: str
    ) -> dict[str, Any]:
        return {
            "title": release.title,
            "kind": release.kind,
            "published": release.published,
            "published_source": release.published_source,
            "updated": release.updated,
            "updated_source": release.updated_source,
            "lead": release.lead,
            "body": release.body,
            "language": release.language,
            "year": _year(release.published),
            "content_hash": release.content_hash,
            "extractor_version": extractor_version,
            "page_id": page_id,
            "stems": search.stem_document(release.title, release.lead, release.body),
        }

    def _update_release(
        self,
        existing: dict[str, Any],
        release: Release,
        fields: dict[str, Any],
        *,
        now: str,
        revise: bool,
        seen: bool,
    ) -> SaveOutcome:
        release_id = existing["id"]
        changed = existing["content_hash"] != release.content_hash
        if changed and revise:
            self.db.execute(
                "INSERT INTO revisions (release_id, title, lead, body, published, content_hash, "
                "first_seen, last_seen, page_id, diff) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    release_id,
                    existing["title"],
                    existing["lead"],
                    existing["body"],
                    existing["published"],
                    existing["content_hash"],
                    existing["version_seen"] or existing["first_seen"],
                    existing["last_seen"],
                    existing["page_id"],
                    _revision_diff(existing, release),
                ],
            )
            self.db.execute(
                "INSERT INTO events (release_id, at, event, evidence) VALUES (?,?,?,?)",
                [
                    release_id,
                    now,
                    "changed",
                    f"content hash {existing['content_hash'][:12]} -> {release.content_hash[:12]}",
                ],
            )
        assignments = dict(fields)
        if seen:
            assignments.update(last_seen=now, last_fetched=now)
        if changed and revise:
            assignments.update(changed_at=now, version_seen=now)
        if existing["url"] != release.canonical_url and seen:
            assignments["url"] = release.canonical_url
            self.db.execute(
                "INSERT INTO events (release_id, at, event, evidence) VALUES (?,?,?,?)",
                [release_id, now, "moved", f"{existing['url']} -> {release.canonical_url}"],
            )
        if existing["removed_at"] and seen:
            assignments.update(removed_at=None, removal_evidence=None)
            self.db.execute(
                "INSERT INTO events (release_id, at, event, evidence) VALUES (?,?,?,?)",
                [release_id, now, "restored", f"answered {release.url} again"],
            )
        self.db.execute(
            "UPDATE releases SET " + ", ".join(f"{k} = ?" for k in assignments) + " WHERE id = ?",
            [*assignments.values(), release_id],
        )
        if changed:
            return "changed" if revise else "updated"
        return "unchanged"

    def _replace_media(self, release_id: int, release: Release) -> None:
        self.db.execute("DELETE FROM images WHERE release_id = ?", [release_id])
        self.db.execute("DELETE FROM attachments WHERE release_id = ?", [release_id])
        for position, image in enumerate(release.images):
            self.db.execute(
                "INSERT INTO images (release_id, position, url, alt, caption) VALUES (?,?,?,?,?)",
                [release_id, position, image.url, image.alt, image.caption],
            )
        for position, attachment in enumerate(release.attachments):
            self.db.execute(
                "INSERT INTO attachments (release_id, position, url, title, mime_type) "
                "VALUES (?,?,?,?,?)",
                [release_id, position, attachment.url, attachment.title, attachment.mime_type],
            )

    def mark_due_if_updated(self, url: str, *, updated: str) -> None:
        """A feed or sitemap says the release changed after our last fetch: re-check it."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE releases SET last_fetched = NULL WHERE id = "
                "(SELECT release_id FROM release_urls WHERE url = ?) AND last_fetched < ?",
                [url, updated],
            )

    def touch_release(self, url: str, *, now: str) -> None:
        """A re-check found the release as it was (304 or same content)."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE releases SET last_seen = ?, last_fetched = ? WHERE id = "
                "(SELECT release_id FROM release_urls WHERE url = ?)",
                [now, now, url],
            )

    def note_moved(self, url: str, final_url: str, *, now: str) -> None:
        """The release at ``url`` now answers at ``final_url`` (a redirect): keep both."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT r.id, r.url FROM release_urls u JOIN releases r ON r.id = u.release_id "
                "WHERE u.url = ?",
                [url],
            ).fetchone()
            if (
                row is None
                or self.db.execute(
                    "SELECT 1 FROM release_urls WHERE url = ?", [final_url]
                ).fetchone()
            ):
                return
            self.db.execute(
                "INSERT INTO release_urls (url, release_id, first_seen) VALUES (?,?,?)",
                [final_url, row[0], now],
            )
            if row[1] == url:
                self.db.execute("UPDATE releases SET url = ? WHERE id = ?", [final_url, row[0]])
            self.db.execute(
                "INSERT INTO events (release_id, at, event, evidence) VALUES (?,?,?,?)",
                [row[0], now, "moved", f"{url} -> {final_url} (redirect)"],
            )

    def mark_removed(self, url: str, *, evidence: str, now: str) -> bool:
        """Mark the release at ``url`` removed (kept, never deleted); True if newly marked."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT r.id, r.removed_at FROM release_urls u JOIN releases r "
                "ON r.id = u.release_id WHERE u.url = ?",
                [url],
            ).fetchone()
            if row is None or row[1]:
                if row:
                    self.db.execute(
                        "UPDATE releases SET last_fetched = ? WHERE id = ?", [now, row[0]]
                    )
                return False
            self.db.execute(
                "UPDATE releases SET removed_at = ?, removal_evidence = ?, last_fetched = ? "
                "WHERE id = ?",
                [now, evidence, now, row[0]],
            )
            self.db.execute(
                "INSERT INTO events (release_id, at, event, evidence) VALUES (?,?,?,?)",
                [row[0], now, "removed", evidence],
            )
        return True

    def releases_due(
        self, source: str, *, now: str, schedule: RefetchSchedule, exclude: set[str]
    ) -> list[str]:
        """URLs of known releases whose re-check is due, young ones more often."""
        current = datetime.fromisoformat(now.replace("Z", "+00:00"))
        due = []
        rows = self.db.execute(
            "SELECT url, COALESCE(published, first_seen), last_fetched, removed_at "
            "FROM releases WHERE source = ?",
            [source],
        ).fetchall()
        for url, born, last_fetched, removed_at in rows:
            if url in exclude:
                continue
            age = _days_between(born, current)
            if age is None:
                age = schedule.middle_days
            if age < schedule.young_days:
                every = schedule.young_every
            elif age < schedule.middle_days:
                every = schedule.middle_every
            else:
                every = schedule.old_every
            if removed_at:
                every = max(every, schedule.middle_every)
            since = _days_between(last_fetched, current)
            if since is None or since >= every:
                due.append(url)
        return due

    def releases_missing_from_listing(
        self, source: str, *, listed_since: str, grace_days: int, now: str
    ) -> list[str]:
        """Live releases not listed for ``grace_days`` although the listing was walked."""
        current = datetime.fromisoformat(now.replace("Z", "+00:00"))
        cutoff = (current - timedelta(days=grace_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows = self.db.execute(
            "SELECT url FROM releases WHERE source = ? AND removed_at IS NULL "
            "AND last_listed IS NOT NULL AND last_listed < ? AND published >= ?",
            [source, cutoff, listed_since],
        ).fetchall()
        return [row[0] for row in rows]

    # ------------------------------------------------------------------ reporting

    def source_status(self) -> list[dict[str, Any]]:
        """Per source: last success and failure, releases, newest release, usual gap."""
        rows = self.db.execute(
            "SELECT s.id, s.name, s.url, s.verified, s.overridden, s.last_run, s.last_success, "
            "s.last_failure, s.last_error, COUNT(r.id), MAX(r.published), MAX(r.first_seen), "
            "SUM(r.removed_at IS NOT NULL) FROM sources s LEFT JOIN releases r "
            "ON r.source = s.id GROUP BY s.id ORDER BY s.id"
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
            "releases",
            "newest",
            "last_new",
            "removed",
        ]
        result = []
        for row in rows:
            item = dict(zip(keys, row, strict=True))
            item["usual_gap_days"] = self._usual_gap(item["id"])
            result.append(item)
        return result

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


def _revision_diff(existing: dict[str, Any], release: Release) -> str:
    parts = []
    if (existing["title"] or "") != release.title:
        parts.append("Rubrik: " + word_diff(existing["title"] or "", release.title))
    if (existing["published"] or "") != (release.published or ""):
        parts.append(f"Publicerad: [-{existing['published']}-] {{+{release.published}+}}")
    if (existing["lead"] or "") != (release.lead or ""):
        parts.append("Ingress: " + word_diff(existing["lead"] or "", release.lead or ""))
    if (existing["body"] or "") != release.body:
        parts.append(word_diff(existing["body"] or "", release.body))
    return "\n\n".join(p for p in parts if p)


def _days_between(value: str | None, current: datetime) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (current - moment).total_seconds() / 86400


def release_as_dict(release: Release) -> dict[str, Any]:
    """A release as plain JSON-ready data (for exports and tests)."""
    data = asdict(release)
    data["content_hash"] = release.content_hash
    return data
