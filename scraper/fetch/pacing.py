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
given up. No network here: scraper.fetch hands in the request to send.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import httpx

from scraper.errors import FetchError
from scraper.records import Settings

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

    def __init__(self, reason: str, *, retryable: bool = True, host_fault: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        #: False when the host did nothing wrong; it then does not count toward giving it up.
        self.host_fault = host_fault


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
    requests: int = 0


def host_key(url: httpx.URL) -> str:
    """The key hosts are paced by: "host", or "host:port" for a non-default port."""
    return url.host if url.port is None else f"{url.host}:{url.port}"


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
            self.hosts[key] = HostState(key)
        return self.hosts[key]

    @property
    def given_up_reason(self) -> str:
        """Why requests to a given-up host are refused."""
        return f"host given up after {self.settings.host_failure_limit} consecutive failures"

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
            else:
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
                    host.given_up = True
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
                raise fail(self.given_up_reason)
            ready = host.not_before
            if host.last_end is not None:
                robots_gap = host.robots.min_gap(self.agent) if host.robots else 0.0
                ready = max(ready, host.last_end + max(gap, robots_gap))
            wait = ready - self._clock()
            if wait > 0:
                await self._sleep(wait)
            async with self._slots:
                host.requests += 1
                try:
                    return await request()
                finally:
                    host.last_end = self._clock()
