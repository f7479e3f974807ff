"""Fetch pages politely and survive what the sites do: the only module on the network.

::

    async with Fetcher(config.settings, on_request=log) as fetcher:
        page = await fetcher.fetch(url, delay=source.delay, etag=etag, site=source.url)

Politeness
    robots.txt is fetched once per host per Fetcher (it counts as a request to
    the host) and honoured, Crawl-delay and Request-rate included: the gap
    between two requests to a host is ``max(delay, crawl-delay)``, measured
    from the end of one request to the start of the next. One request at a
    time per host; hosts run concurrently (at most ``settings.concurrency``
    requests in flight overall). Cookies are kept per host for the run
    (Sitevision load balancers answer 307 forever to a client without them).
    robots.txt convention (as Google documents it): 2xx is parsed; 3xx
    gone wrong (loop, off-site) and 4xx mean "no robots.txt": everything is
    allowed; 429, 5xx, timeouts and connection errors (after retries) mean the
    host is treated as fully disallowed for the rest of this run (its fetches
    raise FetchError "robots.txt unavailable ...", not RobotsDisallowed: the
    host is at fault, not a rule).

Faults
    Every attempt has connect / read timeouts (httpx) and a total timeout
    (``asyncio.timeout``). Connection errors, timeouts, truncated bodies, 5xx
    and 429 are retried up to ``settings.retries`` attempts with exponential
    backoff and full jitter, or after Retry-After (seconds or HTTP date); a
    Retry-After above ``settings.max_retry_after`` fails the request at once.
    After ``settings.host_failure_limit`` consecutive fetches that failed for
    good, a host is given up for the rest of this Fetcher. Redirects are
    followed by hand (robots and the host lock apply to each hop) and must
    stay on the site's registrable domain. Bodies are streamed and
    decompressed here, capped at ``settings.max_bytes`` after decompression.

Decoding
    See ``decode_body``: BOM, then the Content-Type charset, then <meta> or
    the XML declaration, then detection; a declaration the bytes contradict
    is ignored, so that no page comes out as mojibake.
"""

from __future__ import annotations

import asyncio
import codecs
import ipaddress
import random
import re
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from importlib import metadata
from types import TracebackType

import httpx
from charset_normalizer import from_bytes
from protego import Protego

from .errors import FetchError, RobotsDisallowed
from .records import Page, Settings

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

