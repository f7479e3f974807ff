"""Fetch pages politely and survive what the sites do: the only module on the network.

::

    async with Fetcher(config.settings, on_request=log) as fetcher:
        page = await fetcher.fetch(url, delay=source.delay, etag=etag, site=source.url)

robots.txt is fetched once per host per Fetcher (it counts as a request to
the host) and honoured; scraper.fetch.robots says what each answer means. Requests
are paced and retried per host by scraper.fetch.pacing: one at a time per host,
``max(delay, Crawl-delay)`` apart, at most ``settings.concurrency`` in flight,
retries with backoff or after Retry-After, a failing host given up for the run.
Every attempt has connect / read timeouts (httpx) and a total timeout
(``asyncio.timeout``). Cookies are kept per host for the run (Sitevision load
balancers answer 307 forever to a client without them). Redirects are followed
by hand (robots and pacing apply to each hop) and must stay on the site
(registrable domain and port, scraper.sites); a site on a public address may
not redirect into loopback, private or link-local ones. Bodies are streamed
and decompressed (scraper.fetch.inflate), capped at ``settings.max_bytes``
after decompression, and decoded to text without mojibake (scraper.fetch.charset).
"""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx

from scraper.errors import FetchError, RobotsDisallowed
from scraper.records import Page, Settings
from scraper.sites import (
    is_internal_host,
    parse_origin,
    registrable_domain,
    site_key,
    url_host,
)
from scraper.timestamps import format_timestamp

from .charset import Decoded, decode_body, is_text_type
from .failures import connection_failure, describe
from .inflate import BodyError, read_body
from .pacing import AttemptFailed, Pacer, Response, host_key, status_reason
from .robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    RobotsRules,
    RobotsTxt,
    is_definite,
    robots_text,
)
from .useragent import CONTACT_URL, user_agent

# Some names live in scraper.fetch.charset, scraper.fetch.robots and scraper.fetch.useragent now;
# they stay importable from here, where callers found them first.
__all__ = [
    "CONTACT_URL",
    "Decoded",
    "Fetcher",
    "RequestRecord",
    "RobotsTxt",
    "decode_body",
    "is_text_type",
    "registrable_domain",
    "user_agent",
]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class RequestRecord:
    """One fetch (one ``fetch()`` call or robots.txt fetch) as the run log keeps it."""

    #: The URL asked for.
    url: str
    #: "robots" for robots.txt, else what the caller passed ("page", "listing" ...).
    purpose: str
    #: The ``site`` the caller passed, if any.
    site: str | None
    #: The last URL requested (after redirects).
    final_url: str
    #: The last HTTP status received, None when no response came.
    status: int | None
    #: Body bytes received for the final response (after decompression).
    size: int
    #: Seconds from the call to its end, waits and retries included.
    elapsed: float
    #: HTTP requests sent (retries and redirect hops included); 0 when refused
    #: before sending (robots.txt, host given up).
    attempts: int
    #: Why the fetch failed for good, None on success (a 304 is a success).
    error: str | None = None


@dataclass
class _Job:
    """One fetch in progress: what it asks for and what it has done so far."""

    #: The URL asked for (FetchError.url), and the one requested last.
    url: str
    final_url: str
    headers: dict[str, str]
    gap: float
    site: str | None
    #: False for robots.txt itself, which is also read only up to ROBOTS_MAX_BYTES.
    check_robots: bool
    limit: int
    max_hops: int
    #: Redirects may leave the site (a home page whose domain moved).
    off_site: bool = False
    attempts: int = 0
    #: The last HTTP status received.
    status: int | None = None

    def error(
        self, reason: str, *, status: int | None, kind: type[FetchError] = FetchError
    ) -> FetchError:
        where = "" if self.final_url == self.url else f" (at {self.final_url})"
        return kind(reason + where, url=self.url, status=status, attempts=self.attempts)


