"""Source discovery: from an organisation's home page to where it publishes its releases.

Takes a home page URL (and the organisation's name); gives a ``Discovery``:
the CMS, a status ("press", "news_only", "none", "unreachable") and the
candidates found, best first, each with its evidence. The pure judgements
(which links lead to releases, what a newsroom is, whether a page lists
releases) are ``scraper.discover``'s; this module decides what to fetch next,
within a stated request budget per site and the fetcher's politeness.

The search, best first:

1. the home page (redirects to another domain followed), its CMS, its
   announced feeds and its links scored by label and path words;
2. the best-scored links, up to ``MAX_DEPTH`` clicks deep: a page that lists
   releases becomes a candidate, a hub ("Press och media") adds its own links;
   an off-site newsroom counts only when it names the same organisation;
   when no signpost is left and nothing holds press releases yet, the
   top-level sections ("Kommun och politik", "Om kommunen") are opened too;
3. the sitemaps (robots.txt ``Sitemap:``, ``/sitemap.xml``) when no press
   listing was found: a folder of many dated pages is a candidate;
4. three items of each leading candidate through the extractor: a candidate
   is verified when two of them extract as releases (a title and a date).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx

from scraper.discover.cms import detect_cms
from scraper.discover.listing import detect_format, discover_listing
from scraper.discover.newsrooms import newsroom_names_organisation, recognise_newsroom
from scraper.discover.press_links import page_feeds, score_links
from scraper.discover.ranking import discovery_status, listing_content, rank, wholes_first
from scraper.discover.signs import is_section
from scraper.discover.verify import (
    no_press_releases_sentence,
    sitemap_release_folders,
    verify_listing,
)
from scraper.errors import ExtractError, FetchError
from scraper.extract.release import extract_release
from scraper.fetch.client import Fetcher
from scraper.fetch.robots import sitemap_urls
from scraper.records import Discovery, HomePage, LinkCandidate, Page, Settings, SourceCandidate

__all__ = ["DEFAULT_BUDGET", "MAX_DEPTH", "discover_home", "discover_sources", "run_discovery"]

#: Requests one home page's discovery may send at most (pages, feeds, sitemaps, samples).
DEFAULT_BUDGET = 30
#: Clicks from the home page followed at most.
MAX_DEPTH = 3
#: A link is followed when it scores at least this.
MIN_SCORE = 1.0
#: Items of a candidate run through the extractor ...
SAMPLES = 3
#: ... of which this many must be releases (a title and a date of their own): a
#: hub whose links are a contact page, a photo bank and the listing is no listing.
SAMPLES_GOOD = 2
#: Candidates sampled (the leading ones).
SAMPLED_CANDIDATES = 3
#: A listing must show at least this many release links to count.
MIN_RELEASES = 3


@dataclass
class _Search:
    """One home page's discovery in progress."""

    fetcher: Fetcher
    name: str | None
    budget: int
    delay: float | None
    asked: int = 0
    notes: list[str] = field(default_factory=list)
    found: dict[str, SourceCandidate] = field(default_factory=dict)
    rejected: list[SourceCandidate] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    no_press: str | None = None
    #: Top-level sections seen, with their depth, opened only when signposts run out.
    sections: list[tuple[int, LinkCandidate]] = field(default_factory=list)
    _queue: list[tuple[float, int, int, LinkCandidate]] = field(default_factory=list)
    _order: itertools.count = field(default_factory=itertools.count)

    # -- fetching within the budget

    async def get(self, url: str, *, off_site: bool = False) -> Page | None:
        if self.asked >= self.budget:
            self.notes.append(f"budget of {self.budget} requests used up before {url}")
            return None
        self.asked += 1
        try:
            return await self.fetcher.fetch(
                url, delay=self.delay, off_site=off_site, purpose="discover"
            )
        except FetchError as exc:
            self.notes.append(f"{url}: {exc.reason}")
            return None

    def push(self, candidates: tuple[LinkCandidate, ...], depth: int) -> None:
        for cand in candidates:
            if cand.score >= MIN_SCORE and cand.kind != "other" and cand.url not in self.seen:
                heapq.heappush(self._queue, (-cand.score, next(self._order), depth, cand))

    def note_sections(self, links: tuple[LinkCandidate, ...], depth: int) -> None:
        """Keep the top-level sections ("Kommun och politik") a page links to."""
        if depth < MAX_DEPTH:
            self.sections += [(depth, c) for c in links if is_section(c.label)]

    def open_sections(self) -> bool:
        """Queue the sections not read yet, as signposts; False when there is none."""
        fresh = [(d, c) for d, c in self.sections if c.url not in self.seen]
        self.sections = []
        for depth, cand in fresh:
            lifted = replace(
                cand,
                kind="hub",
                score=MIN_SCORE,
                evidence=(*cand.evidence, "a top-level section, opened for want of signposts"),
            )
            heapq.heappush(self._queue, (-lifted.score, next(self._order), depth, lifted))
        return bool(fresh)

    def pop(self) -> tuple[int, LinkCandidate] | None:
        while self._queue:
            _, _, depth, cand = heapq.heappop(self._queue)
            if cand.url not in self.seen:
                return depth, cand
        return None

    # -- what each kind of link leads to

    async def follow(self, cand: LinkCandidate, depth: int) -> None:
        self.seen.add(cand.url)
        if cand.kind == "newsroom":
            await self.newsroom(cand)
            return
        page = await self.get(cand.url)
        if page is None:
            return
        self.seen.add(page.final_url)
        fmt = detect_format(page.text, content_type=page.content_type)
        if fmt in ("rss", "atom"):
            self.feed(cand, page)
            return
        if fmt.startswith("sitemap"):
            await self.sitemap(page)
            return
        sentence = no_press_releases_sentence(page.text)
        if sentence:
            self.no_press = f"{page.final_url}: “{sentence}”"
        verdict = verify_listing(page.text, page.final_url, content_type=page.content_type)
        if verdict.is_listing and verdict.releases_seen >= MIN_RELEASES:
            self.add(
                SourceCandidate(
                    url=page.final_url,
                    kind="listing",
                    label=cand.label,
                    score=cand.score,
                    content=listing_content(verdict.kind, cand),
                    releases_seen=verdict.releases_seen,
                    evidence=(*cand.evidence, *verdict.evidence),
                    entries=verdict.entries,
                )
            )
        if depth < MAX_DEPTH:
            # The next page is no signpost. The page's items are scored like any link
            # (a release scores low): a hub's "latest" box may hold the listing itself.
            skip = {verdict.next_url}
            here = urlsplit(page.final_url).path
            onward = score_links(page.text, page.final_url, organisation=self.name)
            self.push(
                tuple(
                    c
                    for c in onward
                    # the listing's own pages and filters (same path, another query)
                    if c.url not in skip and urlsplit(c.url).path != here
                ),
                depth + 1,
            )
            self.push(page_feeds(page.text, page.final_url), depth + 1)
            self.note_sections(onward, depth + 1)

    def feed(self, cand: LinkCandidate, page: Page) -> None:
        listing = discover_listing(page.text, page.final_url, content_type=page.content_type)
        if len(listing.entries) < MIN_RELEASES:
            return
        self.add(
            SourceCandidate(
                url=page.final_url,
                kind="feed",
                label=cand.label,
                score=cand.score,
                content=listing_content("unknown", cand),
                releases_seen=len(listing.entries),
                evidence=(*cand.evidence, f"{listing.format} feed of {len(listing.entries)} items"),
                entries=tuple(e.url for e in listing.entries[:10]),
            )
        )

    async def newsroom(self, cand: LinkCandidate) -> None:
        page = await self.get(cand.url)
        if page is None:
            return
        room = recognise_newsroom(page.final_url, page.text) or recognise_newsroom(cand.url)
        if room is None:
            self.notes.append(f"{cand.url}: not a newsroom platform after all")
            return
        evidence = [*cand.evidence, *room.evidence]
        if self.name:
            match = newsroom_names_organisation(page.text, self.name, url=page.final_url)
            evidence += match.evidence
            if not match.same:
                self.rejected.append(
                    SourceCandidate(
                        url=room.press_listing or page.final_url,
                        kind="newsroom",
                        platform=room.platform,
                        label=cand.label,
                        score=-1.0,
                        evidence=(*evidence, f"names {match.name!r}, not {self.name!r}"),
                    )
                )
                return
        listing_url = room.press_listing or page.final_url
        listing_page = page
        if listing_url not in (page.url, page.final_url):
            self.seen.add(listing_url)
            listing_page = await self.get(listing_url) or page
        verdict = verify_listing(
            listing_page.text, listing_page.final_url, content_type=listing_page.content_type
        )
        if not (verdict.is_listing and verdict.releases_seen >= MIN_RELEASES):
            self.notes.append(f"{listing_url}: newsroom listing shows no releases")
            return
        self.add(
            SourceCandidate(
                url=listing_page.final_url,
                kind="newsroom",
                platform=room.platform,
                label=cand.label,
                score=cand.score,
                content="press" if verdict.kind in ("unknown", "mixed") else verdict.kind,
                releases_seen=verdict.releases_seen,
                evidence=(*evidence, *verdict.evidence),
                entries=verdict.entries,
            )
        )
        for feed_url in room.feed_urls:
            self.add(
                SourceCandidate(
                    url=feed_url,
                    kind="feed",
                    platform=room.platform,
                    label=f"{room.platform} feed",
                    score=cand.score - 1,
                    content="press",
                    evidence=(f"the {room.platform} newsroom's feed by the platform's convention",),
                )
            )

    async def sitemap(self, page: Page) -> None:
        listing = discover_listing(page.text, page.final_url, content_type=page.content_type)
        entries = list(listing.entries)
        if listing.format == "sitemap-index":
            entries = []
            for child in listing.entries[:5]:
                sub = await self.get(child.url)
                if sub is not None:
                    entries += discover_listing(
                        sub.text, sub.final_url, content_type=sub.content_type
                    ).entries
        folders = sitemap_release_folders(entries)
        if not folders:
            self.notes.append(f"{page.final_url}: no folder of dated releases")
            return
        best = folders[0]
        self.add(
            SourceCandidate(
                url=page.final_url,
                kind="sitemap",
                label=f"sitemap folder {best.folder}",
                score=1.0,
                content=best.kind,
                releases_seen=best.pages,
                evidence=best.evidence,
                entries=best.examples,
                path_prefix=urlsplit(best.folder).path or best.folder,
            )
        )

    def has_press(self) -> bool:
        return any(c.content in ("press", "mixed") for c in self.found.values())

    def add(self, cand: SourceCandidate) -> None:
        known = self.found.get(cand.url)
        if known is None or rank(cand) > rank(known):
            self.found[cand.url] = cand

    # -- checking candidates by their items

    async def sample(self, cand: SourceCandidate) -> SourceCandidate:
        if not cand.entries:
            return cand
        good, evidence, press = 0, [], 0
        items = cand.entries[:SAMPLES]
        for url in items:
            page = await self.get(url)
            if page is None:
                evidence.append(f"sample {url}: not fetched")
                continue
            try:
                release = extract_release(page.text, page.final_url)
            except ExtractError as exc:
                evidence.append(f"sample {url}: {exc.reason}")
                continue
            if release.title and release.published:
                good += 1
                press += (release.kind or "").lower().startswith("press")
            evidence.append(
                f"sample {url}: {release.title!r}, {release.published or 'no date'}, "
                f"{release.kind or 'no kind'}"
            )
        content = cand.content
        if press and content in ("news", "unknown"):
            # The items say what the links to them did not ("Pressmeddelande").
            content = "press" if press == good else "mixed"
        verified = good >= min(SAMPLES_GOOD, len(items))
        return replace(
            cand, verified=verified, content=content, evidence=(*cand.evidence, *evidence)
        )