#: Where a site owner can read who we are; used unless the package metadata
#: names a Homepage. Replace with the project's real page before running.
CONTACT_URL = "https://example.org/scraper"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504}) | frozenset(range(505, 600))
#: Google reads the first 500 KiB of a robots.txt and ignores the rest.
_ROBOTS_MAX_BYTES = 512 * 1024
_ROBOTS_MAX_REDIRECTS = 5
#: Legacy encodings charset-normalizer may choose between. Unrestricted, it
#: picks cp1250, mac_roman or EBCDIC for short Swedish windows-1252 text.
_LEGACY_CANDIDATES = ["cp1252", "iso8859_15"]
_META_SCAN = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:+-]+)""", re.I)
_TEXT_APPLICATION_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/json",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
    }
)


# --------------------------------------------------------------------------
# Records and small pure helpers


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


@dataclass(frozen=True)
class Decoded:
    """A body decoded to text, with the charset used and where it came from."""

    text: str
    encoding: str
    #: "header", "meta", "detected" or "default".
    source: str


@dataclass(frozen=True)
class RobotsTxt:
    """A definite robots.txt answer, to keep between runs (the caller decides how long).

    A 2xx carries the file; a 3xx/4xx answer ("no robots.txt": all allowed)
    has ``text`` "". Unreachable hosts and 5xx are never definite.
    """

    #: ``scheme://host[:port]/robots.txt`` as requested.
    url: str
    status: int
    text: str
    #: ISO 8601 UTC time it was fetched.
    fetched_at: str


def user_agent(settings: Settings) -> str:
    """Return ``settings.user_agent`` or, when empty, ``scraper/<version> (+<contact>)``."""
    if settings.user_agent:
        return settings.user_agent
    try:
        version = metadata.version("scraper")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"scraper/{version} (+{_contact_url()})"


def _contact_url() -> str:
    try:
        urls = metadata.metadata("scraper").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip()
    return CONTACT_URL


def registrable_domain(url_or_host: str) -> str:
    """Return the registrable domain ("vastervik.se") of a URL or host name.

    Approximation without the public suffix list: the last two labels, three
    under a known two-level suffix ("x.co.uk"). IP addresses and single-label
    hosts come back whole.
    """
    value = url_or_host if "//" in url_or_host else f"http://{url_or_host}"
    host = httpx.URL(value).host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "gov", "ac"} else 2
    return ".".join(labels[-keep:])


def is_text_type(content_type: str) -> bool:
    """True when a media type (parameters allowed, "" for absent) carries text."""
    media = content_type.split(";", 1)[0].strip().lower()
    return (
        media == ""
        or media.startswith("text/")
        or media in _TEXT_APPLICATION_TYPES
        or media.endswith(("+xml", "+json"))
    )


def decode_body(content: bytes, *, content_type: str = "") -> Decoded:
    """Decode a body to text; never mojibake.

    Order: a BOM ("detected"); the charset of ``content_type`` ("header");
    <meta charset>, <meta http-equiv> or the XML declaration in the first
    4 KB ("meta"); valid UTF-8, else charset-normalizer among windows-1252 /
    ISO-8859-15 ("detected"); else ("default") UTF-8 with replacement for a
    body that is mostly UTF-8 and windows-1252 for one that is not.

    A declared charset the bytes contradict is skipped: "utf-8" on a body that
    is not valid UTF-8, a legacy charset on a body that is valid non-ASCII
    UTF-8. ISO-8859-1 and ASCII are read as windows-1252, as browsers do.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if content.startswith(bom):
            return Decoded(content[len(bom) :].decode(encoding, "replace"), encoding, "detected")
    declared = [(_header_charset(content_type), "header"), (_meta_charset(content), "meta")]
    for encoding, source in declared:
        if encoding and _fits(content, encoding):
            return Decoded(content.decode(encoding, "replace"), _public_name(encoding), source)
    as_utf8 = content.decode("utf-8", "replace")
    broken = as_utf8.count("\ufffd")
    if not broken:
        return Decoded(as_utf8, "utf-8", "default" if content.isascii() else "detected")
    non_ascii = len(as_utf8) - len(as_utf8.encode("ascii", "ignore"))
    if non_ascii - broken > broken:
        # Mostly UTF-8 with a few broken bytes: keep the UTF-8, replace the rest.
        return Decoded(as_utf8, "utf-8", "default")
    best = from_bytes(content, cp_isolation=_LEGACY_CANDIDATES).best()
    if best is not None:
        encoding = codecs.lookup(best.encoding).name
        return Decoded(content.decode(encoding, "replace"), _public_name(encoding), "detected")
    # Too short or odd for detection, and not UTF-8: the legacy charset of
    # Swedish sites, which decodes every byte.
    return Decoded(content.decode("cp1252", "replace"), "windows-1252", "default")


def _canonical_charset(label: str) -> str | None:
    label = label.strip().strip("\"'").strip().lower()
    try:
        name = codecs.lookup(label).name
        b"a".decode(name)  # refuses bytes-to-bytes codecs such as base64
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in {"iso8859-1", "ascii"} else name


def _public_name(codec: str) -> str:
    return codec.replace("cp125", "windows-125") if codec.startswith("cp125") else codec


def _header_charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return _canonical_charset(value)
    return None


def _meta_charset(content: bytes) -> str | None:
    head = content[:_META_SCAN]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = _canonical_charset(match.group(1).decode("ascii", "replace"))
    # A meta tag we could read as ASCII cannot be UTF-16 (WHATWG: use UTF-8).
    return "utf-8" if name and name.startswith(("utf-16", "utf-32")) else name


