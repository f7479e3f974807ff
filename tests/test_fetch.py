"""scraper.fetch against httpx.MockTransport: politeness, retries, redirects, limits.

No sockets and no real sleeping: a FakeTime clock records every wait.
Real-socket faults are in test_fetch_faults.py, decoding in test_charset.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import gzip
import random
import re
import socket
import zlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from faultserver import FakeTime

from scraper.errors import FetchError, RobotsDisallowed
from scraper.fetch.client import Fetcher, RequestRecord, registrable_domain, user_agent
from scraper.records import Settings

BASE = Settings(delay=0.0, retries=3, retry_backoff=1.0, host_failure_limit=5)
NOW = datetime(2026, 11, 27, 14, 37, tzinfo=UTC)

Reply = Callable[[httpx.Request], httpx.Response]


def reply(status: int = 200, body: str | bytes = "", **headers: str) -> Reply:
    """A route answer; header names use _ for - (content_type=...)."""
    fields = {key.replace("_", "-"): value for key, value in headers.items()}
    if isinstance(body, str):
        body = body.encode("utf-8")
        fields.setdefault("content-type", "text/html; charset=utf-8")
    return lambda request: httpx.Response(status, content=body, headers=fields)


def seq(*replies: Reply) -> Reply:
    """The n-th request gets the n-th reply; the last repeats."""
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return replies[min(len(calls), len(replies)) - 1](request)

    return answer


class Web:
    """Routes by URL (scheme://host/path) for httpx.MockTransport; logs requests."""

    def __init__(self, routes: dict[str, Reply]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = str(request.url.copy_with(query=None))
        answer = self.routes.get(str(request.url)) or self.routes.get(key)
        return answer(request) if answer else httpx.Response(404)

    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]

    def count(self, url: str) -> int:
        return self.urls().count(url)


class Highest(random.Random):
    """Jitter that always picks the top of the range, so backoff is predictable."""

    def uniform(self, a: float, b: float) -> float:
        return b


def make(
    web: Web | Callable[[httpx.Request], object],
    *,
    time: FakeTime | None = None,
    records: list[RequestRecord] | None = None,
    **overrides: object,
) -> Fetcher:
    settings = dataclasses.replace(BASE, **overrides)
    clock = time or FakeTime()
    return Fetcher(
        settings,
        transport=httpx.MockTransport(web),
        sleep=clock.sleep,
        clock=clock.clock,
        now=lambda: NOW,
        rng=Highest(),
        on_request=records.append if records is not None else None,
    )


# --------------------------------------------------------------------------
# User agent


def test_user_agent_names_project_version_and_contact() -> None:
    agent = user_agent(Settings())
    assert agent.startswith("scraper/")
    assert "(+http" in agent
    assert user_agent(Settings(user_agent="kommunbot/2 (+mailto:a@b.se)")) == (
        "kommunbot/2 (+mailto:a@b.se)"
    )


async def test_every_request_carries_the_user_agent_and_accepts_gzip() -> None:
    web = Web({"https://x.se/a": reply(200, "<p>a</p>")})
    async with make(web, user_agent="kommunbot/2") as fetcher:
        await fetcher.fetch("https://x.se/a")
    assert web.urls() == ["https://x.se/robots.txt", "https://x.se/a"]
    assert {r.headers["user-agent"] for r in web.requests} == {"kommunbot/2"}
    assert web.requests[1].headers["accept-encoding"] == "gzip, deflate"


# --------------------------------------------------------------------------
# robots.txt


ROBOTS = "User-agent: *\nDisallow: /privat/\n\nUser-agent: scraper\nDisallow: /nobots/\n"


async def test_robots_disallow_raises_without_requesting_the_page() -> None:
    web = Web({"https://x.se/robots.txt": reply(200, ROBOTS, content_type="text/plain")})
    async with make(web) as fetcher:
        with pytest.raises(RobotsDisallowed, match="disallowed by robots.txt") as caught:
            await fetcher.fetch("https://x.se/nobots/a")
        assert caught.value.attempts == 0
        assert await fetcher.allowed("https://x.se/nyheter/") is True
        # the group naming us replaces the * group
        assert await fetcher.allowed("https://x.se/privat/x") is True
    assert web.urls() == ["https://x.se/robots.txt"]


async def test_robots_fetched_once_per_host_and_counted() -> None:
    web = Web(
        {
            "https://x.se/robots.txt": reply(200, "User-agent: *\nAllow: /\n"),
            "https://x.se/a": reply(200, "a"),
            "https://x.se/b": reply(200, "b"),
            "https://y.se/a": reply(200, "a"),
        }
    )
    async with make(web) as fetcher:
        await asyncio.gather(*(fetcher.fetch(u) for u in ["https://x.se/a", "https://x.se/b"]))
        await fetcher.fetch("https://x.se/a")
        await fetcher.fetch("https://y.se/a")
        assert fetcher.requests_by_host == {"x.se": 4, "y.se": 2}
        assert fetcher.requests_sent == 6
    assert web.count("https://x.se/robots.txt") == 1
    assert web.count("https://y.se/robots.txt") == 1


async def test_robots_4xx_allows_everything() -> None:
    web = Web({"https://x.se/robots.txt": reply(410), "https://x.se/privat/": reply(200, "ok")})
    async with make(web) as fetcher:
        page = await fetcher.fetch("https://x.se/privat/")
    assert page.status == 200


@pytest.mark.parametrize(
    "robots",
    [reply(503), lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow"))],
    ids=["5xx", "timeout"],
)
async def test_robots_unavailable_disallows_host_for_the_run(robots: Reply) -> None:
    web = Web({"https://x.se/robots.txt": robots, "https://x.se/a": reply(200, "a")})
    records: list[RequestRecord] = []
    async with make(web, records=records, retries=2) as fetcher:
        with pytest.raises(FetchError, match="robots.txt unavailable") as caught:
            await fetcher.fetch("https://x.se/a")
        assert not isinstance(caught.value, RobotsDisallowed)  # a fault, not a rule
        with pytest.raises(FetchError):
            await fetcher.fetch("https://x.se/a")
        assert await fetcher.allowed("https://x.se/b") is False
    assert web.urls() == ["https://x.se/robots.txt"] * 2  # retried once, then cached
    assert [r.purpose for r in records] == ["robots", "page", "page"]
    assert records[0].attempts == 2 and records[0].error


async def test_robots_answers_carry_over_to_the_next_run() -> None:
    web = Web(
        {
            "https://x.se/robots.txt": reply(200, "User-agent: *\nDisallow: /privat/\n"),
            "https://y.se/robots.txt": reply(404),
            "https://z.se/robots.txt": reply(503),
        }
    )
    async with make(web, retries=1) as first:
        for host in ("x.se", "y.se", "z.se"):
            await first.allowed(f"https://{host}/")
        kept = first.robots_fetched
    # the unreachable one is not kept: the next run must ask again
    assert [(r.url, r.status, r.fetched_at) for r in kept] == [
        ("https://x.se/robots.txt", 200, "2026-11-27T14:37:00Z"),
        ("https://y.se/robots.txt", 404, "2026-11-27T14:37:00Z"),
    ]
    web.requests.clear()
    second = Fetcher(BASE, transport=httpx.MockTransport(web), robots=kept)
    async with second:
        assert await second.allowed("https://x.se/privat/a") is False
        assert await second.allowed("https://y.se/privat/a") is True
        assert second.robots_fetched == ()
    assert web.urls() == []


async def test_crawl_delay_wins_over_a_shorter_delay() -> None:
    robots = "User-agent: *\nCrawl-delay: 5\n"
    web = Web({"https://x.se/robots.txt": reply(200, robots), "https://x.se/a": reply(200, "a")})
    time = FakeTime()
    async with make(web, time=time) as fetcher:
        await fetcher.fetch("https://x.se/a", delay=1.0)
        await fetcher.fetch("https://x.se/a", delay=1.0)
        await fetcher.fetch("https://x.se/a", delay=8.0)
    # robots -> a: robots was just parsed, so its Crawl-delay already applies
    assert time.sleeps == [5.0, 5.0, 8.0]


async def test_request_rate_becomes_a_gap() -> None:
    robots = "User-agent: *\nRequest-rate: 1/10s\n"
    web = Web({"https://x.se/robots.txt": reply(200, robots), "https://x.se/a": reply(200, "a")})
    time = FakeTime()
    async with make(web, time=time) as fetcher:
        await fetcher.fetch("https://x.se/a", delay=1.0)
    assert time.sleeps == [10.0]


# --------------------------------------------------------------------------
# Politeness: one request at a time per host, the delay between them


async def test_delay_runs_from_the_end_of_one_request_to_the_start_of_the_next() -> None:
    time = FakeTime()

    def slow(request: httpx.Request) -> httpx.Response:
        time.advance(0.4)  # the request takes 0.4 s
        return httpx.Response(200, text="ok")

    web = Web({"https://x.se/a": slow, "https://x.se/robots.txt": slow})
    async with make(web, time=time) as fetcher:
        await fetcher.fetch("https://x.se/a", delay=1.5)
        await fetcher.fetch("https://x.se/a")  # settings.delay (0): no wait
        await fetcher.fetch("https://x.se/a", delay=1.5)
    assert time.sleeps == [1.5, 1.5]


async def test_one_request_in_flight_per_host_and_hosts_overlap() -> None:
    in_flight: dict[str, int] = {}
    most: dict[str, int] = {}
    both_here = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        in_flight[host] = in_flight.get(host, 0) + 1
        most[host] = max(most.get(host, 0), in_flight[host])
        if sum(in_flight.values()) >= 2:
            both_here.set()
        if request.url.path != "/robots.txt":
            # Hold each page until the other host has a request in flight too:
            # only cross-host concurrency lets this finish.
            await asyncio.wait_for(both_here.wait(), timeout=5)
        for _ in range(5):
            await asyncio.sleep(0)  # give a second request to this host a chance
        in_flight[host] -= 1
        return httpx.Response(200, text="ok")

    urls = [f"https://{host}/p{i}" for host in ("x.se", "y.se") for i in range(4)]
    async with make(handler) as fetcher:
        pages = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert [p.status for p in pages] == [200] * 8
    assert most == {"x.se": 1, "y.se": 1}


async def test_concurrency_setting_bounds_requests_in_flight_across_hosts() -> None:
    in_flight = 0
    most = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        for _ in range(5):
            await asyncio.sleep(0)
        in_flight -= 1
        return httpx.Response(200, text="ok")

    urls = [f"https://h{i}.se/" for i in range(6)]
    async with make(handler, concurrency=2) as fetcher:
        await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert most == 2


# --------------------------------------------------------------------------
# Conditional requests


async def test_validators_are_sent_and_304_is_a_page() -> None:
    def conditional(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return httpx.Response(200, text="<p>ny</p>", headers={"etag": '"v1"'})

    web = Web({"https://x.se/a": conditional})
    async with make(web) as fetcher:
        first = await fetcher.fetch("https://x.se/a")
        again = await fetcher.fetch(
            "https://x.se/a", etag=first.etag, last_modified="Wed, 01 Jan 2025 10:00:00 GMT"
        )
    assert first.status == 200 and first.etag == '"v1"'
    assert again.not_modified and again.content == b"" and again.text == ""
    assert again.attempts == 1
    sent = web.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Wed, 01 Jan 2025 10:00:00 GMT"


# --------------------------------------------------------------------------
# Errors and retries


@pytest.mark.parametrize("status", [403, 404, 410])
async def test_client_errors_fail_at_once_with_their_status(status: int) -> None:
    web = Web({"https://x.se/a": reply(status, "nej")})
    records: list[RequestRecord] = []
    async with make(web, records=records) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("https://x.se/a")
        assert fetcher.host_failures["x.se"] == 0  # the host answered: no fault
    assert caught.value.status == status and caught.value.attempts == 1
    assert web.count("https://x.se/a") == 1
    assert records[-1].status == status and records[-1].error == caught.value.reason


async def test_server_error_then_success_is_retried_after_backoff() -> None:
    time = FakeTime()
    web = Web({"https://x.se/a": seq(reply(503), reply(502), reply(200, "ok"))})
    async with make(web, time=time, retry_backoff=0.5) as fetcher:
        page = await fetcher.fetch("https://x.se/a")
    assert page.status == 200 and page.attempts == 3 and page.text == "ok"
    assert time.sleeps == [0.5, 1.0]  # full jitter's upper bounds: 0.5 * 2**n


async def test_server_error_fails_for_good_after_all_attempts() -> None:
    time = FakeTime()
    web = Web({"https://x.se/a": reply(500)})
    async with make(web, time=time, retries=4) as fetcher:
        with pytest.raises(FetchError, match="after 4 attempts") as caught:
            await fetcher.fetch("https://x.se/a")
    assert caught.value.status == 500 and caught.value.attempts == 4
    assert time.sleeps == [1.0, 2.0, 4.0]


async def test_backoff_jitter_stays_under_the_exponential_ceiling() -> None:
    time = FakeTime()
    web = Web({"https://x.se/a": reply(500)})
    fetcher = Fetcher(
        dataclasses.replace(BASE, retries=4),
        transport=httpx.MockTransport(web),
        sleep=time.sleep,
        clock=time.clock,
        rng=random.Random(7),
    )
    async with fetcher:
        with pytest.raises(FetchError):
            await fetcher.fetch("https://x.se/a")
    assert len(time.sleeps) == 3
    assert all(0 <= slept <= 2**i for i, slept in enumerate(time.sleeps))
    assert len(set(time.sleeps)) == 3


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("7", 7.0), (format_datetime(NOW + timedelta(seconds=30), usegmt=True), 30.0)],
    ids=["seconds", "http-date"],
)
async def test_429_waits_for_retry_after(retry_after: str, expected: float) -> None:
    time = FakeTime()
    web = Web({"https://x.se/a": seq(reply(429, retry_after=retry_after), reply(200, "ok"))})
    async with make(web, time=time) as fetcher:
        page = await fetcher.fetch("https://x.se/a")
    assert page.status == 200
    assert time.sleeps == [expected]


async def test_retry_after_beyond_the_cap_fails_at_once() -> None:
    web = Web({"https://x.se/a": reply(503, retry_after="3600")})
    async with make(web, max_retry_after=120.0) as fetcher:
        with pytest.raises(FetchError, match="Retry-After of 3600 s exceeds") as caught:
            await fetcher.fetch("https://x.se/a")
    assert caught.value.attempts == 1 and caught.value.status == 503


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx.ConnectError("connection refused"), "cannot connect to x.se: connection refused"),
        (httpx.ReadTimeout("slow"), "timed out (read)"),
        (httpx.ConnectTimeout("slow"), "timed out (connect)"),
        (httpx.RemoteProtocolError("peer closed connection"), "connection error"),
    ],
)
async def test_transport_errors_are_retried_then_fail(error: Exception, message: str) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        raise error

    async with make(broken, retries=3) as fetcher:
        with pytest.raises(FetchError, match=re.escape(message)) as caught:
            await fetcher.fetch("https://x.se/a")
    assert caught.value.attempts == 3 and caught.value.status is None


