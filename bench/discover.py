"""Source discovery benchmark (issue 9): ours beside a naive crawler, in one run.

1. The 12 blind scenarios of fixtures/discovery (each a set of hosts with a
   hand-written answer): per scenario, whether the status and the chosen
   source are right (URLs compared without a trailing slash, as
   tests/test_find_scenarios.py does), whether a decoy was chosen, the
   requests ``Discovery.requests`` counts and the HTTP requests the scenario's
   servers received (robots.txt included), and the wall time.
2. N simulated municipal sites (bench/municipal_sites.py: 30-60 service
   pages, decoys, a press listing at depth 1, 2 or 3 under varied labels, or
   news only), each its own host on 127.0.0.1 reached by name through
   ``LocalHostsTransport``, at the default politeness (``Settings()``: delay
   and concurrency unchanged): ``discover_sources`` over all of them, against
   the generator's truth.
3. The anchor on the same sites in the same run: a breadth-first crawl to
   depth 2 through the project's ``Fetcher`` with the same settings (same
   delay per host, robots.txt, concurrency across hosts), fetching every
   same-host link, then picking the fetched page whose URL or title says
   "pressmeddelande", else "press", else "nyhet"/"aktuellt", with the most
   dated links: what one does without scoring.

    python bench/discover.py                              # 12 scenarios + 300 sites, delay 1 s
    python bench/discover.py --sites 30 --delay 0         # quick, while developing
    python bench/discover.py --scenarios ../main/fixtures/discovery
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser, LexborNode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from discovery_scenarios import Scenario, load_scenario  # noqa: E402

from bench.municipal_sites import SiteTruth, build_sites  # noqa: E402
from scraper.demo.hosts import LocalHostsTransport  # noqa: E402
from scraper.demo.sites import SiteInfo, SiteServer  # noqa: E402
from scraper.errors import FetchError  # noqa: E402
from scraper.fetch.client import Fetcher  # noqa: E402
from scraper.records import Discovery, HomePage, Settings  # noqa: E402
from scraper.update.find import discover_sources  # noqa: E402

SCENARIOS = ROOT / "fixtures" / "discovery"
USER_AGENT = "scraper-bench/1 (+https://example.org/bench)"
#: The naive crawler's words, best first: the first that some page with dated links says wins.
NAIVE_TIERS = (("pressmeddelande",), ("press",), ("nyhet", "aktuellt"))
NAIVE_DEPTH = 2
_BINARY = re.compile(r"\.(?:jpe?g|png|gif|svg|webp|pdf|docx?|xlsx?|pptx?|zip|mp[34])$", re.I)
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_DATE = re.compile(rf"\b20\d\d-[01]\d-[0-3]\d\b|\b[0-3]?\d ({_MONTHS}) 20\d\d\b", re.I)
_DATE_IN_URL = re.compile(r"/20\d\d/[01]\d/[0-3]\d/|\b20\d\d-[01]\d-[0-3]\d-")


def _bare(url: str) -> str:
    return url.rstrip("/")


@contextmanager
def serving(roots: list[Path]) -> Iterator[tuple[list[SiteServer], dict[str, tuple[str, int]]]]:
    """One server per host folder (its name is the host), all stopped on the way out."""
    servers: list[SiteServer] = []
    try:
        for root in roots:
            info = SiteInfo(id=root.name, name=root.name, root=root, listing="/", host=root.name)
            servers.append(SiteServer(info).start())
        yield servers, {s.info.host: s.address for s in servers}
    finally:
        for server in servers:
            server.stop()


def _requests(servers: list[SiteServer]) -> dict[str, int]:
    return {s.info.host: len(s.requests) for s in servers}


# --------------------------------------------------------------------------
# 1. The scenarios


def bench_scenarios(folder: Path, settings: Settings) -> None:
    print(f"\n## 1. Discovery scenarios ({folder}), delay {settings.delay:g} s")
    if not folder.is_dir():
        print("skipped: no scenarios there (pass --scenarios DIR)")
        return
    scenarios = [
        load_scenario(p) for p in sorted(folder.iterdir()) if (p / "scenario.toml").is_file()
    ]
    print("| scenario | expected | status | status right | choice right | decoy chosen | "
          "requests (Discovery) | HTTP requests (robots.txt incl.) | wall time (s) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    totals = Counter()
    for scenario in scenarios:
        with serving(sorted(p for p in (scenario.root / "hosts").iterdir() if p.is_dir())) as (
            servers,
            hosts,
        ):
            started = time.perf_counter()
            [found] = discover_sources(
                [HomePage(url=scenario.home, name=scenario.name)],
                settings=settings,
                transport=LocalHostsTransport(hosts),
            )
            seconds = time.perf_counter() - started
            http = sum(_requests(servers).values())
        status_ok = found.status == scenario.status
        choice_ok, decoy = _judge_scenario(scenario, found)
        totals.update(status=status_ok, choice=choice_ok, both=status_ok and choice_ok, decoy=decoy)
        totals.update(requests=found.requests, http=http)
        totals["seconds"] += seconds
        print(
            f"| {scenario.id} | {scenario.status} | {found.status} | {_yes(status_ok)} | "
            f"{_yes(choice_ok)} | {_yes(decoy)} | {found.requests} | {http} | {seconds:.1f} |"
        )
    n = len(scenarios)
    print(
        f"| **total** | | | {totals['status']}/{n} | {totals['choice']}/{n} | {totals['decoy']} | "
        f"{totals['requests']} ({totals['requests'] / n:.1f} each) | "
        f"{totals['http']} ({totals['http'] / n:.1f} each) | {totals['seconds']:.1f} |"
    )
    print(f"status and choice both right: {totals['both']}/{n}")


def _judge_scenario(scenario: Scenario, found: Discovery) -> tuple[bool, bool]:
    """(choice right, decoy chosen), as tests/test_find_scenarios.py judges them."""
    choice = found.choice
    if choice is None:
        return not scenario.answers, False
    decoy = _bare(choice.url) in {_bare(u) for u in scenario.decoys}
    right = _bare(choice.url) in {_bare(u) for u in scenario.answers}
    if scenario.platform and choice.kind == "newsroom":
        right = right and choice.platform == scenario.platform
    return right, decoy


def _progress(name: str, total: int) -> Callable[[object], None]:
    """A callback that tells stderr how far a long run has come."""
    started, done = time.perf_counter(), [0]

    def tick(_: object) -> None:
        done[0] += 1
        if done[0] % 50 == 0 or done[0] == total:
            elapsed = time.perf_counter() - started
            print(f"  {name}: {done[0]}/{total} sites, {elapsed:.0f} s", file=sys.stderr)

    return tick


def _yes(value: bool) -> str:
    return "yes" if value else "no"


# --------------------------------------------------------------------------
# 3. The naive anchor


@dataclass(frozen=True)
class NaivePage:
    url: str
    title: str
    #: Distinct same-host links with a date beside them (or in their URL).
    dated: int


def _same_host_links(tree: LexborHTMLParser, base: str, host: str) -> list[tuple[str, LexborNode]]:
    found: dict[str, LexborNode] = {}
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        parts = urlsplit(url)
        if (
            parts.scheme in ("http", "https")
            and parts.hostname == host
            and not _BINARY.search(parts.path)
        ):
            found.setdefault(url, node)
    return list(found.items())


def _has_date(node: LexborNode, url: str) -> bool:
    """A date in the link's URL or in the text of the item around it."""
    if _DATE_IN_URL.search(url):
        return True
    here = node.parent
    for _ in range(3):
        if here is None:
            return False
        text = here.text(separator=" ")
        if len(text) > 600:
            return False
        if _DATE.search(text):
            return True
        if here.tag in ("li", "article", "tr", "dd", "figure"):
            return False
        here = here.parent
    return False


