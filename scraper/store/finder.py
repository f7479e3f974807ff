"""Search whose cost does not grow with the number of matches (issue 14).

``find_releases(db, SearchQuery(...))`` answers the search page. Every step
is bounded:

- **Filters inside FTS5.** A date range is a rowid range (the rowid is the
  publication day and id, see ``scraper.store.search``); municipality and
  kind are tokens of the index's ``tags`` column, ANDed into the MATCH.
- **Candidates.** The ``WINDOW`` newest matches, an index walk
  (``ORDER BY rowid DESC LIMIT``): a word matching 300,000 releases costs
  what one matching 5,001 does. Matches are found and counted by their stems
  alone (``query_language.walk_match``: the same releases, one walk instead
  of two; a phrase of common words by its pairs, ``words.pair_tag``; a
  prefix longer than the prefix index by the words that start with it,
  ``index_terms``: FTS5 would merge all their postings first); a query
  with a phrase left that is not ranked by bm25 looks at its
  ``PHRASE_WINDOW`` newest (each costs a check of word positions).
- **Relevance** (the default order): releases where some word occurs as
  written first, then those matched through a stem only; bm25 within each
  tier. A query with at most ``WINDOW`` matches is ranked whole, as before
  issue 14. A commoner one ranks its ``WINDOW`` newest matches: the best of
  the recent ones; for one word, the ``WINDOW`` newest releases that have it
  as written come first (a stem may match far more often than the word). bm25
  is computed inside FTS5 for those rows only; releases are read for the
  page's rows only.
- **Too common for bm25** (``bm25_cost.bm25_affordable``: its words have
  more than ``BM25_POSTINGS`` postings: bm25 reads them all for its
  document frequencies; a prefix longer than the prefix index counts
  ``MERGE_COST`` times; a query with more matches than the window, but for
  one word found as written: ``WINDOWED_BM25_POSTINGS``): ranked by place,
  the query's words in the title first (title tags, an index walk; for
  several words, among the candidates), then the word as written, then the
  rest, newest first in each (``_by_place``).
- **Newest first**: keyset paging on the rowid (``after``): page 100 costs
  what page 1 does.
- **Count**: exact up to ``WINDOW``, else "more than"; the exact count is
  computed only when asked (``exact_count``).
- **Facets** (municipality, county, kind, year): over the ``FACET_WINDOW``
  newest matches.
- **Excerpts**: only for the rows shown, in Python (``scraper.store.excerpts``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from .bm25_cost import bm25_affordable, checks_positions
from .excerpts import make_excerpt
from .index_terms import prefix_terms
from .query_language import (
    MATCH_NOTHING,
    build_match_query,
    query_terms,
    title_match,
    walk_match,
    written_match,
)
from .search import (
    FTS_TABLE,
    KEY_COLUMN,
    KEY_SHIFT,
    RANK_WEIGHTS,
    day_key,
    kind_tag,
    sources_tags,
)

__all__ = [
    "FACET_WINDOW",
    "PHRASE_WINDOW",
    "WINDOW",
    "WINDOWED_BM25_POSTINGS",
    "Facet",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "find_releases",
]

#: Candidates a query counts and ranks at most (the newest matches).
WINDOW = 2000
#: Candidates the facets count at most (the newest matches).
FACET_WINDOW = 1000
#: Candidates of a query with a phrase that is ranked by place or newest first
#: and not one posting list (``words.pair_tag``): each costs a check of its
#: words' positions (~50 µs at 1,000,000 releases, 2,000 of them ~100 ms; a
#: word's ~0.5 µs). bench/search.py's 30 phrases at 1,000,000 releases: the
#: slowest took 51-58 ms with 500, 32-36 ms with 200 (2 of them fill it).
PHRASE_WINDOW = 200
#: Postings bm25 may read for a query with more matches than the ``WINDOW``, but
#: for one word found as written (bm25 ranks those matches first, reading their
#: postings only): it would rank only the newest matches and read every
#: posting of the query's words (or prefix, or phrase) to do so: for two medium
#: words OR'ed at 1,000,000 releases, 10-55 ms, the slowest searches left. Over
#: this budget such a query is ranked by place. Share of the first 20 the full
#: ranking also gives, bench/search.py's queries, without -> with this budget: at
#: 1,000,000 releases OR 0.05 -> 0.02 (25 of 30 ranked by bm25 -> 3), prefix
#: 0.007 -> 0.007 (15 -> 4), without å/ä/ö 0.25 -> 0.24; at 250,000 OR 0.15 ->
#: 0.15, prefix 0.07 -> 0.06, two words 0.85 -> 0.69 (with 100,000 postings:
#: 0.75, but 11 of 30 OR queries at 1,000,000 kept bm25); bench/search_layout.py's
#: rare and medium words: unchanged (250,000: 0.91, 0.95; 1,000,000: 1.00, 0.99).
WINDOWED_BM25_POSTINGS = 50_000
#: A walk of at least this many matches of several words, or within dates, is
#: first tried oldest first: when it finds fewer than it may keep, those are all
#: the matches. FTS5 walks an AND, a phrase or a date range backwards slowly:
#: at 1,000,000 releases "behövs" in one municipality and year 13.4 ms newest
#: first, 0.1 ms oldest first; "människors från" 29 and 8 ms; bench/search.py's
#: 30 two-word queries 5.7 ms at the median newest first, 4.3 oldest first (one
#: word alone: 2.0 and 1.7). A walk that finds as many then goes newest first
#: (~2 ms lost at 2,000 matches).
ASCENDING_FIRST = 200


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
    #: How the relevance order was made: "bm25", or "place" (a query too common
    #: for bm25: the query's words in the title first, newest first; see ``_by_place``).
    ranking: str = "bm25"
    #: The newest matches the count, ranking and facets looked at, at most.
    window: int = WINDOW
    facet_window: int = FACET_WINDOW
    extra: dict[str, Any] = field(default_factory=dict)


def _filtered(match: str, query: SearchQuery) -> str:
    """The MATCH expression with the municipality and kind filters as tags."""
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


class _Index:
    """The FTS5 queries of one search: a MATCH expression within a key range."""

    def __init__(
        self, db: sqlite_utils.Database, match: str, low: int, high: int, *, written: bool = False
    ) -> None:
        self.db, self.match, self.low, self.high = db, match, low, high
        #: The MATCH asks for words as written only: every row is in the first tier.
        self.written = written

    def newest(self, limit: int, *, before: int | None = None) -> list[int]:
        """Keys of the newest ``limit`` matches (older than ``before``): an index walk.

        A walk of ``ASCENDING_FIRST`` or more of a MATCH of several words (or
        within dates) goes oldest first while it finds fewer than ``limit``:
        FTS5 seeks backwards slowly (``ASCENDING_FIRST``).
        """
        high = min(self.high, (before or 2**62) - 1)
        sql = (
            f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH ? "
            "AND rowid BETWEEN ? AND ? ORDER BY rowid {order} LIMIT " + str(limit)
        )
        args = [self.match, self.low, high]
        if limit >= ASCENDING_FIRST and (self.low > 0 or high < 2**62 - 1 or _several(self.match)):
            keys = [row[0] for row in self.db.execute(sql.format(order="ASC"), args)]
            if len(keys) < limit:  # every match: the same keys
                return keys[::-1]
        return [row[0] for row in self.db.execute(sql.format(order="DESC"), args)]

    def scored(self, limit: int) -> list[tuple[int, bool, float]]:
        """(key, no word as written, bm25) of the newest ``limit`` matches (computed for those)."""
        exact = ", ".join(str(w) for w in RANK_WEIGHTS[:3])
        weights = ", ".join(str(w) for w in RANK_WEIGHTS)
        # bm25 costs microseconds a row (a phrase: more): the tier is only computed
        # when it can differ between rows.
        tier = "0" if self.written else f"bm25([{FTS_TABLE}], {exact}, 0, 0) = 0"
        return self.db.execute(
            f"SELECT rowid, {tier}, bm25([{FTS_TABLE}], {weights}) FROM [{FTS_TABLE}] "
            f"WHERE [{FTS_TABLE}] MATCH ? AND rowid BETWEEN ? AND ? "
            f"ORDER BY rowid DESC LIMIT {limit}",
            [self.match, self.low, self.high],
        ).fetchall()

    def count(self) -> int:
        return self.db.execute(
            f"SELECT count(*) FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH ? "
            "AND rowid BETWEEN ? AND ?",
            [self.match, self.low, self.high],
        ).fetchone()[0]


def _several(match: str) -> bool:
    """Whether a MATCH has more than one word, tag or phrase (or a phrase of several words)."""
    return any(op in match for op in (" AND ", " OR ", " NOT ")) or checks_positions(match)


def _order(scored: list[tuple[int, bool, float]]) -> list[int]:
    return [c[0] for c in sorted(scored, key=lambda c: (c[1], c[2], -c[0]))]


def _one_word(q: str) -> bool:
    """Whether a query of one term (it has a ``written_match``) is a word, not a prefix or
    phrase: ranked first by its matches as written, bm25 reading their postings only
    (``_ranked``)."""
    terms = query_terms(q)
    return len(terms) == 1 and len(terms[0].tokens) == 1 and not terms[0].prefix


def _by_place(
    tiers: list[Callable[[], list[int]]], candidates: list[int], *, needed: int
) -> list[int]:
    """Keys of a query too common for bm25, by where its words stand, newest first in each tier.

    ``tiers``: the groups before the rest, best first (the query with its
    words in the title; the word as written), each asked only when the ones
    before it do not fill the page. Then the candidates (the newest matches)
    not placed yet.
    """
    keys: list[int] = []
    seen: set[int] = set()
    for tier in [*tiers, lambda: candidates]:
        for key in tier():
            if key not in seen:
                seen.add(key)
                keys.append(key)
        if len(keys) >= needed:
            break
    return keys


def _ranked(
    full: _Index,
    written: _Index | None,
    *,
    truncated: bool,
    needed: int,
    scored: list[tuple[int, bool, float]] | None = None,
) -> list[int]:
    """Keys in relevance order: some word as written first, then bm25, then newest.

    ``scored``: the full query's scores of the newest ``WINDOW`` matches when
    the caller already has them (they were its candidates).
    """
    if not truncated or written is None:
        # Every match (as before issue 14), or the newest WINDOW of a common query.
        return _order(scored if scored is not None else full.scored(WINDOW))
    # One common word: the newest releases that have it as written come first, even
    # those older than the newest WINDOW matches (stems may match far more often).
    keys = _order(written.scored(WINDOW))
    if len(keys) >= needed:
        return keys
    seen = set(keys)
    return keys + [k for k in _order(full.scored(WINDOW)) if k not in seen]


def find_releases(
    db: sqlite_utils.Database,
    query: SearchQuery,
    *,
    labels: Mapping[str, tuple[str, str, str]] | None = None,
) -> SearchResult:
    """Search the archive; see the module docstring for what bounds each step.

    :param labels: source id -> (municipality, county, county code) for the
        facets, when the caller keeps them (the search page's directory);
        else read from the archive.
    """
    match = _filtered(build_match_query(query.q), query)
    if match == MATCH_NOTHING:
        return SearchResult(hits=(), count=0, exact=True, ranked_all=True)
    low, high = _key_range(query)
    full = _Index(db, match, low, high)

    def expand(group: str, prefix: str) -> list[str] | None:
        return prefix_terms(db, group, prefix)

    # The same releases by stems alone: what finds and counts them (bm25 ranks by
    # ``full``); a long prefix as the words that start with it (``index_terms``).
    walk = _Index(db, _filtered(walk_match(query.q, expand), query), low, high)
    if query.order == "newest" and not query.facets and not query.exact_count:
        # A feed: the page alone, an index walk (no count, no facets).
        keys = walk.newest(query.per_page + 1, before=query.after)
        more = len(keys) > query.per_page
        keys = keys[: query.per_page]
        return SearchResult(
            hits=_hits(db, query.q, keys),
            count=len(keys),
            exact=not more,
            ranked_all=not more,
            next_after=keys[-1] if more else None,
            has_next=more,
        )
    relevance = query.order != "newest"
    as_written = written_match(query.q) if relevance else None
    by_bm25 = relevance and bm25_affordable(db, match)
    scored = None
    window = PHRASE_WINDOW if not by_bm25 and checks_positions(walk.match) else WINDOW
    written = (
        _Index(db, _filtered(as_written, query), low, high, written=True) if as_written else None
    )
    candidates = walk.newest(window + 1)
    if (
        by_bm25
        and len(candidates) > window
        and not bm25_affordable(db, match, WINDOWED_BM25_POSTINGS)
        and not (written is not None and _one_word(query.q) and written.newest(1))
    ):
        # bm25 would rank only the window's matches, reading every posting of the
        # words to do so. A word found as written keeps it: its matches as written
        # come first, ranked by bm25 over their own postings (``_ranked``); one found
        # only by its stem (typed without å/ä/ö, or only inflected forms) does not.
        by_bm25 = False
    if by_bm25 and not as_written:
        # Ranked by bm25 whatever the count: scored in a walk of their own.
        scored = full.scored(window + 1)
        candidates = [row[0] for row in scored]
    truncated = len(candidates) > window
    candidates = candidates[:window]
    scored = scored[:window] if scored is not None else None
    count, exact_count = len(candidates), not truncated
    if query.exact_count and truncated:
        count, exact_count = walk.count(), True
    next_after = None
    if query.order == "newest":
        page_keys = [k for k in candidates if query.after is None or k < query.after]
        if len(page_keys) <= query.per_page and truncated:
            page_keys = walk.newest(query.per_page + 1, before=query.after)  # past the window
        page_keys = page_keys[: query.per_page + 1]
        has_next = len(page_keys) > query.per_page
        page_keys = page_keys[: query.per_page]
        next_after = page_keys[-1] if has_next else None
    else:
        start = (query.page - 1) * query.per_page
        needed = start + query.per_page + 1
        if by_bm25:
            ranked = _ranked(full, written, truncated=truncated, needed=needed, scored=scored)
        else:
            terms = query_terms(query.q)
            tiers: list[Callable[[], list[int]]] = []
            in_title = title_match(query.q, expand)
            # The title tier of a query of several words looks among the candidates
            # (from the oldest of them on): over the whole archive it walks every
            # release with all the words when few have them in the title.
            floor = max(low, candidates[-1]) if truncated else low
            if in_title and any(len(t.tokens) > 1 or t.prefix for t in terms):
                # A phrase: the whole query ANDed with the title tags would check
                # positions in every release with those words in its title; a
                # prefix (longer than the prefix index) would merge the postings of
                # all its words again. The tags alone, kept among the candidates,
                # do neither.
                tagged = _Index(db, _filtered(in_title, query), floor, high)
                among = set(candidates)
                tiers.append(lambda: [k for k in tagged.newest(WINDOW) if k in among])
            elif in_title:
                # One word: the newest releases with it in the title, whenever.
                since = low if written is not None else floor
                titled = _Index(db, f"({walk.match}) AND ({in_title})", since, high)
                tiers.append(lambda: titled.newest(WINDOW))
            if written is not None and len(terms[0].tokens) == 1 and not terms[0].prefix:
                # A phrase or prefix as written is as costly to walk as the query
                # itself: a word only.
                word = written
                tiers.append(lambda: word.newest(WINDOW))
            ranked = _by_place(tiers, candidates, needed=needed)
        page_keys = ranked[start : start + query.per_page + 1]
        has_next = len(page_keys) > query.per_page
        page_keys = page_keys[: query.per_page]
    return SearchResult(
        hits=_hits(db, query.q, page_keys),
        count=count,
        exact=exact_count,
        ranked_all=not truncated,
        facets=_facets(db, candidates[:FACET_WINDOW], labels) if query.facets else (),
        next_after=next_after,
        has_next=has_next,
        ranking="bm25" if by_bm25 or not relevance else "place",
        window=window,
        facet_window=min(window, FACET_WINDOW),
    )


def _hits(db: sqlite_utils.Database, q: str, keys: list[int]) -> tuple[SearchHit, ...]:
    if not keys:
        return ()
    rows = db.execute(
        f"SELECT r.{KEY_COLUMN}, r.id, r.title, coalesce(s.name, r.source), r.source, r.kind, "
        "r.published, r.url, r.lead, r.body, r.removed_at, r.first_seen "
        "FROM releases r LEFT JOIN sources s ON s.id = r.source "
        f"WHERE r.{KEY_COLUMN} IN ({','.join('?' * len(keys))})",
        keys,
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
            lead=row[8],
            excerpt=make_excerpt(row[9] or row[8] or "", q),
            removed_at=row[10],
            first_seen=row[11],
        )
        for row in rows
    }
    return tuple(by_key[k] for k in keys if k in by_key)


def _source_labels(db: sqlite_utils.Database) -> dict[str, tuple[str, str, str]]:
    """Source id -> (municipality, county, county code), read from the archive."""
    return {
        sid: (name, county, county_code)
        for sid, name, county, county_code in db.execute(
            "SELECT s.id, coalesce(o.name, s.name, s.id), coalesce(o.county, ''), "
            "coalesce(o.county_code, '') FROM sources s "
            "LEFT JOIN organisations o ON o.id = s.organisation"
        )
    }


def _facets(
    db: sqlite_utils.Database, keys: list[int], labels: Mapping[str, tuple[str, str, str]] | None
) -> tuple[Facet, ...]:
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
    names = labels if labels is not None else _source_labels(db)
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
