"""Discovery for one source: its listing pages, its feed or its sitemap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from urllib.parse import urlsplit

from scraper.discover.feeds import is_content_sitemap
from scraper.discover.listing import discover_listing
from scraper.discover.traps import UNDATED_PAGES, QueryExplosions, calendar_reason
from scraper.discover.urls import is_release_url, same_site
from scraper.records import Listing, ListingEntry, Page, Source
from scraper.store import Archive

__all__ = ["WALK_INVARIANT", "KnownUrls", "ListingWalk", "Tally"]

#: When a listing walk may stop (README, "Running it from cron"; tests/test_walk.py).
WALK_INVARIANT = (
    "A listing walk ends at the end of the listing (no next page, a page seen before, "
    "max_pages, or a trap: a next page that is a calendar page, or three pages in a row "
    "showing release links but no date after pages that showed dates; a trap is recorded "
    "as a finding and the trap's pages store nothing), or at a page holding nothing new "
    "when the walk before it completed. "
    "A walk that did not complete (failed, killed, interrupted) leaves its resume point, "
    "the last listing page whose entries are stored, and the next walk reads the first "
    "page in full, jumps to that point once a page holds nothing new, and goes on to the "
    "end of the listing; the first page's validators are saved only by a completed walk."
)


class Tally(Protocol):
    """The counters of the source being processed that discovery adds to."""

    discovered: int
    not_modified: int


class _Fetch(Protocol):
    def __call__(
        self, source: Source, url: str, *, purpose: str, conditional: bool, required: bool
    ) -> Awaitable[Page | None]: ...


@dataclass(frozen=True)
class KnownUrls:
    """URLs the archive knows: the source's own (loaded once) and, asked one by one,
    any other source's (two sources may list the same release)."""

    own: set[str]
    archive: Archive

    def __contains__(self, url: object) -> bool:
        return url in self.own or (isinstance(url, str) and self.archive.url_known(url))


