"""Swedish full-text search over the archive: the index layout and its upkeep.

The search-only data lives outside ``releases`` (it was 40 % of a CSV export):

    release_stems       release_id (primary key), stems, tags: the shadow text
                        of each release (``words.stem_document``: every word
                        stemmed and folded, "Medborgarlöftet" ->
                        "medborgarloft") and its filter tags (municipality,
                        kind), written by the store with the release
    releases.search_key a virtual generated column (no storage): the
                        publication day and the id, yyyymmdd * 2**32 + id, so
                        that the index's rowid order is publication order
    release_search      a view: search_key, title, lead, body, stems, tags
    releases_fts        FTS5, external content over that view, rowid =
                        search_key; unicode61 without diacritics removal (å, ä
                        and ö are letters: "får" is not "far"); a prefix index
                        of ``PREFIX_INDEX`` characters
    releases_fts_vocab  fts5vocab over it, for "did you mean"
    search_terms        the index's words of 5 characters or more, by column
                        group: a prefix longer than the prefix index is an OR
                        of its words, not a merge (``index_terms``)

Because the rowid is the publication order, "newest matches first", a date
range (a rowid range) and keyset paging are index walks inside FTS5, whatever
the number of matches (see ``scraper.store.finder``).

Triggers keep the index in step with every write: a change of a release's
title, lead, body or published removes its index entry (before the row
changes, while the indexed text is still there) and its ``release_stems`` row;
the store then writes the new stems (``index_release``), which indexes it
again. A release whose text was changed by hand in SQL is unindexed until the
store next opens the archive (``ensure_search_index`` indexes every release
without stems).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .query_language import build_match_query
from .words import fold, pair_tags, stem_document, stem_word, title_tags, tokenize

__all__ = [
    "FTS_TABLE",
    "PREFIX_INDEX",
    "RANK_WEIGHTS",
    "STEMS_TABLE",
    "VOCAB_TABLE",
    "build_match_query",
    "ensure_search_index",
    "fill_missing_stems",
    "fold",
    "index_release",
    "optimize_index",
    "tidy_index",
    "rank_expression",
    "release_tags",
    "restem_all",
    "retag_all",
    "search_releases",
    "stem_document",
    "stem_word",
    "tokenize",
]

FTS_TABLE = "releases_fts"
STEMS_TABLE = "release_stems"
VIEW = "release_search"
VOCAB_TABLE = "releases_fts_vocab"
KEY_COLUMN = "search_key"
#: Columns of the FTS table, in order (the first three are text as written).
FTS_COLUMNS = ("title", "lead", "body", "stems", "tags")
TOKENIZER = "unicode61 remove_diacritics 0"
#: Prefix lengths indexed (characters): "skol*" and "bar*" are one index lookup.
PREFIX_INDEX = "3 4"
#: bm25 weights of title, lead, body, stems, tags: exact words count more than stems.
RANK_WEIGHTS = (10.0, 4.0, 1.0, 0.5, 0.0)
#: The key's day part: yyyymmdd of ``published`` (0 when it has no date).
KEY_SHIFT = 2**32
_DAY = "substr(published, 1, 10)"
KEY_SQL = (
    f"(CASE WHEN {_DAY} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' "
    f"THEN CAST(replace({_DAY}, '-', '') AS INTEGER) ELSE 0 END) * {KEY_SHIFT} + id"
)
_TRIGGERS = (
    "release_stems_ai",
    "release_stems_ad",
    "release_stems_au",
    "releases_search_bu",
    "releases_search_bd",
)
_OLD_TRIGGERS = ("releases_ai", "releases_ad", "releases_au")
_TAG_RE = re.compile(r"[^0-9a-z]")


# --------------------------------------------------------------------------
# Tags: filters inside the index


def _tag(prefix: str, value: str | None) -> str | None:
    cleaned = _TAG_RE.sub("", fold((value or "").lower()))
    return f"{prefix}{cleaned}" if cleaned else None


def source_tag(source: str) -> str | None:
    """The index token of a municipality's source ("vastervik" -> "xsvastervik")."""
    return _tag("xs", source)


def kind_tag(kind: str | None) -> str | None:
    """The index token of a kind ("Pressmeddelande" -> "xkpressmeddelande")."""
    return _tag("xk", kind)


def release_tags(
    source: str, kind: str | None, title: str | None = None, stems: str | None = None
) -> str:
    """The tags column of a release: tokens a search filters or ranks on inside FTS5.

    Municipality and kind (filters), the stems of the title's words
    (``words.title_tag``: the first tier of the ranking of a common query),
    and the pairs of adjacent common words of its stems (``words.pair_tag``:
    a phrase of common words is one posting list).
    """
    tags = [t for t in (source_tag(source), kind_tag(kind)) if t]
    return " ".join([*tags, *title_tags(title or ""), *pair_tags(stems or "")])