async def naive_crawl(home: str, fetcher: Fetcher) -> list[NaivePage]:
    """Every same-host page to ``NAIVE_DEPTH`` clicks from ``home``, breadth first."""
    host = urlsplit(home).hostname
    seen, frontier, pages = {home}, [home], []
    for depth in range(NAIVE_DEPTH + 1):
        onward = []
        for url in frontier:
            try:
                page = await fetcher.fetch(url, purpose="naive")
            except FetchError:
                continue
            if "html" not in page.content_type:
                continue
            tree = LexborHTMLParser(page.text)
            links = _same_host_links(tree, page.final_url, host or "")
            title = tree.css_first("title")
            pages.append(
                NaivePage(
                    url=page.final_url,
                    title=title.text(strip=True) if title else "",
                    dated=sum(_has_date(node, link) for link, node in links),
                )
            )
            if depth < NAIVE_DEPTH:
                onward += [link for link, _ in links if link not in seen]
                seen.update(link for link, _ in links)
        frontier = onward
    return pages


def naive_choice(pages: list[NaivePage]) -> NaivePage | None:
    """The page whose URL or title says the best word, with the most dated links (3 at least)."""
    for words in NAIVE_TIERS:
        pool = [
            p
            for p in pages
            if p.dated >= 3 and any(w in f"{unquote(p.url)} {p.title}".lower() for w in words)
        ]
        if pool:
            return max(pool, key=lambda p: p.dated)  # the first fetched among equals
    return None


async def run_naive(
    homes: list[str], settings: Settings, transport: httpx.AsyncBaseTransport
) -> list[NaivePage | None]:
    gate = asyncio.Semaphore(settings.concurrency)
    done = _progress("naive", len(homes))
    async with Fetcher(settings, transport=transport) as fetcher:

        async def one(home: str) -> NaivePage | None:
            async with gate:
                pages = await naive_crawl(home, fetcher)
            done(None)
            return naive_choice(pages)

        return list(await asyncio.gather(*(one(h) for h in homes)))


# --------------------------------------------------------------------------
# 2. and 3. The simulated sites


@dataclass
class Run:
    name: str
    right: list[bool]
    requests: list[int]
    seconds: float

    @property
    def accuracy(self) -> float:
        return sum(self.right) / len(self.right)