@dataclass
class ListingWalk:
    """Finds a source's releases not known yet, asking the site as little as possible."""

    archive: Archive
    #: Fetches and logs one listing page; None when it failed (raises when required).
    fetch: _Fetch
    #: Walk every listing page, ignore validators and the feed.
    full: bool
    now: Callable[[], str]
    #: Records something odd about a listing page (source, URL, reason) in the run's log.
    anomaly: Callable[[Source, str, str], None]
    _seen: set[str] = field(default_factory=set)
    #: Where the listing's first page landed and how many release links it showed,
    #: when this walk read it (signs of a listing that stopped working).
    first_final_url: str | None = None
    first_links: int | None = None
    #: The first page answered 304: it shows what it showed last time.
    first_unchanged: bool = False
    #: Records a finding about the source (source, kind, detail): a trap.
    finding: Callable[[Source, str, str], None] = lambda *_: None
    _explosions: QueryExplosions = field(default_factory=QueryExplosions)
    _trap_kinds: set[str] = field(default_factory=set)

    async def new_entries(
        self, source: Source, known: Container[str], tally: Tally
    ) -> list[ListingEntry]:
        """Return the entries of the source's listing, feed or sitemap not known yet.

        When the listing announced a feed, later runs read the feed first: one
        conditional request answers "nothing new" (304) or names the new
        releases; only a feed with no known entry at all (a gap longer than
        the feed) sends the walk back to the listing pages, and so does a
        listing walk that has not completed (the feed shows only the newest).
        """
        feed_url = None if self.full else self.archive.source_feed(source.id)
        walk_open = self.archive.listing_resume(source.id) is not None
        if feed_url and feed_url != source.url and not walk_open:
            fresh = await self._discover_from_feed(source, feed_url, known, tally)
            if fresh is not None:
                return fresh
        return await self._walk_listing(source, known, tally)

    async def _discover_from_feed(
        self, source: Source, feed_url: str, known: Container[str], tally: Tally
    ) -> list[ListingEntry] | None:
        """New entries from the feed, or None when the listing must be walked."""
        page = await self.fetch(
            source, feed_url, purpose="listing", conditional=True, required=False
        )
        if page is None:
            return None
        if page.not_modified:
            tally.not_modified += 1
            self.archive.mark_still_listed(source.id, listing_url=feed_url, now=self.now())
            return []
        listing = discover_listing(page.text, page.final_url, content_type=page.content_type)
        entries = self._without_traps(
            source, [e for e in listing.entries if same_site(e.url, source.url)]
        )
        if listing.format not in ("rss", "atom") or not entries:
            self.archive.set_source_feed(source.id, None)
            return None
        fresh = self._take(entries, known, {}, tally, source=source)
        if len(fresh) == len(entries):
            return None
        self.archive.remember_validators(page)
        return fresh

    async def _walk_listing(
        self, source: Source, known: Container[str], tally: Tally
    ) -> list[ListingEntry]:
        """Walk the listing pages; see WALK_INVARIANT for when the walk may stop.

        The open walk's resume point is the last listing page whose entries
        are stored: it is written in the same transaction as that page's
        entries, so a walk that fails, is killed or is interrupted anywhere
        leaves it behind, and it is cleared only when a walk completes.
        """
        found: dict[str, ListingEntry] = {}
        url: str | None = source.url
        # An earlier walk that did not complete: this one goes to the end.
        resume = None if self.full else self.archive.listing_resume(source.id)
        must_finish = self.full or resume is not None
        seen_pages: set[str] = set()
        first_page: Page | None = None
        # Pages showing release links but no date, after pages that showed dates: held
        # (not stored, the resume point not moved) until a dated page clears them or
        # UNDATED_PAGES of them in a row make the rest of the listing a trap.
        held: list[list[ListingEntry]] = []
        dated_before = False
        while url and url not in seen_pages:
            if len(seen_pages) >= source.max_pages:
                self.anomaly(source, url, f"listing walk stopped at max_pages={source.max_pages}")
                break
            reason = calendar_reason(url, today=self._today()) if seen_pages else None
            if reason:
                self.finding(source, "trap", f"calendar: the next listing page {url} is {reason}")
                break
            first = not seen_pages
            seen_pages.add(url)
            # Validators of the first page may answer "nothing new" only when the
            # walk before completed: a 304 would otherwise end a walk never finished.
            page = await self.fetch(
                source,
                url,
                purpose="listing",
                conditional=first and not must_finish,
                required=first,
            )
            if page is None:
                return list(found.values())  # the resume point stays where it was
            if page.not_modified:
                tally.not_modified += 1
                self.first_unchanged = True
                self.archive.mark_still_listed(source.id, listing_url=url, now=self.now())
                break  # the first page, unchanged since a completed walk
            listing = discover_listing(page.text, page.final_url, content_type=page.content_type)
            if listing.format == "sitemap-index":
                entries = await self._expand_sitemap_index(source, listing)
            else:
                entries = list(listing.entries)
            site_entries = [
                e for e in entries if same_site(e.url, source.url) and _under(e.url, source)
            ]
            if listing.format.startswith("sitemap"):
                # A sitemap lists the whole site: keep what could be an article.
                site_entries = [e for e in site_entries if is_release_url(e.url, source.url)]
            site_entries = self._without_traps(source, site_entries)
            if first:
                self.first_final_url, self.first_links = page.final_url, len(site_entries)
            if not first and not site_entries:
                self.anomaly(source, url, "a next listing page shows no release links")
            dated = any(e.published for e in site_entries)
            if dated_before and site_entries and not dated:
                held.append(site_entries)
                if len(held) >= UNDATED_PAGES:
                    self.finding(
                        source,
                        "trap",
                        f"ever-growing listing: {len(held)} pages in a row up to {url} show "
                        "release links but no date, after pages that did; the walk stops there",
                    )
                    held = []
                    break
                fresh = [e for e in site_entries if e.url not in known and e.url not in found]
            else:
                dated_before = dated_before or dated
                with self.archive.transaction():
                    if first and listing.feed_urls:
                        self.archive.set_source_feed(source.id, listing.feed_urls[0])
                    for entries_held in held:
                        self._take(entries_held, known, found, tally, source=source)
                    held = []
                    fresh = self._take(site_entries, known, found, tally, source=source)
                    self.archive.set_listing_resume(source.id, url)
            if first:
                first_page = page
            next_url = listing.next_url
            if not fresh and not must_finish:
                break  # nothing new, and the walk before this one completed
            if not fresh and not self.full and resume and resume not in seen_pages:
                # Straight to where the open walk got to; on to the end from there.
                next_url = resume
            url = next_url
        with self.archive.transaction():
            for entries_held in held:  # undated pages at the end of a listing: its last ones
                self._take(entries_held, known, found, tally, source=source)
            self.archive.set_listing_resume(source.id, None)
            if first_page is not None:
                self.archive.remember_validators(first_page)
        return list(found.values())

    def _take(
        self,
        entries: list[ListingEntry],
        known: Container[str],
        found: dict[str, ListingEntry],
        tally: Tally,
        *,
        source: Source,
    ) -> list[ListingEntry]:
        """Note the known entries as listed and return (and collect) the new ones.

        New entries go to the frontier at once, page by page: a run that fails
        or is killed later in the walk has lost none of them.
        """
        fresh = [e for e in entries if e.url not in known and e.url not in found]
        self.archive.save_hints(source.id, entries, now=self.now())
        if fresh:
            self.archive.enqueue(source.id, fresh, now=self.now())
        listed = [e.url for e in entries if e.url in known]
        if listed:
            self.archive.mark_listed(listed, now=self.now())
        if not self.full:
            for entry in entries:
                if entry.url in known and entry.updated:
                    self.archive.mark_due_if_updated(entry.url, updated=entry.updated)
        # A release shown on several listing pages (or in a "latest" box) counts once.
        urls = {e.url for e in entries} - self._seen
        self._seen |= urls
        tally.discovered += len(urls)
        for entry in fresh:
            found[entry.url] = entry
        return fresh

    async def _expand_sitemap_index(self, source: Source, listing: Listing) -> list[ListingEntry]:
        """The article URLs of an index's child sitemaps (pages, tags, people left out)."""
        entries: list[ListingEntry] = []
        for child in listing.entries:
            if not is_content_sitemap(child.url):
                continue
            page = await self.fetch(
                source, child.url, purpose="listing", conditional=False, required=False
            )
            if page is None or page.not_modified:
                continue
            sub = discover_listing(page.text, page.final_url, content_type=page.content_type)
            entries.extend(sub.entries)
        return entries

    def _without_traps(self, source: Source, entries: list[ListingEntry]) -> list[ListingEntry]:
        """The entries that are not calendar pages nor part of a query-string explosion."""
        today = self._today()
        traps = {e.url: r for e in entries if (r := calendar_reason(e.url, today=today))}
        traps.update(self._explosions.exploded(e.url for e in entries if e.url not in traps))
        if not traps:
            return entries
        for url, reason in traps.items():
            kind = "query-string" if "query" in reason else "calendar"
            if kind not in self._trap_kinds:
                self._trap_kinds.add(kind)
                self.finding(
                    source, "trap", f"{kind}: release links left out, e.g. {url}: {reason}"
                )
        return [e for e in entries if e.url not in traps]

    def _today(self) -> date:
        try:
            return date.fromisoformat(self.now()[:10])
        except ValueError:
            return date.today()


def _under(url: str, source: Source) -> bool:
    """True when the URL is in the source's ``path_prefix`` (or the source has none)."""
    return not source.path_prefix or urlsplit(url).path.startswith(source.path_prefix)
