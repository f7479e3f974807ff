"""The archive's own pages in a real browser: page weight and render time.

Builds a synthetic archive (releases spread over 290 sources, one per
municipality of the registry, 2010-2025, short texts: the pages read counts
and titles, not the text), serves it with ``scraper serve``'s server on 127.0.0.1 and opens
the pages in headless chromium (Debian's ``/usr/bin/chromium``, through
Playwright). Prints, per page: bytes transferred (HTML and every asset it
loads) and the browser's navigation timing (response start, DOM ready, load).

    .venv/bin/python bench/pages.py                   # 100,000 releases
    .venv/bin/python bench/pages.py --releases 20000 --reuse
"""

from __future__ import annotations

import argparse
import random
import socket
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.registry import load_registry  # noqa: E402
from scraper.serve.app import build_server  # noqa: E402
from scraper.store import Archive  # noqa: E402

PAGES = ["/?q=skola", "/kommun/{org}", "/kommuner", "/lan/{county}", "/statistik"]


def build(path: Path, *, releases: int, seed: int = 2026) -> str:
    """Write the synthetic archive; returns the first municipality's id."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Archive(path).close()
    municipalities = [o for o in load_registry() if o.kind == "kommun"]
    rng = random.Random(seed)
    kinds = ["Pressmeddelande"] * 6 + ["Nyhet"] * 3 + ["Pressinbjudan"]
    words = [
        "skola",
        "budget",
        "vatten",
        "väg",
        "park",
        "bibliotek",
        "förskola",
        "hamn",
        "trafik",
        "kultur",
    ]
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO sources (id, name, url, organisation, verified, overridden) "
            "VALUES (?,?,?,?,0,0)",
            [(f"k{i:03d}", o.name, f"https://{o.domain}/press/", o.id)
             for i, o in enumerate(municipalities)],
        )  # fmt: skip
        rows = []
        for i in range(1, releases + 1):
            year = 2010 + rng.randrange(16)
            day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            source = f"k{rng.randrange(len(municipalities)):03d}"
            title = " ".join(rng.choices(words, k=6)).capitalize()
            rows.append(
                (i, source, f"https://{source}.example.se/press/{i}/", title,
                 rng.choice(kinds), day, title + ".", "sv", year,
                 day + "T08:00:00Z", day + "T08:00:00Z", f"{i:040x}")
            )  # fmt: skip
        conn.executemany(
            "INSERT INTO releases (id, source, url, title, kind, published, body, language, "
            "year, first_seen, last_seen, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    conn.close()
    Archive(path).close()
    return municipalities[0].id


def measure(site: str, urls: list[str], *, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for url in urls:
            sizes: dict[str, int] = {}
            timings = []
            for i in range(repeat):
                context = browser.new_context()  # a cold browser cache each time
                page = context.new_page()
                if i == 0:
                    page.on(
                        "requestfinished",
                        lambda request, sizes=sizes: sizes.__setitem__(
                            request.url, request.sizes()["responseBodySize"]
                        ),
                    )
                page.goto(site + url, wait_until="load")
                timings.append(
                    page.evaluate(
                        "() => { const t = performance.getEntriesByType('navigation')[0];"
                        " return [t.responseStart, t.domContentLoadedEventEnd, t.loadEventEnd]; }"
                    )
                )
                context.close()
            first, ready, load = (statistics.median(t[k] for t in timings) for k in range(3))
            print(
                f"  {url:<22} {sum(sizes.values()):>9,} bytes in {len(sizes)} responses;"
                f" first byte {first:6.0f} ms, DOM ready {ready:6.0f} ms, load {load:6.0f} ms"
                f" (median of {repeat})"
            )
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-pages/archive.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="serve an existing build")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and args.db.exists()):
        print(f"building {args.releases:,} releases into {args.db}", flush=True)
        build(args.db, releases=args.releases)
    org = next(o for o in load_registry() if o.kind == "kommun").id
    county = next(o for o in load_registry() if o.id == org).county_code
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = build_server(args.db, port=sock.getsockname()[1])
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        releases = sqlite3.connect(args.db).execute("SELECT count(*) FROM releases").fetchone()[0]
        print(f"{releases:,} releases; pages (cold browser cache):")
        urls = [u.format(org=org, county=county) for u in PAGES]
        measure(f"http://127.0.0.1:{sock.getsockname()[1]}", urls, repeat=args.repeat)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


if __name__ == "__main__":
    main()
