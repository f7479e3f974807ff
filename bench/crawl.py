# ruff: noqa: E501  (the HTML template lines are long on purpose)
"""Crawl benchmarks (issue 4), each printed side by side with its anchor.

1. No-change update over N simulated municipal sites, each on its own port
   on 127.0.0.1, with default politeness (1 s between requests to a host):
   requests per source and wall time of our incremental update, beside a
   naive crawler with the same politeness and cross-host concurrency that
   fetches the listing and every release again.
2. A first full crawl of the fixture sites with delay 0: releases per
   second end to end and the share of time spent fetching, extracting and
   storing.

    python bench/crawl.py                  # both, 300 sources
    python bench/crawl.py --sources 50     # quicker
    python bench/crawl.py --skip-naive     # the naive anchor takes minutes
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper import store as store_module  # noqa: E402
from scraper.demo.run import default_sites_dir, fixture_config  # noqa: E402
from scraper.demo.sites import SiteServer, load_site_info, serve_sites  # noqa: E402
from scraper.fetch.client import Fetcher  # noqa: E402
from scraper.records import Config, Settings, Source  # noqa: E402
from scraper.store import Archive  # noqa: E402
from scraper.update import extraction as extraction_module  # noqa: E402
from scraper.update import walk as walk_module  # noqa: E402
from scraper.update.crawl import update  # noqa: E402

RELEASES_PER_SITE = 6
TEMPLATE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title} - {name}</title></head>
<body><header><a href="#main">Gå direkt till innehåll</a><nav><a href="/">Start</a> <a href="/nyheter/">Nyheter</a></nav></header>
<main id="main"><h1>{title}</h1><p class="date">Publicerad {date}</p>{body}</main>
<footer><p>{name}, 123 45 Kommunby. Telefon 0123-45 67 00.</p><p>Sidan senast granskad {date}</p></footer></body></html>"""


def build_site(folder: Path, index: int) -> None:
    name = f"Testkommun {index}"
    public = folder / "public"
    (public / "nyheter").mkdir(parents=True)
    (public / "robots.txt").write_text("User-agent: *\nDisallow: /sok/\n", "utf-8")
    items = []
    for n in range(RELEASES_PER_SITE):
        slug = f"nyhet-{n}"
        date = f"2025-0{1 + n % 9}-1{n % 10}"
        title = f"Nyhet {n} från {name}: ny förskola och bättre vägar"
        topic = ["skolan", "vården", "vägarna", "badhuset", "biblioteket", "bredbandet"][n % 6]
        body = "".join(
            f"<p>Nyhet {n}, stycke {p}: {name} satsar {n + p} miljoner kronor på {topic}. "
            f"Beslutet fattades den {n + 1} mars efter {p + 2} timmars debatt.</p>"
            for p in range(5)
        )
        (public / "nyheter" / slug).mkdir()
        (public / "nyheter" / slug / "index.html").write_text(
            TEMPLATE.format(title=title, name=name, date=date, body=body), "utf-8"
        )
        items.append(f'<li><a href="/nyheter/{slug}/">{title}</a> <span>{date}</span></li>')
    listing = TEMPLATE.format(
        title="Nyheter",
        name=name,
        date="2025-09-01",
        body=f'<ul class="news-list">{"".join(items)}</ul>',
    )
    (public / "nyheter" / "index.html").write_text(listing, "utf-8")
    (folder / "site.toml").write_text(
        f'id = "kommun{index:03d}"\nname = "{name}"\nlisting = "/nyheter/"\n'
        f"releases = {RELEASES_PER_SITE}\n",
        "utf-8",
    )


def total_requests(servers: list[SiteServer]) -> int:
    return sum(len(s.requests) for s in servers)


async def naive_crawl(servers: list[SiteServer], settings: Settings) -> None:
    """The anchor: same politeness and concurrency, no conditional or incremental logic."""
    from scraper.discover.listing import discover_listing

    gate = asyncio.Semaphore(settings.concurrency)
    async with Fetcher(settings) as fetcher:

        async def one(server: SiteServer) -> None:
            async with gate:
                page = await fetcher.fetch(server.listing_url, purpose="listing")
                listing = discover_listing(
                    page.text, page.final_url, content_type=page.content_type
                )
                for entry in listing.entries:
                    await fetcher.fetch(entry.url, purpose="release")

        await asyncio.gather(*(one(s) for s in servers))


