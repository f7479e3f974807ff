"""Sources that heal: the signs of a listing that stopped working, and discovery run again.

A listing is broken when its first page answers 404/410, redirects to the
home page, or shows no release link two runs running (an unchanged 304 keeps
the count going). Discovery then runs again from the organisation's home page
(the registry's, else the listing's site root), at most once a week per
source; what it finds is a proposal that ``scraper status`` shows with its
evidence, and with ``heal = "switch"`` the source is crawled there from the
next run on. A listing that works again clears the proposal.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from scraper.fetch.client import Fetcher
from scraper.records import Settings, Source
from scraper.registry import organisation_by_id
from scraper.store import Archive
from scraper.timestamps import shift

from .find import discover_home
from .walk import ListingWalk

__all__ = ["HEAL_EVERY_DAYS", "heal_source", "listing_broken"]

#: Discovery runs again for a broken source at most this often.
HEAL_EVERY_DAYS = 7


def listing_broken(archive: Archive, source: Source, walk: ListingWalk) -> str | None:
    """Why the source's listing looks broken after this walk, or None (a working
    listing also clears an earlier proposal)."""
    if walk.first_unchanged:
        # Unchanged since the last run: as empty as it was, if it was.
        empty = archive.note_listing_links(source.id, links=-1)
        return f"the listing showed no release links {empty} runs running" if empty >= 2 else None
    if walk.first_final_url is None or walk.first_links is None:
        return None  # the feed answered
    listing = urlsplit(source.url)
    landed = urlsplit(walk.first_final_url)
    if landed.path.rstrip("/") == "" and listing.path.rstrip("/") != "":
        return f"the listing redirects to the home page ({walk.first_final_url})"
    empty_runs = archive.note_listing_links(source.id, links=walk.first_links)
    if empty_runs >= 2:
        return f"the listing showed no release links {empty_runs} runs running"
    if walk.first_links:
        archive.clear_proposal(source.id)
    return None


async def heal_source(
    archive: Archive,
    fetcher: Fetcher,
    *,
    settings: Settings,
    source: Source,
    reason: str,
    now: Callable[[], str],
    progress: Callable[[str], None],
) -> None:
    """Run discovery again for a broken source; keep (or switch to) what it finds."""
    last = archive.proposed_at(source.id)
    if last is not None and last > shift(now(), days=-HEAL_EVERY_DAYS):
        return  # asked recently: the proposal stands in `scraper status`
    org = organisation_by_id(source.organisation) if source.organisation else None
    parts = urlsplit(source.url)
    home = org.homepage if org else f"{parts.scheme}://{parts.netloc}/"
    archive.note_source_event(source.id, event="listing broken", evidence=reason, now=now())
    progress(f"{source.id}: {reason}; discovering from {home}")
    found = await discover_home(
        home,
        fetcher=fetcher,
        name=org.name if org else source.name,
        organisation=source.organisation,
        delay=source.delay,
    )
    choice = found.choice
    if choice is None or choice.url == source.url:
        archive.note_source_event(
            source.id,
            event="no other source",
            evidence=f"discovery from {home}: {found.status}",
            now=now(),
        )
        return
    how = "; ".join(choice.evidence[:3])
    archive.propose_source(
        source.id,
        url=choice.url,
        evidence=f"{reason}; discovery from {home} found a {choice.kind} with "
        f"{choice.releases_seen} releases ({how})",
        switch=settings.heal == "switch",
        configured=source.url,
        now=now(),
    )
