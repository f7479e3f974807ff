"""The walk's trap rule for undated pages (WALK_INVARIANT), on the fake site of test_walk.

Pages that show release links but no date, after pages that did, are held
(not stored, the resume point not moved): a dated page or the end of the
listing clears them, UNDATED_PAGES in a row end the walk as a trap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_walk import LISTING, NOW, SOURCE, FakeSite, Killed, Tally, all_urls

from scraper.discover.traps import UNDATED_PAGES
from scraper.records import Page, Source
from scraper.store import Archive
from scraper.update.walk import KnownUrls, ListingWalk


@dataclass
class UndatedSite(FakeSite):
    undated: set[int] = field(default_factory=set)

    async def fetch(
        self, source: Source, url: str, *, purpose: str, conditional: bool, required: bool
    ) -> Page | None:
        page = await super().fetch(
            source, url, purpose=purpose, conditional=conditional, required=required
        )
        number = 1 if url == LISTING else int(url.rsplit("=", 1)[1])
        if page is None or number not in self.undated:
            return page
        html = re.sub(r"<time>.*?</time>", "", page.text)
        return Page(url, url, 200, page.headers, html.encode(), html, "utf-8", "header", NOW)


def pages(count: int) -> dict[int, list[str]]:
    return {n: [f"nyhet-{n}-{i}" for i in range(1, 4)] for n in range(1, count + 1)}


async def walk(archive: Archive, site: FakeSite) -> list[str]:
    findings: list[str] = []
    walker = ListingWalk(
        archive=archive,
        fetch=site.fetch,
        full=False,
        now=lambda: NOW,
        anomaly=lambda *_: None,
        finding=lambda source, kind, detail: findings.append(f"{kind}: {detail}"),
    )
    own = archive.known_urls(SOURCE.id) | archive.frontier_urls(SOURCE.id)
    await walker.new_entries(SOURCE, KnownUrls(own, archive), Tally())
    return findings


@pytest.fixture
def archive(tmp_path: Path):
    with Archive(tmp_path / "archive.db") as opened:
        opened.sync_sources([SOURCE])
        yield opened


async def test_an_undated_page_between_dated_ones_and_at_the_end_is_kept(archive) -> None:
    listing = pages(4)
    findings = await walk(archive, UndatedSite(listing, undated={2, 4}))
    assert findings == []
    assert archive.frontier_urls(SOURCE.id) == all_urls(listing)
    assert archive.listing_resume(SOURCE.id) is None


async def test_undated_pages_in_a_row_end_the_walk_as_a_trap(archive) -> None:
    listing = pages(UNDATED_PAGES + 3)
    trap = set(range(2, UNDATED_PAGES + 3))
    site = UndatedSite(listing, undated=trap)
    findings = await walk(archive, site)
    assert len(findings) == 1 and findings[0].startswith("trap: ever-growing listing")
    # Nothing of the trap's pages is stored, and the walk stopped at the trap.
    assert archive.frontier_urls(SOURCE.id) == all_urls({1: listing[1]})
    assert len(site.asked) == 1 + UNDATED_PAGES
    assert archive.listing_resume(SOURCE.id) is None  # the end of the listing


async def test_a_kill_on_a_held_page_leaves_the_resume_point_at_the_last_stored_page(
    archive,
) -> None:
    listing = pages(4)
    site = UndatedSite(listing, undated={2}, trouble={3: "kill"})
    with pytest.raises(Killed):
        await walk(archive, site)
    # Page 2 was held, not stored: the resume point is still page 1.
    assert archive.frontier_urls(SOURCE.id) == all_urls({1: listing[1]})
    assert archive.listing_resume(SOURCE.id) == LISTING
    site.trouble.clear()
    await walk(archive, site)
    assert archive.frontier_urls(SOURCE.id) == all_urls(listing)
