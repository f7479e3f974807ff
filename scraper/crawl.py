"""The update pipeline: discover, fetch, learn the site template, extract, store.

One task per source, at most ``concurrency`` at a time; the Fetcher keeps
requests to one host one at a time with the delay between them, so the
speed comes from working on many hosts at once. Every stored step is its
own transaction: a run killed anywhere leaves a consistent archive, and the
next run picks up raw pages that were fetched but not yet extracted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from .boilerplate import learn_template
from .discover import discover_listing
from .errors import ExtractError, FetchError, RobotsDisallowed, ScraperError
from .extract import EXTRACTOR_VERSION, extract_release
from .fetch import Fetcher, RequestRecord
from .records import Config, Listing, ListingEntry, Page, Source, SourceReport
from .store import Archive, utc_now

__all__ = ["RunReport", "reprocess", "run_update", "update"]

#: Raw pages of a source the template is learned from at most.
TEMPLATE_SAMPLE = 300
#: Runs in which a discovered URL may fail before the frontier gives it up.
FRONTIER_ATTEMPTS = 5

HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass(frozen=True)
class RunReport:
    """What one update did: the run id and a report per source."""

    run_id: int
    sources: tuple[SourceReport, ...]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.sources)


@dataclass
class _Tally:
    """Mutable counters of one source while it is processed."""

    discovered: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0
    removed: int = 0
    failed: int = 0
    error: str | None = None
    hints: dict[str, ListingEntry] = field(default_factory=dict)

    def report(self, source: str) -> SourceReport:
        return SourceReport(
            source=source,
            discovered=self.discovered,
            new=self.new,
            changed=self.changed,
            unchanged=self.unchanged,
            not_modified=self.not_modified,
            removed=self.removed,
            failed=self.failed,
            error=self.error,
        )


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def update(
    config: Config,
    archive: Archive,
    *,
    source_ids: tuple[str, ...] = (),
    full: bool = False,
    concurrency: int | None = None,
    progress: Progress = _quiet,
    transport: httpx.AsyncBaseTransport | None = None,
    now: Callable[[], str] = utc_now,
) -> RunReport:
    """Run one update over the configured sources (all, or those in ``source_ids``)."""
    return asyncio.run(
        run_update(
            config,
            archive,
            source_ids=source_ids,
            full=full,
            concurrency=concurrency,
            progress=progress,
            transport=transport,
            now=now,
        )
    )


async def run_update(
    config: Config,
    archive: Archive,
    *,
    source_ids: tuple[str, ...] = (),
    full: bool = False,
    concurrency: int | None = None,
    progress: Progress = _quiet,
    transport: httpx.AsyncBaseTransport | None = None,
    now: Callable[[], str] = utc_now,
) -> RunReport:
    """The asynchronous body of :func:`update`."""
    sources = [s for s in config.sources if not source_ids or s.id in source_ids]
    unknown = set(source_ids) - {s.id for s in config.sources}
    if unknown:
        raise ScraperError(f"unknown source id(s): {', '.join(sorted(unknown))}")
    settings = config.settings
    if concurrency is not None:
        settings = replace(settings, concurrency=concurrency)
    archive.sync_sources(sources)
    options = {
        "sources": [s.id for s in sources],
        "full": full,
        "concurrency": settings.concurrency,
        "extractor_version": EXTRACTOR_VERSION,
    }
    run_id = archive.start_run(options, now=now())
    gate = asyncio.Semaphore(settings.concurrency)
    reports: list[SourceReport] = []
    robots = archive.load_robots(now=now(), max_age_hours=settings.robots_cache_hours)

    def log_robots(record: RequestRecord) -> None:
        if record.purpose == "robots":
            archive.log_fetch(
                run_id=run_id,
                source=None,
                url=record.url,
                purpose="robots",
                status=record.status,
                size=record.size,
                elapsed=record.elapsed,
                attempts=record.attempts,
                outcome="failed" if record.error else "fetched",
                error=record.error,
                now=now(),
            )

    async with Fetcher(
        settings, transport=transport, robots=robots, on_request=log_robots
    ) as fetcher:
        job = _Job(
            archive=archive,
            fetcher=fetcher,
            run_id=run_id,
            full=full,
            config=config,
            progress=progress,
            now=now,
        )

        async def one(source: Source) -> SourceReport:
            async with gate:
                return await job.run_source(source)

        try:
            reports = list(await asyncio.gather(*(one(s) for s in sources)))
        finally:
            archive.save_robots(fetcher.robots_fetched)
    status = "ok" if all(r.ok for r in reports) else "failed"
    archive.finish_run(
        run_id, status=status, now=now(), summary={r.source: r.__dict__ for r in reports}
    )
    return RunReport(run_id=run_id, sources=tuple(reports))


@dataclass
class _Job:
    archive: Archive
    fetcher: Fetcher
    run_id: int
    full: bool
    config: Config
    progress: Progress
    now: Callable[[], str]

    # ------------------------------------------------------------------ one source

    async def run_source(self, source: Source) -> SourceReport:
        tally = _Tally()
        try:
            await self._process(source, tally)
        except (FetchError, ScraperError) as exc:
            tally.error = str(exc)
        except Exception as exc:  # a bug must not take the other sources down
            tally.error = f"internal error: {type(exc).__name__}: {exc}"
        self.archive.record_source_result(source.id, error=tally.error, now=self.now())
        report = tally.report(source.id)
        self.progress(
            f"{source.id}: {report.discovered} discovered, {report.new} new, "
            f"{report.changed} changed, {report.failed} failed"
            + (f" — {report.error}" if report.error else "")
        )
        return report

    async def _process(self, source: Source, tally: _Tally) -> None:
        known = self.archive.known_urls(source.id)
        queued = {e.url for e in self.archive.pending(source.id, max_attempts=FRONTIER_ATTEMPTS)}
        new_entries = await self._discover(source, known | queued, tally)
        # Discovered URLs go to the frontier first: a run killed before it fetched
        # them leaves them there for the next run, whatever the listing then answers.
        self.archive.enqueue(source.id, new_entries, now=self.now())
        queue = self.archive.pending(source.id, max_attempts=FRONTIER_ATTEMPTS)
        for entry in queue:
            tally.hints[entry.url] = entry
        fresh = {entry.url for entry in queue}
        if self.full:
            recheck = sorted(known - fresh)
        else:
            recheck = self.archive.releases_due(
                source.id, now=self.now(), schedule=self.config.settings.refetch, exclude=fresh
            )
        page_ids = self.archive.unextracted_pages(source.id)
        for entry in queue:
            page_id = await self._fetch_release(source, entry.url, tally, known=False)
            if page_id is not None:
                page_ids.append(page_id)
        for url in recheck:
            page_id = await self._fetch_release(source, url, tally, known=True)
            if page_id is not None:
                page_ids.append(page_id)
        if page_ids:
            template = self._learn(source, page_ids)
            for page_id in dict.fromkeys(page_ids):
                self._extract_and_save(source, page_id, template, tally)

    # ------------------------------------------------------------------ discovery

    async def _discover(self, source: Source, known: set[str], tally: _Tally) -> list[ListingEntry]:
        """Return the entries of the source's listing, feed or sitemap not known yet.

        When the listing announced a feed, later runs read the feed first: one
        conditional request answers "nothing new" (304) or names the new
        releases; only a feed with no known entry at all (a gap longer than
        the feed) sends the walk back to the listing pages.
        """
        feed_url = None if self.full else self.archive.source_feed(source.id)
        if feed_url and feed_url != source.url:
            fresh = await self._discover_from_feed(source, feed_url, known, tally)
            if fresh is not None:
                return fresh
        return await self._walk_listing(source, known, tally)

    async def _discover_from_feed(
        self, source: Source, feed_url: str, known: set[str], tally: _Tally
    ) -> list[ListingEntry] | None:
        """New entries from the feed, or None when the listing must be walked."""
        page = await self._fetch(
            source, feed_url, purpose="listing", conditional=True, required=False
        )
        if page is None:
            return None
        if page.not_modified:
            tally.not_modified += 1
            return []
        listing = discover_listing(page.text, page.final_url, content_type=page.content_type)
        entries = [e for e in listing.entries if _same_site(e.url, source.url)]
        if listing.format not in ("rss", "atom") or not entries:
            self.archive.set_source_feed(source.id, None)
            return None
        fresh = self._take(entries, known, {}, tally)
        if len(fresh) == len(entries):
            return None
        self.archive.remember_validators(page)
        return fresh

    async def _walk_listing(
        self, source: Source, known: set[str], tally: _Tally
    ) -> list[ListingEntry]:
        """Walk the listing pages until one holds nothing new (or max_pages)."""
        found: dict[str, ListingEntry] = {}
        url: str | None = source.url
        seen_pages: set[str] = set()
        while url and len(seen_pages) < source.max_pages and url not in seen_pages:
            first = not seen_pages
            seen_pages.add(url)
            page = await self._fetch(
                source, url, purpose="listing", conditional=first and not self.full, required=first
            )
            if page is None:
                break
            if page.not_modified:
                tally.not_modified += 1
                break
            listing = discover_listing(page.text, page.final_url, content_type=page.content_type)
            if first and listing.feed_urls:
                self.archive.set_source_feed(source.id, listing.feed_urls[0])
            if listing.format == "sitemap-index":
                entries = await self._expand_sitemap_index(source, listing)
            else:
                entries = list(listing.entries)
            site_entries = [e for e in entries if _same_site(e.url, source.url)]
            fresh = self._take(site_entries, known, found, tally)
            if first:
                self.archive.remember_validators(page)
            if not fresh and not self.full:
                break
            url = listing.next_url
        return list(found.values())

    def _take(
        self,
        entries: list[ListingEntry],
        known: set[str],
        found: dict[str, ListingEntry],
        tally: _Tally,
    ) -> list[ListingEntry]:
        """Note the known entries as listed and return (and collect) the new ones."""
        fresh = [e for e in entries if e.url not in known and e.url not in found]
        listed = [e.url for e in entries if e.url in known]
        if listed:
            self.archive.mark_listed(listed, now=self.now())
        if not self.full:
            for entry in entries:
                if entry.url in known and entry.updated:
                    self.archive.mark_due_if_updated(entry.url, updated=entry.updated)
        tally.discovered += len(entries)
        for entry in fresh:
            found[entry.url] = entry
        return fresh

    async def _expand_sitemap_index(self, source: Source, listing: Listing) -> list[ListingEntry]:
        entries: list[ListingEntry] = []
        for child in listing.entries:
            page = await self._fetch(
                source, child.url, purpose="listing", conditional=False, required=False
            )
            if page is None or page.not_modified:
                continue
            sub = discover_listing(page.text, page.final_url, content_type=page.content_type)
            entries.extend(sub.entries)
        return entries

    # ------------------------------------------------------------------ fetching

    async def _fetch(
        self, source: Source, url: str, *, purpose: str, conditional: bool, required: bool
    ) -> Page | None:
        """Fetch and log; None when it failed (raises for a required page)."""
        etag, modified = self.archive.cache_validators(url) if conditional else (None, None)
        try:
            page = await self.fetcher.fetch(
                url,
                delay=source.delay,
                etag=etag,
                last_modified=modified,
                site=source.url,
                purpose=purpose,
            )
        except FetchError as exc:
            self._log(
                source,
                url,
                purpose,
                exc.status,
                None,
                exc.elapsed,
                exc.attempts,
                "failed",
                exc.reason,
            )
            if required:
                raise
            return None
        outcome = "not-modified" if page.not_modified else "fetched"
        self._log(
            source,
            url,
            purpose,
            page.status,
            len(page.content),
            page.elapsed,
            page.attempts,
            outcome,
            None,
        )
        return page

    async def _fetch_release(
        self, source: Source, url: str, tally: _Tally, *, known: bool
    ) -> int | None:
        """Fetch one release page and store it raw; returns the raw page id or None."""
        etag, modified = self.archive.cache_validators(url) if known else (None, None)
        self.progress(f"{source.id}: {url}")
        try:
            page = await self.fetcher.fetch(
                url,
                delay=source.delay,
                etag=etag,
                last_modified=modified,
                site=source.url,
                purpose="release",
            )
        except RobotsDisallowed as exc:
            tally.failed += 1
            if not known:
                self.archive.note_attempt(url, error=exc.reason)
            self._log(source, url, "release", None, None, 0.0, 0, "skipped", exc.reason)
            return None
        except FetchError as exc:
            if known and exc.status in (404, 410):
                if self.archive.mark_removed(url, evidence=f"HTTP {exc.status}", now=self.now()):
                    tally.removed += 1
                self.archive.forget_validators(url)
                self._log(
                    source,
                    url,
                    "release",
                    exc.status,
                    None,
                    exc.elapsed,
                    exc.attempts,
                    "removed",
                    exc.reason,
                )
                return None
            tally.failed += 1
            if not known:
                self.archive.note_attempt(url, error=exc.reason)
            self._log(
                source,
                url,
                "release",
                exc.status,
                None,
                exc.elapsed,
                exc.attempts,
                "failed",
                exc.reason,
            )
            return None
        if page.not_modified:
            tally.not_modified += 1
            self.archive.touch_release(url, now=self.now())
            if page.final_url != url and not _redirected_away(url, page.final_url, source.url):
                self.archive.note_moved(url, page.final_url, now=self.now())
            self._log(
                source, url, "release", 304, 0, page.elapsed, page.attempts, "not-modified", None
            )
            return None
        if known and _redirected_away(url, page.final_url, source.url):
            evidence = self._removal_by_redirect(url, page.final_url)
            if evidence:
                if self.archive.mark_removed(url, evidence=evidence, now=self.now()):
                    tally.removed += 1
                self._log(
                    source,
                    url,
                    "release",
                    page.status,
                    len(page.content),
                    page.elapsed,
                    page.attempts,
                    "removed",
                    evidence,
                )
                return None
        if page.content_type not in HTML_TYPES:
            tally.failed += 1
            self.archive.dequeue(url)
            self._log(
                source,
                url,
                "release",
                page.status,
                len(page.content),
                page.elapsed,
                page.attempts,
                "skipped",
                f"not an HTML page ({page.content_type})",
            )
            return None
        if not page.text.strip():
            tally.failed += 1
            if not known:
                self.archive.note_attempt(url, error="empty page")
            self._log(
                source,
                url,
                "release",
                page.status,
                0,
                page.elapsed,
                page.attempts,
                "failed",
                "empty page",
            )
            return None
        page_id = self.archive.save_page(page, source=source.id, run_id=self.run_id)
        self.archive.dequeue(url)
        self.archive.remember_validators(page)
        self._log(
            source,
            url,
            "release",
            page.status,
            len(page.content),
            page.elapsed,
            page.attempts,
            "fetched",
            None,
        )
        return page_id

    def _removal_by_redirect(self, url: str, final_url: str) -> str | None:
        """Evidence that a release redirecting away was removed, or None (grace period)."""
        row = self.archive.release_for_url(url)
        if row is None:
            return None
        grace = self.config.settings.removal_grace_days
        listed = row["last_listed"] or row["first_seen"]
        if listed and listed > _days_ago(self.now(), grace):
            return None
        return f"redirects to {final_url}; not on the listing since {listed}"

    # ------------------------------------------------------------------ extraction

    def _learn(self, source: Source, page_ids: list[int]):  # type: ignore[no-untyped-def]
        """Learn what the site repeats from its stored pages plus the new ones."""
        pages = list(self.archive.release_pages(source.id, limit=TEMPLATE_SAMPLE))
        pages += [self.archive.page_html(pid) for pid in page_ids[:TEMPLATE_SAMPLE]]
        template = learn_template(source.id, pages, now=self.now())
        self.archive.save_template(template)
        return template

    def _extract_and_save(self, source: Source, page_id: int, template: Any, tally: _Tally) -> None:
        final_url, html = self.archive.page_html(page_id)
        row = self.archive.db.execute("SELECT url FROM pages WHERE id = ?", [page_id]).fetchone()
        fetched_url = row[0]
        hint = tally.hints.get(fetched_url)
        try:
            release = extract_release(html, final_url, template=template, source=source, hint=hint)
        except ExtractError as exc:
            tally.failed += 1
            self._log(source, fetched_url, "extract", None, None, None, 0, "failed", exc.reason)
            return
        if fetched_url != release.url:
            release = replace(release, url=fetched_url)
        existing = self.archive.release_for_url(fetched_url) or self.archive.release_for_url(
            release.canonical_url
        )
        if existing and existing["page_id"] and existing["extractor_version"] != EXTRACTOR_VERSION:
            # Bring the stored version up to the current extractor first, so that
            # the comparison below sees only what the site changed (not what we did).
            self._reextract(source, existing["page_id"], template)
        same_body = existing is not None and self.archive.page_body_hash(
            existing["page_id"]
        ) == self.archive.page_body_hash(page_id)
        _, outcome = self.archive.save_release(
            release,
            source=source.id,
            page_id=page_id,
            extractor_version=EXTRACTOR_VERSION,
            now=self.now(),
            revise=not same_body,
            aliases=(final_url,),
        )
        if outcome == "new":
            tally.new += 1
        elif outcome == "changed":
            tally.changed += 1
        else:
            tally.unchanged += 1
        self._log(source, fetched_url, "extract", None, None, None, 0, outcome, None)

    def _reextract(self, source: Source, page_id: int, template: Any) -> None:
        final_url, html = self.archive.page_html(page_id)
        try:
            release = extract_release(html, final_url, template=template, source=source)
        except ExtractError:
            return
        self.archive.save_release(
            release,
            source=source.id,
            page_id=page_id,
            extractor_version=EXTRACTOR_VERSION,
            now=self.now(),
            revise=False,
            seen=False,
        )

    def _log(
        self,
        source: Source,
        url: str,
        purpose: str,
        status: int | None,
        size: int | None,
        elapsed: float | None,
        attempts: int,
        outcome: str,
        error: str | None,
    ) -> None:
        self.archive.log_fetch(
            run_id=self.run_id,
            source=source.id,
            url=url,
            purpose=purpose,
            status=status,
            size=size,
            elapsed=elapsed,
            attempts=attempts,
            outcome=outcome,
            error=error,
            now=self.now(),
        )


def _days_ago(now: str, days: int) -> str:
    moment = datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _redirected_away(url: str, final_url: str, listing_url: str) -> bool:
    """True when a release URL now lands on the listing, the home page or a parent page."""
    if final_url == url:
        return False
    final = urlsplit(final_url)
    path = final.path.rstrip("/")
    original = urlsplit(url).path.rstrip("/")
    listing = urlsplit(listing_url).path.rstrip("/")
    return (path == "" or path == listing or (original.startswith(path + "/"))) and not final.query


def _same_site(url: str, site: str) -> bool:
    """True when ``url`` is on the host of ``site`` (www. prefix ignored)."""

    def host(value: str) -> str:
        name = (urlsplit(value).hostname or "").lower()
        return name[4:] if name.startswith("www.") else name

    return host(url) == host(site) and urlsplit(url).port == urlsplit(site).port


def reprocess(
    config: Config | None,
    archive: Archive,
    *,
    source_id: str | None = None,
    since: str | None = None,
    now: Callable[[], str] = utc_now,
) -> dict[str, int]:
    """Re-extract releases from their stored raw pages with the current extractor.

    Makes no request. A change that comes only from the extractor updates the
    release in place; it is not a revision. Returns counts by outcome.
    """
    sources = {s.id: s for s in config.sources} if config else {}
    counts = {"updated": 0, "unchanged": 0, "failed": 0}
    rows = archive.releases_for_reprocess(source=source_id, since=since)
    templates: dict[str, Any] = {}
    for _release_id, source, page_id in rows:
        if source not in templates:
            templates[source] = archive.load_template(source)
        final_url, html = archive.page_html(page_id)
        fetched = archive.db.execute("SELECT url FROM pages WHERE id = ?", [page_id]).fetchone()
        try:
            release = extract_release(
                html, final_url, template=templates[source], source=sources.get(source)
            )
        except ExtractError:
            counts["failed"] += 1
            continue
        release = replace(release, url=fetched[0])
        _, outcome = archive.save_release(
            release,
            source=source,
            page_id=page_id,
            extractor_version=EXTRACTOR_VERSION,
            now=now(),
            revise=False,
            seen=False,
        )
        counts["updated" if outcome == "updated" else "unchanged"] += 1
    return counts
