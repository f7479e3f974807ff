"""A fault-injecting HTTP server on 127.0.0.1 for tests: each path gets a behaviour.

::

    with FaultServer() as server:
        server.route("/robots.txt", Robots("User-agent: *\\nCrawl-delay: 2\\n"))
        server.route("/flaky", Sequence(Respond(503), Respond(200, "<p>ok</p>")))
        ...  # fetch server.url("/flaky")
        assert server.count("/flaky") == 2
        assert server.max_in_flight == 1

Every server is its own host (port 0: the kernel picks the port, no race).
``server.url(path, host="localhost")`` names the same server under another
host name, which is "another site" to a crawler (off-site redirects).

A behaviour is any ``Callable[[Exchange], None]``; the ones here cover the
faults of issue 4. Paths without a route answer 404 (robots.txt included,
which means "allow all"). The server logs every request (``requests``),
counts them per path (``count``) and counts requests in flight: a request
is in flight from its arrival until its response starts, so that two
requests a client sends one after the other can never look concurrent.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

__all__ = [
    "Behaviour",
    "CookieGate",
    "Conditional",
    "Exchange",
    "FakeTime",
    "FaultServer",
    "Gzip",
    "GzipBomb",
    "Huge",
    "LoggedRequest",
    "Meet",
    "NotFound",
    "Redirect",
    "Reset",
    "Respond",
    "Robots",
    "Sequence",
    "Slow",
    "SlowBody",
    "Truncated",
    "http_date",
]


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server received it."""

    method: str
    path: str
    query: str
    #: Header names lower-cased, in order.
    headers: tuple[tuple[str, str], ...]
    #: 1 for the first request to this path, 2 for the second ...
    number: int
    #: time.monotonic() at arrival.
    arrived: float

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)