def bench_no_change(count: int, *, skip_naive: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        root = Path(tmp)
        servers = []
        for index in range(count):
            build_site(root / f"site{index}", index)
            servers.append(stack.enter_context(SiteServer(load_site_info(root / f"site{index}"))))
        polite = Settings(user_agent="scraper-bench/1 (+https://example.org/bench)")
        sources = tuple(Source(id=s.info.id, name=s.info.name, url=s.listing_url) for s in servers)
        first = Config(
            path="<bench>",
            settings=Settings(delay=0.0, user_agent=polite.user_agent, concurrency=32),
            sources=sources,
        )
        config = Config(path="<bench>", settings=polite, sources=sources)
        with Archive(root / "bench.db") as archive:
            started = time.perf_counter()
            update(first, archive)
            first_seconds = time.perf_counter() - started
            releases = archive.release_count()
            assert releases == count * RELEASES_PER_SITE, releases
            before = total_requests(servers)
            started = time.perf_counter()
            report = update(config, archive)
            ours = time.perf_counter() - started
            ours_requests = total_requests(servers) - before
            assert report.ok, [r for r in report.sources if not r.ok][:3]
        print(
            f"\n## 1. No-change update, {count} sources on 127.0.0.1, default politeness "
            f"(delay {polite.delay:.0f} s per host, concurrency {polite.concurrency})"
        )
        print(f"(first crawl for set-up: {releases} releases in {first_seconds:.1f} s, delay 0)")
        print("| crawler | requests | requests/source | wall time (s) |")
        print("|---|---|---|---|")
        print(
            f"| scraper update (incremental) | {ours_requests} | "
            f"{ours_requests / count:.2f} | {ours:.1f} |"
        )
        if not skip_naive:
            before = total_requests(servers)
            started = time.perf_counter()
            asyncio.run(naive_crawl(servers, polite))
            naive = time.perf_counter() - started
            naive_requests = total_requests(servers) - before
            print(
                f"| naive crawler (listing + every release) | {naive_requests} | "
                f"{naive_requests / count:.2f} | {naive:.1f} |"
            )
            print(
                f"\nratio: {naive_requests / max(ours_requests, 1):.1f}x fewer requests, "
                f"{naive / ours:.1f}x less time"
            )


def bench_first_crawl() -> None:
    timings: dict[str, float] = defaultdict(float)

    def timed(name: str, func):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                timings[name] += time.perf_counter() - started

        return wrapper

    original_fetch = Fetcher.fetch

    async def fetch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return await original_fetch(self, *args, **kwargs)
        finally:
            timings["fetch"] += time.perf_counter() - started

    Fetcher.fetch = fetch  # type: ignore[method-assign]
    extraction_module.extract_release = timed("extract", extraction_module.extract_release)
    extraction_module.learn_template = timed("learn template", extraction_module.learn_template)
    walk_module.discover_listing = timed("discover", walk_module.discover_listing)
    for name in (
        "save_page",
        "save_release",
        "log_fetch",
        "remember_validators",
        "enqueue",
        "dequeue",
        "page_html",
        "mark_listed",
        "known_urls",
    ):
        setattr(store_module.Archive, name, timed("store", getattr(store_module.Archive, name)))
    servers = serve_sites(default_sites_dir())
    try:
        with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "a.db") as archive:
            started = time.perf_counter()
            update(fixture_config(servers), archive)
            total = time.perf_counter() - started
            releases = archive.release_count()
            storage = archive.storage_figures()
            archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            archive.db.execute("VACUUM")
            db_bytes = (Path(tmp) / "a.db").stat().st_size
    finally:
        for server in servers:
            server.stop()
        Fetcher.fetch = original_fetch  # type: ignore[method-assign]
    print(f"\n## 2. First full crawl of the fixture sites ({len(servers)} sites), delay 0")
    print(f"{releases} releases in {total:.2f} s: {releases / total:.1f} releases/s end to end")
    fetch_summed = timings.pop("fetch", 0.0)
    local = sum(timings.values())
    waiting = total - local
    print("| stage | seconds | share of wall time |")
    print("|---|---|---|")
    print(
        f"| fetch (network wait, overlapped across hosts) | {waiting:.3f} | {waiting / total:.0%} |"
    )
    for name, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds:.3f} | {seconds / total:.0%} |")
    print(f"(requests' own durations summed over all hosts: {fetch_summed:.2f} s)")
    per = max(storage["releases"], 1)
    print(f"\n## 3. Storage per release ({storage['releases']} fixture releases)")
    print("| what | bytes per release |")
    print("|---|---|")
    print(f"| raw page as fetched | {storage['raw_bytes'] / per:,.0f} |")
    print(f"| raw page stored (zstd) | {storage['raw_compressed_bytes'] / per:,.0f} |")
    print(f"| extracted text (title, lead, body) | {storage['text_bytes'] / per:,.0f} |")
    print(f"| whole database file (indexes, FTS, logs) | {db_bytes / per:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--only", choices=["no-change", "first-crawl"])
    args = parser.parse_args()
    print(f"httpx {httpx.__version__}, Python {sys.version.split()[0]}")
    if args.only in (None, "no-change"):
        bench_no_change(args.sources, skip_naive=args.skip_naive)
    if args.only in (None, "first-crawl"):
        bench_first_crawl()


if __name__ == "__main__":
    main()
