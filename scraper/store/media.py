"""Archived images and attachments: content-addressed bytes and their links to releases.

``media`` holds each distinct file once (sha256 of its bytes -> content type,
size), its bytes in ``media_chunks`` (pieces of ``MEDIA_CHUNK`` bytes, in
order: a value well under what a serving connection may read);
``release_media`` says, per release and file URL, what became of
it: ``archived`` (with its sha256), ``failed`` (tried again in later runs up
to ``MEDIA_ATTEMPTS`` times), ``too large`` (over a cap), ``refused`` (not the
site's own file, not an image, disallowed by robots.txt). Nothing here fetches.
"""

from __future__ import annotations

import hashlib

import sqlite_utils

from scraper.records import MediaRef

__all__ = ["MEDIA_ATTEMPTS", "MEDIA_CHUNK", "MediaStore"]

#: Runs in which a failed file is tried again before it is left alone.
MEDIA_ATTEMPTS = 3
#: Bytes of a file per ``media_chunks`` row.
MEDIA_CHUNK = 1024 * 1024

_PENDING_SQL = """
SELECT r.id, m.url, m.kind, r.url FROM (
  SELECT release_id, url, 'image' AS kind, 0 AS kind_order, position FROM images
  UNION ALL
  SELECT release_id, url, 'attachment', 1, position FROM attachments
) m
JOIN releases r ON r.id = m.release_id
WHERE r.source = ?
  AND NOT EXISTS (
    SELECT 1 FROM release_media l WHERE l.release_id = m.release_id AND l.url = m.url
      AND (l.status != 'failed' OR l.attempts >= ?))
ORDER BY r.id, m.kind_order, m.position
"""


class MediaStore:
    """Archived images and attachments (a mixin of ``Archive``)."""

    db: sqlite_utils.Database

    def pending_media(self, source: str, *, max_attempts: int = MEDIA_ATTEMPTS) -> list[MediaRef]:
        """Images and attachments of ``source``'s releases not archived, refused or given up
        yet: each release's images first, then its attachments, in page order."""
        rows = self.db.execute(_PENDING_SQL, [source, max_attempts]).fetchall()
        return [MediaRef(release_id=r[0], url=r[1], kind=r[2], page_url=r[3]) for r in rows]

    def archived_media_for_url(self, url: str) -> tuple[str, int] | None:
        """(sha256, size) of the file already archived from ``url`` for any release, or None."""
        row = self.db.execute(
            "SELECT l.sha256, m.size FROM release_media l JOIN media m ON m.sha256 = l.sha256 "
            "WHERE l.url = ? AND l.status = 'archived' LIMIT 1",
            [url],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def release_media_bytes(self, release_id: int) -> int:
        """Bytes of the files archived for a release so far (for its cap)."""
        row = self.db.execute(
            "SELECT COALESCE(SUM(m.size), 0) FROM release_media l JOIN media m "
            "ON m.sha256 = l.sha256 WHERE l.release_id = ? AND l.status = 'archived'",
            [release_id],
        ).fetchone()
        return int(row[0])

    def save_media(self, ref: MediaRef, content: bytes, *, content_type: str, now: str) -> str:
        """Store a fetched file (once per distinct content) and link it; returns its sha256."""
        digest = hashlib.sha256(content).hexdigest()
        pieces = [content[i : i + MEDIA_CHUNK] for i in range(0, len(content), MEDIA_CHUNK)]
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO media (sha256, content_type, size, chunks) VALUES (?,?,?,?)",
                [digest, content_type, len(content), len(pieces)],
            )
            if cursor.rowcount:
                for seq, piece in enumerate(pieces):
                    self.db.execute(
                        "INSERT INTO media_chunks (sha256, seq, data) VALUES (?,?,?)",
                        [digest, seq, piece],
                    )
            self._link(ref, sha256=digest, status="archived", error=None, now=now)
        return digest

    def link_media(self, ref: MediaRef, sha256: str, *, now: str) -> None:
        """Link a file archived before (the same URL on another release) to ``ref``'s release."""
        with self.db.atomic():
            self._link(ref, sha256=sha256, status="archived", error=None, now=now)

    def note_media_outcome(self, ref: MediaRef, *, status: str, error: str, now: str) -> None:
        """Record why a file was not archived ("failed", "too large", "refused")."""
        with self.db.atomic():
            self._link(ref, sha256=None, status=status, error=error, now=now)

    def _link(
        self, ref: MediaRef, *, sha256: str | None, status: str, error: str | None, now: str
    ) -> None:
        self.db.execute(
            "INSERT INTO release_media (release_id, url, kind, sha256, status, error, attempts, "
            "fetched_at) VALUES (?,?,?,?,?,?,1,?) ON CONFLICT(release_id, url) DO UPDATE SET "
            "kind = excluded.kind, sha256 = excluded.sha256, status = excluded.status, "
            "error = excluded.error, attempts = release_media.attempts + 1, "
            "fetched_at = excluded.fetched_at",
            [ref.release_id, ref.url, ref.kind, sha256, status, error, now],
        )

    def media_content(self, sha256: str) -> bytes | None:
        """The bytes of an archived file, None when there is none under ``sha256``."""
        if self.db.execute("SELECT 1 FROM media WHERE sha256 = ?", [sha256]).fetchone() is None:
            return None
        rows = self.db.execute(
            "SELECT data FROM media_chunks WHERE sha256 = ? ORDER BY seq", [sha256]
        ).fetchall()
        return b"".join(bytes(row[0]) for row in rows)
