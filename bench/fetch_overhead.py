"""What scraper.fetch costs: per-request overhead, and a no-change run over many hosts.

    .venv/bin/python bench/fetch_overhead.py [--hosts 300] [--concurrency 8] [--requests 300]

1. Overhead: ``--requests`` sequential requests to one local host, delay 0,
   through a bare httpx.AsyncClient and through Fetcher.
2. No-change run: ``--hosts`` servers on 127.0.0.1 (one port each: one host
   each), each with a listing that has an ETag. Sources are worked
   ``--concurrency`` at a time with default politeness (delay 1 s), as the
   pipeline does. Run A is the first run; run B repeats it with the ETags
   (304s) but a fresh Fetcher that must ask robots.txt again; run C also
   hands over the robots.txt answers of run A (``Fetcher(robots=...)``).
   Reported: requests per source and wall time.

Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from scraper.fetch.client import Fetcher, RobotsTxt
from scraper.records import Settings

LISTING = ("<html><body>" + "<a href='/n/{0}'>Nyhet {0}</a>" * 50 + "</body></html>").encode()
ETAG = '"listing-v1"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body, status = b"User-agent: *\nDisallow: /admin/\n", 200
        elif self.headers.get("If-None-Match") == ETAG:
            body, status = b"", 304
        else:
            body, status = LISTING, 200
        self.send_response(status)
        self.send_header("ETag", ETAG)
        if status != 304:
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve(count: int) -> Iterator[list[str]]:
    """``count`` servers; yields their listing URLs."""
    with ExitStack() as stack:
        urls = []
        for _ in range(count):
            server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
            thread.start()
            stack.callback(server.server_close)
            stack.callback(server.shutdown)
            urls.append(f"http://127.0.0.1:{server.server_address[1]}/nyheter/")
        yield urls


async def overhead(url: str, requests: int) -> tuple[float, float]:
    """Seconds per request: bare httpx, then Fetcher."""
    async with httpx.AsyncClient() as client:
        await client.get(url)
        started = time.perf_counter()
        for _ in range(requests):
            (await client.get(url)).raise_for_status()
        bare = (time.perf_counter() - started) / requests
    async with Fetcher(Settings(delay=0.0)) as fetcher:
        await fetcher.fetch(url)
        started = time.perf_counter()
        for _ in range(requests):
            await fetcher.fetch(url)
        ours = (time.perf_counter() - started) / requests
    return bare, ours


async def run(
    urls: list[str],
    *,
    concurrency: int,
    etags: dict[str, str],
    robots: tuple[RobotsTxt, ...] = (),
) -> tuple[float, int, dict[str, str], tuple[RobotsTxt, ...]]:
    """One update-like pass over every source; returns seconds, requests, ETags, robots."""
    settings = Settings(concurrency=concurrency)  # default politeness: delay 1 s
    slots = asyncio.Semaphore(concurrency)
    seen: dict[str, str] = {}

    async def source(url: str) -> None:
        async with slots:
            page = await fetcher.fetch(url, etag=etags.get(url), purpose="listing")
            seen[url] = page.etag or ""

    started = time.perf_counter()
    async with Fetcher(settings, robots=robots) as fetcher:
        await asyncio.gather(*(source(url) for url in urls))
        return time.perf_counter() - started, fetcher.requests_sent, seen, fetcher.robots_fetched


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    with serve(1) as (url,):
        bare, ours = await overhead(url, args.requests)
    print(
        f"per request, one host, delay 0: httpx {bare * 1000:.2f} ms, Fetcher {ours * 1000:.2f} ms"
    )

    with serve(args.hosts) as urls:
        n = len(urls)
        first, sent, etags, robots = await run(urls, concurrency=args.concurrency, etags={})
        print(f"A first run:               {sent / n:.2f} requests/source, {first:.1f} s")
        again, sent, _, _ = await run(urls, concurrency=args.concurrency, etags=etags)
        print(f"B no change, robots asked: {sent / n:.2f} requests/source, {again:.1f} s")
        kept, sent, _, _ = await run(urls, concurrency=args.concurrency, etags=etags, robots=robots)
        print(f"C no change, robots kept:  {sent / n:.2f} requests/source, {kept:.1f} s")


if __name__ == "__main__":
    asyncio.run(main())