class Fetcher:
    """Polite, fault-tolerant HTTP fetching for one run; use as ``async with``.

    :param settings: timeouts, retries, delays and limits.
    :param transport: an httpx transport (``httpx.MockTransport`` in tests).
    :param sleep: awaited for every wait (politeness, backoff); inject a fake in tests.
    :param clock: monotonic seconds, for gaps between requests.
    :param now: wall-clock time, for ``Page.fetched_at`` and Retry-After dates.
    :param rng: source of the backoff jitter.
    :param on_request: called with a ``RequestRecord`` after every fetch and robots.txt fetch.
    :param robots: robots.txt answers kept from an earlier run (``robots_fetched``):
        their hosts' robots.txt is not requested again.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        on_request: Callable[[RequestRecord], None] | None = None,
        robots: Iterable[RobotsTxt] = (),
    ) -> None:
        self.settings = settings
        self.user_agent = user_agent(settings)
        #: HTTP requests sent, robots.txt, retries and redirect hops included.
        self.requests_sent = 0
        self._clock = clock
        self._now = now
        self._on_request = on_request
        self._pacer = Pacer(
            settings,
            agent=self.user_agent,
            sleep=sleep,
            clock=clock,
            now=now,
            rng=rng or random.Random(),
        )
        self._robots_fetched: list[RobotsTxt] = []
        for known in robots:
            host = self._pacer.host(self._parse(known.url))
            host.robots = RobotsRules.answered(known.status, known.text)
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.total_timeout,
            ),
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "sv,en;q=0.5",
                # Only what Inflater decodes under the size cap.
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    # -- counters for the run log and the benchmark

    @property
    def requests_by_host(self) -> dict[str, int]:
        """HTTP requests sent per host ("host" or "host:port"), robots.txt included."""
        return {key: host.requests for key, host in self._pacer.hosts.items()}

    @property
    def host_failures(self) -> dict[str, int]:
        """Consecutive failed fetches per host (0 again after any answer that is no fault)."""
        return {key: host.failures for key, host in self._pacer.hosts.items()}

    @property
    def robots_fetched(self) -> tuple[RobotsTxt, ...]:
        """Definite robots.txt answers fetched by this Fetcher, to keep for the next runs."""
        return tuple(self._robots_fetched)

    @property
    def unreachable_hosts(self) -> dict[str, str]:
        """Hosts asked in this run that never answered because no connection could
        be made, with how it failed ("DNS", "connection refused", "connect timeout" ...)."""
        return {
            key: host.unreachable
            for key, host in self._pacer.hosts.items()
            if host.requests and not host.answered and host.unreachable
        }

    @property
    def given_up_hosts(self) -> frozenset[str]:
        """Hosts given up for the rest of this Fetcher."""
        return frozenset(key for key, host in self._pacer.hosts.items() if host.given_up)

    # -- public API

    async def fetch(
        self,
        url: str,
        *,
        delay: float | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        site: str | None = None,
        purpose: str = "page",
        off_site: bool = False,
        limit: int | None = None,
    ) -> Page:
        """Fetch ``url`` and return the final response (after redirects) as a ``Page``.

        A 304 (when ``etag`` / ``last_modified`` are given) is a ``Page`` with
        status 304 and no body. Raises ``RobotsDisallowed`` when robots.txt
        forbids a URL on the way, and ``FetchError`` for everything else that
        failed for good: ``.status`` is the last HTTP status received (4xx
        other than 429 are never retried: 404 and 410 mean removed),
        ``.attempts`` the requests sent, ``.reason`` the why.

        :param delay: seconds between requests to the host (default ``settings.delay``).
        :param etag: sent as If-None-Match.
        :param last_modified: sent as If-Modified-Since.
        :param site: URL or host of the source's site: redirects may go to its
            site or to the one of ``url`` (registrable domain and port), nowhere
            else; unless it is on a loopback, private or link-local address
            itself, no hop may go to one.
        :param purpose: passed through to the ``RequestRecord``.
        :param off_site: let redirects go to any site (robots.txt still asked on
            every host): for a home page whose municipality changed domain.
        :param limit: body cap in bytes for this fetch (default ``settings.max_bytes``):
            an archived image or attachment has caps of its own.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        job = _Job(
            url=url,
            final_url=url,
            headers=headers,
            gap=self.settings.delay if delay is None else delay,
            site=site,
            check_robots=True,
            limit=self.settings.max_bytes if limit is None else limit,
            max_hops=self.settings.max_redirects,
            off_site=off_site,
        )
        started = self._clock()
        try:
            response = await self._follow(job)
            if response.status != 304 and not 200 <= response.status < 300:
                raise job.error(status_reason(response.status), status=response.status)
        except FetchError as exc:
            exc.attempts = job.attempts
            exc.elapsed = self._clock() - started
            self._record(job, purpose, size=0, elapsed=exc.elapsed, error=exc.reason)
            raise
        elapsed = self._clock() - started
        self._record(job, purpose, size=len(response.content), elapsed=elapsed, error=None)
        content_type = response.header("content-type") or ""
        if response.status == 304 or not is_text_type(content_type):
            decoded = Decoded("", "", "")
        else:
            decoded = decode_body(response.content, content_type=content_type)
        return Page(
            url=url,
            final_url=response.url,
            status=response.status,
            headers=response.headers,
            content=response.content,
            text=decoded.text,
            encoding=decoded.encoding,
            encoding_source=decoded.source,
            fetched_at=self._timestamp(),
            elapsed=elapsed,
            attempts=job.attempts,
        )

    async def allowed(self, url: str) -> bool:
        """True when robots.txt of the URL's host lets us fetch it (fetched once per host)."""
        target = self._parse(url)
        robots = await self._robots(target, gap=self.settings.delay, site=None)
        return robots.can_fetch(str(target), self.user_agent)

    # -- internals

    def _parse(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}", url=url, attempts=0) from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchError("not an http(s) URL", url=url, attempts=0)
        if parse_origin(str(parsed)) is None:  # a port beyond 65535 ...
            raise FetchError("invalid URL: bad host or port", url=url, attempts=0)
        return parsed.copy_with(fragment=None)

    def _record(
        self, job: _Job, purpose: str, *, size: int, elapsed: float, error: str | None
    ) -> None:
        if self._on_request is None:
            return
        self._on_request(
            RequestRecord(
                url=job.url,
                purpose=purpose,
                site=job.site,
                final_url=job.final_url,
                status=job.status,
                size=size,
                elapsed=elapsed,
                attempts=job.attempts,
                error=error,
            )
        )

    async def _robots(self, url: httpx.URL, *, gap: float, site: str | None) -> RobotsRules:
        host = self._pacer.host(url)
        if host.robots is None:
            async with host.robots_lock:
                if host.robots is None:
                    host.robots = await self._fetch_robots(url, gap=gap, site=site)
        return host.robots

    async def _fetch_robots(self, url: httpx.URL, *, gap: float, site: str | None) -> RobotsRules:
        robots_url = str(url.copy_with(path="/robots.txt", query=None))
        job = _Job(
            url=robots_url,
            final_url=robots_url,
            headers={},
            gap=gap,
            site=site,
            check_robots=False,
            limit=min(self.settings.max_bytes, ROBOTS_MAX_BYTES),
            max_hops=ROBOTS_MAX_REDIRECTS,
        )
        started = self._clock()
        try:
            response = await self._follow(job)
        except FetchError as exc:
            self._record(job, "robots", size=0, elapsed=self._clock() - started, error=exc.reason)
            if exc.status is not None and is_definite(exc.status):
                return self._robots_answered(robots_url, exc.status, "")
            if self._pacer.host(url).unreachable:
                # No connection at all: a network fault, not a robots.txt problem.
                return RobotsRules.no_connection(exc.reason)
            return RobotsRules.unreachable(exc.reason)
        elapsed = self._clock() - started
        self._record(job, "robots", size=len(response.content), elapsed=elapsed, error=None)
        return self._robots_answered(
            robots_url, response.status, robots_text(response.content, limit=job.limit)
        )

    def _robots_answered(self, url: str, status: int, text: str) -> RobotsRules:
        text = text if 200 <= status < 300 else ""
        self._robots_fetched.append(RobotsTxt(url, status, text, self._timestamp()))
        return RobotsRules.answered(status, text)

    def _timestamp(self) -> str:
        return format_timestamp(self._now())

    async def _follow(self, job: _Job) -> Response:
        """Request ``job.url``, follow redirects within the site; return the final response."""
        current = self._parse(job.url)
        # A site is its registrable domain and port (http -> https on the default
        # ports stays on it); redirects may not leave it.
        site = job.site if not job.site or "//" in job.site else f"http://{job.site}"
        sites = {site_key(str(current)), site_key(site or "")} - {None}
        # A public site may not send us into the machine's own network.
        internal = is_internal_host(url_host(site) if site else current.host)
        seen: set[tuple[str, str | None]] = set()
        while True:
            job.final_url = str(current)
            if not internal and is_internal_host(current.host):
                reason = f"refused: {current.host} is not a public address (the site is)"
                raise job.error(reason, status=job.status)
            host = self._pacer.host(current)
            if host.given_up:
                raise job.error(host.given_up_reason, status=job.status)
            if job.check_robots:
                rules = await self._robots(current, gap=job.gap, site=job.site)
                if host.given_up:  # asking for robots.txt used up the host
                    raise job.error(host.given_up_reason, status=job.status)
                if not rules.can_fetch(str(current), self.user_agent):
                    kind = FetchError if rules.unavailable else RobotsDisallowed
                    raise job.error(rules.reason, status=job.status, kind=kind)
                asked = rules.min_gap(self.user_agent)
                if asked > self.settings.max_crawl_delay:
                    # Honoured, a Crawl-delay of hours would stall the whole run on
                    # one host; skipping it is the polite answer.
                    raise job.error(
                        f"robots.txt asks for {asked:g} s between requests, more than "
                        f"max_crawl_delay ({self.settings.max_crawl_delay:g} s): host "
                        "skipped for this run",
                        status=job.status,
                        kind=RobotsDisallowed,
                    )
            # A URL asked again with the same cookies is a loop; with a new
            # cookie it is the Sitevision load-balancer dance (307 to itself).
            cookie = self._client.build_request("GET", current).headers.get("cookie")
            if (str(current), cookie) in seen:
                raise job.error("redirect loop", status=job.status)
            seen.add((str(current), cookie))
            response = await self._pacer.send(
                host,
                functools.partial(self._request, current, job),
                gap=job.gap,
                fail=lambda reason: job.error(reason, status=job.status),
            )
            if response.status not in _REDIRECTS:
                return response
            location = response.header("location")
            if not location:
                raise job.error("redirect without Location", status=response.status)
            try:
                target = self._parse(str(current.join(location.strip())))
            except FetchError as exc:
                raise job.error(f"bad redirect ({exc.reason})", status=response.status) from exc
            if site_key(str(target)) not in sites and not job.off_site:
                raise job.error(f"redirected off-site to {target}", status=response.status)
            if len(seen) > job.max_hops:
                raise job.error(f"more than {job.max_hops} redirects", status=response.status)
            current = target

    async def _request(self, url: httpx.URL, job: _Job) -> Response:
        """Send one request and read its response (``Pacer.send`` decides when)."""
        self.requests_sent += 1
        job.attempts += 1
        try:
            response = await self._exchange(url, job)
        except AttemptFailed:
            job.status = None
            raise
        job.status = response.status
        return response

    async def _exchange(self, url: httpx.URL, job: _Job) -> Response:
        total = self.settings.total_timeout
        # Validators belong to the URL asked for: sent to a redirect target, they
        # would make an older page there answer 304 for a release that is gone.
        headers = job.headers if str(url) == job.url else {}
        request = self._client.build_request("GET", url, headers=headers)
        try:
            async with asyncio.timeout(total):
                response = await self._client.send(request, stream=True)
                try:
                    content = await read_body(response, limit=job.limit, cut=not job.check_robots)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise AttemptFailed(f"timed out after {total:g} s (total)") from exc
        except httpx.TimeoutException as exc:
            kind = type(exc).__name__.removesuffix("Timeout").lower()
            unreachable = "connect timeout" if isinstance(exc, httpx.ConnectTimeout) else None
            raise AttemptFailed(
                f"timed out ({kind})", answered=False, unreachable=unreachable
            ) from exc
        except httpx.TransportError as exc:
            message = describe(exc)
            if message.startswith("Invalid URL in location header"):
                # httpx reads Location even when it does not follow redirects.
                raise AttemptFailed(
                    f"bad redirect ({message.removesuffix('.')})", retryable=False, host_fault=False
                ) from exc
            if "message body" in message:  # h11: fewer bytes than Content-Length / chunks
                raise AttemptFailed(f"truncated body: {message}") from exc
            failed = connection_failure(exc, host_key(url))
            if failed is not None:
                raise failed from exc
            raise AttemptFailed(f"connection error: {message}", answered=False) from exc
        except BodyError as exc:  # inflate's own error: the body as sent cannot be read
            raise AttemptFailed(
                exc.reason, retryable=exc.retryable, host_fault=exc.host_fault
            ) from exc
        headers = tuple((key.lower(), value) for key, value in response.headers.multi_items())
        return Response(str(url), response.status_code, headers, content)