class Exchange:
    """One request being answered: what was asked and ways to answer it."""

    def __init__(self, handler: _Handler, request: LoggedRequest) -> None:
        self._handler = handler
        self._server: FaultServer = handler.server.fault_server  # type: ignore[attr-defined]
        self.request = request
        self._started = False

    @property
    def number(self) -> int:
        return self.request.number

    def header(self, name: str) -> str | None:
        return self.request.header(name)

    def wait(self, seconds: float) -> bool:
        """Sleep, waking early when the server stops; False if it is stopping."""
        return not self._server._stopping.wait(seconds)

    def start(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
        """Send the status line and headers (add Content-Length yourself)."""
        self._begin()
        handler = self._handler
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()

    def write(self, data: bytes) -> None:
        self._handler.wfile.write(data)

    def send(
        self,
        status: int,
        body: bytes | str = b"",
        *,
        content_type: str | None = "text/html; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Send a whole response with Content-Length."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        fields = [("Content-Length", str(len(data))), *headers]
        if content_type is not None:
            fields.append(("Content-Type", content_type))
        self.start(status, fields)
        if self.request.method != "HEAD":
            self.write(data)

    def close(self) -> None:
        """Close the connection (FIN) once the handler returns."""
        self._handler.close_connection = True

    def reset(self) -> None:
        """Abort the connection with a TCP RST, sending nothing."""
        self._begin()
        sock = self._handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        self._handler.close_connection = True

    def _begin(self) -> None:
        if not self._started:
            self._started = True
            self._server._left()


Behaviour = Callable[[Exchange], None]


# --------------------------------------------------------------------------
# Behaviours


@dataclass(frozen=True)
class Respond:
    """A fixed response. ``content_type=None`` sends no Content-Type at all."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    def __call__(self, ex: Exchange) -> None:
        ex.send(self.status, self.body, content_type=self.content_type, headers=self.headers)


def Robots(text: str) -> Respond:  # noqa: N802 - reads like the other behaviours
    """A robots.txt."""
    return Respond(200, text, content_type="text/plain; charset=utf-8")


NotFound = Respond(404, "<h1>Not found</h1>")


@dataclass(frozen=True)
class Sequence:
    """The n-th request to the path gets the n-th behaviour; the last one repeats."""

    steps: tuple[Behaviour, ...]

    def __init__(self, *steps: Behaviour) -> None:
        object.__setattr__(self, "steps", steps)

    def __call__(self, ex: Exchange) -> None:
        self.steps[min(ex.number, len(self.steps)) - 1](ex)


@dataclass(frozen=True)
class Redirect:
    status: int = 302
    location: str = "/"
    headers: tuple[tuple[str, str], ...] = ()

    def __call__(self, ex: Exchange) -> None:
        ex.send(
            self.status, content_type=None, headers=[("Location", self.location), *self.headers]
        )


@dataclass(frozen=True)
class Slow:
    """Wait ``seconds`` before answering at all (slow headers), then ``then``."""

    seconds: float
    then: Behaviour = Respond(200, "<p>late</p>")

    def __call__(self, ex: Exchange) -> None:
        if ex.wait(self.seconds):
            self.then(ex)


@dataclass(frozen=True)
class SlowBody:
    """Headers at once, then the body in ``chunks`` pieces ``interval`` seconds apart."""

    body: bytes = b"<p>" + b"x" * 1000 + b"</p>"
    chunks: int = 10
    interval: float = 0.1
    content_type: str = "text/html; charset=utf-8"

    def __call__(self, ex: Exchange) -> None:
        ex.start(
            200, [("Content-Length", str(len(self.body))), ("Content-Type", self.content_type)]
        )
        step = max(1, -(-len(self.body) // self.chunks))
        for start in range(0, len(self.body), step):
            ex.write(self.body[start : start + step])
            if not ex.wait(self.interval):
                return


@dataclass(frozen=True)
class Reset:
    """Connection reset before any response."""

    def __call__(self, ex: Exchange) -> None:
        ex.reset()


@dataclass(frozen=True)
class Truncated:
    """Announce ``declared`` bytes (default: body + 100), send ``body``, close."""

    body: bytes = b"<html><body><p>" + b"cut " * 200
    declared: int | None = None

    def __call__(self, ex: Exchange) -> None:
        declared = self.declared if self.declared is not None else len(self.body) + 100
        ex.start(200, [("Content-Length", str(declared)), ("Content-Type", "text/html")])
        ex.write(self.body)
        ex.close()


@dataclass(frozen=True)
class Gzip:
    """``body`` gzip-encoded (always, whatever Accept-Encoding says)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"

    def __call__(self, ex: Exchange) -> None:
        ex.send(
            200,
            gzip.compress(self.body),
            content_type=self.content_type,
            headers=[("Content-Encoding", "gzip")],
        )


@dataclass(frozen=True)
class GzipBomb:
    """A small gzip body that inflates to ``size`` bytes of "a"."""

    size: int = 100_000_000

    def __post_init__(self) -> None:
        _bomb(self.size)  # compress now, not while the client waits

    def __call__(self, ex: Exchange) -> None:
        data = _bomb(self.size)
        headers = [
            ("Content-Length", str(len(data))),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "gzip"),
        ]
        ex.start(200, headers)
        for start in range(0, len(data), 16384):
            ex.write(data[start : start + 16384])


@functools.cache
def _bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"a" * 1_000_000
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.compress(b"a" * (size % len(block))))
    parts.append(packer.flush())
    return b"".join(parts)


@dataclass(frozen=True)
class Huge:
    """``size`` bytes of HTML-ish filler, streamed; without Content-Length if asked."""

    size: int = 50_000_000
    content_length: bool = True

    def __call__(self, ex: Exchange) -> None:
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if self.content_length:
            headers.append(("Content-Length", str(self.size)))
        else:
            headers.append(("Connection", "close"))
            ex.close()
        ex.start(200, headers)
        chunk = b"<p>filler</p>\n" * 4096
        sent = 0
        while sent < self.size:
            piece = chunk[: self.size - sent]
            ex.write(piece)
            sent += len(piece)


@dataclass(frozen=True)
class Conditional:
    """A page with an ETag and Last-Modified that answers 304 when they match."""

    body: bytes | str
    etag: str = '"v1"'
    last_modified: str = "Wed, 01 Jan 2025 10:00:00 GMT"
    content_type: str = "text/html; charset=utf-8"

    def __call__(self, ex: Exchange) -> None:
        validators = [("ETag", self.etag), ("Last-Modified", self.last_modified)]
        if _not_modified(ex, self.etag, self.last_modified):
            ex.start(304, validators)
            return
        ex.send(200, self.body, content_type=self.content_type, headers=validators)


