"""Per-host pacing for one run: when a request may go, and whether a failed one goes again.

::

    pacer = Pacer(settings, agent=agent, sleep=sleep, clock=clock, now=now, rng=rng)
    response = await pacer.send(pacer.host(url), send_once, gap=delay, fail=make_error)

One request at a time per host, the gap (``max(gap, Crawl-delay, 1 / Request-rate)``)
measured from the end of one request to the start of the next, and at most
``settings.concurrency`` requests in flight overall. Failed attempts
(``AttemptFailed``, 5xx, 429) are retried up to ``settings.retries`` times
with exponential backoff and full jitter, or after Retry-After; a host whose
fetches failed for good ``settings.host_failure_limit`` times in a row is
given up, and so is a host that has gone ``settings.host_time_budget``
seconds of attempts without answering at all (timeouts, refused or failed
connections) since it last answered: no attempt waits on a silent host beyond
that budget. A host is also given up once ``settings.host_slow_limit`` of its
last ``settings.host_slow_window`` attempts were slow (an answer after
``settings.slow_answer`` seconds or more) or got no answer: good answers in
between do not reset that count, so a host that is slow every other page is
left too. No network here: scraper.fetch hands in the request to send.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import httpx

from scraper.errors import FetchError
from scraper.records import Settings
from scraper.sites import host_and_port

from .robots import RobotsRules

__all__ = [
    "RETRY_STATUSES",
    "AttemptFailed",
    "HostState",
    "Pacer",
    "Response",
    "host_key",
    "retry_after",
    "status_reason",
]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504}) | frozenset(range(505, 600))


class AttemptFailed(Exception):
    """One attempt failed; the retry loop decides what happens next."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool = True,
        host_fault: bool = True,
        answered: bool = True,
        unreachable: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        #: False when the host did nothing wrong; it then does not count toward giving it up.
        self.host_fault = host_fault
        #: False when nothing came back at all (a timeout, a failed connection):
        #: the attempt's time counts against ``settings.host_time_budget``.
        self.answered = answered and unreachable is None
        #: How the connection failed when none was made ("DNS", "connection refused" ...).
        self.unreachable = unreachable


@dataclass(frozen=True)
class Response:
    """One HTTP response as read: header names lower-cased, body decompressed."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (lower-case), None when absent."""
        return next((value for key, value in self.headers if key == name), None)


@dataclass
class HostState:
    """What one host ("host" or "host:port") has done and may do in this run."""

    key: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: RobotsRules | None = None
    #: Clock time the last request to the host ended.
    last_end: float | None = None
    #: No request starts before this clock time (backoff, Retry-After).
    not_before: float = 0.0
    failures: int = 0
    given_up: bool = False
    #: Why the host was given up ("" while it is not).
    given_up_reason: str = ""
    requests: int = 0
    #: Whether any request to the host got an HTTP response in this run.
    answered: bool = False
    #: How the last failed connection to the host failed ("DNS" ...), None when
    #: the last attempt connected.
    unreachable: str | None = None
    #: Seconds of attempts without any answer since the host last answered.
    silent_time: float = 0.0
    #: Clock time the last request to the host started.
    last_start: float = 0.0
    #: For its last attempts (``settings.host_slow_window``): True where the
    #: answer was slow or missing.
    recent: deque[bool] = field(default_factory=deque)

    def give_up(self, reason: str) -> None:
        """Leave the host for the rest of the run, saying why."""
        if not self.given_up:
            self.given_up = True
            self.given_up_reason = reason


def host_key(url: httpx.URL) -> str:
    """The key hosts are paced by: "host", or "host:port" for a non-default port
    ("[::1]:8080" for an IPv6 literal)."""
    return host_and_port(url.host, url.port)


