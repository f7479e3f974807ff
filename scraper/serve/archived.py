"""What the archive keeps besides the text, served safely: files and raw pages.

Routes and template variables that ``scraper.serve.plugin`` registers:

- ``/<db>/-/media/<sha256>``: an archived image or attachment, by content hash.
  Images (JPEG, PNG, GIF, WebP, AVIF) and PDFs are shown inline with their
  type; anything else, SVG included (it can carry scripts), is a download
  (``application/octet-stream``, ``Content-Disposition: attachment``). Always
  ``X-Content-Type-Options: nosniff``, a sandboxing ``Content-Security-Policy``
  (PDF apart, which browsers will not show sandboxed) and a year's cache: the
  content never changes under its hash.
- ``/<db>/-/page/<id>``: a stored raw page as the site showed it, in a
  sandboxed frame (``/<db>/-/page/<id>/view``: scripts and outside loads
  removed, see ``scraper.serve.rawpage``, and forbidden by the response's
  CSP), with its fetch details; ``/text`` its visible text and ``/source`` its
  HTML source, both ``text/plain``.
"""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Response

from scraper.store.pages import decode_stored_body

from .archives import is_archive
from .rawpage import RAW_PAGE_CSP, image_urls, page_text, safe_page_html

__all__ = ["INLINE_TYPES", "ROUTES", "media_path", "release_media_urls"]

#: Served inline under their own type; every other file is a download.
INLINE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "application/pdf"}
)
_EXTENSIONS = {"image/svg+xml": "svg", "application/msword": "doc", "text/plain": "txt"}
_MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
_CACHE = "public, max-age=31536000, immutable"
_PLAIN = "text/plain; charset=utf-8"


def media_path(datasette: Any, database: str, sha256: str) -> str:
    """The archive's URL path of an archived file."""
    return datasette.urls.path(f"/{database}/-/media/{sha256}")


def _not_found(message: str) -> Response:
    return Response.text(message + "\n", status=404)


async def _allowed(datasette: Any, request: Any, database: str) -> bool:
    if not is_archive(datasette, database):
        return False
    return bool(
        await datasette.permission_allowed(
            request.actor, "view-database", resource=database, default=True
        )
    )


async def media_view(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    sha256 = request.url_vars["sha256"]
    if not await _allowed(datasette, request, database):
        return _not_found("No such archive.")
    etag = f'"{sha256}"'
    if request.headers.get("if-none-match") == etag:
        return Response("", status=304, headers={"ETag": etag, "Cache-Control": _CACHE})
    db = datasette.get_database(database)
    try:
        result = await db.execute(
            "select content_type, chunks from media where sha256 = ?", [sha256]
        )
    except Exception:  # an archive from before media were archived
        return _not_found("No such file in the archive.")
    row = result.first()
    if row is None:
        return _not_found("No such file in the archive.")
    content_type = row["content_type"] or ""
    # One piece a query: each within what the serving connection may read.
    pieces = []
    for seq in range(row["chunks"] or 0):
        piece = await db.execute(
            "select data from media_chunks where sha256 = ? and seq = ?", [sha256, seq]
        )
        pieces.append(bytes(piece.first()["data"]))
    data = b"".join(pieces)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": _CACHE,
        "ETag": etag,
    }
    if content_type in INLINE_TYPES:
        headers["Content-Disposition"] = "inline"
    else:
        extension = _EXTENSIONS.get(content_type, "bin")
        headers["Content-Disposition"] = f'attachment; filename="{sha256[:16]}.{extension}"'
        content_type = "application/octet-stream"
    if content_type != "application/pdf":
        headers["Content-Security-Policy"] = _MEDIA_CSP
    return Response(data, status=200, headers=headers, content_type=content_type)


async def _stored_page(datasette: Any, database: str, page_id: int) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    result = await db.execute(
        "select p.id, p.source, p.url, p.final_url, p.status, p.headers, p.fetched_at, "
        "p.body_hash, p.encoding, b.size, b.compression, b.data from pages p "
        "left join bodies b on b.hash = p.body_hash where p.id = ?",
        [page_id],
    )
    row = result.first()
    if row is None:
        return None
    page = dict(row)
    data = page.pop("data")
    page["html"] = (
        decode_stored_body(
            bytes(data), compression=page.pop("compression"), encoding=page["encoding"]
        )
        if data is not None
        else ""
    )
    return page


async def _archived_images(datasette: Any, database: str, urls: list[str]) -> dict[str, str]:
    """Image URL -> the archive's URL of its copy, for those archived."""
    if not urls:
        return {}
    db = datasette.get_database(database)
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(urls))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        try:
            result = await db.execute(
                "select url, sha256 from release_media where status = 'archived' and url in ("
                + ",".join("?" * len(chunk))
                + ")",
                chunk,
            )
        except Exception:  # an archive from before media were archived
            return {}
        for row in result.rows:
            found[row["url"]] = media_path(datasette, database, row["sha256"])
    return found


async def page_view(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    if not await _allowed(datasette, request, database):
        return _not_found("No such archive.")
    page = await _stored_page(datasette, database, int(request.url_vars["page_id"]))
    if page is None:
        return _not_found("No such stored page.")
    view = request.url_vars.get("view") or ""
    base = page["final_url"] or page["url"] or ""
    plain = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
    if view == "text":
        return Response(page_text(page["html"]), headers=plain, content_type=_PLAIN)
    if view == "source":
        return Response(page["html"], headers=plain, content_type=_PLAIN)
    if view == "view":
        archived = await _archived_images(datasette, database, image_urls(page["html"], base))
        html = safe_page_html(page["html"], base, archived.get)
        headers = {
            "Content-Security-Policy": RAW_PAGE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            # Shown in a frame of our own page ("Den sparade råsidan"), by no one else's.
            "X-Frame-Options": "SAMEORIGIN",
        }
        return Response.html(html, headers=headers)
    db = datasette.get_database(database)
    releases = (
        await db.execute(
            "select id, title from releases where page_id = ? order by id", [page["id"]]
        )
    ).rows
    here = datasette.urls.path(f"/{database}/-/page/{page['id']}")
    context = {
        "database": database,
        "page": {k: v for k, v in page.items() if k != "html"},
        "releases": [dict(r) for r in releases],
        "view_url": here + "/view",
        "text_url": here + "/text",
        "source_url": here + "/source",
        "row_url": datasette.urls.row(database, "pages", str(page["id"])),
    }
    html = await datasette.render_template("scraper_page.html", context, request=request)
    return Response.html(html)


async def release_media_urls(datasette: Any, database: str, release_id: int) -> dict[str, str]:
    """A release's archived files: original URL -> the archive's URL of the copy."""
    db = datasette.get_database(database)
    try:
        result = await db.execute(
            "select url, sha256 from release_media where release_id = ? and status = 'archived'",
            [release_id],
        )
    except Exception:  # an archive from before media were archived
        return {}
    return {row["url"]: media_path(datasette, database, row["sha256"]) for row in result.rows}


#: (path regex, view) for Datasette's ``register_routes``.
ROUTES: list[tuple[str, Any]] = [
    (r"^/(?P<database>[^/]+)/-/media/(?P<sha256>[0-9a-f]{64})$", media_view),
    (
        r"^/(?P<database>[^/]+)/-/page/(?P<page_id>[0-9]{1,18})(?:/(?P<view>view|text|source))?$",
        page_view,
    ),
]