async def discover_home(
    home: str,
    *,
    fetcher: Fetcher,
    name: str | None = None,
    organisation: str | None = None,
    budget: int = DEFAULT_BUDGET,
    delay: float | None = None,
) -> Discovery:
    """Find where the organisation behind ``home`` publishes its releases.

    :param fetcher: fetches politely (robots.txt, a delay per host).
    :param name: the organisation's name ("Västerviks kommun"): an off-site
        newsroom must name it to count.
    :param organisation: the registry id, carried into the result.
    :param budget: requests this home page's discovery may send at most.
    :param delay: seconds between requests to one host (default: the fetcher's).
    """
    search = _Search(fetcher=fetcher, name=name, budget=budget, delay=delay)
    start = await search.get(home, off_site=True)
    if start is None:
        return Discovery(
            home=home,
            final_home=None,
            cms="unknown",
            status="unreachable",
            requests=search.asked,
            error="; ".join(search.notes) or "no answer",
            organisation=organisation,
            name=name,
        )
    search.seen |= {home, start.final_url}
    cms = detect_cms(start.text, start.final_url, start.headers)
    search.push(page_feeds(start.text, start.final_url), 1)
    home_links = score_links(start.text, start.final_url, organisation=name)
    search.push(home_links, 1)
    search.note_sections(home_links, 1)
    while search.asked < budget:
        item = search.pop()
        if item is None:
            if search.has_press() or not search.open_sections():
                break
            continue
        depth, cand = item
        await search.follow(cand, depth)
    if not any(c.content in ("press", "mixed") for c in search.found.values()):
        await _try_sitemaps(search, start)
    ranked = wholes_first(sorted(search.found.values(), key=rank, reverse=True))
    checked = [await search.sample(c) for c in ranked[:SAMPLED_CANDIDATES]]
    candidates = wholes_first(sorted(checked, key=lambda c: (c.verified, *rank(c)), reverse=True))
    candidates += ranked[SAMPLED_CANDIDATES:] + search.rejected
    choice = next((c for c in candidates if c.verified), None)
    status = discovery_status(choice)
    if status == "news_only" and search.no_press and choice is not None:
        # The site's own word for it, kept with the choice.
        said = replace(choice, evidence=(*choice.evidence, f"says: {search.no_press}"))
        candidates = [said if c is choice else c for c in candidates]
    return Discovery(
        home=home,
        final_home=start.final_url,
        cms=cms.cms,
        status=status,
        candidates=tuple(candidates),
        requests=search.asked,
        error=None,
        organisation=organisation,
        name=name,
    )