# --------------------------------------------------------------------------
# The layout


def _fts_sql() -> str:
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    return (
        f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING FTS5 ({columns}, "
        f"tokenize='{TOKENIZER}', prefix='{PREFIX_INDEX}', "
        f"content=[{VIEW}], content_rowid=[{KEY_COLUMN}])"
    )


def _view_sql() -> str:
    return (
        f"CREATE VIEW [{VIEW}] AS SELECT r.[{KEY_COLUMN}] AS [{KEY_COLUMN}], r.title AS title, "
        f"r.lead AS lead, r.body AS body, s.stems AS stems, s.tags AS tags "
        f"FROM [{STEMS_TABLE}] s JOIN releases r ON r.id = s.release_id"
    )


def _stems_table_sql() -> str:
    return (
        f"CREATE TABLE [{STEMS_TABLE}] (release_id INTEGER PRIMARY KEY "
        f"REFERENCES releases(id), stems TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '')"
    )


def _day_of(row: str) -> str:
    return f"substr({row}.published, 1, 10)"


def _fts_row(stems: str, tags: str) -> str:
    return f"r.[{KEY_COLUMN}], r.title, r.lead, r.body, {stems}, {tags}"


def _trigger_sql() -> list[str]:
    cols = "rowid, " + ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    insert = (
        f"INSERT INTO [{FTS_TABLE}] ({cols}) SELECT {_fts_row('new.stems', 'new.tags')} "
        f"FROM releases r WHERE r.id = new.release_id;"
    )
    delete = (
        f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}], {cols}) "
        f"SELECT 'delete', {_fts_row('old.stems', 'old.tags')} "
        f"FROM releases r WHERE r.id = old.release_id;"
    )
    changed = " OR ".join(
        [
            *(f"old.{c} IS NOT new.{c}" for c in ("title", "lead", "body")),
            f"{_day_of('old')} IS NOT {_day_of('new')}",
        ]
    )
    unindex = f"DELETE FROM [{STEMS_TABLE}] WHERE release_id = old.id;"
    return [
        f"CREATE TRIGGER [release_stems_ai] AFTER INSERT ON [{STEMS_TABLE}] BEGIN {insert} END",
        f"CREATE TRIGGER [release_stems_ad] AFTER DELETE ON [{STEMS_TABLE}] BEGIN {delete} END",
        f"CREATE TRIGGER [release_stems_au] AFTER UPDATE ON [{STEMS_TABLE}] "
        f"BEGIN {delete} {insert} END",
        # Before the row changes: the index entry is removed with the text it was made from.
        # Only a change of the indexed text or of the day (the key) does it: the
        # crawler touches last_seen and friends on every run.
        f"CREATE TRIGGER [releases_search_bu] BEFORE UPDATE OF title, lead, body, published "
        f"ON releases WHEN {changed} BEGIN {unindex} END",
        f"CREATE TRIGGER [releases_search_bd] BEFORE DELETE ON releases BEGIN {unindex} END",
    ]


def _normalise_sql(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().lower()


def _wanted() -> dict[str, str]:
    want = {FTS_TABLE: _fts_sql(), VIEW: _view_sql(), STEMS_TABLE: _stems_table_sql()}
    want.update(zip(_TRIGGERS, _trigger_sql(), strict=True))
    return {name: _normalise_sql(sql) for name, sql in want.items()}


def _index_is_current(db: sqlite_utils.Database) -> bool:
    wanted = _wanted()
    names = [*wanted, *_OLD_TRIGGERS, VOCAB_TABLE]
    rows = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})",
        names,
    ).fetchall()
    have = {name: _normalise_sql(sql or "") for name, sql in rows}
    return (
        {k: v for k, v in have.items() if k != VOCAB_TABLE} == wanted
        and VOCAB_TABLE in have
        and _has_key_column(db)
        and "stems" not in db["releases"].columns_dict
    )