def _fits(content: bytes, encoding: str) -> bool:
    """False when the bytes show that the declared ``encoding`` is wrong."""
    if encoding == "utf-8":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if not encoding.startswith("utf") and not content.isascii():
        try:
            content.decode("utf-8")
            return False  # legacy charset declared, but the body is UTF-8
        except UnicodeDecodeError:
            pass
    if encoding == "cp1252":
        return True  # browsers map the 5 undefined bytes; "replace" does too
    try:
        content.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks for (delta seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _describe(exc: BaseException) -> str:
    """The first non-empty message down the exception chain (httpx often has none)."""
    link: BaseException | None = exc
    while link is not None:
        if str(link):
            return str(link)
        link = link.__cause__ or link.__context__
    return type(exc).__name__


def _host_key(url: httpx.URL) -> str:
    return url.host if url.port is None else f"{url.host}:{url.port}"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"HTTP status {status}"


# --------------------------------------------------------------------------
# Body reading


class _Failure(Exception):
    """One attempt failed; the retry loop decides what happens next."""

    def __init__(self, reason: str, *, retryable: bool = True, host_fault: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.host_fault = host_fault


class _Inflater:
    """Content-Encoding decoder that never produces more than it is asked for."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._fed = False
        self._produced = False
        if coding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._obj = zlib.decompressobj()
        elif coding in ("", "identity"):
            self._obj = None
        else:
            raise _Failure(f"unsupported Content-Encoding {coding!r}", retryable=False)

    def feed(self, data: bytes, max_length: int) -> bytes:
        """Return at most ``max_length`` bytes decoded from ``data``."""
        if self._obj is None:
            return data
        self._fed = self._fed or bool(data)
        try:
            out = self._obj.decompress(data, max_length)
        except zlib.error as exc:
            if self.coding == "deflate" and not self._produced:
                # Some servers send raw deflate without the zlib header.
                self.coding = "raw deflate"
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, max_length)
            raise _Failure(f"undecodable {self.coding} body: {exc}", retryable=False) from exc
        self._produced = self._produced or bool(out)
        return out

    def finish(self) -> None:
        if self._obj is not None and self._fed and not self._obj.eof:
            raise _Failure(f"truncated body (incomplete {self.coding} stream)")


async def _read_body(response: httpx.Response, *, limit: int, cut: bool) -> bytes:
    """Stream the body, decompressing it, up to ``limit`` bytes.

    Over the limit: a non-retryable failure, or (``cut``) the first ``limit`` bytes.
    """
    declared = response.headers.get("content-length", "")
    if not cut and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, f" (Content-Length {declared})")
    if response.is_stream_consumed:
        # Transports may hand over a response already read and decoded
        # (httpx.MockTransport does): only the cap is left to apply.
        return _cap(response.content, limit=limit, cut=cut)
    inflater = _Inflater(response.headers.get("content-encoding", "").strip().lower())
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        # Asking for one byte more than fits: getting it all means "too large",
        # and short of that zlib has consumed the whole chunk.
        out = inflater.feed(chunk, limit - size + 1)
        parts.append(out)
        size += len(out)
        if size > limit:
            return _cap(b"".join(parts), limit=limit, cut=cut)
    inflater.finish()
    return b"".join(parts)


def _cap(content: bytes, *, limit: int, cut: bool) -> bytes:
    if len(content) <= limit:
        return content
    if cut:
        return content[:limit]
    raise _too_large(limit)


def _too_large(limit: int, detail: str = "") -> _Failure:
    return _Failure(f"body larger than {limit} bytes{detail}", retryable=False, host_fault=False)


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)


# --------------------------------------------------------------------------
# The fetcher


@dataclass(frozen=True)
class _Robots:
    parser: Protego | None
    #: True: everything allowed (no usable robots.txt); False with no parser: nothing.
    allow_all: bool
    reason: str = ""
    #: robots.txt could not be fetched: a fault of the host, not a rule.
    unavailable: bool = False

    @classmethod
    def answered(cls, status: int, text: str) -> _Robots:
        if 200 <= status < 300:
            return cls(Protego.parse(text), allow_all=True, reason="disallowed by robots.txt")
        return cls(None, allow_all=True)

    def can_fetch(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(url, agent)

    def min_gap(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        gap = float(self.parser.crawl_delay(agent) or 0.0)
        rate = self.parser.request_rate(agent)
        if rate and rate.requests:
            gap = max(gap, rate.seconds / rate.requests)
        return gap


@dataclass
class _Host:
    key: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots: _Robots | None = None
    #: Clock time the last request to the host ended.
    last_end: float | None = None
    #: No request starts before this clock time (backoff, Retry-After).
    not_before: float = 0.0
    failures: int = 0
    given_up: bool = False
    requests: int = 0


@dataclass
class _Job:
    """One fetch in progress: what it asks for and what it has done so far."""

    #: The URL asked for (FetchError.url), and the one requested last.
    url: str
    final_url: str
    headers: dict[str, str]
    gap: float
    site: str | None
    #: False for robots.txt itself, which is also read only up to _ROBOTS_MAX_BYTES.
    check_robots: bool
    limit: int
    max_hops: int
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
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self._rng = rng or random.Random()
        self._on_request = on_request
        self._hosts: dict[str, _Host] = {}
        self._robots_fetched: list[RobotsTxt] = []
        for known in robots:
            self._host(self._parse(known.url)).robots = _Robots.answered(known.status, known.text)
        self._slots = asyncio.Semaphore(max(1, settings.concurrency))
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
                # Only what _Inflater decodes under the size cap.
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
        return {key: host.requests for key, host in self._hosts.items()}

    @property
    def host_failures(self) -> dict[str, int]:
        """Consecutive failed fetches per host (0 again after any answer that is no fault)."""
        return {key: host.failures for key, host in self._hosts.items()}

    @property
    def robots_fetched(self) -> tuple[RobotsTxt, ...]:
        """Definite robots.txt answers fetched by this Fetcher, to keep for the next runs."""
        return tuple(self._robots_fetched)

    @property
    def given_up_hosts(self) -> frozenset[str]:
        """Hosts given up for the rest of this Fetcher."""
        return frozenset(key for key, host in self._hosts.items() if host.given_up)

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
            registrable domain or to the one of ``url``, nowhere else.
        :param purpose: passed through to the ``RequestRecord``.
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
            limit=self.settings.max_bytes,
            max_hops=self.settings.max_redirects,
        )
        started = self._clock()
        try:
            response = await self._follow(job)
            if response.status != 304 and not 200 <= response.status < 300:
                raise job.error(_reason(response.status), status=response.status)
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
        return parsed.copy_with(fragment=None)

    def _host(self, url: httpx.URL) -> _Host:
        key = _host_key(url)
        if key not in self._hosts:
            self._hosts[key] = _Host(key)
        return self._hosts[key]

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

    async def _robots(self, url: httpx.URL, *, gap: float, site: str | None) -> _Robots:
        host = self._host(url)
        if host.robots is None:
            async with host.robots_lock:
                if host.robots is None:
                    host.robots = await self._fetch_robots(url, gap=gap, site=site)
        return host.robots

    async def _fetch_robots(self, url: httpx.URL, *, gap: float, site: str | None) -> _Robots:
        robots_url = str(url.copy_with(path="/robots.txt", query=None))
        job = _Job(
            url=robots_url,
            final_url=robots_url,
            headers={},
            gap=gap,
            site=site,
            check_robots=False,
            limit=min(self.settings.max_bytes, _ROBOTS_MAX_BYTES),
            max_hops=_ROBOTS_MAX_REDIRECTS,
        )
        started = self._clock()
        try:
            response = await self._follow(job)
        except FetchError as exc:
            self._record(job, "robots", size=0, elapsed=self._clock() - started, error=exc.reason)
            if exc.status is not None and 300 <= exc.status < 500 and exc.status != 429:
                return self._robots_answered(robots_url, exc.status, "")
            reason = f"robots.txt unavailable ({exc.reason}): host disallowed for this run"
            return _Robots(None, allow_all=False, reason=reason, unavailable=True)
        elapsed = self._clock() - started
        self._record(job, "robots", size=len(response.content), elapsed=elapsed, error=None)
        return self._robots_answered(
            robots_url, response.status, response.content.decode("utf-8", "replace")
        )

    def _robots_answered(self, url: str, status: int, text: str) -> _Robots:
        text = text if 200 <= status < 300 else ""
        self._robots_fetched.append(RobotsTxt(url, status, text, self._timestamp()))
        return _Robots.answered(status, text)

    def _timestamp(self) -> str:
        return self._now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    async def _follow(self, job: _Job) -> _Response:
        """Request ``job.url``, follow redirects within the site; return the final response."""
        current = self._parse(job.url)
        domains = {registrable_domain(current.host)}
        if job.site:
            domains.add(registrable_domain(job.site))
        seen: set[tuple[str, str | None]] = set()
        while True:
            job.final_url = str(current)
            host = self._host(current)
            if host.given_up:
                raise job.error(self._given_up_reason(), status=job.status)
            if job.check_robots:
                rules = await self._robots(current, gap=job.gap, site=job.site)
                if not rules.can_fetch(str(current), self.user_agent):
                    kind = FetchError if rules.unavailable else RobotsDisallowed
                    raise job.error(rules.reason, status=job.status, kind=kind)
            # A URL asked again with the same cookies is a loop; with a new
            # cookie it is the Sitevision load-balancer dance (307 to itself).
            cookie = self._client.build_request("GET", current).headers.get("cookie")
            if (str(current), cookie) in seen:
                raise job.error("redirect loop", status=job.status)
            seen.add((str(current), cookie))
            response = await self._retrying(host, current, job)
            if response.status not in _REDIRECTS:
                return response
            location = response.header("location")
            if not location:
                raise job.error("redirect without Location", status=response.status)
            try:
                target = self._parse(str(current.join(location.strip())))
            except FetchError as exc:
                raise job.error(f"bad redirect ({exc.reason})", status=response.status) from exc
            if registrable_domain(target.host) not in domains:
                raise job.error(f"redirected off-site to {target}", status=response.status)
            if len(seen) > job.max_hops:
                raise job.error(f"more than {job.max_hops} redirects", status=response.status)
            current = target

    def _given_up_reason(self) -> str:
        return f"host given up after {self.settings.host_failure_limit} consecutive failures"

    async def _retrying(self, host: _Host, url: httpx.URL, job: _Job) -> _Response:
        """Send one request, retrying faults; raise FetchError when it fails for good."""
        attempt = 0
        while True:
            attempt += 1
            retry_after = None
            try:
                response = await self._attempt(host, url, job)
            except _Failure as exc:
                job.status = None
                failure = exc
            else:
                job.status = response.status
                if response.status not in _RETRY_STATUSES:
                    host.failures = 0
                    return response
                failure = _Failure(f"{_reason(response.status)} after {attempt} attempts")
                retry_after = _retry_after(response.header("retry-after"), self._now())
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    failure = _Failure(
                        f"Retry-After of {retry_after:g} s exceeds max_retry_after "
                        f"({self.settings.max_retry_after:g} s)",
                        retryable=False,
                    )
            if failure.retryable and attempt < self.settings.retries and not host.given_up:
                wait = retry_after
                if wait is None:
                    ceiling = self.settings.retry_backoff * 2 ** (attempt - 1)
                    wait = self._rng.uniform(0, min(ceiling, self.settings.max_retry_after))
                host.not_before = max(host.not_before, self._clock() + wait)
                continue
            if failure.host_fault:
                host.failures += 1
                if host.failures >= self.settings.host_failure_limit:
                    host.given_up = True
            raise job.error(failure.reason, status=job.status)

    async def _attempt(self, host: _Host, url: httpx.URL, job: _Job) -> _Response:
        """Send one request when the host's turn comes; raise _Failure on a fault."""
        async with host.lock:
            if host.given_up:
                raise job.error(self._given_up_reason(), status=job.status)
            ready = host.not_before
            if host.last_end is not None:
                robots_gap = host.robots.min_gap(self.user_agent) if host.robots else 0.0
                ready = max(ready, host.last_end + max(job.gap, robots_gap))
            wait = ready - self._clock()
            if wait > 0:
                await self._sleep(wait)
            async with self._slots:
                self.requests_sent += 1
                host.requests += 1
                job.attempts += 1
                try:
                    return await self._exchange(url, job)
                finally:
                    host.last_end = self._clock()

    async def _exchange(self, url: httpx.URL, job: _Job) -> _Response:
        total = self.settings.total_timeout
        request = self._client.build_request("GET", url, headers=job.headers)
        try:
            async with asyncio.timeout(total):
                response = await self._client.send(request, stream=True)
                try:
                    content = await _read_body(response, limit=job.limit, cut=not job.check_robots)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise _Failure(f"timed out after {total:g} s (total)") from exc
        except httpx.TimeoutException as exc:
            kind = type(exc).__name__.removesuffix("Timeout").lower()
            raise _Failure(f"timed out ({kind})") from exc
        except httpx.TransportError as exc:
            message = _describe(exc)
            if "message body" in message:  # h11: fewer bytes than Content-Length / chunks
                raise _Failure(f"truncated body: {message}") from exc
            raise _Failure(f"connection error: {message}") from exc
        headers = tuple((key.lower(), value) for key, value in response.headers.multi_items())
        return _Response(str(url), response.status_code, headers, content)