def connect_error(cause: OSError) -> httpx.ConnectError:
    """A ConnectError as httpx raises it: the OS error down its chain."""
    error = httpx.ConnectError(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("cause", "reason", "kind", "attempts"),
    [
        (
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "cannot resolve host x.se (DNS)",
            "DNS",
            1,  # the resolver's definite "no such name" is not asked again
        ),
        (
            socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
            "cannot resolve host x.se (DNS)",
            "DNS",
            3,
        ),
        (
            ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"),
            "connection refused by x.se",
            "connection refused",
            3,
        ),
        (
            OSError(errno.ENETUNREACH, "Network is unreachable"),
            "network unreachable (connecting to x.se)",
            "network unreachable",
            3,
        ),
        (
            OSError(errno.EHOSTUNREACH, "No route to host"),
            "no route to host x.se",
            "no route",
            3,
        ),
    ],
    ids=["dns-no-such-name", "dns-temporary", "refused", "network-unreachable", "no-route"],
)
async def test_failed_connections_say_what_failed_not_robots(
    cause: OSError, reason: str, kind: str, attempts: int
) -> None:
    web = Web(
        {"https://x.se/robots.txt": lambda request: (_ for _ in ()).throw(connect_error(cause))}
    )
    records: list[RequestRecord] = []
    async with make(web, records=records, retries=3) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("https://x.se/a")
        assert fetcher.unreachable_hosts == {"x.se": kind}
    assert caught.value.reason == reason and not isinstance(caught.value, RobotsDisallowed)
    assert "robots" not in str(caught.value)
    assert records[0].purpose == "robots" and records[0].error == reason
    assert records[0].attempts == attempts


