"""Releases, their revisions, URLs, media and history events."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import sqlite_utils
import zstandard

from scraper.diff import word_diff
from scraper.records import RefetchSchedule, Release
from scraper.timestamps import days_between, format_timestamp, parse_timestamp

from . import index_terms, search
from .cleaning import clean_release
from .migrations import split_published

#: What save_release did: "new", "changed" (a revision was kept),
#: "updated" (same publication, new extraction), "unchanged".
SaveOutcome = str


class ReleaseStore:
    """Releases, their revisions, URLs, media and history events."""

    db: sqlite_utils.Database

    # -- releases

    def tidy_search_index(self) -> None:
        """A bounded merge of the search index's segments (after a run that wrote)."""
        search.tidy_index(self.db)

    def known_urls(self, source: str) -> set[str]:
        """Every URL at which a release of ``source`` has been seen."""
        rows = self.db.execute(
            "SELECT u.url FROM release_urls u JOIN releases r ON r.id = u.release_id "
            "WHERE r.source = ?",
            [source],
        ).fetchall()
        return {row[0] for row in rows}

    def url_known(self, url: str) -> bool:
        """True when any source has a release or a discovered URL at ``url``."""
        return bool(
            self.db.execute(
                "SELECT 1 FROM release_urls WHERE url = ? UNION ALL "
                "SELECT 1 FROM frontier WHERE url = ? LIMIT 1",
                [url, url],
            ).fetchone()
        )

    def release_for_url(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT r.* FROM release_urls u JOIN releases r ON r.id = u.release_id WHERE u.url = ?",
            [url],
        ).fetchone()
        if row is None:
            return None
        columns = [d[0] for d in self.db.execute("SELECT * FROM releases LIMIT 0").description]
        return dict(zip(columns, row, strict=True))

    def twin_release(
        self, *, organisation: str, title: str, published: str, other_than: str
    ) -> int | None:
        """A release of another source of the same organisation with the same title and
        day of publication (a newsroom's copy of the own site's release), or None."""
        rows = self.db.execute(
            "SELECT r.id, r.title FROM releases r JOIN sources s ON s.id = r.source "
            "WHERE s.organisation = ? AND r.source != ? AND substr(r.published, 1, 10) = ?",
            [organisation, other_than, published[:10]],
        ).fetchall()
        key = title_key(title)
        return next((row[0] for row in rows if key and title_key(row[1]) == key), None)

    def add_release_urls(
        self, release_id: int, urls: tuple[str, ...], *, evidence: str, now: str
    ) -> None:
        """Note more URLs of a release (the same release published elsewhere)."""
        with self.db.atomic():
            self._insert_urls(release_id, dict.fromkeys(urls), now=now)
            self.db.execute(
                "INSERT INTO events (release_id, at, event, evidence) VALUES (?,?,?,?)",
                [release_id, now, "also published", evidence],
            )

    def mark_listed(self, urls: list[str], *, now: str) -> None:
        """Note that these release URLs were seen on their listing now."""
        with self.db.atomic():
            for url in urls:
                self.db.execute(
                    "UPDATE releases SET last_listed = ?, last_seen = ? WHERE id = "
                    "(SELECT release_id FROM release_urls WHERE url = ?)",
                    [now, now, url],
                )

    def mark_still_listed(self, source: str, *, listing_url: str, now: str) -> None:
        """The listing (or feed) answered 304: what it showed last time it still shows."""
        row = self.db.execute(
            "SELECT fetched_at FROM http_cache WHERE url = ?", [listing_url]
        ).fetchone()
        if row is None or not row[0]:
            return
        with self.db.atomic():
            self.db.execute(
                "UPDATE releases SET last_listed = ? WHERE source = ? AND last_listed >= ?",
                [now, source, row[0]],
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
        template_hash: str | None = None,
    ) -> tuple[int, SaveOutcome]:
        """Insert or update one release and its images and attachments, atomically.

        The release is found by any URL it was seen at (fetched URL, final URL
        after redirects, canonical URL; ``aliases`` adds more). When its content
        changed on the site, the stored version moves to ``revisions`` with a
        word diff against the new one.
        With ``revise=False`` (the same raw page run through a newer extractor)
        a different result updates the release in place without a revision.
        ``seen=False`` (re-extraction without a fetch) leaves the seen and
        fetched times alone. ``template_hash`` is the fingerprint of the site
        template the release was extracted under.
        Returns (release id, outcome).
        """
        # The URLs it was fetched at first: a canonical link is the site's claim,
        # and a wrong one (every page pointing at "/") must not merge releases.
        urls = [u for u in dict.fromkeys([release.url, *aliases, release.canonical_url]) if u]
        # Clean text at the door: no release reaches the tables uncleaned (store/cleaning.py).
        release, cut = clean_release(release)
        with self.db.atomic():
            existing = None
            for url in urls:
                existing = self.release_for_url(url)
                if existing:
                    break
            fields = self._release_fields(release, page_id, extractor_version)
            fields["template_hash"] = template_hash
            fields["cut"] = ",".join(cut) or None
            if existing is None:
                cursor = self.db.execute(
                    # Every release enters through a listing, feed or sitemap.
                    "INSERT INTO releases (source, url, first_seen, last_seen, last_fetched, "
                    "version_seen, last_listed, "
                    + ", ".join(fields)
                    + ") VALUES (?,?,?,?,?,?,?,"
                    + ",".join("?" * len(fields))
                    + ")",
                    [source, release.canonical_url, now, now, now, now, now, *fields.values()],
                )
                release_id = int(cursor.lastrowid)
                outcome = "new"
            else:
                release_id = existing["id"]
                outcome = self._update_release(
                    existing, release, fields, now=now, revise=revise, seen=seen
                )
            self._insert_urls(release_id, urls, now=now)
            search.index_release(
                self.db,
                release_id,
                source=existing["source"] if existing else source,
                kind=release.kind,
                title=release.title,
                lead=release.lead,
                body=release.body,
            )
            index_terms.harvest(self.db)  # its words, for long prefixes
            if outcome != "unchanged" or existing is None:
                self._replace_media(release_id, release)
        return release_id, outcome

    def _insert_urls(self, release_id: int, urls: Iterable[str], *, now: str) -> None:
        """Note URLs a release was seen at (those already noted stay as they were)."""
        for url in urls:
            self.db.execute(
                "INSERT OR IGNORE INTO release_urls (url, release_id, first_seen) VALUES (?,?,?)",
                [url, release_id, now],
            )

    def _release_fields(
        self, release: Release, page_id: int | None, extractor_version: str
    ) -> dict[str, Any]:
        published, published_time = split_published(release.published)
        return {
            "title": release.title,
            "kind": release.kind,
            "published": published,
            "published_time": published_time,
            "published_source": release.published_source,
            "updated": release.updated,
            "updated_source": release.updated_source,
            "lead": release.lead,
            "body": release.body,
            "language": release.language,
            "thin": int(release.thin),
            "year": _year(release.published),
            "content_hash": release.content_hash,
            "extractor_version": extractor_version,
            "page_id": page_id,
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
                "INSERT INTO revisions (release_id, title, lead, body, published, published_time, "
                "content_hash, first_seen, last_seen, page_id, diff) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    release_id,
                    existing["title"],
                    existing["lead"],
                    existing["body"],
                    existing["published"],
                    existing["published_time"],
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
            assignments.update(last_seen=now, last_fetched=now, redirect_away_since=None)
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
        """A feed or sitemap says the release changed after our last fetch: re-check it.

        A date without a time ("2026-11-27", a sitemap's lastmod) counts as the
        end of that day: a change later that day must not be missed.
        """
        moment = parse_timestamp(updated)
        if moment is None:
            return
        if len(updated.strip()) <= 10:
            moment += timedelta(days=1) - timedelta(seconds=1)
        with self.db.atomic():
            self.db.execute(
                "UPDATE releases SET last_fetched = NULL WHERE id = "
                "(SELECT release_id FROM release_urls WHERE url = ?) AND last_fetched < ?",
                [url, format_timestamp(moment)],
            )

    def note_redirect_away(self, url: str, *, now: str) -> None:
        """The release at ``url`` now redirects away: note since when, and that it was checked."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE releases SET redirect_away_since = COALESCE(redirect_away_since, ?), "
                "last_fetched = ? WHERE id = (SELECT release_id FROM release_urls WHERE url = ?)",
                [now, now, url],
            )

    def touch_release(self, url: str, *, now: str) -> None:
        """A re-check found the release as it was (304 or same content)."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE releases SET last_seen = ?, last_fetched = ?, redirect_away_since = NULL "
                "WHERE id = (SELECT release_id FROM release_urls WHERE url = ?)",
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
        self,
        source: str,
        *,
        now: str,
        schedule: RefetchSchedule,
        exclude: set[str],
        everything: bool = False,
    ) -> list[str]:
        """URLs of known releases whose re-check is due, young ones more often.

        One URL per release (its current one); ``everything`` (``--full``): all of them.
        """
        current = parse_timestamp(now)
        if current is None:
            raise ValueError(f"not a timestamp: {now!r}")
        due = []
        rows = self.db.execute(
            "SELECT url, COALESCE(published, first_seen), last_fetched, removed_at "
            "FROM releases WHERE source = ?",
            [source],
        ).fetchall()
        for url, born, last_fetched, removed_at in rows:
            if url in exclude:
                continue
            if everything:
                due.append(url)
                continue
            age = days_between(born, current)
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
            since = days_between(last_fetched, current)
            if since is None or since >= every:
                due.append(url)
        return due


