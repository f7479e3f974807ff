"""The archive's public face: bounded SQL, no pointers or paths, safe headers and exports.

Datasette hook implementations (imported into ``scraper.serve.plugin``, so
they are registered with it; each acts only when the plugin serves an archive):

- ``prepare_connection``: every archive connection gets SQLite limits (no
  value over ``MAX_VALUE_BYTES``, no result over ``MAX_RESULT_COLUMNS``
  columns), a budget of ``MAX_RESULT_BYTES`` of values per query (checked row
  by row as rows are fetched), and an authorizer refusing the functions in
  ``DENIED_FUNCTIONS`` (memory addresses, extension loading, raw structure
  parsing), ``sqlite_stmt`` (other requests' SQL) and reading the file column
  of ``pragma_database_list`` (it reads as null). The project's own bounded
  queries (the search page's, ``own_queries``) read rows outside the budget.
- ``asgi_wrapper``: every response gets ``SECURITY_HEADERS`` (CSP, nosniff,
  Referrer-Policy, no framing), except that a route's own stricter CSP and
  X-Frame-Options stay (the stored raw page, archived files); CSV responses
  are made spreadsheet-safe as they stream (``scraper.serve.spreadsheet``).
- ``register_routes``: ``/-/databases`` names the file without its directory
  and ``/-/threads`` lists threads without the source paths of its tasks.

Arbitrary SQL itself is switched by ``make_datasette(allow_sql=...)``;
``sql_allowed(host, flag)`` is the rule ``scraper serve`` applies: on for a
loopback address, off for anything else, unless told.
"""

from __future__ import annotations

import ipaddress
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Base400

from .archives import archive_names, is_archive
from .spreadsheet import CsvNeutraliser

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DENIED_FUNCTIONS",
    "MAX_RESULT_BYTES",
    "MAX_RESULT_COLUMNS",
    "MAX_VALUE_BYTES",
    "SECURITY_HEADERS",
    "ResultTooBig",
    "harden_connection",
    "own_queries",
    "sql_allowed",
    "xml_safe",
]


#: The largest string or blob any query may make or read (SQLITE_LIMIT_LENGTH).
#: Stored values stay far below it: texts are bounded at extraction, raw pages
#: are zstd-compressed from at most 10 MB (an HTML page compresses 5-10 times).
MAX_VALUE_BYTES = 2 * 1024 * 1024
#: The widest result set (SQLITE_LIMIT_COLUMN); the widest table has under 30.
MAX_RESULT_COLUMNS = 64
#: All values one query may return, counted as Datasette's JSON shows them
#: (escapes included): a page of 1,000 releases with their stems is about 15 MB.
MAX_RESULT_BYTES = 32 * 1024 * 1024

#: SQL functions web SQL may not call: fts3_tokenizer and fts5 hand out (or
#: take) memory addresses; load_extension runs code; the rtree* helpers parse
#: raw node blobs; sqlite_log writes to the server's log.
DENIED_FUNCTIONS = frozenset(
    {
        "fts3_tokenizer",
        "fts5",
        "load_extension",
        "rtreecheck",
        "rtreedepth",
        "rtreenode",
        "sqlite_log",
    }
)
_HIDDEN_COLUMNS = frozenset({("pragma_database_list", "file")})
_DENIED_TABLES = frozenset({"sqlite_stmt"})

#: Datasette 0.65's own pages run inline scripts (table column menus, the SQL
#: editor, facets) with no nonce to allow them by, hence 'unsafe-inline' for
#: scripts and styles; every script still comes from this site, and nothing
#: may frame the archive, load plugins, rebase links or post forms elsewhere.
#: Images are allowed from anywhere: a release shows its pictures from the
#: municipality's own site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https: http:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _serves_archive(datasette: Any, database: str | None = None) -> bool:
    return bool(archive_names(datasette)) if database is None else is_archive(datasette, database)


# --------------------------------------------------------------------------
# Who may run SQL


def sql_allowed(host: str, flag: bool | None) -> bool:
    """Whether ``scraper serve`` on ``host`` runs arbitrary SQL: ``flag`` when given,
    else only on a loopback address (127.0.0.0/8, ::1, localhost)."""
    if flag is not None:
        return flag
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------
# Connections


def _json_size(value: object) -> int:
    """About the bytes ``value`` takes in Datasette's JSON (escapes included)."""
    if isinstance(value, str):
        return len(encode_basestring_ascii(value))
    if isinstance(value, bytes):
        try:  # Datasette shows a blob that decodes as UTF-8 as text, others in base64
            return len(encode_basestring_ascii(value.decode("utf-8")))
        except UnicodeDecodeError:
            return len(value) * 4 // 3 + 4
    return 8


class ResultTooBig(sqlite3.DataError, Base400):
    """A query's values over the budget: an SQL error to the query page, a 400 elsewhere."""


