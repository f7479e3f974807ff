"""scraper.fetch over real sockets against tests/faultserver.py: every fault of issue 4.

Timeouts are tiny and waits are recorded by FakeTime, not slept, so the
whole file runs in about a second.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Iterator

import pytest
from faultserver import (
    Conditional,
    CookieGate,
    FakeTime,
    FaultServer,
    Gzip,
    GzipBomb,
    Huge,
    Meet,
    Redirect,
    Reset,
    Respond,
    Robots,
    Sequence,
    Slow,
    SlowBody,
    Truncated,
)

from scraper.errors import FetchError, RobotsDisallowed
from scraper.fetch.client import Fetcher
from scraper.records import Page, Settings

SETTINGS = Settings(
    delay=0.0,
    connect_timeout=2.0,
    read_timeout=2.0,
    total_timeout=5.0,
    retries=3,
    retry_backoff=0.01,
    max_bytes=1_000_000,
    host_failure_limit=50,
)
SWEDISH = "<html><head><title>Nyhet</title></head><body><p>Åtgärder på gång i Västervik</p>"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def fetcher(time: FakeTime, **overrides: object) -> Fetcher:
    settings = dataclasses.replace(SETTINGS, **overrides)
    return Fetcher(settings, sleep=time.sleep, clock=time.clock)


async def fetch_one(server: FaultServer, time: FakeTime, path: str, **overrides: object) -> Page:
    async with fetcher(time, **overrides) as client:
        return await client.fetch(server.url(path))


async def fail_one(
    server: FaultServer, time: FakeTime, path: str, **overrides: object
) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch_one(server, time, path, **overrides)
    return caught.value


# --------------------------------------------------------------------------
# Server errors and retries


async def test_500_fails_after_every_attempt(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Respond(500, "<h1>Fel</h1>"))
    error = await fail_one(server, time, "/p")
    assert error.status == 500 and error.attempts == 3
    assert server.count("/p") == 3
    assert len(time.sleeps) == 2 and all(0 <= s <= 0.02 for s in time.sleeps)


async def test_503_then_success(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Sequence(Respond(503), Respond(200, SWEDISH)))
    page = await fetch_one(server, time, "/p")
    assert page.status == 200 and page.attempts == 2
    assert "Åtgärder på gång" in page.text
    assert server.count("/p") == 2


async def test_429_waits_for_retry_after(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Sequence(Respond(429, headers=(("Retry-After", "3"),)), Respond(200, "ok")))
    page = await fetch_one(server, time, "/p")
    assert page.status == 200
    assert time.sleeps == [3.0]


# --------------------------------------------------------------------------
# Slow, broken and cut connections


async def test_slow_headers_time_out_on_read(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Slow(5.0))
    error = await fail_one(server, time, "/p", retries=2, read_timeout=0.2)
    assert error.reason == "timed out (read)" and error.attempts == 2
    assert server.count("/p") == 2


async def test_slow_body_hits_the_total_timeout(server: FaultServer, time: FakeTime) -> None:
    # each chunk comes well within the read timeout; the whole never ends in time
    server.route("/p", SlowBody(chunks=100, interval=0.05))
    error = await fail_one(server, time, "/p", retries=1, read_timeout=1.0, total_timeout=0.3)
    assert error.reason == "timed out after 0.3 s (total)"


async def test_connection_reset(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Reset())
    error = await fail_one(server, time, "/p")
    assert error.reason.startswith("connection error") and error.attempts == 3
    assert error.status is None


async def test_reset_then_success(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Sequence(Reset(), Respond(200, "ok")))
    page = await fetch_one(server, time, "/p")
    assert page.text == "ok" and page.attempts == 2


async def test_truncated_body(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Truncated())
    error = await fail_one(server, time, "/p")
    assert error.reason.startswith("truncated body") and error.attempts == 3


async def test_connection_refused(time: FakeTime) -> None:
    with FaultServer() as gone:
        url = gone.url("/p")
    async with fetcher(time, retries=2) as client:
        with pytest.raises(FetchError) as caught:
            await client.fetch(url)
        assert client.unreachable_hosts == {gone.host: "connection refused"}
    # What happened, not a robots.txt problem: nothing answered at all.
    assert caught.value.reason == f"connection refused by {gone.host}"
    assert not isinstance(caught.value, RobotsDisallowed)
    assert caught.value.attempts == 0  # robots.txt unreachable: the host is off limits


# --------------------------------------------------------------------------
# Redirects


async def test_redirect_loop(server: FaultServer, time: FakeTime) -> None:
    server.route("/a", Redirect(302, "/b"))
    server.route("/b", Redirect(301, "/a"))
    error = await fail_one(server, time, "/a")
    assert error.reason.startswith("redirect loop")
    assert server.count("/a") == 1 and server.count("/b") == 1


async def test_off_site_redirect(server: FaultServer, time: FakeTime) -> None:
    server.route("/a", Redirect(302, server.url("/elsewhere", host="localhost")))
    error = await fail_one(server, time, "/a")
    assert error.reason == f"redirected off-site to {server.url('/elsewhere', host='localhost')}"
    assert server.count("/elsewhere") == 0


async def test_sitevision_cookie_loop_is_passed(server: FaultServer, time: FakeTime) -> None:
    server.route("/4.123.html", CookieGate(Respond(200, SWEDISH)))
    page = await fetch_one(server, time, "/4.123.html")
    assert page.status == 200 and page.attempts == 2
    assert server.requests[-1].header("cookie") == "SiteVisionLTM=abc123"


# --------------------------------------------------------------------------
# Bodies


@pytest.mark.parametrize("content_length", [True, False])
async def test_huge_body(server: FaultServer, time: FakeTime, content_length: bool) -> None:
    server.route("/p", Huge(20_000_000, content_length=content_length))
    error = await fail_one(server, time, "/p")
    assert error.reason.startswith("body larger than 1000000 bytes")
    assert error.attempts == 1


async def test_gzip_bomb(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", GzipBomb(100_000_000))
    error = await fail_one(server, time, "/p")
    assert error.reason == "body larger than 1000000 bytes" and error.attempts == 1


async def test_gzip_page(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Gzip(SWEDISH.encode()))
    page = await fetch_one(server, time, "/p")
    assert page.content == SWEDISH.encode() and page.header("content-encoding") == "gzip"


async def test_wrong_content_type_keeps_bytes_without_text(
    server: FaultServer, time: FakeTime
) -> None:
    server.route("/p", Respond(200, b"%PDF-1.4 \xe5\xe4", content_type="application/pdf"))
    page = await fetch_one(server, time, "/p")
    assert page.content_type == "application/pdf"
    assert page.text == "" and page.content == b"%PDF-1.4 \xe5\xe4"


@pytest.mark.parametrize(
    ("content_type", "body", "source"),
    [
        # wrong charset in the header
        ("text/html; charset=utf-8", SWEDISH.encode("cp1252"), "detected"),
        ("text/html; charset=iso-8859-1", SWEDISH.encode(), "detected"),
        # missing charset: meta, then detection
        (
            "text/html",
            SWEDISH.replace("<title>", '<meta charset="iso-8859-1"><title>').encode("cp1252"),
            "meta",
        ),
        ("text/html", SWEDISH.encode("cp1252"), "detected"),
        (None, SWEDISH.encode(), "detected"),
    ],
    ids=["utf8-says-header", "latin1-says-header", "meta", "undeclared", "no-content-type"],
)
async def test_wrong_and_missing_charsets(
    server: FaultServer, time: FakeTime, content_type: str | None, body: bytes, source: str
) -> None:
    server.route("/p", Respond(200, body, content_type=content_type))
    page = await fetch_one(server, time, "/p")
    assert "Åtgärder på gång i Västervik" in page.text
    assert page.encoding_source == source


async def test_malformed_html_is_returned_as_is(server: FaultServer, time: FakeTime) -> None:
    broken = "<html><body><div><p>Ofullständig <b>sida<table><tr><td>Växjö</p></div"
    server.route("/p", Respond(200, broken))
    page = await fetch_one(server, time, "/p")
    assert page.text == broken


async def test_empty_page(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Respond(200, b""))
    page = await fetch_one(server, time, "/p")
    assert page.status == 200 and page.content == b"" and page.text == ""


async def test_conditional_request_gets_304(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Conditional(SWEDISH))
    async with fetcher(time) as client:
        first = await client.fetch(server.url("/p"))
        again = await client.fetch(
            server.url("/p"), etag=first.etag, last_modified=first.last_modified
        )
    assert first.status == 200 and again.status == 304 and again.content == b""
    assert server.requests[-1].header("if-none-match") == '"v1"'


# --------------------------------------------------------------------------
# robots.txt and politeness


async def test_robots_disallow(server: FaultServer, time: FakeTime) -> None:
    server.route("/robots.txt", Robots("User-agent: *\nDisallow: /admin/\n"))
    server.route("/admin/p", Respond(200, "hemligt"))
    with pytest.raises(RobotsDisallowed):
        await fetch_one(server, time, "/admin/p")
    assert server.count("/admin/p") == 0 and server.count("/robots.txt") == 1


async def test_robots_crawl_delay(server: FaultServer, time: FakeTime) -> None:
    server.route("/robots.txt", Robots("User-agent: *\nCrawl-delay: 4\n"))
    server.route("/p", Respond(200, "ok"))
    async with fetcher(time) as client:
        for _ in range(3):
            await client.fetch(server.url("/p"), delay=1.0)
    assert time.sleeps == [4.0, 4.0, 4.0]
    assert [r.path for r in server.requests] == ["/robots.txt", "/p", "/p", "/p"]


async def test_user_agent_reaches_the_server(server: FaultServer, time: FakeTime) -> None:
    server.route("/p", Respond(200, "ok"))
    await fetch_one(server, time, "/p", user_agent="scraper/9 (+https://example.org/x)")
    assert {r.header("user-agent") for r in server.requests} == {
        "scraper/9 (+https://example.org/x)"
    }


async def test_one_request_in_flight_per_host(server: FaultServer, time: FakeTime) -> None:
    # Each answer is held a little: without the host lock the requests would pile up.
    server.route("/p", Slow(0.02, Respond(200, "ok")))
    async with fetcher(time) as client:
        pages = await asyncio.gather(*(client.fetch(server.url(f"/p?n={i}")) for i in range(8)))
    assert [p.status for p in pages] == [200] * 8
    assert server.count("/p") == 8
    assert server.max_in_flight == 1


async def test_two_hosts_are_fetched_concurrently(time: FakeTime) -> None:
    # Each server holds its request until the other one has a request too.
    barrier = threading.Barrier(2, timeout=5)
    with FaultServer({"/p": Meet(barrier)}) as one, FaultServer({"/p": Meet(barrier)}) as two:
        async with fetcher(time, read_timeout=10.0, total_timeout=10.0) as client:
            pages = await asyncio.gather(client.fetch(one.url("/p")), client.fetch(two.url("/p")))
    assert [p.text for p in pages] == ["<p>met</p>", "<p>met</p>"]


async def test_failing_host_is_given_up_and_others_go_on(time: FakeTime) -> None:
    with FaultServer({"/p": Respond(503)}) as bad, FaultServer({"/p": Respond(200, "ok")}) as good:
        async with fetcher(time, retries=2, host_failure_limit=2) as client:
            for _ in range(2):
                with pytest.raises(FetchError, match="service unavailable"):
                    await client.fetch(bad.url("/p"))
            with pytest.raises(FetchError, match="host given up after 2 consecutive failures"):
                await client.fetch(bad.url("/p"))
            assert (await client.fetch(good.url("/p"))).text == "ok"
            assert client.given_up_hosts == {bad.host}
            assert client.requests_by_host == {bad.host: 5, good.host: 2}
        assert bad.count("/p") == 4