async def test_a_host_that_answered_is_not_unreachable() -> None:
    calls = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 2:
            raise connect_error(ConnectionRefusedError(errno.ECONNREFUSED, "refused"))
        return httpx.Response(404 if request.url.path == "/robots.txt" else 200)

    async with make(flaky, retries=1) as fetcher:
        with pytest.raises(FetchError, match="connection refused"):
            await fetcher.fetch("https://x.se/a")
        assert fetcher.unreachable_hosts == {}


async def test_total_timeout_cuts_a_request_that_never_ends() -> None:
    async def stuck(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/robots.txt":
            await asyncio.sleep(30)
        return httpx.Response(404)

    async with make(stuck, retries=1, total_timeout=0.05) as fetcher:
        with pytest.raises(FetchError, match=r"timed out after 0.05 s \(total\)"):
            await fetcher.fetch("https://x.se/a")


async def test_host_is_given_up_after_consecutive_failures() -> None:
    web = Web(
        {
            "https://x.se/bad": reply(500),
            "https://x.se/good": reply(200, "ok"),
            "https://y.se/good": reply(200, "ok"),
        }
    )
    records: list[RequestRecord] = []
    async with make(web, records=records, retries=2, host_failure_limit=2) as fetcher:
        with pytest.raises(FetchError):
            await fetcher.fetch("https://x.se/bad")
        await fetcher.fetch("https://x.se/good")  # resets the count
        for _ in range(2):
            with pytest.raises(FetchError):
                await fetcher.fetch("https://x.se/bad")
        sent = web.count("https://x.se/good")
        with pytest.raises(FetchError, match="host given up after 2 consecutive failures") as c:
            await fetcher.fetch("https://x.se/good")
        assert web.count("https://x.se/good") == sent  # nothing sent
        assert c.value.attempts == 0
        assert fetcher.given_up_hosts == frozenset({"x.se"})
        assert (await fetcher.fetch("https://y.se/good")).status == 200
    assert web.count("https://x.se/bad") == 6
    assert records[-3].error == c.value.reason and records[-3].attempts == 0


async def test_invalid_urls_are_fetch_errors() -> None:
    async with make(Web({})) as fetcher:
        with pytest.raises(FetchError, match="not an http"):
            await fetcher.fetch("ftp://x.se/a")
        with pytest.raises(FetchError):
            await fetcher.fetch("https://")


# --------------------------------------------------------------------------
# Redirects


async def test_redirects_are_followed_within_the_registrable_domain() -> None:
    web = Web(
        {
            "http://x.se/a": reply(301, location="https://www.x.se/a"),
            "https://www.x.se/a": reply(302, location="/b#frag"),
            "https://www.x.se/b": reply(200, "<p>b</p>"),
        }
    )
    async with make(web) as fetcher:
        page = await fetcher.fetch("http://x.se/a")
    assert page.url == "http://x.se/a"
    assert page.final_url == "https://www.x.se/b"
    assert page.attempts == 3
    # each new host's robots.txt was checked on the way
    assert web.urls() == [
        "http://x.se/robots.txt",
        "http://x.se/a",
        "https://www.x.se/robots.txt",
        "https://www.x.se/a",
        "https://www.x.se/b",
    ]


async def test_off_site_redirect_is_refused() -> None:
    web = Web({"https://x.se/a": reply(302, location="https://www.mynewsdesk.com/x")})
    async with make(web) as fetcher:
        with pytest.raises(FetchError, match="redirected off-site to https://www.mynewsdesk.com/x"):
            await fetcher.fetch("https://x.se/a")
    assert not any("mynewsdesk" in url for url in web.urls())


async def test_site_parameter_allows_the_sources_domain() -> None:
    web = Web(
        {
            "https://press.example.com/a": reply(302, location="https://www.x.se/a"),
            "https://www.x.se/a": reply(200, "ok"),
        }
    )
    async with make(web) as fetcher:
        page = await fetcher.fetch("https://press.example.com/a", site="https://www.x.se/nyheter/")
    assert page.final_url == "https://www.x.se/a"


async def test_redirect_on_the_way_to_a_disallowed_path_is_stopped() -> None:
    web = Web(
        {
            "https://x.se/robots.txt": reply(200, "User-agent: *\nDisallow: /privat/\n"),
            "https://x.se/a": reply(302, location="/privat/a"),
        }
    )
    async with make(web) as fetcher:
        with pytest.raises(RobotsDisallowed, match=r"\(at https://x.se/privat/a\)"):
            await fetcher.fetch("https://x.se/a")
    assert "https://x.se/privat/a" not in web.urls()


async def test_redirect_loop_is_detected() -> None:
    web = Web(
        {
            "https://x.se/a": reply(302, location="/b"),
            "https://x.se/b": reply(302, location="/a"),
        }
    )
    async with make(web) as fetcher:
        with pytest.raises(FetchError, match="redirect loop") as caught:
            await fetcher.fetch("https://x.se/a")
    assert caught.value.status == 302 and caught.value.attempts == 2


async def test_too_many_redirects() -> None:
    web = Web({f"https://x.se/{i}": reply(302, location=f"/{i + 1}") for i in range(10)})
    async with make(web, max_redirects=3) as fetcher:
        with pytest.raises(FetchError, match="more than 3 redirects") as caught:
            await fetcher.fetch("https://x.se/0")
    assert caught.value.attempts == 4


async def test_sitevision_cookie_307_is_followed_with_the_cookie() -> None:
    def balancer(request: httpx.Request) -> httpx.Response:
        if "SiteVisionLTM=1" in request.headers.get("cookie", ""):
            return httpx.Response(200, text="<p>inne</p>")
        return httpx.Response(
            307, headers={"location": str(request.url), "set-cookie": "SiteVisionLTM=1; Path=/"}
        )

    web = Web({"https://www.x.se/a.html": balancer, "https://www.y.se/a.html": reply(200, "y")})
    async with make(web) as fetcher:
        page = await fetcher.fetch("https://www.x.se/a.html")
        await fetcher.fetch("https://www.x.se/a.html")
        await fetcher.fetch("https://www.y.se/a.html")
    assert page.text == "<p>inne</p>" and page.attempts == 2
    cookies = [(str(r.url), r.headers.get("cookie")) for r in web.requests]
    assert ("https://www.x.se/a.html", "SiteVisionLTM=1") in cookies[-3:]  # kept for the run
    assert cookies[-1] == ("https://www.y.se/a.html", None)  # and only for its host


# --------------------------------------------------------------------------
# Bodies


class Chunks(httpx.AsyncByteStream):
    """A raw body delivered in chunks, counting how many were pulled."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk


def _compressed_chunks(size: int, piece: int = 16384) -> list[bytes]:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    data = b"".join(packer.compress(b"a" * 1_000_000) for _ in range(size // 1_000_000))
    data += packer.flush()
    return [data[i : i + piece] for i in range(0, len(data), piece)]


async def test_gzip_bomb_is_stopped_early() -> None:
    stream = Chunks(_compressed_chunks(100_000_000))

    def bomb(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=stream, headers={"content-encoding": "gzip"})

    async with make(Web({"https://x.se/a": bomb}), max_bytes=1_000_000, retries=1) as fetcher:
        with pytest.raises(FetchError, match="body larger than 1000000 bytes"):
            await fetcher.fetch("https://x.se/a")
    assert stream.pulled < 5 < len(stream.chunks)


async def test_gzip_and_deflate_bodies_are_decoded() -> None:
    body = "<p>Välkommen</p>".encode()
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    web = Web(
        {
            "https://x.se/gz": lambda r: httpx.Response(
                200, stream=Chunks([gzip.compress(body)]), headers={"content-encoding": "gzip"}
            ),
            "https://x.se/raw": lambda r: httpx.Response(
                200,
                stream=Chunks([raw_deflate.compress(body) + raw_deflate.flush()]),
                headers={"content-encoding": "deflate"},
            ),
        }
    )
    async with make(web) as fetcher:
        assert (await fetcher.fetch("https://x.se/gz")).text == "<p>Välkommen</p>"
        assert (await fetcher.fetch("https://x.se/raw")).content == body


async def test_body_over_the_cap_is_refused_without_retry() -> None:
    web = Web({"https://x.se/a": lambda r: httpx.Response(200, stream=Chunks([b"x" * 600] * 2))})
    async with make(web, max_bytes=1000) as fetcher:
        with pytest.raises(FetchError, match="body larger than 1000 bytes") as caught:
            await fetcher.fetch("https://x.se/a")
        assert fetcher.host_failures["x.se"] == 0  # the page's fault, not the host's
    assert caught.value.attempts == 1


async def test_truncated_gzip_stream_is_a_failure() -> None:
    cut = gzip.compress(b"<p>" + bytes(range(256)) * 100)[:-20]
    web = Web(
        {
            "https://x.se/a": lambda r: httpx.Response(
                200, stream=Chunks([cut]), headers={"content-encoding": "gzip"}
            )
        }
    )
    async with make(web, retries=2) as fetcher:
        with pytest.raises(FetchError, match="truncated body") as caught:
            await fetcher.fetch("https://x.se/a")
    assert caught.value.attempts == 2


async def test_non_text_content_is_kept_without_text() -> None:
    pdf = b"%PDF-1.4 \xe5\xe4\xf6"
    web = Web({"https://x.se/a.pdf": reply(200, pdf, content_type="application/pdf")})
    async with make(web) as fetcher:
        page = await fetcher.fetch("https://x.se/a.pdf")
    assert page.content == pdf and page.text == "" and page.content_type == "application/pdf"


# --------------------------------------------------------------------------
# The page and the run log


async def test_page_fields_and_request_records() -> None:
    body = "<html><head><meta charset='iso-8859-1'></head><p>Åtgärd i Västervik</p>"
    web = Web(
        {"https://x.se/a": reply(200, body.encode("cp1252"), content_type="text/html", etag='"e1"')}
    )
    records: list[RequestRecord] = []
    async with make(web, records=records) as fetcher:
        page = await fetcher.fetch("https://x.se/a", purpose="release", site="https://x.se/")
    assert "Åtgärd i Västervik" in page.text
    assert (page.encoding, page.encoding_source) == ("windows-1252", "meta")
    assert page.fetched_at == "2026-11-27T14:37:00Z"
    assert page.header("ETag") == '"e1"' and ("etag", '"e1"') in page.headers
    assert [(r.purpose, r.url, r.status, r.attempts, r.error) for r in records] == [
        ("robots", "https://x.se/robots.txt", 404, 1, None),
        ("release", "https://x.se/a", 200, 1, None),
    ]
    assert records[1].size == len(page.content) and records[1].site == "https://x.se/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.vastervik.se/nyheter/", "vastervik.se"),
        ("vastervik.se", "vastervik.se"),
        ("press.x.co.uk", "x.co.uk"),
        ("http://127.0.0.1:8080/a", "127.0.0.1"),
        ("localhost", "localhost"),
        ("WWW.X.SE.", "x.se"),
    ],
)
def test_registrable_domain(value: str, expected: str) -> None:
    assert registrable_domain(value) == expected


async def test_a_crawl_delay_beyond_the_limit_skips_the_host() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 86400\n")
        return httpx.Response(200, html="<p>sida</p>")

    settings = Settings(delay=0.0, max_crawl_delay=120.0)
    async with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(RobotsDisallowed, match="asks for 86400 s between requests"):
            await fetcher.fetch("https://www.exempel.se/nyheter/")
