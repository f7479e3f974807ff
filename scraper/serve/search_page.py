"""The search page at the root of the site, with its Atom feed and JSON (issue 11, 14).

    /            the page: one box, results, facets, filters, paging (no JavaScript)
    /sok.atom    the same search as a feed, newest first (ETag / Last-Modified: 304)
    /sok.json    the same search as JSON

Parameters: ``scraper.serve.search_params``. The search itself is
``scraper.store.finder.find_releases`` (bounded work per request).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

import sqlite_utils
from markupsafe import Markup, escape

from scraper.store.finder import FACET_WINDOW, WINDOW, SearchQuery, SearchResult, find_releases
from scraper.store.query_language import MAX_QUERY_WORDS, query_terms, query_truncated
from scraper.store.search import VOCAB_TABLE

from .archives import archive_names
from .safety import own_queries
from .search_params import PER_PAGE, Directory, PageParams, read_params

__all__ = ["did_you_mean", "routes"]

ATOM_ENTRIES = 50
_SUGGEST_SCAN = 1000  # vocabulary terms read at most per suggestion


def _archive(datasette: Any) -> str | None:
    names = archive_names(datasette)
    return names[0] if names else None


#: Seconds a database's directory (names, counties, kinds) is kept between requests.
DIRECTORY_TTL = 60.0
_directories: dict[str, tuple[float, Directory]] = {}
# The kinds by a loose index scan: one index probe per kind, not one per release.
_KINDS_SQL = """WITH RECURSIVE k(kind) AS (
  SELECT min(kind) FROM releases WHERE kind > ''
  UNION ALL SELECT (SELECT min(kind) FROM releases WHERE kind > k.kind) FROM k
  WHERE k.kind IS NOT NULL)
