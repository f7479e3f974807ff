"""The archive's Datasette plugin: Swedish search, Atom feeds and the release page.

Registered by ``scraper.serve.app.make_datasette``. It acts only on the databases
listed in the metadata's ``plugins.scraper.databases`` (see
``scraper.serve.metadata.build_metadata``):

- ``asgi_wrapper``: every request but GET/HEAD/OPTIONS is refused (405).
- ``prepare_connection``: SQL functions ``swedish_match(q)`` (a user query to an
  FTS5 expression, see ``scraper.store.search``; ``swedish_walk(q)``: the same
  releases by stems alone, for finding them, not ranking) and
  ``atom_time(value, fallback)``;
  ``escape_fts`` replaced by ``swedish_match`` so the table search box
  (``/<db>/releases?_search=...``) matches like the ``search`` canned query;
  ``PRAGMA query_only`` so nothing can write through Datasette.
- ``register_output_renderer``: ``.atom`` for any query returning ``atom_id``,
  ``atom_title`` and ``atom_updated`` (the datasette-atom column convention;
  this renderer replaces datasette-atom's, which fails on an empty result and
  cannot mark a second link, and links every entry to the original release
  (rel=alternate) and to its archive copy (rel=related)).
- ``extra_template_vars`` + ``templates/row.html``: a release's own page reads
  like a document (title, municipality, dates, body, images, attachments,
  revisions with their diffs, events).
- ``render_cell``: search excerpts highlighted, titles linked to the release page.
- ``register_routes``: the search page at ``/``, ``/sok.atom`` and ``/sok.json``
  (``scraper.serve.search_page``); archived images and attachments and the
  stored raw pages, served safely (``scraper.serve.archived``).
- ``get_metadata``, ``prepare_jinja2_environment``: a plain ``datasette
  archive.db`` gets the metadata, canned queries and templates that
  ``scraper serve`` passes in (``scraper.serve.plain``).
- From ``scraper.serve.safety``: query limits and the SQL authorizer, security
  headers and spreadsheet-safe CSV, ``/-/databases`` without directories.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode
from xml.etree import ElementTree
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
from datasette import hookimpl
from datasette.utils import tilde_decode
from markupsafe import Markup, escape

from scraper.diff import diff_excerpt, diff_segments
from scraper.store.bm25_cost import bm25_affordable
from scraper.store.excerpts import make_excerpt
from scraper.store.query_language import MATCH_NOTHING, title_match, walk_match
from scraper.store.search import build_match_query, day_key, source_tag

from . import archived, pages, plain
from .archives import archive_names, is_archive

# Hook implementations of the public face (limits, headers, safe CSV): imported
# so that they register with this plugin.
from .safety import (  # noqa: F401
    safety_asgi_wrapper,
    safety_prepare_connection,
    safety_register_routes,
    xml_safe,
)
from .search_params import parse_day
from .table_search import sorted_by_key, table_search_filters  # noqa: F401

__all__ = [
    "atom_time",
    "diff_segments",
    "is_archive",
    "release_document",
    "render_diff",
]

ATOM_REQUIRED = frozenset({"atom_id", "atom_title", "atom_updated"})
ATOM_NS = "http://www.w3.org/2005/Atom"
HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "«", "»"

try:
    _LOCAL = ZoneInfo("Europe/Stockholm")
except ZoneInfoNotFoundError:  # no tz database: Swedish local times read as UTC
    _LOCAL = UTC


# --------------------------------------------------------------------------
# Read-only

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    config_databases = archive_names(datasette)
    if not config_databases:
        return None

    def wrap(app: Any) -> Any:
        async def read_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
            # Nothing on the web side writes: refuse every unsafe method up front
            # (Datasette 0.65 answers a POST to a read-only canned query with a 500).
            if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 405,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"allow", b"GET, HEAD, OPTIONS"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b"The archive is read-only.\n"})
                return
            target = table_search_redirect(scope, config_databases)
            if target is not None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 302,
                        "headers": [(b"location", target.encode("ascii"))],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
            await app(sorted_by_key(scope, config_databases), receive, send)

        return read_only

    return wrap


_TABLE_SEARCH_ARGS = frozenset({"_search", "_sort", "_sort_desc"})


def table_search_redirect(scope: dict[str, Any], databases: list[str]) -> str | None:
    """Where a plain table search of releases goes: the search page (``/?q=``), else None.

    The table page counts and facets every match (seconds for a common word
    at 250,000 releases); the search page does the same job in bounded time.
    Only the HTML page with nothing but ``_search`` (and a sort) moves; JSON,
    CSV and searches combined with column filters stay with Datasette.
    """
    if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
        return None
    path = scope.get("path", "")
    if not any(path == f"/{name}/releases" for name in databases):
        return None
    args = parse_qs(
        scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True
    )
    q = (args.get("_search") or [""])[0].strip()
    if not q or not set(args) <= _TABLE_SEARCH_ARGS:
        return None
    return "/?" + urlencode({"q": q})


# --------------------------------------------------------------------------
# SQL functions


def atom_time(value: str | None, fallback: str | None) -> str | None:
    """An ISO 8601 date/datetime as an RFC 3339 timestamp; local Swedish time when naive."""
    for candidate in (value, fallback):
        if not candidate:
            continue
        try:
            moment = datetime.fromisoformat(candidate.replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_LOCAL)
        return moment.isoformat()
    return None


def _safe_match(q: str | None, source: str | None = None, *, walk: bool = False) -> str:
    q = q if isinstance(q, str) else None
    match = walk_match(q) if walk else build_match_query(q)
    if source and isinstance(source, str) and match != MATCH_NOTHING:
        tag = source_tag(source)
        return f"({match}) AND tags : {tag}" if tag else MATCH_NOTHING
    return match


def _walk(q: str | None, source: str | None = None) -> str:
    """The releases of ``swedish_match``, found by stems alone (no bm25 over it: cheaper)."""
    return _safe_match(q, source, walk=True)


def _title_match(q: str | None, source: str | None = None) -> str:
    """The query with its words in the title (title tags): the first tier of a place ranking."""
    match = _safe_match(q, source, walk=True)
    in_title = title_match(q if isinstance(q, str) else None)
    if match == MATCH_NOTHING or not in_title:
        return MATCH_NOTHING
    return f"({match}) AND ({in_title})"


def _bm25_check(conn: Any) -> Any:
    """SQL function ``search_bm25(q, source)``: whether bm25 is affordable for the query.

    A constant of the statement: SQLite calls it once per query.
    """
    db = sqlite_utils.Database(conn)

    def affordable(q: Any, source: Any) -> int:
        match = _safe_match(q, source)
        return int(match != MATCH_NOTHING and bm25_affordable(db, match))

    return affordable


def _excerpt(text: Any, q: Any) -> str:
    # The text comes as bytes (cast to blob): a value that is not valid UTF-8
    # would otherwise fail the call before it starts.
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return make_excerpt(text if isinstance(text, str) else None, q if isinstance(q, str) else None)


def _key_bound(end: bool) -> Any:
    """SQL function: the first (``end``: last) search key of "YYYY[-MM[-DD]]"; open if empty."""

    def bound(value: Any) -> int:
        try:
            return day_key(parse_day(str(value), end=end), end=end)
        except ValueError:
            return 2**63 - 1 if end else 0

    return bound


#: Per read connection: the index and tables mapped into memory (shared by the
#: OS page cache across connections), a bigger page cache for the rest.
SERVING_PRAGMAS = ("mmap_size = 1073741824", "cache_size = -32768")


@hookimpl(trylast=True)
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    # trylast: runs after Datasette's own sql_functions, so our escape_fts wins.
    if not is_archive(datasette, database):
        return
    conn.create_function("swedish_match", 1, _safe_match, deterministic=True)
    conn.create_function("swedish_match", 2, _safe_match, deterministic=True)
    conn.create_function("swedish_walk", 1, _walk, deterministic=True)
    conn.create_function("swedish_walk", 2, _walk, deterministic=True)
    conn.create_function("search_excerpt", 2, _excerpt, deterministic=True)
    conn.create_function("swedish_title_match", 2, _title_match, deterministic=True)
    conn.create_function("search_bm25", 2, _bm25_check(conn), deterministic=True)
    conn.create_function("escape_fts", 1, _safe_match, deterministic=True)
    conn.create_function("search_key_from", 1, _key_bound(False), deterministic=True)
    conn.create_function("search_key_to", 1, _key_bound(True), deterministic=True)
    conn.create_function("atom_time", 2, atom_time, deterministic=True)
    conn.execute("PRAGMA query_only = 1")
    for pragma in SERVING_PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")


# --------------------------------------------------------------------------
# Atom


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _feed_title(datasette: Any, request: Any, database: str, query_name: str | None) -> str:
    title = datasette.metadata("title") or "Arkiv"
    if query_name:
        queries = (datasette.metadata(database=database) or {}).get("queries") or {}
        title = (queries.get(query_name) or {}).get("title") or query_name
    details = [
        f"{key}: {request.args[key]}"
        for key in ("q", "source", "organisation", "county")
        if request.args.get(key)
    ]
    return f"{title} ({', '.join(details)})" if details else title


#: Words of unchanged text kept around each change in an alert.
DIFF_CONTEXT = 12


def _entry_html(
    text: str | None, original: str | None, archive: str | None, diff: str | None = None
) -> str:
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    parts = [f"<p>{escape(p)}</p>" for p in paragraphs]
    if diff:
        parts.append("<p>Ändringar (<del>borttaget</del>, <ins>tillagt</ins>):</p>")
        parts.append(str(render_diff(diff, context=DIFF_CONTEXT)))
    links = []
    if original:
        links.append(f'<a href="{escape(original)}">Originalet hos kommunen</a>')
    if archive:
        links.append(f'<a href="{escape(archive)}">Arkivkopian</a>')
    if links:
        parts.append("<p>" + " · ".join(links) + "</p>")
    return "\n".join(parts)


def _atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    html_url: str,
    updated: str,
    entries: list[dict[str, Any]],
) -> bytes:
    """Serialise an Atom feed (RFC 4287); entries are dicts of plain values."""
    ElementTree.register_namespace("", ATOM_NS)

    def sub(
        parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str
    ) -> ElementTree.Element:
        # xml_safe: stored text (and the query string) may hold control characters.
        safe = {key: xml_safe(value) for key, value in attrs.items()}
        element = ElementTree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", safe)
        if text is not None:
            element.text = xml_safe(text)
        return element

    feed = ElementTree.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    sub(feed, "updated", updated)
    sub(feed, "link", href=self_url, rel="self")
    sub(feed, "link", href=html_url, rel="alternate", type="text/html")
    sub(feed, "generator", "Datasette + scraper")
    for item in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", item["id"])
        sub(entry, "title", item["title"])
        sub(entry, "updated", item["updated"])
        if item.get("author"):
            sub(sub(entry, "author"), "name", item["author"])
        if item.get("original"):
            sub(entry, "link", href=item["original"], rel="alternate", type="text/html")
        if item.get("archive"):
            sub(
                entry,
                "link",
                href=item["archive"],
                rel="related",
                type="text/html",
                title="Arkivkopia",
            )
        if item.get("content_html") is not None:
            sub(entry, "content", item["content_html"], type="html")
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text_row(columns: list[str], values: Any) -> dict[str, str | None]:
    # Any SQL may feed a feed: numbers and blobs become text like everything else.
    row: dict[str, str | None] = {}
    for column, value in zip(columns, values, strict=True):
        row.setdefault(column, value if value is None or isinstance(value, str) else str(value))
    return row


def render_atom(
    datasette: Any,
    request: Any,
    columns: list[str],
    rows: list[Any],
    database: str,
    query_name: str | None,
) -> Any:
    """Render query rows with atom_* columns as an Atom feed."""
    from datasette.utils.asgi import Response
    from datasette.views.base import DatasetteError

    if not ATOM_REQUIRED.issubset(columns):
        raise DatasetteError(
            "SQL query must return columns " + ", ".join(sorted(ATOM_REQUIRED)), status=400
        )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    entries = []
    for values in rows:
        row = _text_row(columns, values)
        original = row["atom_link"] if "atom_link" in columns else None
        archive = None
        if "atom_release_id" in columns and row["atom_release_id"] is not None:
            path = datasette.urls.row(database, "releases", str(row["atom_release_id"]))
            archive = datasette.absolute_url(request, path)
        content = None
        diff = row["atom_diff"] if "atom_diff" in columns else None
        if "atom_content" in columns or diff:
            text = row["atom_content"] if "atom_content" in columns else None
            content = _entry_html(text, original, archive, diff)
        entries.append(
            {
                "id": str(row["atom_id"]),
                "title": str(row["atom_title"]),
                "updated": str(row["atom_updated"] or now),
                "author": row["atom_author_name"] if "atom_author_name" in columns else None,
                "original": original,
                "archive": archive,
                "content_html": content,
            }
        )
    html_url = datasette.absolute_url(request, request.path.rsplit(".atom", 1)[0])
    if request.query_string:
        html_url += "?" + request.query_string
    # An empty feed is still a feed: a journalist subscribes before anything matches.
    updated = max((e["updated"] for e in entries), key=_instant, default=now)
    body = _atom_feed(
        feed_id=request.url,
        title=_feed_title(datasette, request, database, query_name),
        self_url=request.url,
        html_url=html_url,
        updated=updated,
        entries=entries,
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8", status=200)


def _can_render_atom(columns: list[str]) -> bool:
    return ATOM_REQUIRED.issubset(columns)


@hookimpl(trylast=True)
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    # trylast: should datasette-atom be installed too, its "atom" renderer is
    # registered first and this one wins.
    return {"extension": "atom", "render": render_atom, "can_render": _can_render_atom}


# --------------------------------------------------------------------------
# Pages


STATIC_MOUNT = "scraper-static"


@hookimpl
def extra_css_urls(database: str | None, datasette: Any) -> list[str]:
    if not is_archive(datasette, database):
        return []
    return [datasette.urls.path(f"/{STATIC_MOUNT}/scraper.css")]


# --------------------------------------------------------------------------
# Cells


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    if not is_archive(datasette, database) or not isinstance(value, str):
        return None
    if column in ("diff", "atom_diff") and table in (None, "revisions"):
        return Markup(f'<div class="diff">{render_diff(value, context=DIFF_CONTEXT)}</div>')
    if column == "excerpt" and table is None:
        html = str(escape(value))
        html = html.replace(HIGHLIGHT_OPEN, "<mark>").replace(HIGHLIGHT_CLOSE, "</mark>")
        return Markup(html)
    if column == "title" and table in (None, "releases"):
        keys = row.keys() if hasattr(row, "keys") else []
        key = "id" if "id" in keys else "release_id" if "release_id" in keys else None
        release_id = row[key] if key else None
        if release_id is not None:
            href = datasette.urls.row(database, "releases", str(release_id))
            return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None


# --------------------------------------------------------------------------
# The release page


def _segments_html(segments: list[tuple[str, str]]) -> str:
    return "".join(
        str(escape(text)) if kind == "same" else f"<{kind}>{escape(text)}</{kind}>"
        for kind, text in segments
    )


def render_diff(diff: str | None, *, context: int | None = None) -> Markup:
    """A word diff as HTML paragraphs with <del> and <ins>, everything else escaped.

    With ``context``, only the paragraphs that changed, cut to that many words
    around each change (``scraper.diff.diff_excerpt``): for alerts and tables.
    """
    if not diff:
        return Markup("")
    if context is not None:
        paragraphs = diff_excerpt(diff, context=context)
    else:
        paragraphs = [diff_segments(p) for p in diff.split("\n\n")]
    return Markup("\n".join(f"<p>{_segments_html(p)}</p>" for p in paragraphs))


def _web_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a crawled page must not smuggle javascript:."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def release_document(
    release: dict[str, Any],
    *,
    images: list[dict[str, Any]],
    attachments: list[dict[str, Any]],
    revisions: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> dict[str, Any]:
    """Everything the release page shows, as plain values and safe HTML (pure)."""
    return {
        **release,
        "url": _web_url(release.get("url")),
        "lead_paragraphs": _paragraphs(release.get("lead")),
        "paragraphs": _paragraphs(release.get("body")),
        "images": [{**i, "url": _web_url(i.get("url"))} for i in images if _web_url(i.get("url"))],
        "attachments": [
            {**a, "url": _web_url(a.get("url"))} for a in attachments if _web_url(a.get("url"))
        ],
        "revisions": [{**rev, "diff_html": render_diff(rev.get("diff"))} for rev in revisions],
        "events": events,
    }


async def _fetch_release(datasette: Any, database: str, release_id: int) -> dict[str, Any]:
    db = datasette.get_database(database)

    async def rows(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in (await db.execute(sql, [release_id])).rows]

    found = await rows(
        "select r.*, s.name as municipality, s.organisation as organisation_id from releases r "
        "left join sources s on s.id = r.source where r.id = ?"
    )
    if not found:
        return {}
    release = found[0]
    release.pop("stems", None)
    return release_document(
        release,
        images=await rows("select * from images where release_id = ? order by position"),
        attachments=await rows("select * from attachments where release_id = ? order by position"),
        revisions=await rows(
            "select id, title, published, first_seen, last_seen, diff from revisions "
            "where release_id = ? order by id desc"
        ),
        events=await rows("select * from events where release_id = ? order by at, id"),
    )


@hookimpl
def extra_template_vars(
    view_name: str, table: str | None, database: str | None, request: Any, datasette: Any
) -> Any:
    # scraper_archive tells the archive's databases from others (table.html, database.html).
    archive = is_archive(datasette, database)
    if view_name != "row" or table != "releases" or not archive:
        return {"scraper_archive": archive}

    async def inner() -> dict[str, Any]:
        try:
            release_id = int(tilde_decode(request.url_vars["pks"]))
        except (KeyError, ValueError):
            return {"scraper_archive": True}
        document = await _fetch_release(datasette, database, release_id)
        if not document:
            return {"scraper_archive": True}
        document = pages.decorate_release(datasette, request, database, document)
        media = await archived.release_media_urls(datasette, database, release_id)
        return {"scraper_archive": True, "scraper_release": document, "scraper_media": media}

    return inner


# --------------------------------------------------------------------------
# Archived files and raw pages (scraper.serve.archived)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    # The search page is the front door: "/" (plugin routes come before Datasette's own);
    # then archived files and raw pages, the plain-Datasette static mount, and the
    # archive's own pages (scraper.serve.pages): /kommuner, /kommun/<id>, ...
    from .search_page import routes

    return [*routes(), *archived.ROUTES, plain.STATIC_ROUTE, *pages.routes()]


# --------------------------------------------------------------------------
# A plain `datasette archive.db` (scraper.serve.plain)


@hookimpl
def get_metadata(datasette: Any) -> dict[str, Any]:
    return plain.archive_metadata(datasette)


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    plain.add_templates(env)
