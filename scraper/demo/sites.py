"""Serve saved sites (``fixtures/sites/<id>/public``) over real HTTP on 127.0.0.1.

Each site gets its own threaded server on its own port (port 0: the kernel
picks a free one, so there is no find-then-bind race), which makes every
site its own host, as on the web: its own robots.txt, its own politeness.

How a URL maps to a file under ``public/``:

* ``/a/b/``            -> ``a/b/index.html``
* ``/a/b.html``        -> ``a/b.html``
* ``/a/b/?page=2``     -> ``a/b/index__page=2.html``  (query after ``__``,
  ``&`` kept, inserted before the extension)
* ``/a/feed.xml?x=1``  -> ``a/feed__x=1.xml``

A ``public/_redirects`` file (one ``/old/path /new/path [status]`` per line)
answers those paths with a redirect, as a site does after moving a page.

Responses carry ETag and Last-Modified and answer conditional requests with
304, send gzip when asked, and declare the charset that ``site.toml`` says
(or none, like an old server that leaves it to the meta tag).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import socket
import threading
import tomllib
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["SiteInfo", "SiteServer", "load_site_info", "path_for_url", "serve_hosts", "serve_sites"]


@dataclass(frozen=True)
class SiteInfo:
    """The ``site.toml`` of one saved site."""

    id: str
    name: str
    root: Path
    #: Path of the press-release listing on the site ("/nyheter/").
    listing: str
    cms: str = ""
    #: Encoding of the files on disk.
    charset: str = "utf-8"
    #: Whether Content-Type names the charset.
    send_charset: bool = True
    default_kind: str | None = None
    #: Releases reachable from the listing.
    releases: int = 0
    #: A site the extractor was never tuned on (its figures are reported apart).
    holdout: bool = False
    #: The site's stable host name (``host`` in site.toml; ``www.<id>.test`` by default),
    #: at which the demo crawls it whatever port it is served on.
    host: str = ""
    #: Path of the page discovery starts from (``home``; "/" by default).
    home: str = "/"


def load_site_info(site_dir: Path) -> SiteInfo:
    """Read ``site.toml`` of one saved site."""
    data = tomllib.loads((site_dir / "site.toml").read_text(encoding="utf-8"))
    return SiteInfo(
        id=data.get("id", site_dir.name),
        name=data["name"],
        root=site_dir / "public",
        listing=data["listing"],
        cms=data.get("cms", ""),
        charset=data.get("charset", "utf-8"),
        send_charset=data.get("send_charset", True),
        default_kind=data.get("default_kind"),
        releases=int(data.get("releases", 0)),
        holdout=bool(data.get("holdout", False)),
        host=data.get("host") or f"www.{data.get('id', site_dir.name)}.test",
        home=data.get("home", "/"),
    )


def path_for_url(root: Path, url_path: str, query: str = "") -> Path:
    """Return the file under ``root`` that answers ``url_path?query``."""
    rel = unquote(url_path).lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if query:
        stem, dot, ext = rel.rpartition(".")
        no_extension = not dot or "/" in ext
        rel = f"{rel}__{query}" if no_extension else f"{stem}__{unquote(query)}.{ext}"
    target = (root / rel).resolve()
    if root.resolve() not in target.parents and target != root.resolve():
        raise FileNotFoundError(url_path)
    return target


def _sniffed_type(body: bytes) -> str | None:
    """What a feed or sitemap saved without a telling extension is (``feed/index.html``,
    ``view/43817__type=press``), as the real server would label it."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<urlset")):
        if b"<rss" in head or b"<rdf" in head:
            return "application/rss+xml"
        return "application/atom+xml" if b"<feed" in head else "application/xml"
    if head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return None


