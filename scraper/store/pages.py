"""Raw pages as fetched (immutable, bodies stored once) and learned site templates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import sqlite_utils
import zstandard

from scraper.errors import StorageError
from scraper.records import Page, SiteTemplate

from .crawlstate import put_validators

_COMPRESSOR = zstandard.ZstdCompressor(level=10)


def decode_stored_body(data: bytes, *, compression: str | None, encoding: str | None) -> str:
    """The text of a stored body (a ``bodies`` row): decompressed and decoded as fetched."""
    raw = zstandard.ZstdDecompressor().decompress(data) if compression == "zstd" else data
    try:
        return raw.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


class PageStore:
    """Raw pages as fetched (immutable, bodies stored once) and learned site templates."""

    db: sqlite_utils.Database

    # -- raw pages

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
        return final_url, decode_stored_body(data, compression=compression, encoding=encoding)

    def remember_page_validators(self, page_id: int) -> None:
        """Keep the ETag/Last-Modified of a stored page for the next conditional request.

        Called once the page has been extracted and stored: a page whose
        extraction failed must be fetched in full again, not answered 304.
        """
        row = self.db.execute(
            "SELECT url, headers, fetched_at, body_hash FROM pages WHERE id = ?", [page_id]
        ).fetchone()
        if row is None:
            return
        headers = dict(json.loads(row[1]))
        put_validators(
            self.db,
            row[0],
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            fetched_at=row[2],
            body_hash=row[3],
        )

    def page_url(self, page_id: int) -> str:
        """The URL a stored raw page was requested at (before redirects)."""
        row = self.db.execute("SELECT url FROM pages WHERE id = ?", [page_id]).fetchone()
        if row is None:
            raise StorageError(f"no stored page {page_id}")
        return str(row[0])

    def page_body_hash(self, page_id: int | None) -> str | None:
        if page_id is None:
            return None
        row = self.db.execute("SELECT body_hash FROM pages WHERE id = ?", [page_id]).fetchone()
        return row[0] if row else None

    def release_pages(self, source: str, *, limit: int = 300) -> Iterator[tuple[str, str]]:
        """(url, html) of the newest stored page of each release of ``source``."""
        for page_id in self.release_page_ids(source, limit=limit).values():
            yield self.page_html(page_id)

    def release_page_ids(self, source: str, *, limit: int = 300) -> dict[int, int]:
        """Release id -> id of the stored page it was extracted from, newest releases first."""
        rows = self.db.execute(
            "SELECT id, page_id FROM releases WHERE source = ? AND page_id IS NOT NULL "
            "ORDER BY COALESCE(published, first_seen) DESC LIMIT ?",
            [source, limit],
        ).fetchall()
        return {release_id: page_id for release_id, page_id in rows}

    def unextracted_pages(self, source: str) -> list[int]:
        """Release pages fetched with status 200 that no release points at yet.

        These are the pages of a run that was killed between fetching and
        extracting; the next run extracts them. A page older than the one its
        release was last extracted from is history, not work (a release seen at
        two URLs would otherwise flip between its old and new text), and a page
        whose extraction failed waits for the next fetch, and one found to be another
        source's release (a ``twin``) is done.
        """
        rows = self.db.execute(
            "SELECT p.id FROM pages p WHERE p.source = ? AND p.status = 200 "
            "AND p.id = (SELECT MAX(p2.id) FROM pages p2 WHERE p2.url = p.url) "
            "AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.page_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM release_urls u JOIN releases r "
            "ON r.id = u.release_id WHERE u.url IN (p.url, p.final_url) AND r.page_id > p.id) "
            "AND NOT EXISTS (SELECT 1 FROM fetches f WHERE f.url = p.url AND f.outcome IN "
            "('failed', 'twin') AND f.purpose = 'extract' AND f.at >= p.fetched_at) ORDER BY p.id",
            [source],
        ).fetchall()
        return [row[0] for row in rows]

    # -- templates

    def save_template(self, template: SiteTemplate, *, provisional: bool = False) -> None:
        """Store a source's template; ``provisional``: learned from the first pages of a
        run that streams, to be learned again from the whole sample at its end."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO site_templates (source, pages, blocks, threshold, learned_at, "
                "provisional) VALUES (?,?,?,?,?,?) ON CONFLICT(source) DO UPDATE SET "
                "pages=excluded.pages, blocks=excluded.blocks, threshold=excluded.threshold, "
                "learned_at=excluded.learned_at, provisional=excluded.provisional",
                [
                    template.source,
                    template.pages,
                    json.dumps(template.blocks),
                    template.threshold,
                    template.learned_at,
                    int(provisional),
                ],
            )

    def template_provisional(self, source: str) -> bool:
        """True when the source's stored template was learned from a run's first pages
        only (a run killed before it learned from the whole sample)."""
        row = self.db.execute(
            "SELECT provisional FROM site_templates WHERE source = ?", [source]
        ).fetchone()
        return bool(row and row[0])

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