def status_reason(status: int) -> str:
    """The reason phrase of an HTTP status in lower case ("not found")."""
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"HTTP status {status}"


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks for (delta seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class Pacer:
    """Hosts of one run and the turns of their requests.

    :param settings: retries, backoff, Retry-After cap, host failure limit, concurrency.
    :param agent: the User-Agent robots.txt Crawl-delay and Request-rate are read for.
    :param sleep: awaited for every wait (politeness, backoff).
    :param clock: monotonic seconds, for gaps between requests.
    :param now: wall-clock time, for Retry-After dates.
    :param rng: source of the backoff jitter.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        agent: str,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
        now: Callable[[], datetime],
        rng: random.Random,
    ) -> None:
        self.settings = settings
        self.agent = agent
        #: Every host seen, by ``host_key``.
        self.hosts: dict[str, HostState] = {}
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self._rng = rng
        self._slots = asyncio.Semaphore(max(1, settings.concurrency))

    def host(self, url: httpx.URL) -> HostState:
        """The state of the URL's host (created on first use)."""
        key = host_key(url)
        if key not in self.hosts:
            window = deque[bool](maxlen=max(1, self.settings.host_slow_window))
            self.hosts[key] = HostState(key, recent=window)
        return self.hosts[key]

    @property
    def given_up_reason(self) -> str:
        """Why requests to a host given up for its failures are refused."""
        return f"host given up after {self.settings.host_failure_limit} consecutive failures"

    def _silence_reason(self, host: HostState, why: str) -> str:
        return (
            f"no answer from {host.key} in {self.settings.host_time_budget:g} s ({why}): "
            "host given up for this run (host_time_budget)"
        )

    def _note_answer(self, host: HostState, *, answered: bool) -> None:
        """Count an attempt in the host's window; give the host up when too many
        of its last attempts were slow or got no answer (``host_slow_limit``)."""
        took = max(0.0, (host.last_end or 0.0) - host.last_start)
        host.recent.append(not answered or took >= self.settings.slow_answer)
        limit, bad = self.settings.host_slow_limit, sum(host.recent)
        if limit and bad >= limit:
            host.give_up(
                f"{bad} of the last {len(host.recent)} answers from {host.key} were slow "
                f"({self.settings.slow_answer:g} s or more) or missing: host given up for "
                "this run (host_slow_limit)"
            )

    def _note_silence(self, host: HostState, failure: AttemptFailed) -> bool:
        """Count an attempt that got no answer; True when the host's time budget is spent."""
        host.unreachable = failure.unreachable
        host.silent_time += max(0.0, (host.last_end or 0.0) - host.last_start)
        budget = self.settings.host_time_budget
        if budget and host.silent_time >= budget:
            host.give_up(self._silence_reason(host, failure.reason))
            return True
        return False

    async def send(
        self,
        host: HostState,
        request: Callable[[], Awaitable[Response]],
        *,
        gap: float,
        fail: Callable[[str], FetchError],
    ) -> Response:
        """Await ``request`` in the host's turns, retrying faults, and return its response.

        Raises ``fail(reason)`` when it fails for good or the host is given up.
        Any response with a status outside ``RETRY_STATUSES`` is returned.
        """
        attempt = 0
        while True:
            attempt += 1
            wait_for = None
            try:
                response = await self._attempt(host, request, gap=gap, fail=fail)
            except AttemptFailed as exc:
                failure = exc
                self._note_answer(host, answered=exc.answered)
                if not exc.answered and self._note_silence(host, exc):
                    raise fail(host.given_up_reason) from None
            else:
                self._note_answer(host, answered=True)
                host.answered, host.unreachable, host.silent_time = True, None, 0.0
                if response.status not in RETRY_STATUSES:
                    host.failures = 0
                    return response
                failure = AttemptFailed(
                    f"{status_reason(response.status)} after {attempt} "
                    f"attempt{'s' if attempt != 1 else ''}"
                )
                wait_for = retry_after(response.header("retry-after"), self._now())
                if wait_for is not None and wait_for > self.settings.max_retry_after:
                    failure = AttemptFailed(
                        f"Retry-After of {wait_for:g} s exceeds max_retry_after "
                        f"({self.settings.max_retry_after:g} s)",
                        retryable=False,
                    )
            if failure.retryable and attempt < self.settings.retries and not host.given_up:
                wait = wait_for
                if wait is None:
                    ceiling = self.settings.retry_backoff * 2 ** (attempt - 1)
                    wait = self._rng.uniform(0, min(ceiling, self.settings.max_retry_after))
                host.not_before = max(host.not_before, self._clock() + wait)
                continue
            if failure.host_fault:
                host.failures += 1
                if host.failures >= self.settings.host_failure_limit:
                    host.give_up(self.given_up_reason)
            raise fail(failure.reason)

    async def _attempt(
        self,
        host: HostState,
        request: Callable[[], Awaitable[Response]],
        *,
        gap: float,
        fail: Callable[[str], FetchError],
    ) -> Response:
        """Await ``request`` once when the host's turn comes."""
        async with host.lock:
            if host.given_up:
                raise fail(host.given_up_reason)
            ready = host.not_before
            if host.last_end is not None:
                robots_gap = host.robots.min_gap(self.agent) if host.robots else 0.0
                ready = max(ready, host.last_end + max(gap, robots_gap))
            wait = ready - self._clock()
            if wait > 0:
                await self._sleep(wait)
            async with self._slots:
                host.requests += 1
                host.last_start = self._clock()
                left = self._budget_left(host)
                try:
                    async with asyncio.timeout(left):
                        return await request()
                except TimeoutError:
                    # Only the budget's own timeout gets here (a request's own
                    # timeouts come back as AttemptFailed): the budget is spent.
                    host.silent_time = self.settings.host_time_budget
                    raise AttemptFailed("timed out", answered=False) from None
                finally:
                    host.last_end = self._clock()

    def _budget_left(self, host: HostState) -> float | None:
        """Seconds an attempt may wait on the host before its time budget is spent.

        None (no limit of its own) while the request's own total timeout comes first.
        """
        budget = self.settings.host_time_budget
        if not budget:
            return None
        left = max(0.0, budget - host.silent_time)
        return left if left < self.settings.total_timeout else None