def _revision_diff(existing: dict[str, Any], release: Release) -> str:
    parts = []
    if (existing["title"] or "") != release.title:
        parts.append("Rubrik: " + word_diff(existing["title"] or "", release.title))
    # The date and time as the page gave them (the store keeps them in two columns).
    before = existing["published_time"] or existing["published"]
    if (before or "") != (release.published or ""):
        parts.append(f"Publicerad: [-{before}-] {{+{release.published}+}}")
    if (existing["lead"] or "") != (release.lead or ""):
        parts.append("Ingress: " + word_diff(existing["lead"] or "", release.lead or ""))
    if (existing["body"] or "") != release.body:
        parts.append(word_diff(existing["body"] or "", release.body))
    return "\n\n".join(p for p in parts if p)


def _year(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


_COMPRESSOR = zstandard.ZstdCompressor(level=10)


_KIND_PREFIX = re.compile(r"^(pressmeddelande|pressinbjudan|nyhet|news|press release)\s*[:\-–]\s*")


def title_key(title: str | None) -> str:
    """A title as compared across an organisation's sources: lower case, letters and
    digits only, without a leading kind ("Pressmeddelande: ")."""
    text = _KIND_PREFIX.sub("", (title or "").strip().lower())
    return "".join(ch for ch in text if ch.isalnum())
