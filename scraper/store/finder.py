"""Search whose cost does not grow with the number of matches (issue 14).

``find_releases(db, SearchQuery(...))`` answers the search page. Every step
is bounded:

- **Filters inside FTS5.** A date range is a rowid range (the rowid is the
  publication day and id, see ``scraper.store.search``); municipality and
  kind are tokens of the index's ``tags`` column, ANDed into the MATCH.
- **Candidates.** The ``WINDOW`` newest matches, an index walk
  (``ORDER BY rowid DESC LIMIT``): a word matching 300,000 releases costs
  what one matching 5,001 does.
- **Relevance** (the default order). A query with at most ``WINDOW`` matches
  is ranked whole, exactly as before: words matched as written first, then
  bm25. A commoner query ranks the ``WINDOW`` newest matches: the best of the
  recent ones. bm25 is computed inside FTS5 for those rows only; the releases
  table is joined for the page's rows only.
- **Newest first**: keyset paging on the rowid (``after``): page 100 costs
  what page 1 does.
- **Count**: exact up to ``WINDOW``, else "more than"; the exact count is
  computed only when asked (``exact_count``).
- **Facets** (municipality, county, kind, year): over the candidates.
- **Snippets**: only for the rows shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from .query_language import MATCH_NOTHING, build_match_query
from .search import (
    FTS_TABLE,
    KEY_COLUMN,
    KEY_SHIFT,
    day_key,
    kind_tag,
    rank_expression,
    sources_tags,
)

__all__ = ["WINDOW", "Facet", "SearchHit", "SearchQuery", "SearchResult", "find_releases"]

#: Candidates a query ranks and facets at most (the newest matches).
WINDOW = 5000
SNIPPET = "snippet([releases_fts], 2, '«', '»', ' … ', 24)"


@dataclass(frozen=True)
class SearchQuery:
    """What the search page asks for (values already checked by the page)."""

    #: The user's query in the search language (``scraper.store.query_language``).
    q: str
    #: Sources to keep (empty: all): a municipality or county resolved to its sources.
    sources: tuple[str, ...] = ()
    #: A kind to keep ("Pressmeddelande"), or None.
    kind: str | None = None
    #: First and last day kept, "YYYY-MM-DD", inclusive; None: open.
    first_day: str | None = None
    last_day: str | None = None
    #: "relevance" or "newest".
    order: str = "relevance"
    #: Page number (relevance) from 1; or for "newest", the key to continue after.
    page: int = 1
    after: int | None = None
    per_page: int = 20
    exact_count: bool = False
    facets: bool = True


@dataclass(frozen=True)
class SearchHit:
    """One release in the results."""

    id: int
    key: int
    title: str
    municipality: str
    source: str
    kind: str | None
    published: str | None
    url: str | None
    excerpt: str
    removed_at: str | None = None
    first_seen: str | None = None
    lead: str | None = None


@dataclass(frozen=True)
class Facet:
    """Counts of one facet over the candidates: (value, label, count), biggest first."""

    name: str
    values: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    #: Matches counted: exact when ``exact``, else at least this many.
    count: int
    exact: bool
    #: Whether the ranking covered every match (False: the WINDOW newest).
    ranked_all: bool
    facets: tuple[Facet, ...] = ()
    #: For "newest": the key to pass as ``after`` for the next page; None at the end.
    next_after: int | None = None
    has_next: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _match_expression(query: SearchQuery) -> str:
    match = build_match_query(query.q)
    if match == MATCH_NOTHING:
        return match
    filters = []
    if query.sources:
        tags = sources_tags(query.sources)
        if not tags:
            return MATCH_NOTHING
        filters.append("tags : (" + " OR ".join(tags) + ")")
    if query.kind:
        tag = kind_tag(query.kind)
        if not tag:
            return MATCH_NOTHING
        filters.append(f"tags : {tag}")
    return " AND ".join([f"({match})", *filters]) if filters else match


def _key_range(query: SearchQuery) -> tuple[int, int]:
    low = day_key(query.first_day) if query.first_day else 0
    high = day_key(query.last_day, end=True) if query.last_day else 2**62  # beyond any key
    return low, high


def find_releases(db: sqlite_utils.Database, query: SearchQuery) -> SearchResult:
    """Search the archive; see the module docstring for what bounds each step."""
    match = _match_expression(query)
    if match == MATCH_NOTHING:
        return SearchResult(hits=(), count=0, exact=True, ranked_all=True)
    low, high = _key_range(query)
    where = f"[{FTS_TABLE}] MATCH :m AND rowid BETWEEN :low AND :high"
    args: dict[str, Any] = {"m": match, "low": low, "high": high}
    rank = rank_expression()
    # The newest WINDOW + 1 matches with their scores, computed inside FTS5 only for them.
    candidates = db.execute(
        f"SELECT rowid, {rank.replace(' = 0,', ' = 0 AS exact_miss,')} AS score "
        f"FROM [{FTS_TABLE}] WHERE {where} ORDER BY rowid DESC LIMIT {WINDOW + 1}",
        args,
    ).fetchall()
    ranked_all = len(candidates) <= WINDOW
    candidates = candidates[:WINDOW]
    count, exact = len(candidates), ranked_all
    if query.exact_count and not ranked_all:
        count = db.execute(f"SELECT count(*) FROM [{FTS_TABLE}] WHERE {where}", args).fetchone()[0]
        exact = True
    next_after = None
    if query.order == "newest":
        after = query.after if query.after is not None else high + 1
        page_keys = [c[0] for c in candidates if c[0] < after][: query.per_page + 1]
        if len(page_keys) <= query.per_page and not ranked_all:
            page_keys = _walk(db, args, after, query.per_page + 1)  # beyond the window
        has_next = len(page_keys) > query.per_page
        page_keys = page_keys[: query.per_page]
        next_after = page_keys[-1] if has_next else None
    else:
        ordered = sorted(candidates, key=lambda c: (c[1], c[2], -c[0]))
        start = (query.page - 1) * query.per_page
        page_keys = [c[0] for c in ordered[start : start + query.per_page + 1]]
        has_next = len(page_keys) > query.per_page
        page_keys = page_keys[: query.per_page]
    hits = _hits(db, match, page_keys)
    facets = _facets(db, [c[0] for c in candidates]) if query.facets else ()
    return SearchResult(
        hits=hits,
        count=count,
        exact=exact,
        ranked_all=ranked_all,
        facets=facets,
        next_after=next_after,
        has_next=has_next,
    )


def _walk(db: sqlite_utils.Database, args: dict[str, Any], after: int, limit: int) -> list[int]:
    """Keys of the next ``limit`` matches older than ``after``: an index walk in FTS5."""
    rows = db.execute(
        f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH :m "
        f"AND rowid BETWEEN :low AND :high AND rowid < :after ORDER BY rowid DESC LIMIT {limit}",
        {**args, "after": after},
    )
    return [row[0] for row in rows]


def _hits(db: sqlite_utils.Database, match: str, keys: list[int]) -> tuple[SearchHit, ...]:
    if not keys:
        return ()
    marks = ",".join("?" * len(keys))
    rows = db.execute(
        f"SELECT [{FTS_TABLE}].rowid, r.id, r.title, coalesce(s.name, r.source), r.source, r.kind, "
        f"r.published, r.url, {SNIPPET}, r.removed_at, "
        f"r.first_seen, r.lead "
        f"FROM [{FTS_TABLE}] JOIN releases r ON r.{KEY_COLUMN} = [{FTS_TABLE}].rowid "
        f"LEFT JOIN sources s ON s.id = r.source "
        f"WHERE [{FTS_TABLE}] MATCH ? AND [{FTS_TABLE}].rowid IN ({marks})",
        [match, *keys],
    ).fetchall()
    by_key = {
        row[0]: SearchHit(
            key=row[0],
            id=row[1],
            title=row[2] or "",
            municipality=row[3] or "",
            source=row[4],
            kind=row[5],
            published=row[6],
            url=row[7],
            excerpt=row[8] or "",
            removed_at=row[9],
            first_seen=row[10],
            lead=row[11],
        )
        for row in rows
    }
    return tuple(by_key[k] for k in keys if k in by_key)


def _facets(db: sqlite_utils.Database, keys: list[int]) -> tuple[Facet, ...]:
    if not keys:
        return ()
    sources: dict[str, int] = {}
    kinds: dict[str, int] = {}
    years: dict[str, int] = {}
    for key in keys:
        day = key // KEY_SHIFT
        year = str(day // 10000) if day else "okänt"
        years[year] = years.get(year, 0) + 1
    for i in range(0, len(keys), 900):
        chunk = keys[i : i + 900]
        for source, kind, n in db.execute(
            f"SELECT source, coalesce(kind, ''), count(*) FROM releases "
            f"WHERE {KEY_COLUMN} IN ({','.join('?' * len(chunk))}) GROUP BY 1, 2",
            chunk,
        ):
            sources[source] = sources.get(source, 0) + n
            kinds[kind] = kinds.get(kind, 0) + n
    names: dict[str, tuple[str, str, str]] = {}
    for sid, name, county, county_code in db.execute(
        "SELECT s.id, coalesce(o.name, s.name, s.id), coalesce(o.county, ''), "
        "coalesce(o.county_code, '') FROM sources s "
        "LEFT JOIN organisations o ON o.id = s.organisation"
    ):
        names[sid] = (name, county, county_code)
    municipalities: dict[str, int] = {}
    counties: dict[str, int] = {}
    labels: dict[str, str] = {}
    for source, n in sources.items():
        name, county, _ = names.get(source, (source, "", ""))
        municipalities[name] = municipalities.get(name, 0) + n
        if county:
            counties[county] = counties.get(county, 0) + n

    def facet(name: str, counts: dict[str, int], *, by_value: bool = False) -> Facet:
        items = sorted(counts.items(), key=(lambda kv: kv[0]) if by_value else (lambda kv: -kv[1]))
        if by_value:
            items.reverse()
        return Facet(name, tuple((v, labels.get(v, v), n) for v, n in items))

    return (
        facet("kommun", municipalities),
        facet("lan", counties),
        facet("typ", {k: n for k, n in kinds.items() if k}),
        facet("ar", years, by_value=True),
    )
