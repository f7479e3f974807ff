# ruff: noqa: E501  (the HTML template lines are long on purpose)
"""Peak memory of an update (issue 13): one source of huge pages, and many small sources.

1. ``big``: one source on 127.0.0.1 whose listing links ``--pages`` release
   pages of about ``--page-mb`` MB each (made on request, never written to
   disk), crawled with delay 0.
2. ``many``: ``--sources`` small sources (6 releases each), each on its own
   port, crawled with the default concurrency and delay 0.

The update runs in a child process (``scraper update`` through the CLI), so
the servers' memory is not counted; it prints its own peak resident set
size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) as it exits. ``--code DIR`` runs the
update on another checkout's ``scraper`` package (``git archive main scraper
| tar -x -C /tmp/old``) to compare before and after.

    python bench/memory.py                           # both, 300 pages of 9.4 MB and 300 sources
    python bench/memory.py big --pages 30            # quicker
    python bench/memory.py --code /tmp/old big --pages 30
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title} - Storby kommun</title></head>
<body><header><a href="#main">Gå direkt till innehåll</a><nav><a href="/">Start</a> <a href="/nyheter/">Nyheter</a> <a href="/kontakt/">Kontakta oss</a></nav></header>
<main id="main"><article><h1>{title}</h1><p class="date">Publicerad <time datetime="{date}">{date}</time></p>{body}</article></main>
<footer><p>Storby kommun, 123 45 Storby. Telefon 0123-45 67 00.</p><p>Sidan senast granskad {date}</p></footer></body></html>"""
LISTING = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter - Storby kommun</title></head>
<body><header><nav><a href="/">Start</a> <a href="/nyheter/">Nyheter</a></nav></header><main><h1>Nyheter</h1><ul class="news">{items}</ul></main></body></html>"""


def _date(i: int) -> str:
    return f"2026-{(i // 28) % 12 + 1:02d}-{i % 28 + 1:02d}"


def release_page(i: int, size: int) -> bytes:
    """A release page of about ``size`` bytes: distinct paragraphs until the size is reached."""
    paragraph = (
        "<p>Kommunen informerar om arbetet med den nya förskolan i stadsdelen nummer {n} "
        "och om hur byggandet påverkar trafiken, skolvägarna och de boende i området.</p>"
    )
    head = PAGE.format(title=f"Nyhet nummer {i}", date=_date(i), body="")
    count = max(1, (size - len(head)) // (len(paragraph) + 8))
    body = "".join(paragraph.format(n=f"{i}-{k}") for k in range(count))
    return PAGE.format(title=f"Nyhet nummer {i}", date=_date(i), body=body).encode("utf-8")


def listing_page(count: int) -> bytes:
    items = "".join(
        f'<li><a href="/nyheter/nyhet-{i}/">Nyhet nummer {i}</a> <time datetime="{_date(i)}">{_date(i)}</time></li>'
        for i in range(count)
    )
    return LISTING.format(items=items).encode("utf-8")


@contextmanager
def serve(count: int, size: int) -> Iterator[str]:
    """One site: /nyheter/ listing ``count`` releases of about ``size`` bytes each."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/nyheter/":
                body = listing_page(count)
            elif self.path.startswith("/nyheter/nyhet-"):
                body = release_page(int(self.path.rstrip("/").rsplit("-", 1)[1]), size)
            elif self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/nyheter/"
    finally:
        server.shutdown()
        server.server_close()


#: The child: the CLI's update, printing its own peak RSS (KiB) as it exits.
CHILD = (
    "import atexit, resource, sys; "
    "atexit.register(lambda: print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
    "file=sys.stderr)); from scraper.cli import cli; cli()"
)


#: ``--keep-db``: where the update's archive is kept for a look afterwards.
KEEP_DB: str | None = None


def run_update(urls: list[str], code: str | None) -> tuple[float, float, str]:
    """(peak RSS in MB, wall seconds, last output line) of one update in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        text = '[settings]\nuser_agent = "bench-memory/1 (+https://example.org/bench)"\n'
        for n, url in enumerate(urls):
            text += f'[[source]]\nid = "s{n}"\nname = "Storby {n}"\nurl = "{url}"\ndelay = 0\n'
        sources.write_text(text, encoding="utf-8")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env["PYTHONPATH"] = code or str(ROOT)
        start = time.perf_counter()
        db = KEEP_DB or str(Path(tmp) / "archive.db")
        done = subprocess.run(
            [sys.executable, "-c", CHILD, "update", "--db", db, "--sources", str(sources)],
            env=env,
            cwd=tmp,  # not the checkout: "-c" puts the working directory first on sys.path
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        peaks = [
            int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK ")
        ]
        peak = peaks[-1] if peaks else 0
        lines = [
            line
            for line in (done.stdout + done.stderr).strip().splitlines()
            if not line.startswith("PEAK ")
        ]
        last = next(
            (line for line in reversed(lines) if line.startswith("run ")),
            lines[-1] if lines else "",
        )
        return peak / 1024, wall, last or f"exit {done.returncode}"


def bench_big(pages: int, page_mb: float, code: str | None) -> None:
    with serve(pages, int(page_mb * 1_000_000)) as url:
        peak, wall, last = run_update([url], code)
    print(
        f"one source, {pages} pages of {page_mb} MB: peak RSS {peak:.0f} MB, {wall:.0f} s ({last})"
    )


def bench_many(sources: int, code: str | None) -> None:
    with ExitStack() as stack:
        urls = [stack.enter_context(serve(6, 20_000)) for _ in range(sources)]
        peak, wall, last = run_update(urls, code)
    print(f"{sources} sources of 6 pages: peak RSS {peak:.0f} MB, {wall:.0f} s ({last})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", nargs="?", choices=("big", "many", "both"), default="both")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--page-mb", type=float, default=9.4)
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--code", help="directory holding the scraper package to run")
    parser.add_argument("--keep-db", help="keep the update's archive at this path")
    args = parser.parse_args()
    global KEEP_DB
    KEEP_DB = args.keep_db
    print(f"code: {args.code or ROOT}")
    if args.case in ("big", "both"):
        bench_big(args.pages, args.page_mb, args.code)
    if args.case in ("many", "both"):
        bench_many(args.sources, args.code)


if __name__ == "__main__":
    main()
