"""Hostile fixture sites (``fixtures/hostile/<case>/``) served on 127.0.0.1 for tests.

::

    with serve_hostile("redirects") as site:
        site.url("/nyheter/")         # http://127.0.0.1:<port>/nyheter/
        site.expected["releases"]     # expected.toml, placeholders filled in
        site.other.count("/x/")       # requests the second server ("another site") got

A case folder holds ``site.toml`` (``listing``, ``[redirects]``: path ->
Location answered with 302), ``public/`` (this site's files), optionally
``other/`` (the files of a second server on another port: another site) and
``expected.toml`` (written by hand). Files map to paths as in
``scraper.demo.sites`` (``a/b/index.html`` answers ``/a/b/``). In served
files, Locations and expectations, ``{port}`` is this server's port and
``{other}`` the second server's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faultserver import FaultServer, Redirect, Respond

__all__ = ["HOSTILE", "HostileSite", "serve_hostile"]

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"


@dataclass
class HostileSite:
    server: FaultServer
    other: FaultServer
    #: site.toml
    info: dict[str, Any]
    #: expected.toml with the placeholders filled in ({} when there is none).
    expected: dict[str, Any]

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    @property
    def listing_url(self) -> str:
        return self.url(self.info["listing"])


def _fill(text: str, ports: dict[str, int]) -> str:
    for name, port in ports.items():
        text = text.replace("{" + name + "}", str(port))
    return text


def _route_files(server: FaultServer, root: Path, ports: dict[str, int]) -> None:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        url_path = "/" + rel.removesuffix("index.html")
        if path.suffix == ".txt":
            content_type = "text/plain; charset=utf-8"
        elif path.suffix in (".xml", ".rss"):
            content_type = "application/xml"
        else:
            content_type = "text/html; charset=utf-8"
        body = _fill(path.read_text(encoding="utf-8"), ports)
        server.route(url_path, Respond(200, body, content_type=content_type))


@contextmanager
def serve_hostile(case: str) -> Iterator[HostileSite]:
    """Serve ``fixtures/hostile/<case>`` (and its ``other/`` site); stopped on exit."""
    folder = HOSTILE / case
    info = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
    with FaultServer() as server, FaultServer() as other:
        ports = {"port": server.port, "other": other.port}
        _route_files(server, folder / "public", ports)
        _route_files(other, folder / "other", ports)
        for path, location in info.get("redirects", {}).items():
            server.route(path, Redirect(302, _fill(location, ports)))
        expected_file = folder / "expected.toml"
        expected = (
            tomllib.loads(_fill(expected_file.read_text(encoding="utf-8"), ports))
            if expected_file.is_file()
            else {}
        )
        yield HostileSite(server=server, other=other, info=info, expected=expected)