def _has_key_column(db: sqlite_utils.Database) -> bool:
    return any(row[1] == KEY_COLUMN for row in db.execute("PRAGMA table_xinfo(releases)"))


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create or migrate the search index; idempotent, one transaction.

    An archive written by an older version (``releases.stems`` and an index
    over ``releases``) is migrated: the stems move to ``release_stems`` (kept,
    or computed where missing), the column is dropped, and the index is built
    again over the new layout. A current archive is left as it is, apart from
    indexing releases that have no stems yet.
    """
    if not db["releases"].exists():
        raise ValueError("ensure_search_index needs the releases table")
    if _index_is_current(db):
        if not _has_key_index(db):
            with db.atomic():
                _ensure_key_index(db)
        fill_missing_stems(db)
        return
    with db.atomic():
        for trigger in (*_OLD_TRIGGERS, *_TRIGGERS):
            db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
        db.execute(f"DROP TABLE IF EXISTS [{VOCAB_TABLE}]")
        db.execute(f"DROP TABLE IF EXISTS [{FTS_TABLE}]")
        db.execute(f"DROP VIEW IF EXISTS [{VIEW}]")
        if not db[STEMS_TABLE].exists():
            db.execute(_stems_table_sql())
        if "stems" in db["releases"].columns_dict:
            _move_stems(db)
        if not _has_key_column(db):
            db.execute(f"ALTER TABLE releases ADD COLUMN [{KEY_COLUMN}] INTEGER AS ({KEY_SQL})")
        _ensure_key_index(db)
        _index_missing(db)  # before the triggers: the rebuild indexes everything once
        db.execute(_view_sql())
        db.execute(_fts_sql())
        db.execute(f"CREATE VIRTUAL TABLE [{VOCAB_TABLE}] USING fts5vocab([{FTS_TABLE}], 'row')")
        for sql in _trigger_sql():
            db.execute(sql)
        db.execute(f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}]) VALUES ('rebuild')")
        # One segment instead of many: faster queries from the first search on.
        db.execute(f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}]) VALUES ('optimize')")


#: The index from the FTS rowid back to releases; it covers what the facets count
#: (source, kind, year, language: the search page's and the table search's), so
#: a facet over the candidates never reads a release row.
KEY_INDEX = f"idx_releases_{KEY_COLUMN}_facets"
KEY_INDEX_COLUMNS = (KEY_COLUMN, "source", "kind", "year", "language")
_OLD_KEY_INDEX = f"idx_releases_{KEY_COLUMN}"


def _has_key_index(db: sqlite_utils.Database) -> bool:
    columns = tuple(row[2] for row in db.execute(f"PRAGMA index_info([{KEY_INDEX}])"))
    return columns == KEY_INDEX_COLUMNS


def _ensure_key_index(db: sqlite_utils.Database) -> None:
    if not _has_key_index(db):
        db.execute(f"DROP INDEX IF EXISTS [{KEY_INDEX}]")
        columns = ", ".join(f"[{c}]" for c in KEY_INDEX_COLUMNS)
        db.execute(f"CREATE UNIQUE INDEX [{KEY_INDEX}] ON releases({columns})")
    db.execute(f"DROP INDEX IF EXISTS [{_OLD_KEY_INDEX}]")


def _move_stems(db: sqlite_utils.Database) -> None:
    """Copy ``releases.stems`` into ``release_stems`` (with tags), then drop the column."""
    rows = db.execute(
        "SELECT id, source, kind, title, stems FROM releases WHERE stems IS NOT NULL "
        f"AND id NOT IN (SELECT release_id FROM [{STEMS_TABLE}])"
    )
    while batch := rows.fetchmany(5000):
        db.conn.executemany(
            f"INSERT INTO [{STEMS_TABLE}] (release_id, stems, tags) VALUES (?, ?, ?)",
            [(i, stems, release_tags(s, k, t, stems)) for i, s, k, t, stems in batch],
        )
    db.execute("ALTER TABLE releases DROP COLUMN stems")


def _index_missing(db: sqlite_utils.Database, *, batch: int = 2000) -> int:
    done = 0
    while True:
        # As bytes: text written by hand may not be valid UTF-8 (it is read with replacements).
        rows = db.execute(
            "SELECT id, source, kind, CAST(title AS BLOB), CAST(lead AS BLOB), "
            "CAST(body AS BLOB) FROM releases "
            f"WHERE id NOT IN (SELECT release_id FROM [{STEMS_TABLE}]) LIMIT ?",
            [batch],
        ).fetchall()
        if not rows:
            return done
        written = []
        for i, source, kind, t, lead, b in rows:
            stems = stem_document(_text(t), _text(lead) or None, _text(b))
            written.append((i, stems, release_tags(source, kind, _text(t), stems)))
        db.conn.executemany(
            f"INSERT INTO [{STEMS_TABLE}] (release_id, stems, tags) VALUES (?, ?, ?)", written
        )
        done += len(rows)


def _text(value: bytes | None) -> str:
    return value.decode("utf-8", "replace") if value else ""


def fill_missing_stems(db: sqlite_utils.Database) -> int:
    """Index every release that has no stems yet; returns how many."""
    # count(*) walks the smallest index of each table: cheap even at 1,000,000 rows.
    releases = db.execute("SELECT count(*) FROM releases").fetchone()[0]
    indexed = db.execute(f"SELECT count(*) FROM [{STEMS_TABLE}]").fetchone()[0]
    if releases == indexed:
        return 0
    with db.atomic():
        return _index_missing(db)


def index_release(
    db: sqlite_utils.Database,
    release_id: int,
    *,
    source: str,
    kind: str | None,
    title: str,
    lead: str | None,
    body: str,
) -> None:
    """Write a release's stems and tags (the store calls it after every save).

    Writes nothing when they are unchanged, so an unchanged release is not
    indexed again.
    """
    stems = stem_document(title, lead, body)
    db.execute(
        f"INSERT INTO [{STEMS_TABLE}] (release_id, stems, tags) VALUES (?, ?, ?) "
        "ON CONFLICT(release_id) DO UPDATE SET stems = excluded.stems, tags = excluded.tags "
        "WHERE stems IS NOT excluded.stems OR tags IS NOT excluded.tags",
        [release_id, stems, release_tags(source, kind, title, stems)],
    )


def restem_all(db: sqlite_utils.Database) -> None:
    """Recompute every release's stems and rebuild the index (after the stemming rules change)."""
    with db.atomic():
        for trigger in _TRIGGERS:
            db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
        db.execute(f"DELETE FROM [{STEMS_TABLE}]")
    ensure_search_index(db)