def _content_type(path: Path, info: SiteInfo, body: bytes = b"") -> str:
    if path.name == "robots.txt":
        return "text/plain; charset=utf-8"
    sniffed = _sniffed_type(body)
    if sniffed and sniffed != "text/html":
        return sniffed
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed is None and sniffed:
        guessed = sniffed
    if path.suffix in {".xml", ".rss"}:
        guessed = "application/rss+xml" if "rss" in path.name else "application/xml"
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/html") and info.send_charset:
        return f"text/html; charset={info.charset}"
    if guessed.startswith("text/html"):
        return "text/html"
    return guessed


def _redirects(root: Path) -> dict[str, tuple[str, int]]:
    """Redirects the site declares in ``public/_redirects`` (read on every request)."""
    path = root / "_redirects"
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            found[parts[0]] = (parts[1], int(parts[2]) if len(parts) > 2 else 301)
    return found


def _handler_for(info: SiteInfo) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "fixture-site/1"
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without NODELAY the second
            # waits ~40 ms for the client's delayed ACK (Nagle).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            self.server.requests.append(self.requestline)  # type: ignore[attr-defined]

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(head=True)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(head=False)

        def _answer(self, *, head: bool) -> None:
            parts = urlsplit(self.path)
            redirect = _redirects(info.root).get(parts.path)
            if redirect:
                target, status = redirect
                self.send_response(status)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                path = path_for_url(info.root, parts.path, parts.query)
                if path.is_dir():
                    path = path / "index.html"
                body = path.read_bytes()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                self._send(
                    404,
                    b"<html><body><h1>Sidan finns inte</h1></body></html>",
                    "text/html; charset=utf-8",
                    head=head,
                )
                return
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            mtime = path.stat().st_mtime
            last_modified = formatdate(mtime, usegmt=True)
            if self._not_modified(etag, mtime):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            extra = {"ETag": etag, "Last-Modified": last_modified}
            content_type = _content_type(path, info, body)
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body)
                extra["Content-Encoding"] = "gzip"
            self._send(200, body, content_type, head=head, extra=extra)

        def _not_modified(self, etag: str, mtime: float) -> bool:
            inm = self.headers.get("If-None-Match")
            if inm is not None:
                return etag in [tag.strip() for tag in inm.split(",")]
            ims = self.headers.get("If-Modified-Since")
            if ims:
                try:
                    return int(mtime) <= parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError):
                    return False
            return False

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str,
            *,
            head: bool,
            extra: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


class SiteServer:
    """One saved site served on 127.0.0.1; use as a context manager."""

    def __init__(self, info: SiteInfo) -> None:
        self.info = info
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(info))
        self._httpd.daemon_threads = True
        self._httpd.requests = []  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def listing_url(self) -> str:
        return self.base_url + self.info.listing

    @property
    def address(self) -> tuple[str, int]:
        """(address, port) the site is served at."""
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def stable_listing_url(self) -> str:
        """The listing at the site's stable host name (see ``scraper.demo.hosts``)."""
        return f"http://{self.info.host}{self.info.listing}"

    @property
    def requests(self) -> list[str]:
        """Request lines received so far ("GET /path HTTP/1.1")."""
        return self._httpd.requests  # type: ignore[attr-defined,no-any-return]

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_sites(sites_dir: Path) -> list[SiteServer]:
    """Start one server per site folder (those with a ``site.toml``) and return them."""
    servers = []
    for site_dir in sorted(p for p in sites_dir.iterdir() if (p / "site.toml").is_file()):
        servers.append(SiteServer(load_site_info(site_dir)).start())
    return servers


def serve_hosts(hosts_dir: Path) -> list[SiteServer]:
    """Start one server per host folder (``hosts_dir/<host name>/`` is its document root).

    For sets of sites that link to each other by their real-looking names (a
    municipality and its newsroom); crawl them through
    ``scraper.demo.hosts.LocalHostsTransport`` with each server's
    ``info.host``.
    """
    servers = []
    for root in sorted(p for p in hosts_dir.iterdir() if p.is_dir()):
        info = SiteInfo(id=root.name, name=root.name, root=root, listing="/", host=root.name)
        servers.append(SiteServer(info).start())
    return servers
