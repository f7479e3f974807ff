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
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from scraper.errors import FetchError, Interrupted, RobotsDisallowed, ScraperError
from scraper.extract.release import EXTRACTOR_VERSION
from scraper.fetch.client import Fetcher, RequestRecord
from scraper.records import Config, Page, Source, SourceReport
from scraper.store import Archive
from scraper.timestamps import parse_timestamp, shift, utc_now

from .budget import SourceBudget
from .extraction import ExtractionSteps
from .heal import heal_source, listing_broken
from .interrupt import StopSignals, stop_on_signals
from .media import archive_media
from .network import network_verdict
from .stream import ExtractionStream
from .walk import KnownUrls, ListingWalk

__all__ = ["RunReport", "run_update", "update"]

#: Runs in which a discovered URL may fail before the frontier gives it up.
FRONTIER_ATTEMPTS = 5

HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass(frozen=True)
class RunReport:
    """What one update did: the run id and a report per source."""

    run_id: int
    sources: tuple[SourceReport, ...]
    #: "network unreachable: no host answered ..." when no host of the run could
    #: be reached at all (the sources failed for that one reason), else None.
    network_error: str | None = None

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.sources)

    @property
    def status(self) -> str:
        """The run's ``runs.status``: "ok", "failed" or "offline" (no host answered)."""
        if self.network_error:
            return "offline"
        return "ok" if self.ok else "failed"


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
    listed: int = 0
    missing: int = 0
    error: str | None = None
    findings: tuple[str, ...] = ()

    def report(self, source: str) -> SourceReport:
        counts = {f.name: getattr(self, f.name) for f in fields(SourceReport) if f.name != "source"}
        return SourceReport(source=source, **counts)


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
    """Run one update over the configured sources (all, or those in ``source_ids``).

    SIGINT and SIGTERM stop it between two transactions: the run is marked
    ``interrupted`` and ``Interrupted`` is raised.
    """

    async def main() -> RunReport:
        with stop_on_signals() as stop:
            return await run_update(
                config,
                archive,
                source_ids=source_ids,
                full=full,
                concurrency=concurrency,
                progress=progress,
                transport=transport,
                now=now,
                stop=stop,
            )

    return asyncio.run(main())


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
    stop: StopSignals | None = None,
) -> RunReport:
    """The asynchronous body of :func:`update`.

    :param stop: the signals that cancel this task (``stop_on_signals``): a run
        they cancel is marked ``interrupted`` and ``Interrupted`` is raised.
    """
    sources = [s for s in config.sources if not source_ids or s.id in source_ids]
    unknown = set(source_ids) - {s.id for s in config.sources}
    if unknown:
        raise ScraperError(f"unknown source id(s): {', '.join(sorted(unknown))}")
    settings = config.settings
    if concurrency is not None:
        settings = replace(settings, concurrency=concurrency)
    # A source switched to what discovery found (heal = "switch") is crawled there
    # for as long as the sources file still names the broken listing.
    sources = [
        replace(s, url=healed) if (healed := archive.healed_url(s.id, configured=s.url)) else s
        for s in sources
    ]
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

    def moment() -> datetime:
        return parse_timestamp(now()) or datetime.now(UTC)

    async with Fetcher(
        settings, transport=transport, robots=robots, on_request=log_robots, now=moment
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

        done: list[SourceReport] = []

        async def one(source: Source) -> SourceReport:
            async with gate:
                done.append(await job.run_source(source))
                return done[-1]

        try:
            reports = list(await asyncio.gather(*(one(s) for s in sources)))
        except asyncio.CancelledError:
            if stop is None or stop.received is None:
                raise
            _finish_interrupted(archive, run_id, done, now=now())
            raise Interrupted(stop.received, run_id=run_id, done=len(done)) from None
        finally:
            if stop is not None:
                stop.disarm()
            archive.save_robots(fetcher.robots_fetched)
        network = network_verdict(fetcher.requests_by_host, fetcher.unreachable_hosts)
    report = RunReport(run_id=run_id, sources=tuple(reports), network_error=network)
    if any(r.new or r.changed for r in reports):
        archive.tidy_search_index()
    archive.finish_run(
        run_id, status=report.status, now=now(), summary={r.source: r.__dict__ for r in reports}
    )
    return report


def _finish_interrupted(
    archive: Archive, run_id: int, done: list[SourceReport], *, now: str
) -> None:
    """Close a run a signal stopped: the sources it finished are in its summary."""
    archive.finish_run(
        run_id, status="interrupted", now=now, summary={r.source: r.__dict__ for r in done}
    )


@dataclass
class _Job(ExtractionSteps):
    archive: Archive
    fetcher: Fetcher
    run_id: int
    full: bool
    config: Config
    progress: Progress
    now: Callable[[], str]
    #: Per source being processed: its budget for this run and its findings.
    budgets: dict[str, SourceBudget] = field(default_factory=dict)
    found: dict[str, list[str]] = field(default_factory=dict)

    # ------------------------------------------------------------------ one source

    async def run_source(self, source: Source) -> SourceReport:
        tally = _Tally()
        try:
            await self._process(source, tally)
        except (FetchError, ScraperError) as exc:
            tally.error = str(exc)
        except Exception as exc:  # a bug must not take the other sources down
            tally.error = f"internal error: {type(exc).__name__}: {exc}"
        if tally.error:
            tally.failed += 1  # what failed the source (its listing ...) is a failure too
        tally.findings = tuple(self.found.pop(source.id, []))
        self.budgets.pop(source.id, None)
        self.archive.record_source_result(source.id, error=tally.error, now=self.now())
        # Reconciliation: what the listings showed against what is archived.
        tally.listed, gaps = self.archive.coverage(source.id)
        tally.missing = len(gaps)
        report = tally.report(source.id)
        self.progress(
            f"{source.id}: {report.discovered} discovered, {report.new} new, "
            f"{report.changed} changed, {report.failed} failed"
            + (f" — {report.error}" if report.error else "")
        )
        return report

    async def _process(self, source: Source, tally: _Tally) -> None:
        if self.full:
            self.archive.reset_attempts(source.id)  # a URL given up gets another chance
        budget = self.budgets[source.id] = SourceBudget.from_settings(self.config.settings)
        known = self.archive.known_urls(source.id)
        # The walk puts what it finds in the frontier page by page; a URL already
        # there (even one given up) is not news that keeps the walk going.
        walk = ListingWalk(
            archive=self.archive,
            fetch=self._fetch,
            full=self.full,
            now=self.now,
            anomaly=self._anomaly,
            finding=self._finding,
        )
        own = known | self.archive.frontier_urls(source.id)
        try:
            await walk.new_entries(source, KnownUrls(own, self.archive), tally)
        except FetchError as exc:
            if exc.status in (404, 410):
                await self._heal(source, f"the listing answers HTTP {exc.status}")
            raise
        broken = listing_broken(self.archive, source, walk)
        if broken:
            await self._heal(source, broken)
        queue = self.archive.pending(source.id, max_attempts=FRONTIER_ATTEMPTS)
        recheck = self.archive.releases_due(
            source.id,
            now=self.now(),
            schedule=self.config.settings.refetch,
            exclude={entry.url for entry in queue},
            everything=self.full,
        )
        batch, waiting = budget.new_batch(queue)
        if waiting:
            self._finding(
                source,
                "budget",
                f"{len(queue)} new release links, more than max_new_releases="
                f"{budget.max_new}: {len(batch)} fetched this run, {waiting} wait in the "
                "frontier for the next runs",
            )
        # Extracted and stored as they arrive (stream.py): a long fetch list never
        # holds back what was fetched.
        stream = ExtractionStream(self, source, tally)
        refetched = {entry.url for entry in batch} | set(recheck)
        for page_id in self.archive.unextracted_pages(source.id):
            url = self.archive.page_url(page_id)
            if url in refetched:
                stream.deferred[url] = page_id  # fetched again below: the newer one counts
            else:
                stream.add(page_id)
        work = [(entry.url, False) for entry in batch] + [(url, True) for url in recheck]
        left = 0
        for done, (url, known) in enumerate(work):
            if budget.spent():
                left = len(work) - done
                break
            page_id = await self._fetch_release(source, url, tally, known=known)
            if page_id is not None:
                stream.add(page_id)
        if budget.reason:
            detail = f"stopped fetching: {budget.reason}; {left} release URLs left for the next run"
            self._finding(source, "budget", detail)
        stream.finish()
        # After the releases are stored: their images and attachments (never fails them).
        await archive_media(
            self.archive,
            self.fetcher,
            source,
            settings=self.config.settings,
            now=self.now,
            log=self._log,
            spend=lambda: self._spend(source),
        )

    async def _heal(self, source: Source, reason: str) -> None:
        await heal_source(
            self.archive,
            self.fetcher,
            settings=self.config.settings,
            source=source,
            reason=reason,
            now=self.now,
            progress=self.progress,
        )

    def _anomaly(self, source: Source, url: str, reason: str) -> None:
        self._log(source, url, "listing", outcome="anomaly", error=reason)

    def _finding(self, source: Source, kind: str, detail: str) -> None:
        """Something wrong with the source that does not fail it: a trap, a budget."""
        self.archive.add_finding(
            run_id=self.run_id, source=source.id, kind=kind, detail=detail, now=self.now()
        )
        self.found.setdefault(source.id, []).append(f"{kind}: {detail}")

    def _spend(self, source: Source) -> bool:
        """Count one request of the source; False when its budget for the run is spent."""
        budget = self.budgets.get(source.id)
        return budget is None or budget.spend_request()

    # ------------------------------------------------------------------ fetching

    async def _fetch(
        self, source: Source, url: str, *, purpose: str, conditional: bool, required: bool
    ) -> Page | None:
        """Fetch and log; None when it failed or the source's budget is spent (raises
        for a required page)."""
        if not self._spend(source) and not required:
            return None
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
            self._log_error(source, url, purpose, exc, "failed")
            if required:
                raise
            return None
        self._log_page(
            source, url, purpose, page, "not-modified" if page.not_modified else "fetched"
        )
        return page

    async def _fetch_release(
        self, source: Source, url: str, tally: _Tally, *, known: bool
    ) -> int | None:
        """``_fetch_and_store_release``, where any unexpected error costs this URL
        only: it is recorded for the URL (``fetches``; a frontier URL counts an
        attempt) and the source goes on with its other URLs."""
        try:
            return await self._fetch_and_store_release(source, url, tally, known=known)
        except Exception as exc:
            tally.failed += 1
            error = FetchError(f"internal error: {type(exc).__name__}: {exc}", url=url, attempts=0)
            if not known:
                self.archive.note_attempt(url, error=error.reason)
            self._log_error(source, url, "release", error, "failed")
            return None

    async def _fetch_and_store_release(
        self, source: Source, url: str, tally: _Tally, *, known: bool
    ) -> int | None:
        """Fetch one release page and store it raw; returns the raw page id or None.

        ``known``: a re-check of a stored release (conditional; a 404/410 or a
        redirect away marks it removed) rather than a URL from the frontier
        (whose failures are counted there, so that it is retried next run).
        """
        self.progress(f"{source.id}: {url}")
        page = await self._fetch_release_page(source, url, tally, known=known)
        if page is None:
            return None
        if page.not_modified and known and _redirected_away(url, page.final_url, source.url):
            self._redirected(source, url, page, tally)
            return None
        if page.not_modified:
            tally.not_modified += 1
            self.archive.touch_release(url, now=self.now())
            if page.final_url != url and not _redirected_away(url, page.final_url, source.url):
                self.archive.note_moved(url, page.final_url, now=self.now())
            self._log_page(source, url, "release", page, "not-modified")
            return None
        if known and _redirected_away(url, page.final_url, source.url):
            self._redirected(source, url, page, tally)
            return None
        if page.content_type not in HTML_TYPES:
            tally.failed += 1
            self.archive.dequeue(url)  # a document, not a page: never a release
            reason = f"not an HTML page ({page.content_type})"
            self._log_page(source, url, "release", page, "skipped", reason)
            return None
        if not page.text.strip():
            tally.failed += 1
            if not known:
                self.archive.note_attempt(url, error="empty page")
            self._log_page(source, url, "release", page, "failed", "empty page")
            return None
        with self.archive.transaction():  # stored and off the frontier, or neither
            page_id = self.archive.save_page(page, source=source.id, run_id=self.run_id)
            self.archive.dequeue(url)
        self._log_page(source, url, "release", page, "fetched")
        return page_id

    async def _fetch_release_page(
        self, source: Source, url: str, tally: _Tally, *, known: bool
    ) -> Page | None:
        """The response for a release URL, or None after recording why there is none."""
        self._spend(source)
        etag, modified = self.archive.cache_validators(url) if known else (None, None)
        try:
            return await self.fetcher.fetch(
                url,
                delay=source.delay,
                etag=etag,
                last_modified=modified,
                site=source.url,
                purpose="release",
            )
        except FetchError as exc:
            if known and exc.status in (404, 410):
                if self.archive.mark_removed(url, evidence=f"HTTP {exc.status}", now=self.now()):
                    tally.removed += 1
                self.archive.forget_validators(url)
                self._log_error(source, url, "release", exc, "removed")
                return None
            tally.failed += 1
            if not known:
                self.archive.note_attempt(url, error=exc.reason)
            outcome = "skipped" if isinstance(exc, RobotsDisallowed) else "failed"
            self._log_error(source, url, "release", exc, outcome)
            return None

    def _redirected(self, source: Source, url: str, page: Page, tally: _Tally) -> None:
        """A known release now lands on the listing, a parent or the home page.

        It counts as removed when the listing has not shown it for the grace
        period (``removal_grace_days``); before that it may be maintenance.
        """
        self.archive.note_redirect_away(url, now=self.now())
        row = self.archive.release_for_url(url)
        listed = (row["last_listed"] or row["first_seen"]) if row else None
        grace_start = shift(self.now(), days=-self.config.settings.removal_grace_days)
        if listed is None or listed > grace_start:
            reason = f"redirects to {page.final_url}; on the listing {listed}: grace period"
            self._log_page(source, url, "release", page, "redirected", reason)
            return
        evidence = f"redirects to {page.final_url}; not on the listing since {listed}"
        if self.archive.mark_removed(url, evidence=evidence, now=self.now()):
            tally.removed += 1
        self.archive.forget_validators(url)
        self._log_page(source, url, "release", page, "removed", evidence)

    def _log_page(
        self,
        source: Source,
        url: str,
        purpose: str,
        page: Page,
        outcome: str,
        error: str | None = None,
    ) -> None:
        self._log(
            source,
            url,
            purpose,
            outcome=outcome,
            error=error,
            status=page.status,
            size=len(page.content),
            elapsed=page.elapsed,
            attempts=page.attempts,
        )

    def _log_error(
        self, source: Source, url: str, purpose: str, exc: FetchError, outcome: str
    ) -> None:
        self._log(
            source,
            url,
            purpose,
            outcome=outcome,
            error=exc.reason,
            status=exc.status,
            elapsed=exc.elapsed,
            attempts=exc.attempts,
        )

    def _log(
        self,
        source: Source,
        url: str,
        purpose: str,
        *,
        outcome: str,
        error: str | None = None,
        status: int | None = None,
        size: int | None = None,
        elapsed: float | None = None,
        attempts: int = 0,
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


def _redirected_away(url: str, final_url: str, listing_url: str) -> bool:
    """True when a release URL now lands on the listing, the home page or a parent page."""
    if final_url == url:
        return False
    final = urlsplit(final_url)
    path = final.path.rstrip("/")
    original = urlsplit(url).path.rstrip("/")
    listing = urlsplit(listing_url).path.rstrip("/")
    return (path == "" or path == listing or (original.startswith(path + "/"))) and not final.query
