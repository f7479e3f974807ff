"""The table search (``/<db>/releases?_search=``), bounded like the search page (issue 14).

Datasette's own ``_search`` filter puts every match into the table's query,
its count and each of its facets: a word in 300,000 releases is read four
or five times over, seconds at a million releases. The archive's releases
table declares no ``fts_table`` (so that filter stays out) and this one
takes its place:

- ``_search`` keeps the ``WINDOW`` newest matches (an index walk inside
  FTS5); rows, count and facets are over those, and the page says so when
  there were more. ``_all_matches=1`` keeps every match (the old cost, for
  a researcher who wants them all: it may hit the SQL time limit).
- With no sort asked for, the rows come newest first by ``search_key``
  (publication day, then id: the order of ``published`` descending), a walk
  of the key index instead of a sort.
- The query is read as on the search page (``swedish_walk``: stems,
  å/ä/ö, the query language); ``_searchmode=raw`` passes FTS5 syntax as it
  is, as Datasette's does.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments

from scraper.store import finder
from scraper.store.search import FTS_TABLE, KEY_COLUMN

from .archives import is_archive

__all__ = ["ALL_MATCHES", "sorted_by_key", "table_search_filters"]

#: The table-search argument that keeps every match instead of the newest WINDOW.
ALL_MATCHES = "_all_matches"
TABLE = "releases"


def _match_sql(request: Any) -> str:
    raw = request.args.get("_searchmode") == "raw"
    return ":search" if raw else "swedish_walk(:search)"


@hookimpl(specname="filters_from_request", trylast=True)
def table_search_filters(request: Any, database: str, table: str, datasette: Any) -> Any:
    """``_search`` on the archive's releases: the newest WINDOW matches (see module doc)."""
    if table != TABLE or not is_archive(datasette, database):
        return None

    async def inner() -> FilterArguments:
        # trylast: this extra context is applied after Datasette's own filters',
        # which say there is no search (the table declares no fts_table).
        extra: dict[str, Any] = {"supports_search": True}
        q = request.args.get("_search") or ""
        if not q.strip():
            return FilterArguments([], extra_context=extra)
        extra["search"] = q
        match = f"select rowid from [{FTS_TABLE}] where [{FTS_TABLE}] match {_match_sql(request)}"
        every = request.args.get(ALL_MATCHES) not in (None, "", "0")
        if every:
            return FilterArguments(
                [f"[{KEY_COLUMN}] in ({match})"],
                {"search": q},
                [f'search matches "{q}" (every match)'],
                extra,
            )
        # The newest matches, found once: a phrase of common words walks much of the
        # index, and the table asks for its rows, its count and each facet apart.
        window = finder.WINDOW
        db = datasette.get_database(database)
        found = await db.execute(f"{match} order by rowid desc limit {window + 1}", {"search": q})
        keys = [row[0] for row in found.rows]
        described = f'search matches "{q}"'
        if len(keys) > window:
            described += f" (the {window:,} newest matches; {ALL_MATCHES}=1 for every one)"
        return FilterArguments(
            [f"[{KEY_COLUMN}] in (select value from json_each(:search_keys))"],
            {"search_keys": json.dumps(keys[:window])},
            [described],
            extra,
        )

    return inner


_SORTS = ("_sort", "_sort_desc")


def sorted_by_key(scope: dict[str, Any], databases: list[str]) -> dict[str, Any]:
    """The scope of a releases table search with no sort, sorted by the key (newest first).

    Any other request is returned as it is.
    """
    if scope.get("type") != "http":
        return scope
    path = scope.get("path", "")
    if not any(
        path in (f"/{name}/{TABLE}", f"/{name}/{TABLE}.json", f"/{name}/{TABLE}.csv")
        for name in databases
    ):
        return scope
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    pairs = parse_qsl(query, keep_blank_values=True)
    names = {k for k, _ in pairs}
    if "_search" not in names or names & set(_SORTS):
        return scope
    pairs.append(("_sort_desc", KEY_COLUMN))
    return {**scope, "query_string": urlencode(pairs).encode("ascii")}
