"""Serve an archive with Datasette: read-only, with the archive's metadata and plugin.

    make_datasette(path)   a configured Datasette (for tests: await ds.client.get(...))
    build_server(path)     a uvicorn server for it, not yet running
    listen(host, port)     the bound socket to serve on (PortInUseError when taken)
    serve(path)            run that server until interrupted (``scraper serve``)

The database is served under its file name's stem (``archive.db`` ->
``/archive``); metadata and canned queries follow that name. Connections are
read-only (Datasette opens files with ``mode=ro``; the plugin adds
``PRAGMA query_only``), no write plugin is installed and queries stop after
``sql_time_limit_ms``; ``scraper.serve.safety`` bounds what a query may return,
refuses dangerous functions and adds security headers, and ``allow_sql=False``
turns visitors' own SQL off. ``immutable=True`` serves a published snapshot: faster
(counts cached, no locking) but the file must not change while served, so
checkpoint the WAL into it first
(``sqlite3 archive.db 'PRAGMA wal_checkpoint(TRUNCATE)'``).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import socket
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.plugins import pm

from scraper.errors import PortInUseError, StorageError
from scraper.store import Archive

from . import plugin as datasette_plugin
from .metadata import FastCopy, build_metadata

__all__ = [
    "DEFAULT_SETTINGS",
    "build_server",
    "database_name",
    "listen",
    "make_datasette",
    "serve",
    "served_url",
]

PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

DEFAULT_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    "default_page_size": 50,
    "max_returned_rows": 1000,
    "truncate_cells_html": 300,
    "suggest_facets": False,
    "allow_download": True,
    # .csv?_stream=on returns every row: Datasette's default stops a stream at 100 MB,
    # about 40,000 releases.
    "max_csv_mb": 0,
}


def database_name(db_path: str | Path) -> str:
    """The name Datasette serves a database file under: its stem."""
    return Path(db_path).stem


def _register_plugin() -> None:
    # The plugin may also arrive through a "datasette" entry point.
    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="scraper")


def _upgrade(path: Path) -> None:
    """Bring an archive written by an older version to the current schema, in one
    transaction (a current one is only read); a file we may not write is served as is."""
    with contextlib.suppress(StorageError):
        Archive(path).close()


def make_datasette(
    db_path: str | Path,
    *,
    immutable: bool = False,
    settings: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    title: str | None = None,
    allow_sql: bool = True,
) -> Datasette:
    """Return a Datasette serving the archive at ``db_path``, read-only.

    :param db_path: the archive; any file name (served under its stem).
    :param immutable: serve as an unchanging snapshot (see the module docstring).
    :param settings: Datasette settings overriding ``DEFAULT_SETTINGS``.
    :param metadata: metadata replacing ``build_metadata(name)`` entirely.
    :param title: the archive's title on every page.
    :param allow_sql: whether visitors may run their own SQL (``?sql=``, ``_where=``);
        canned queries, tables, search and feeds work either way.
    :raises StorageError: when the file does not exist.
    """
    path = Path(db_path)
    if not path.is_file():
        raise StorageError(f"{path}: no such archive")
    _register_plugin()
    if not immutable:
        _upgrade(path)
    name = database_name(path)
    if metadata is None:
        metadata = build_metadata(name, **({"title": title} if title else {}))
    ds = Datasette(
        files=[] if immutable else [str(path)],
        immutables=[str(path)] if immutable else [],
        metadata=FastCopy(metadata),
        settings={**DEFAULT_SETTINGS, **(settings or {}), "default_allow_sql": allow_sql},
        template_dir=str(TEMPLATE_DIR),
        static_mounts=[(datasette_plugin.STATIC_MOUNT, str(STATIC_DIR))],
    )
    if name not in ds.databases:  # Datasette renamed it: metadata would not apply
        raise StorageError(f"{path}: served as {list(ds.databases)}, expected {name!r}")
    return ds


def build_server(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    immutable: bool = False,
    log_level: str = "warning",
    **options: Any,
) -> uvicorn.Server:
    """Return a uvicorn server for the archive (call ``.run()``; ``port=0`` picks a free one)."""
    ds = make_datasette(db_path, immutable=immutable, **options)
    config = uvicorn.Config(ds.app(), host=host, port=port, log_level=log_level, lifespan="off")
    return uvicorn.Server(config)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening (port 0: any free port).

    Bound before the server starts, so that a taken port is a clear error of
    its own and the URL printed is the one served.

    :raises PortInUseError: when another process holds the port.
    :raises OSError: when the address cannot be bound for another reason.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(host=host, port=port) from exc
        raise
    # Accepted connections inherit it. asyncio sets TCP_NODELAY only on sockets
    # made with proto=IPPROTO_TCP, and create_server's have proto 0: without it
    # the last small write of a response (uvicorn's chunk terminator) waits for
    # the client's delayed ACK, ~40 ms on every request after the first on a
    # kept-alive connection (a release page: 9 ms alone, 52-59 ms second).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def served_url(sock: socket.socket) -> str:
    """The http:// URL a socket from ``listen`` is reached at."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    immutable: bool = False,
    sock: socket.socket | None = None,
    **options: Any,
) -> None:
    """Serve the archive over HTTP until interrupted; binds 127.0.0.1 by default.

    :param sock: an already bound socket to serve on instead of host and port
        (tests bind port 0 themselves, so there is no race for the port).
    """
    server = build_server(db_path, host=host, port=port, immutable=immutable, **options)
    # What start-up made (Datasette, the plugin, metadata, ~70,000 objects) lives as
    # long as the server: out of the collector's reach, a full collection walks a few
    # thousand objects, not all of them (3 ms, not 32: a pause every ~150 searches
    # that landed on one search's time).
    gc.freeze()
    server.run(sockets=[sock] if sock is not None else None)