def bench_sites(count: int, settings: Settings, *, seed: int) -> tuple[Run, Run]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        truths = build_sites(root, count, seed=seed)
        built = time.perf_counter() - started
        with serving([root / t.host for t in truths]) as (servers, hosts):
            homes = [HomePage(url=t.home, name=t.name) for t in truths]
            before = _requests(servers)
            started = time.perf_counter()
            found = discover_sources(
                homes,
                settings=settings,
                transport=LocalHostsTransport(hosts),
                progress=_progress("ours", count),
            )
            seconds = time.perf_counter() - started
            after = _requests(servers)
            ours = Run(
                "ours",
                [
                    _right(t, d.choice.url if d.choice else None)
                    for t, d in zip(truths, found, strict=True)
                ],
                [after[t.host] - before[t.host] for t in truths],
                seconds,
            )
            status_right = sum(d.status == t.status for t, d in zip(truths, found, strict=True))
            before = after
            started = time.perf_counter()
            picks = asyncio.run(
                run_naive([t.home for t in truths], settings, LocalHostsTransport(hosts))
            )
            seconds = time.perf_counter() - started
            after = _requests(servers)
            naive = Run(
                "naive",
                [_right(t, p.url if p else None) for t, p in zip(truths, picks, strict=True)],
                [after[t.host] - before[t.host] for t in truths],
                seconds,
            )
    pages = [t.pages for t in truths]
    print(
        f"\n## 2-3. {count} simulated municipal sites, delay {settings.delay:g} s per host, "
        f"concurrency {settings.concurrency}"
    )
    print(
        f"(built in {built:.1f} s: {statistics.mean(pages):.0f} pages per site, "
        f"{min(pages)}-{max(pages)}; styles {dict(Counter(t.style for t in truths))})"
    )
    print("| way to the source | depth | sites | ours right | naive BFS depth 2 right |")
    print("|---|---|---|---|---|")
    groups: dict[tuple[int, str], list[int]] = {}
    for n, truth in enumerate(truths):
        way = _LAYOUTS[truth.layout]
        if truth.layout in ("hub", "politics"):
            way += (
                f" (hub shows {truth.hub_latest} latest)"
                if truth.hub_latest
                else " (hub shows none)"
            )
        groups.setdefault((truth.depth, way), []).append(n)
    for (depth, way), members in sorted(groups.items()):
        print(
            f"| {way} | {depth} | {len(members)} | "
            f"{sum(ours.right[n] for n in members)} | {sum(naive.right[n] for n in members)} |"
        )
    print(
        f"ours: status right {status_right}/{count}; Discovery.requests mean "
        f"{statistics.mean(d.requests for d in found):.1f}"
    )
    for run, chosen in (
        (ours, [d.choice.url if d.choice else None for d in found]),
        (naive, [p.url if p else None for p in picks]),
    ):
        misses = Counter(
            _miss(truth, url)
            for truth, url, ok in zip(truths, chosen, run.right, strict=True)
            if not ok
        )
        print(f"{run.name}: wrong choices: {dict(misses) or 'none'}")
    return ours, naive


def _miss(truth: SiteTruth, url: str | None) -> str:
    """What a wrong choice was instead of the source."""
    if url is None:
        return "nothing"
    if _bare(url) == _bare(truth.hub):
        return "the press hub"
    if _bare(url) == _bare(truth.news):
        return "the news listing"
    return "another page"


_LAYOUTS = {
    "direct": "home page links the listing",
    "hub": "home → press hub → listing",
    "politics": "home → Kommun och politik → press hub → listing",
    "news": "news only (home → news listing)",
}


def _right(truth: SiteTruth, url: str | None) -> bool:
    return url is not None and _bare(url) in {_bare(u) for u in truth.answers}


def print_summary(count: int, ours: Run, naive: Run) -> None:
    print(f"\n## Summary: {count} simulated sites, the same politeness for both")
    print("| | ours | naive BFS depth 2 | naive / ours |")
    print("|---|---|---|---|")
    print(f"| accuracy on {count} sites | {ours.accuracy:.1%} | {naive.accuracy:.1%} | |")
    mean_ours, mean_naive = statistics.mean(ours.requests), statistics.mean(naive.requests)
    print(
        f"| requests per site, mean (max) | {mean_ours:.1f} ({max(ours.requests)}) | "
        f"{mean_naive:.1f} ({max(naive.requests)}) | {mean_naive / mean_ours:.1f}x |"
    )
    ratio = f"{naive.seconds / ours.seconds:.1f}x" if ours.seconds else "-"
    print(f"| wall time | {ours.seconds:.1f} s | {naive.seconds:.1f} s | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--delay", type=float, default=None, help="default: Settings().delay")
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    settings = replace(Settings(), user_agent=USER_AGENT)
    if args.delay is not None:
        settings = replace(settings, delay=args.delay)
    print(f"httpx {httpx.__version__}, Python {sys.version.split()[0]}")
    bench_scenarios(args.scenarios.resolve(), settings)
    ours, naive = bench_sites(args.sites, settings, seed=args.seed)
    print_summary(args.sites, ours, naive)


if __name__ == "__main__":
    main()