def retag_all(db: sqlite_utils.Database, *, batch: int = 5000) -> int:
    """Recompute every release's tags (after what they hold changed); returns how many.

    The index's triggers are dropped first, so the rows are not indexed one
    by one: the next ``ensure_search_index`` finds them missing and rebuilds
    the index once. Call it inside a transaction with that call after it.
    """
    for trigger in _TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
    done = 0
    last = -1
    while True:
        rows = db.execute(
            f"SELECT s.release_id, r.source, r.kind, CAST(r.title AS BLOB), s.stems "
            f"FROM [{STEMS_TABLE}] s JOIN releases r ON r.id = s.release_id "
            "WHERE s.release_id > ? ORDER BY s.release_id LIMIT ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return done
        db.conn.executemany(
            f"UPDATE [{STEMS_TABLE}] SET tags = ? WHERE release_id = ?",
            [
                (release_tags(source, kind, _text(title), stems), i)
                for i, source, kind, title, stems in rows
            ],
        )
        done += len(rows)
        last = rows[-1][0]


#: Pages of index a tidy-up after a run merges at most (~4 kB each).
MERGE_PAGES = 500


def tidy_index(db: sqlite_utils.Database, *, pages: int = MERGE_PAGES) -> None:
    """Merge some of the index's small segments (after a run that wrote releases).

    Each transaction that writes releases adds a segment; FTS5 merges them
    when enough pile up, but a query reads every segment until then. A
    bounded ``merge`` (at most ``pages`` pages written, tens of milliseconds)
    after each run keeps the index near one segment without the minutes a
    full ``optimize`` takes on a large archive.
    """
    with db.atomic():
        db.execute(f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}], rank) VALUES ('merge', ?)", [pages])


def optimize_index(db: sqlite_utils.Database) -> None:
    """Merge the index's segments into one (after a bulk load: faster queries)."""
    with db.atomic():
        db.execute(f"INSERT INTO [{FTS_TABLE}] ([{FTS_TABLE}]) VALUES ('optimize')")


# --------------------------------------------------------------------------
# Ranking


def rank_expression(table: str = FTS_TABLE) -> str:
    """SQL ORDER BY terms for relevance, best first.

    Releases where some word matched as written (exact columns) come before
    those matched only through the shadow column, then bm25: a short release
    saying "far" twice never outranks a long one saying "får" once.
    """
    exact = ", ".join(str(w) for w in RANK_WEIGHTS[:3])
    weights = ", ".join(str(w) for w in RANK_WEIGHTS)
    return f"bm25([{table}], {exact}, 0.0, 0.0) = 0, bm25([{table}], {weights})"


def search_releases(db: sqlite_utils.Database, q: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Return the releases matching the user query ``q``, most relevant first.

    Each result holds id, title, source, published and url.
    """
    cursor = db.execute(
        f"SELECT r.id, r.title, r.source, r.published, r.url FROM [{FTS_TABLE}] "
        f"JOIN releases r ON r.[{KEY_COLUMN}] = [{FTS_TABLE}].rowid "
        f"WHERE [{FTS_TABLE}] MATCH ? ORDER BY {rank_expression()}, r.published DESC LIMIT ?",
        [build_match_query(q), limit],
    )
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def day_key(day: str, *, end: bool = False) -> int:
    """The first (or with ``end``, the last) search key of a day "YYYY-MM-DD"."""
    base = int(day.replace("-", "")) * KEY_SHIFT
    return base + KEY_SHIFT - 1 if end else base


def sources_tags(sources: Iterable[str]) -> list[str]:
    """The tags of some sources (for a MATCH filter)."""
    return sorted({t for s in sources if (t := source_tag(s))})