def _not_modified(ex: Exchange, etag: str, last_modified: str) -> bool:
    if_none_match = ex.header("if-none-match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = ex.header("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class CookieGate:
    """A Sitevision load balancer: 307 to the same URL with a cookie until it comes back."""

    then: Behaviour
    cookie: str = "SiteVisionLTM=abc123"

    def __call__(self, ex: Exchange) -> None:
        if self.cookie in (ex.header("cookie") or ""):
            self.then(ex)
            return
        target = ex.request.path + (f"?{ex.request.query}" if ex.request.query else "")
        ex.send(
            307,
            content_type=None,
            headers=[("Location", target), ("Set-Cookie", f"{self.cookie}; Path=/")],
        )


@dataclass(frozen=True)
class Meet:
    """Wait until ``barrier.parties`` requests (to any servers sharing it) are here.

    Proves concurrency without timing: if the client never has that many
    requests in flight, the barrier times out and the answer is a 500.
    """

    barrier: threading.Barrier
    then: Behaviour = Respond(200, "<p>met</p>")

    def __call__(self, ex: Exchange) -> None:
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            ex.send(500, "<p>nobody came</p>")
            return
        self.then(ex)


# --------------------------------------------------------------------------
# The server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FaultServer/1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle and
        # the client's delayed ACK add 40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.fault_server._dispatch(self)  # type: ignore[attr-defined]

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose (size caps, timeouts)


class FaultServer:
    """A threaded HTTP server on 127.0.0.1, port 0; use as a context manager.

    :param routes: path -> behaviour to start with (``route`` adds more).
    """

    def __init__(self, routes: Mapping[str, Behaviour] | None = None) -> None:
        self._routes: dict[str, Behaviour] = dict(routes or {})
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._counts: dict[str, int] = {}
        self._in_flight = 0
        self._max_in_flight = 0
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FaultServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault_server = self  # type: ignore[attr-defined]
        # A short poll interval: shutdown() waits up to one interval.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- addresses

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def host(self) -> str:
        """ "127.0.0.1:<port>", the host key a client sees."""
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        """Absolute URL of ``path``; ``host="localhost"`` is another site, same server."""
        return f"http://{host}:{self.port}{path}"

    # -- routes

    def route(self, path: str, behaviour: Behaviour) -> None:
        """Answer ``path`` (exact, query ignored unless given) with ``behaviour``."""
        with self._lock:
            self._routes[path] = behaviour

    # -- what happened

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def count(self, path: str | None = None) -> int:
        """Requests received, to ``path`` or in all."""
        with self._lock:
            return len(self._log) if path is None else self._counts.get(path, 0)

    @property
    def max_in_flight(self) -> int:
        """Most requests this server had in flight at once."""
        with self._lock:
            return self._max_in_flight

    def reset_log(self) -> None:
        """Forget requests, counts and the in-flight maximum (routes stay)."""
        with self._lock:
            self._log.clear()
            self._counts.clear()
            self._max_in_flight = self._in_flight

    # -- internals

    def _dispatch(self, handler: _Handler) -> None:
        parts = urlsplit(handler.path)
        with self._lock:
            number = self._counts.get(parts.path, 0) + 1
            self._counts[parts.path] = number
            request = LoggedRequest(
                method=handler.command,
                path=parts.path,
                query=parts.query,
                headers=tuple((k.lower(), v) for k, v in handler.headers.items()),
                number=number,
                arrived=time.monotonic(),
            )
            self._log.append(request)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            full = f"{parts.path}?{parts.query}" if parts.query else parts.path
            behaviour = self._routes.get(full) or self._routes.get(parts.path, NotFound)
        exchange = Exchange(handler, request)
        try:
            behaviour(exchange)
        except OSError:
            handler.close_connection = True  # the client hung up or we reset
        finally:
            exchange._begin()

    def _left(self) -> None:
        with self._lock:
            self._in_flight -= 1


def http_date(seconds_from_now: float) -> str:
    """An HTTP date ``seconds_from_now`` (for Retry-After and Last-Modified)."""
    return formatdate(time.time() + seconds_from_now, usegmt=True)


class FakeTime:
    """A clock and a sleep for ``Fetcher(clock=..., sleep=...)``: sleeping records and advances.

    Waits cost no real time and ``sleeps`` lists every wait the fetcher made.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Let time pass (a request that takes a while)."""
        self.now += seconds
