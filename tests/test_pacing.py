"""scraper.fetch.pacing on its own: Retry-After, backoff, gaps, retry statuses, giving a host up.

No sockets and no real sleeping: FakeTime advances a fake clock on every
wait, the jitter comes from a stub rng, and "requests" are coroutines that
answer from a script.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from time import monotonic

import httpx
import pytest
from faultserver import FakeTime

from scraper.errors import FetchError
from scraper.fetch.pacing import (
    RETRY_STATUSES,
    AttemptFailed,
    Pacer,
    Response,
    host_key,
    retry_after,
    status_reason,
)
from scraper.fetch.robots import RobotsRules
from scraper.records import Settings

AGENT = "scraper/0.1.0 (+https://example.org/scraper)"
NOW = datetime(2026, 11, 27, 14, 37, tzinfo=UTC)
URL = httpx.URL("https://www.vastervik.se/nyheter/1")
#: host_slow_limit=0: the tests of the other rules see those rules alone.
BASE = Settings(
    delay=0.0,
    retries=3,
    retry_backoff=1.0,
    max_retry_after=120.0,
    host_failure_limit=5,
    host_slow_limit=0,
)


class StubRng(random.Random):
    """Jitter that always lands on one end of the range asked for, recording the ranges."""

    def __init__(self, *, top: bool = True) -> None:
        super().__init__(0)
        self.top = top
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, a: float, b: float) -> float:
        self.ranges.append((a, b))
        return b if self.top else a


def answer(status: int, **headers: str) -> Response:
    fields = tuple((key.replace("_", "-"), value) for key, value in headers.items())
    return Response(str(URL), status, fields, b"")


class Script:
    """A request that answers (or fails) in turn, the last entry repeating.

    Each call takes ``takes`` seconds of fake time; ``starts`` records when each began.
    """

    def __init__(
        self, time: FakeTime, *answers: Response | AttemptFailed, takes: float = 0.0
    ) -> None:
        self.time = time
        self.answers = answers
        self.takes = takes
        self.starts: list[float] = []

    @property
    def calls(self) -> int:
        return len(self.starts)

    async def __call__(self) -> Response:
        self.starts.append(self.time.clock())
        self.time.advance(self.takes)
        result = self.answers[min(self.calls, len(self.answers)) - 1]
        if isinstance(result, AttemptFailed):
            raise result
        return result


def make_pacer(time: FakeTime, *, rng: random.Random | None = None, **settings: object) -> Pacer:
    return Pacer(
        dataclasses.replace(BASE, **settings),
        agent=AGENT,
        sleep=time.sleep,
        clock=time.clock,
        now=lambda: NOW,
        rng=rng or StubRng(),
    )


def fail(reason: str) -> FetchError:
    return FetchError(reason, url=str(URL))


async def send(pacer: Pacer, script: Script, *, url: httpx.URL = URL, gap: float = 0.0) -> Response:
    return await pacer.send(pacer.host(url), script, gap=gap, fail=fail)


# -- pure helpers


@pytest.mark.parametrize(("value", "seconds"), [("120", 120.0), (" 7 ", 7.0), ("0", 0.0)])
def test_retry_after_reads_delta_seconds(value: str, seconds: float) -> None:
    assert retry_after(value, NOW) == seconds


@pytest.mark.parametrize(
    "value",
    [
        "Fri, 27 Nov 2026 14:38:00 GMT",  # IMF-fixdate
        "Friday, 27-Nov-26 14:38:00 GMT",  # RFC 850
        "Fri Nov 27 14:38:00 2026",  # asctime
        "Fri, 27 Nov 2026 15:38:00 +0100",
    ],
)
def test_retry_after_reads_http_dates_against_now(value: str) -> None:
    assert retry_after(value, NOW) == 60.0


def test_retry_after_date_in_the_past_asks_for_no_wait() -> None:
    assert retry_after("Fri, 27 Nov 2026 14:00:00 GMT", NOW) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "1.5", "-3", "Fri, 99 Nov 2026"])
def test_retry_after_unreadable_is_none(value: str | None) -> None:
    assert retry_after(value, NOW) is None


@pytest.mark.parametrize("value", ["²", "①"])
def test_retry_after_non_ascii_digits_are_unreadable(value: str) -> None:
    # str.isdigit() accepts these; float() would then raise ValueError.
    assert retry_after(value, NOW) is None


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.vastervik.se/a", "www.vastervik.se"),
        ("https://WWW.Vastervik.se:443/a", "www.vastervik.se"),
        ("http://www.vastervik.se:80/a", "www.vastervik.se"),
        ("http://127.0.0.1:8081/a", "127.0.0.1:8081"),
    ],
)
def test_host_key_names_non_default_ports_only(url: str, key: str) -> None:
    assert host_key(httpx.URL(url)) == key


def test_status_reason_is_the_lower_case_phrase() -> None:
    assert status_reason(404) == "not found"
    assert status_reason(503) == "service unavailable"
    assert status_reason(799) == "HTTP status 799"


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 505, 507, 599])
def test_server_errors_and_429_are_retry_statuses(status: int) -> None:
    assert status in RETRY_STATUSES


# 501 Not Implemented will not start working on a second try.
@pytest.mark.parametrize("status", [200, 301, 304, 400, 401, 403, 404, 410, 501])
def test_other_statuses_are_not_retry_statuses(status: int) -> None:
    assert status not in RETRY_STATUSES


def test_response_header_gives_the_first_value() -> None:
    response = Response("u", 200, (("set-cookie", "a=1"), ("set-cookie", "b=2")), b"")
    assert response.header("set-cookie") == "a=1"
    assert response.header("location") is None


# -- which answers are retried


@pytest.mark.parametrize("status", [200, 301, 304, 404, 410, 501])
async def test_answer_outside_retry_statuses_is_returned_at_once(status: int) -> None:
    time = FakeTime()
    script = Script(time, answer(status))
    response = await send(make_pacer(time), script)
    assert response.status == status
    assert script.calls == 1
    assert time.sleeps == []


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 599])
async def test_retry_status_is_retried_until_attempts_run_out(status: int) -> None:
    time = FakeTime()
    script = Script(time, answer(status))
    with pytest.raises(FetchError) as caught:
        await send(make_pacer(time, retries=3), script)
    assert script.calls == 3
    assert caught.value.reason == f"{status_reason(status)} after 3 attempts"


async def test_retry_status_then_answer_returns_the_answer() -> None:
    time = FakeTime()
    script = Script(time, answer(503), answer(502), answer(200))
    response = await send(make_pacer(time, retries=4), script)
    assert response.status == 200
    assert script.calls == 3


async def test_failed_attempt_is_retried() -> None:
    time = FakeTime()
    script = Script(time, AttemptFailed("connection error: refused"), answer(200))
    assert (await send(make_pacer(time), script)).status == 200
    assert script.calls == 2


async def test_failed_attempt_keeps_its_reason_when_attempts_run_out() -> None:
    time = FakeTime()
    script = Script(time, AttemptFailed("timed out (read)"))
    with pytest.raises(FetchError, match=r"timed out \(read\)"):
        await send(make_pacer(time, retries=2), script)
    assert script.calls == 2


async def test_non_retryable_failure_fails_at_once() -> None:
    time = FakeTime()
    script = Script(time, AttemptFailed("undecodable gzip body", retryable=False), answer(200))
    with pytest.raises(FetchError, match="undecodable gzip body"):
        await send(make_pacer(time, retries=4), script)
    assert script.calls == 1
    assert time.sleeps == []


# -- backoff


async def test_backoff_ceiling_doubles_from_retry_backoff() -> None:
    time = FakeTime()
    rng = StubRng(top=True)
    with pytest.raises(FetchError):
        await send(
            make_pacer(time, rng=rng, retries=4, retry_backoff=1.5), Script(time, answer(503))
        )
    # Full jitter: retry n draws from [0, retry_backoff * 2**(n-1)].
    assert rng.ranges == [(0, 1.5), (0, 3.0), (0, 6.0)]
    assert time.sleeps == [1.5, 3.0, 6.0]


async def test_backoff_jitter_may_be_no_wait_at_all() -> None:
    time = FakeTime()
    rng = StubRng(top=False)
    with pytest.raises(FetchError):
        await send(make_pacer(time, rng=rng, retries=4), Script(time, answer(503)))
    assert len(rng.ranges) == 3
    assert time.sleeps == []


async def test_backoff_ceiling_is_capped_by_max_retry_after() -> None:
    time = FakeTime()
    rng = StubRng()
    pacer = make_pacer(time, rng=rng, retries=4, retry_backoff=100.0, max_retry_after=150.0)
    with pytest.raises(FetchError):
        await send(pacer, Script(time, AttemptFailed("connection error")))
    assert rng.ranges == [(0, 100.0), (0, 150.0), (0, 150.0)]


async def test_seeded_backoff_stays_under_its_ceilings() -> None:
    time = FakeTime()
    pacer = make_pacer(time, rng=random.Random(20261127), retries=6, retry_backoff=2.0)
    with pytest.raises(FetchError):
        await send(pacer, Script(time, answer(500)))
    ceilings = [2.0, 4.0, 8.0, 16.0, 32.0]
    assert len(time.sleeps) == len(ceilings)
    assert all(0 < slept <= ceiling for slept, ceiling in zip(time.sleeps, ceilings, strict=True))


# -- Retry-After


async def test_retry_after_seconds_replace_the_backoff() -> None:
    time = FakeTime()
    rng = StubRng()
    script = Script(time, answer(503, retry_after="7"), answer(200))
    assert (await send(make_pacer(time, rng=rng), script)).status == 200
    assert time.sleeps == [7.0]
    assert script.starts[1] - script.starts[0] == 7.0
    assert rng.ranges == []


async def test_retry_after_http_date_is_waited_until() -> None:
    time = FakeTime()
    when = format_datetime(NOW + timedelta(seconds=30), usegmt=True)
    script = Script(time, answer(429, retry_after=when), answer(200))
    assert (await send(make_pacer(time), script)).status == 200
    assert time.sleeps == [30.0]


async def test_retry_after_equal_to_the_cap_is_waited() -> None:
    time = FakeTime()
    script = Script(time, answer(503, retry_after="120"), answer(200))
    assert (await send(make_pacer(time, max_retry_after=120.0), script)).status == 200
    assert time.sleeps == [120.0]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("121", "121"), (format_datetime(NOW + timedelta(hours=1), usegmt=True), "3600")],
)
async def test_retry_after_over_the_cap_fails_at_once(value: str, seconds: str) -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=4, max_retry_after=120.0)
    script = Script(time, answer(503, retry_after=value), answer(200))
    with pytest.raises(FetchError) as caught:
        await send(pacer, script)
    assert caught.value.reason == (f"Retry-After of {seconds} s exceeds max_retry_after (120 s)")
    assert script.calls == 1
    assert time.sleeps == []
    assert pacer.host(URL).failures == 1


async def test_unreadable_retry_after_falls_back_to_backoff() -> None:
    time = FakeTime()
    rng = StubRng()
    script = Script(time, answer(503, retry_after="soon"), answer(200))
    assert (await send(make_pacer(time, rng=rng, retry_backoff=2.0), script)).status == 200
    assert rng.ranges == [(0, 2.0)]
    assert time.sleeps == [2.0]


# -- gaps between requests


async def test_gap_runs_from_the_end_of_one_request_to_the_start_of_the_next() -> None:
    time = FakeTime()
    pacer = make_pacer(time)
    script = Script(time, answer(200), takes=0.5)
    await send(pacer, script, gap=2.0)
    await send(pacer, script, gap=2.0)
    assert script.starts[1] - (script.starts[0] + 0.5) == 2.0
    assert time.sleeps == [2.0]  # none before the first request


async def test_gap_already_passed_is_not_waited_again() -> None:
    time = FakeTime()
    pacer = make_pacer(time)
    script = Script(time, answer(200))
    await send(pacer, script, gap=2.0)
    time.advance(5.0)
    await send(pacer, script, gap=2.0)
    assert time.sleeps == []


@pytest.mark.parametrize(
    ("delay", "robots", "gap"),
    [
        (1.0, "User-agent: *\nCrawl-delay: 5\n", 5.0),
        (7.0, "User-agent: *\nCrawl-delay: 5\n", 7.0),
        (1.0, "User-agent: scraper\nCrawl-delay: 3\n", 3.0),
        (1.0, "User-agent: *\nRequest-rate: 1/10s\n", 10.0),
        (1.0, "User-agent: otherbot\nCrawl-delay: 30\n", 1.0),
    ],
)
async def test_gap_is_the_larger_of_delay_and_robots_crawl_delay(
    delay: float, robots: str, gap: float
) -> None:
    time = FakeTime()
    pacer = make_pacer(time)
    pacer.host(URL).robots = RobotsRules.answered(200, robots)
    script = Script(time, answer(200))
    await send(pacer, script, gap=delay)
    await send(pacer, script, gap=delay)
    assert time.sleeps == [gap]


async def test_gap_applies_per_host() -> None:
    time = FakeTime()
    pacer = make_pacer(time)
    script = Script(time, answer(200))
    await send(pacer, script, gap=2.0)
    await send(pacer, script, url=httpx.URL("https://www.kalmar.se/a"), gap=2.0)
    await send(pacer, script, url=httpx.URL("https://www.vastervik.se/b"), gap=2.0)
    assert time.sleeps == [2.0]


async def test_backoff_and_gap_do_not_add_up() -> None:
    time = FakeTime()
    script = Script(time, answer(503, retry_after="3"), answer(200))
    await send(make_pacer(time), script, gap=5.0)
    assert time.sleeps == [5.0]


class InFlight:
    """A request that yields to the loop a few times and records the most running at once."""

    def __init__(self) -> None:
        self.running: dict[str, int] = {}
        self.most_per_host = 0
        self.most_overall = 0

    def request(self, host: str) -> Callable[[], Awaitable[Response]]:
        async def run() -> Response:
            self.running[host] = self.running.get(host, 0) + 1
            self.most_per_host = max(self.most_per_host, self.running[host])
            self.most_overall = max(self.most_overall, sum(self.running.values()))
            for _ in range(5):
                await asyncio.sleep(0)
            self.running[host] -= 1
            return answer(200)

        return run


@pytest.mark.parametrize(("concurrency", "most"), [(1, 1), (2, 2), (8, 3)])
async def test_one_request_per_host_and_concurrency_overall(concurrency: int, most: int) -> None:
    pacer = make_pacer(FakeTime(), concurrency=concurrency)
    flight = InFlight()
    hosts = ["a.se", "b.se", "c.se"]
    await asyncio.gather(
        *(
            pacer.send(
                pacer.host(httpx.URL(f"https://{host}/{n}")),
                flight.request(host),
                gap=0.0,
                fail=fail,
            )
            for host in hosts
            for n in range(3)
        )
    )
    assert flight.most_per_host == 1
    assert flight.most_overall == most
    assert {key: pacer.hosts[key].requests for key in hosts} == dict.fromkeys(hosts, 3)


# -- giving a host up


async def test_host_is_given_up_after_consecutive_failed_fetches() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=2, host_failure_limit=3)
    script = Script(time, answer(503))
    for _ in range(3):
        with pytest.raises(FetchError):
            await send(pacer, script)
    host = pacer.host(URL)
    assert (host.failures, host.given_up) == (3, True)
    with pytest.raises(FetchError) as caught:
        await send(pacer, script)
    assert caught.value.reason == "host given up after 3 consecutive failures"
    assert script.calls == 6  # nothing sent once given up


async def test_any_answer_resets_the_failure_count() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=1, host_failure_limit=3)
    for _ in range(2):
        with pytest.raises(FetchError):
            await send(pacer, Script(time, answer(500)))
    await send(pacer, Script(time, answer(404)))
    assert pacer.host(URL).failures == 0
    for _ in range(2):
        with pytest.raises(FetchError):
            await send(pacer, Script(time, answer(500)))
    assert not pacer.host(URL).given_up


async def test_retries_of_one_fetch_count_as_one_failure() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=4, host_failure_limit=2)
    with pytest.raises(FetchError):
        await send(pacer, Script(time, AttemptFailed("connection error")))
    assert (pacer.host(URL).failures, pacer.host(URL).given_up) == (1, False)


async def test_failures_that_are_not_the_hosts_fault_do_not_count() -> None:
    time = FakeTime()
    pacer = make_pacer(time, host_failure_limit=2)
    too_big = AttemptFailed("body larger than 10 bytes", retryable=False, host_fault=False)
    for _ in range(3):
        with pytest.raises(FetchError):
            await send(pacer, Script(time, too_big))
    assert (pacer.host(URL).failures, pacer.host(URL).given_up) == (0, False)


async def test_giving_a_host_up_leaves_other_hosts_alone() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=1, host_failure_limit=1)
    with pytest.raises(FetchError):
        await send(pacer, Script(time, answer(503)))
    other = httpx.URL("https://www.kalmar.se/a")
    assert (await send(pacer, Script(time, answer(200)), url=other)).status == 200
    assert [key for key, host in pacer.hosts.items() if host.given_up] == ["www.vastervik.se"]


async def test_retries_stop_once_the_host_is_given_up_meanwhile() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=4)
    host = pacer.host(URL)
    calls = 0

    async def request() -> Response:
        nonlocal calls
        calls += 1
        host.given_up = True  # as a concurrent fetch to the host would
        return answer(503)

    with pytest.raises(FetchError, match="service unavailable after 1 attempt$"):
        await pacer.send(host, request, gap=0.0, fail=fail)
    assert calls == 1


# -- the time budget of a host that does not answer


async def test_a_silent_host_is_given_up_once_its_time_budget_is_spent() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=4, host_time_budget=60.0)
    silent = Script(time, AttemptFailed("timed out (read)", answered=False), takes=30.0)
    with pytest.raises(FetchError) as caught:
        await send(pacer, silent)
    assert silent.calls == 2  # 30 s + 30 s: no third attempt
    host = pacer.host(URL)
    assert host.given_up
    assert caught.value.reason == (
        "no answer from www.vastervik.se in 60 s (timed out (read)): "
        "host given up for this run (host_time_budget)"
    )
    later = Script(time, answer(200))
    with pytest.raises(FetchError, match="host_time_budget"):
        await send(pacer, later)
    assert later.calls == 0


async def test_the_budget_counts_silence_since_the_host_last_answered() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=1, host_time_budget=60.0, host_failure_limit=100)
    for _ in range(3):
        with pytest.raises(FetchError):
            await send(pacer, Script(time, AttemptFailed("timed out", answered=False), takes=25.0))
        await send(pacer, Script(time, answer(200)))  # it answers: the count starts again
    assert not pacer.host(URL).given_up
    for _ in range(2):
        with pytest.raises(FetchError):
            await send(pacer, Script(time, AttemptFailed("timed out", answered=False), takes=25.0))
    assert not pacer.host(URL).given_up  # 50 s
    with pytest.raises(FetchError, match="host_time_budget"):
        await send(pacer, Script(time, AttemptFailed("timed out", answered=False), takes=25.0))


async def test_answers_and_errors_with_an_answer_cost_no_budget() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=3, host_time_budget=10.0, host_failure_limit=100)
    for _ in range(3):
        with pytest.raises(FetchError):
            await send(pacer, Script(time, answer(503), takes=20.0))
        with pytest.raises(FetchError):
            await send(pacer, Script(time, AttemptFailed("truncated body"), takes=20.0))
    assert not pacer.host(URL).given_up


async def test_no_budget_when_it_is_zero() -> None:
    time = FakeTime()
    pacer = make_pacer(time, retries=5, host_time_budget=0.0)
    silent = Script(time, AttemptFailed("timed out", answered=False), takes=1000.0)
    with pytest.raises(FetchError, match="timed out"):
        await send(pacer, silent)
    assert silent.calls == 5 and not pacer.host(URL).given_up


async def test_an_attempt_is_cut_where_the_budget_ends() -> None:
    # Real time here: the cut is an asyncio timeout. The request would hang for good.
    pacer = Pacer(
        dataclasses.replace(BASE, host_time_budget=0.05, total_timeout=60.0),
        agent=AGENT,
        sleep=asyncio.sleep,
        clock=monotonic,
        now=lambda: NOW,
        rng=StubRng(),
    )
    hang = asyncio.Event()

    async def request() -> Response:
        await hang.wait()
        return answer(200)

    with pytest.raises(
        FetchError, match=r"no answer from www.vastervik.se in 0.05 s \(timed out\): "
    ):
        await pacer.send(pacer.host(URL), request, gap=0.0, fail=fail)
    assert pacer.host(URL).given_up
