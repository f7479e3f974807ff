"""The listing walk's invariant (scraper.update.walk.WALK_INVARIANT), on a three-page listing.

A fake fetch serves the listing pages from a dict, so a test can fail a
page, abort the walk as a kill would, or answer 304; the frontier and the
resume point live in a real archive in tmp_path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scraper.records import Page, Source
from scraper.store import Archive
from scraper.update.walk import WALK_INVARIANT, KnownUrls, ListingWalk

SITE = "https://www.ekeby.se"
LISTING = f"{SITE}/nyheter/"
NOW = "2026-12-06T10:00:00Z"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs (not even `except Exception`)."""


def listing_page(number: int, slugs: list[str], *, last: bool = False) -> str:
    items = "".join(
        f'<li class="news-item"><a href="/nyheter/{slug}/">Nyhet om {slug.replace("-", " ")}</a>'
        f" <time>2026-11-{30 - i:02d}</time></li>"
        for i, slug in enumerate(slugs)
    )
    pager = "" if last else f'<a rel="next" href="/nyheter/?sida={number + 1}">Nästa sida</a>'
    return (
        f"<html><body><main><h1>Nyheter</h1><ul>{items}</ul>"
        f'<nav class="pagination">{pager}</nav></main></body></html>'
    )


def url_of(number: int) -> str:
    return LISTING if number == 1 else f"{LISTING}?sida={number}"


@dataclass
class FakeSite:
    pages: dict[int, list[str]]
    #: page number -> what happens instead of an answer: "fail" or "kill"
    trouble: dict[int, str] = field(default_factory=dict)
    not_modified: bool = False
    asked: list[tuple[str, bool]] = field(default_factory=list)

    async def fetch(
        self, source: Source, url: str, *, purpose: str, conditional: bool, required: bool
    ) -> Page | None:
        self.asked.append((url, conditional))
        number = next(n for n in self.pages if url_of(n) == url)
        if self.trouble.get(number) == "fail":
            return None
        if self.trouble.get(number) == "kill":
            raise Killed
        if conditional and self.not_modified:
            return Page(url, url, 304, (), b"", "", "utf-8", "header", NOW)
        html = listing_page(number, self.pages[number], last=number == max(self.pages))
        headers = (("content-type", "text/html; charset=utf-8"), ("etag", '"v1"'))
        return Page(url, url, 200, headers, html.encode(), html, "utf-8", "header", NOW)


@dataclass
class Tally:
    discovered: int = 0
    not_modified: int = 0


SOURCE = Source(id="ekeby", name="Ekeby kommun", url=LISTING, delay=0.0)


def three_pages() -> dict[int, list[str]]:
    return {n: [f"nyhet-{n}-{i}" for i in range(1, 4)] for n in (1, 2, 3)}


async def walk(archive: Archive, site: FakeSite, *, full: bool = False) -> list[str]:
    anomalies: list[str] = []
    walker = ListingWalk(
        archive=archive,
        fetch=site.fetch,
        full=full,
        now=lambda: NOW,
        anomaly=lambda source, url, reason: anomalies.append(reason),
    )
    own = archive.known_urls(SOURCE.id) | archive.frontier_urls(SOURCE.id)
    entries = await walker.new_entries(SOURCE, KnownUrls(own, archive), Tally())
    return [e.url for e in entries]


def all_urls(pages: dict[int, list[str]]) -> set[str]:
    return {f"{LISTING}{slug}/" for slugs in pages.values() for slug in slugs}


@pytest.fixture
def archive(tmp_path: Path):
    with Archive(tmp_path / "archive.db") as opened:
        opened.sync_sources([SOURCE])
        yield opened


def test_the_invariant_is_written_down() -> None:
    assert "nothing new when the walk before it completed" in WALK_INVARIANT


async def test_a_walk_killed_after_the_first_page_is_finished_by_the_next(archive) -> None:
    pages = three_pages()
    site = FakeSite(pages, trouble={2: "kill"})
    with pytest.raises(Killed):
        await walk(archive, site)
    # What the first page showed is stored, and so is where the walk got to.
    assert archive.frontier_urls(SOURCE.id) == {f"{LISTING}{s}/" for s in pages[1]}
    assert archive.listing_resume(SOURCE.id) == LISTING
    # The next walk finds nothing new on page 1 but does not stop there.
    site.trouble.clear()
    await walk(archive, site)
    assert archive.frontier_urls(SOURCE.id) == all_urls(pages)
    assert archive.listing_resume(SOURCE.id) is None


async def test_a_walk_killed_on_page_three_resumes_there_without_rereading_page_two(
    archive,
) -> None:
    pages = three_pages()
    site = FakeSite(pages, trouble={3: "kill"})
    with pytest.raises(Killed):
        await walk(archive, site)
    assert archive.listing_resume(SOURCE.id) == url_of(2)
    site.trouble.clear()
    site.asked.clear()
    await walk(archive, site)
    assert [url for url, _ in site.asked] == [url_of(1), url_of(2), url_of(3)]
    assert archive.frontier_urls(SOURCE.id) == all_urls(pages)


async def test_a_failed_page_leaves_the_walk_open_until_a_walk_gets_past_it(archive) -> None:
    pages = three_pages()
    site = FakeSite(pages, trouble={2: "fail"})
    await walk(archive, site)
    assert archive.listing_resume(SOURCE.id) == LISTING
    await walk(archive, site)  # still failing: still open, nothing lost
    assert archive.listing_resume(SOURCE.id) == LISTING
    site.trouble.clear()
    await walk(archive, site)
    assert archive.frontier_urls(SOURCE.id) == all_urls(pages)
    assert archive.listing_resume(SOURCE.id) is None


async def test_an_open_walk_reads_the_first_page_in_full_so_a_304_cannot_end_it(archive) -> None:
    pages = three_pages()
    complete = FakeSite(pages)
    await walk(archive, complete)  # a completed walk: page 1's validators are kept
    assert archive.cache_validators(LISTING)[0] == '"v1"'
    # A later walk is killed after page 1 (a new release came in on top) ...
    pages[1].insert(0, "nyhet-ny")
    killed = FakeSite(pages, trouble={2: "kill"})
    with pytest.raises(Killed):
        await walk(archive, killed)
    # ... so the next one may not trust "304 Not Modified" for page 1.
    site = FakeSite(pages, not_modified=True)
    await walk(archive, site)
    assert site.asked[0] == (LISTING, False)
    assert archive.listing_resume(SOURCE.id) is None


async def test_a_completed_walk_stops_at_the_first_page_with_nothing_new(archive) -> None:
    pages = three_pages()
    await walk(archive, FakeSite(pages))
    # Two new releases push the oldest ones down a page: page 2 then holds nothing new.
    pages[1] = ["nyhet-a", "nyhet-b", *pages[1][:1]]
    site = FakeSite(pages)
    fresh = await walk(archive, site)
    assert fresh == [f"{LISTING}nyhet-a/", f"{LISTING}nyhet-b/"]
    assert [url for url, _ in site.asked] == [url_of(1), url_of(2)]
    # Conditional on page 1: the walk before it completed.
    assert site.asked[0] == (LISTING, True)


async def test_a_completed_walk_answered_304_asks_one_request(archive) -> None:
    pages = three_pages()
    await walk(archive, FakeSite(pages))
    site = FakeSite(pages, not_modified=True)
    assert await walk(archive, site) == []
    assert site.asked == [(LISTING, True)]