def discover_sources(
    homes: list[HomePage],
    *,
    settings: Settings,
    budget: int = DEFAULT_BUDGET,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Callable[[Discovery], None] | None = None,
) -> list[Discovery]:
    """Discover the sources of many home pages, many hosts at once, each host politely.

    Results come in the order of ``homes``; ``progress`` is called as each ends.
    """
    return asyncio.run(
        run_discovery(
            homes, settings=settings, budget=budget, transport=transport, progress=progress
        )
    )


async def run_discovery(
    homes: list[HomePage],
    *,
    settings: Settings,
    budget: int = DEFAULT_BUDGET,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Callable[[Discovery], None] | None = None,
) -> list[Discovery]:
    """The asynchronous body of :func:`discover_sources`."""
    gate = asyncio.Semaphore(settings.concurrency)
    async with Fetcher(settings, transport=transport) as fetcher:

        async def one(home: HomePage) -> Discovery:
            async with gate:
                found = await discover_home(
                    home.url,
                    fetcher=fetcher,
                    name=home.name,
                    organisation=home.organisation,
                    budget=budget,
                )
            if progress is not None:
                progress(found)
            return found

        return list(await asyncio.gather(*(one(h) for h in homes)))


async def _try_sitemaps(search: _Search, start: Page) -> None:
    """The sitemaps robots.txt names, or ``/sitemap.xml``."""
    parts = urlsplit(start.final_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    named = [
        url
        for robots in search.fetcher.robots_fetched
        if robots.url.startswith(origin)
        for url in sitemap_urls(robots.text)
    ]
    for url in named or [f"{origin}/sitemap.xml"]:
        if url in search.seen:
            continue
        search.seen.add(url)
        page = await search.get(url)
        if page is not None and detect_format(page.text).startswith("sitemap"):
            await search.sitemap(page)