class _ResultBudget:
    """A row factory adding up each query's values as JSON bytes; over budget is an error.

    A query is one cursor (Datasette opens a cursor per query); the count starts
    again when rows come from another cursor.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._cursor: weakref.ref[sqlite3.Cursor] | None = None
        self._used = 0

    def __call__(self, cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        if self._cursor is None or self._cursor() is not cursor:
            self._cursor, self._used = weakref.ref(cursor), 0
        self._used += sum(_json_size(v) for v in row)
        if self._used > self.limit:
            raise ResultTooBig(
                f"result too big: over {self.limit // (1024 * 1024)} MB "
                "(ask for fewer rows or shorter values)"
            )
        return sqlite3.Row(cursor, row)


def _authorize(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ:
        table = (arg1 or "").lower()
        if table in _DENIED_TABLES:
            return sqlite3.SQLITE_DENY
        if (table, (arg2 or "").lower()) in _HIDDEN_COLUMNS:
            return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def harden_connection(conn: sqlite3.Connection) -> None:
    """Bound what one query may make and return, and refuse dangerous functions."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_RESULT_COLUMNS)
    conn.row_factory = _ResultBudget(MAX_RESULT_BYTES)
    conn.set_authorizer(_authorize)


@contextmanager
def own_queries(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``conn`` for the project's own queries: rows are plain tuples, outside the budget.

    The budget is for SQL a user writes. The search's own queries are bounded
    by their LIMITs and read thousands of keys a request (candidates,
    counts): through the budget's row factory each row cost a Python call,
    6-17 ms a search at 1,000,000 releases (a rare word asked the first time:
    33 ms in process, 16 without). The connection is one thread's
    (Datasette's ``execute_fn``), so the factory is back before anyone else
    uses it.
    """
    factory = conn.row_factory
    conn.row_factory = None
    try:
        yield conn
    finally:
        conn.row_factory = factory


@hookimpl(specname="prepare_connection", trylast=True)
def safety_prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    if _serves_archive(datasette, database):
        harden_connection(conn)


# --------------------------------------------------------------------------
# Feeds

# Characters XML 1.0 does not allow (C0 controls but tab, CR, LF; surrogates;
# U+FFFE, U+FFFF), plus DEL and the C1 controls, which it discourages.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


# --------------------------------------------------------------------------
# Responses


def _is_csv(scope: dict[str, Any]) -> bool:
    return scope["path"].endswith(".csv")


def secure_app(app: Any) -> Any:
    """Wrap an ASGI app: security headers on every response, CSV made spreadsheet-safe."""

    async def secured(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        neutraliser: CsvNeutraliser | None = None

        async def send_secured(message: dict[str, Any]) -> None:
            nonlocal neutraliser
            if message["type"] == "http.response.start":
                original = message.get("headers", [])
                # A route's own policy is stricter than ours (the stored raw page's
                # sandbox, framed by our page; an archived file's): it stays.
                own = {k.lower() for k, _ in original} & _ROUTE_OWNED
                headers = [
                    (k, v) for k, v in original if k.lower() not in _OURS or k.lower() in own
                ]
                content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
                if (
                    _is_csv(scope)
                    and message["status"] == 200
                    and content_type.startswith((b"text/csv", b"text/plain"))
                ):
                    neutraliser = CsvNeutraliser()
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                ours = [(k, v) for k, v in SECURITY_HEADERS if k not in own]
                message = {**message, "headers": [*headers, *ours]}
            elif message["type"] == "http.response.body" and neutraliser is not None:
                body = neutraliser.feed(message.get("body", b""))
                if not message.get("more_body", False):
                    body += neutraliser.finish()
                message = {**message, "body": body}
            await send(message)

        await app(scope, receive, send_secured)

    return secured


_OURS = frozenset(name for name, _ in SECURITY_HEADERS)
#: Headers a route may set for itself (scraper.serve.archived): kept instead of ours.
_ROUTE_OWNED = frozenset({b"content-security-policy", b"x-frame-options"})


@hookimpl(specname="asgi_wrapper", trylast=True)
def safety_asgi_wrapper(datasette: Any) -> Any:
    # trylast: wraps outside the plugin's read-only wrapper, so a 405 gets the headers too.
    return secure_app if _serves_archive(datasette) else None


# --------------------------------------------------------------------------
# Pages that would show where the files are


def _databases(datasette: Any) -> list[dict[str, Any]]:
    return [
        {**found, "path": Path(found["path"]).name if found.get("path") else None}
        for found in datasette._connected_databases()
    ]


def _threads() -> dict[str, Any]:
    threads = threading.enumerate()
    return {
        "num_threads": len(threads),
        "threads": [{"name": t.name, "ident": t.ident, "daemon": t.daemon} for t in threads],
    }


@hookimpl(specname="register_routes")
def safety_register_routes(datasette: Any) -> Any:
    if not _serves_archive(datasette):
        return None
    from datasette.views.special import JsonDataView

    return [
        (
            r"^/-/databases(\.(?P<format>json))?$",
            JsonDataView.as_view(datasette, "databases.json", lambda: _databases(datasette)),
        ),
        (
            r"^/-/threads(\.(?P<format>json))?$",
            JsonDataView.as_view(datasette, "threads.json", _threads),
        ),
    ]