SELECT kind FROM k WHERE kind IS NOT NULL"""


def _directory(conn: Any, name: str) -> Directory:
    cached = _directories.get(name)
    if cached is not None and time.monotonic() - cached[0] < DIRECTORY_TTL:
        return cached[1]
    rows = conn.execute(
        "SELECT s.id, s.name, o.id, o.name, o.county, o.county_code FROM sources s "
        "LEFT JOIN organisations o ON o.id = s.organisation"
    ).fetchall()
    directory = Directory.from_rows(rows, [r[0] for r in conn.execute(_KINDS_SQL)])
    _directories[name] = (time.monotonic(), directory)
    return directory


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def did_you_mean(conn: Any, q: str) -> str | None:
    """The query with each word the index does not know replaced by the nearest it knows.

    Reads the FTS5 vocabulary (``releases_fts_vocab``): the terms that begin
    with the first half of the word, at most ``_SUGGEST_SCAN`` of them.
    """
    changed = False
    words = []
    for term in query_terms(q):
        if term.prefix or len(term.tokens) != 1:
            continue
        word = term.tokens[0]
        if len(word) < 4:
            continue
        known = conn.execute(f"SELECT 1 FROM [{VOCAB_TABLE}] WHERE term = ?", [word]).fetchone()
        if known:
            continue
        best: tuple[int, int, str] | None = None
        limit = 1 if len(word) < 7 else 2
        # Candidates share the first half of the word (at least 3 letters): a
        # narrow stretch of the vocabulary, read with its document counts.
        start = max(3, len(word) // 2)
        rows = conn.execute(
            f"SELECT term, doc FROM [{VOCAB_TABLE}] WHERE term >= ? AND term < ? LIMIT ?",
            [word[:start], word[:start] + "\U0010ffff", _SUGGEST_SCAN],
        )
        for candidate, docs in rows:
            if not candidate.isalpha() or candidate == word:
                continue
            d = _distance(word, candidate, limit)
            if d <= limit and (best is None or (d, -docs) < (best[0], -best[1])):
                best = (d, docs, candidate)
        if best is not None:
            words.append((word, best[2]))
            changed = True
    if not changed:
        return None
    suggestion = q
    for word, better in words:
        suggestion = _replace_word(suggestion, word, better)
    return suggestion if suggestion != q else None


def _replace_word(q: str, word: str, better: str) -> str:
    out = []
    for part in q.split(" "):
        out.append(better if part.lower() == word else part)
    return " ".join(out)


def _query(
    params: PageParams, *, per_page: int = PER_PAGE, order: str | None = None
) -> SearchQuery:
    return SearchQuery(
        q=params.q,
        sources=params.sources,
        kind=params.kind or None,
        first_day=params.first_day,
        last_day=params.last_day,
        order=order or params.order,
        page=params.page if order is None else 1,
        after=params.after if order is None else None,
        per_page=per_page,
        exact_count=params.exact_count,
        facets=order is None,
    )


def _link(form: dict[str, str], **changes: str | None) -> str:
    values = {**form, **changes}
    return "/?" + urlencode({k: v for k, v in values.items() if v})


def _excerpt_html(text: str) -> Markup:
    html = str(escape(text)).replace("«", "<mark>").replace("»", "</mark>")
    return Markup(html)


def _count_text(result: SearchResult) -> str:
    if result.exact:
        return f"{result.count:,} träffar".replace(",", " ") if result.count != 1 else "1 träff"
    return f"fler än {result.count:,} träffar".replace(",", " ")


async def _search(datasette: Any, request: Any, *, feed: bool = False) -> dict[str, Any]:
    name = _archive(datasette)
    db = datasette.get_database(name)

    def work(conn: Any) -> dict[str, Any]:
        directory = _directory(conn, db.path or name)
        params = read_params(request.args, directory)
        context: dict[str, Any] = {"params": params, "directory": directory}
        if params.q and query_truncated(params.q):
            params.messages.append(
                f"Sökningen är lång: bara de första {MAX_QUERY_WORDS} orden används."
            )
        if params.q and params.usable:
            query = (
                _query(params, per_page=ATOM_ENTRIES, order="newest") if feed else _query(params)
            )
            result = find_releases(sqlite_utils.Database(conn), query, labels=directory.labels)
            context["result"] = result
            if not feed and result.count == 0:
                context["suggestion"] = did_you_mean(conn, params.q)
        return context

    def unbudgeted(conn: Any) -> dict[str, Any]:
        with own_queries(conn):
            return work(conn)

    return await db.execute_fn(unbudgeted)


async def search_page(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    if not _archive(datasette):
        return Response.text("No archive is served.", status=404)
    context = await _search(datasette, request)
    params: PageParams = context["params"]
    result: SearchResult | None = context.get("result")
    form = params.form
    links: dict[str, Any] = {
        "atom": "/sok.atom?" + urlencode({k: v for k, v in form.items() if v and k != "ordning"}),
        "json": "/sok.json?" + urlencode({k: v for k, v in form.items() if v}),
    }
    if result is not None:
        if params.order == "newest":
            if result.next_after is not None:
                links["next"] = _link(form, efter=str(result.next_after))
            if params.after is not None:
                links["first"] = _link(form, efter=None)
        else:
            if result.has_next:
                links["next"] = _link(form, sida=str(params.page + 1))
            if params.page > 1:
                links["previous"] = _link(form, sida=str(params.page - 1))
        if not result.exact:
            links["exact"] = _link(form, antal="exakt")
        links["newest"] = _link(form, ordning="nyast")
        links["relevance"] = _link(form, ordning="relevans")
    facet_links = []
    if result is not None:
        for facet in result.facets:
            label = {"kommun": "Kommun", "lan": "Län", "typ": "Typ", "ar": "År"}[facet.name]
            entries = []
            for value, text, n in facet.values[:12]:
                if facet.name == "ar":
                    href = _link(form, fran=value, till=value, sida=None, efter=None)
                else:
                    href = _link(form, **{facet.name: value, "sida": None, "efter": None})
                entries.append({"label": text, "count": n, "href": href})
            if entries:
                facet_links.append({"label": label, "entries": entries})
    archive = _archive(datasette)
    page_context = {
        "params": params,
        "form": form,
        "result": result,
        "count_text": _count_text(result) if result is not None else "",
        "hits": [
            {
                "hit": h,
                "href": datasette.urls.row(archive, "releases", str(h.id)),
                "excerpt": _excerpt_html(h.excerpt),
                "date": (h.published or "")[:10],
            }
            for h in (result.hits if result else ())
        ],
        "facets": facet_links,
        "links": links,
        "suggestion": context.get("suggestion"),
        "suggestion_href": _link(form, q=context.get("suggestion"), sida=None, efter=None)
        if context.get("suggestion")
        else None,
        "names_html": Markup(context["directory"].options_html),
        "kinds": context["directory"].kinds,
        "archive": archive,
        "database": archive,
        "window": result.window if result is not None else WINDOW,
        "facet_window": result.facet_window if result is not None else FACET_WINDOW,
    }
    html = await datasette.render_template("scraper_search.html", page_context, request=request)
    return Response.html(html)


async def search_json(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    if not _archive(datasette):
        return Response.json({"error": "no archive"}, status=404)
    context = await _search(datasette, request)
    params: PageParams = context["params"]
    result: SearchResult | None = context.get("result")
    body = {
        "q": params.q,
        "messages": params.messages,
        "count": result.count if result else 0,
        "count_exact": result.exact if result else True,
        "next_after": result.next_after if result else None,
        "has_next": result.has_next if result else False,
        # "bm25", "place" (too common for bm25: the words in the title first,
        # then newest first) or "newest" (ordning=nyast).
        "ranking": (result.ranking if params.order == "relevance" else "newest")
        if result
        else None,
        # The facets count the newest this many matches at most.
        "facet_window": result.facet_window if result else None,
        "suggestion": context.get("suggestion"),
        "rows": [
            {
                "id": h.id,
                "title": h.title,
                "municipality": h.municipality,
                "source": h.source,
                "kind": h.kind,
                "published": h.published,
                "url": h.url,
                "excerpt": h.excerpt,
                "key": h.key,
            }
            for h in (result.hits if result else ())
        ],
        "facets": {
            f.name: [{"value": v, "count": n} for v, _, n in f.values]
            for f in (result.facets if result else ())
        },
    }
    return Response.json(body, status=200)


async def search_atom(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    from .plugin import _atom_feed, _entry_html, _instant, atom_time

    name = _archive(datasette)
    if not name:
        return Response.text("No archive is served.", status=404)
    context = await _search(datasette, request, feed=True)
    params: PageParams = context["params"]
    result: SearchResult | None = context.get("result")
    entries = []
    for h in result.hits if result else ():
        archive = datasette.absolute_url(request, datasette.urls.row(name, "releases", str(h.id)))
        entries.append(
            {
                "id": h.url or archive,
                "title": h.title,
                "updated": atom_time(h.published, h.first_seen) or "1970-01-01T00:00:00+00:00",
                "author": h.municipality,
                "original": h.url,
                "archive": archive,
                "content_html": _entry_html(
                    h.lead or h.excerpt.replace("«", "").replace("»", ""), h.url, archive
                ),
            }
        )
    updated = max(
        (e["updated"] for e in entries), key=_instant, default="1970-01-01T00:00:00+00:00"
    )
    details = ", ".join(
        f"{v}" for k, v in params.form.items() if v and k in ("q", "kommun", "lan", "typ")
    )
    body = _atom_feed(
        feed_id=request.url,
        title=f"Sökning: {details}" if details else "Sökning",
        self_url=request.url,
        html_url=datasette.absolute_url(request, "/?" + request.query_string),
        updated=updated,
        entries=entries,
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    # When the archive last changed what the feed holds: the newest entry's arrival.
    seen = [h.first_seen for h in (result.hits if result else ()) if h.first_seen]
    newest = _instant(max(seen)).astimezone(UTC).replace(microsecond=0) if seen else None
    last_modified = format_datetime(newest, usegmt=True) if newest else None
    headers = {"ETag": etag, "Cache-Control": "max-age=300"}
    if last_modified:
        headers["Last-Modified"] = last_modified
    if _not_modified(request, etag, newest):
        return Response("", status=304, headers=headers)
    return Response(
        body, status=200, headers=headers, content_type="application/atom+xml; charset=utf-8"
    )


def _not_modified(request: Any, etag: str, updated: Any) -> bool:
    inm = request.headers.get("if-none-match")
    if inm:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = request.headers.get("if-modified-since")
    if ims and updated is not None:
        try:
            return updated <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def routes() -> list[tuple[str, Any]]:
    return [
        (r"^/$", search_page),
        (r"^/sok\.atom$", search_atom),
        (r"^/sok\.json$", search_json),
    ]
