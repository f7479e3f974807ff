"""The words of the search index, kept so that a long prefix is a list of words (issue 14).

FTS5 finds a prefix longer than its prefix index (``search.PREFIX_INDEX``:
3 and 4 characters) by merging, in memory, every posting of every word that
starts with it, at every query: at 1,000,000 releases "allti*" took 33 ms,
"flytt*" 35 and "kommun*" 285, whatever the page asked for. The same
releases, newest first, are an OR of those words: 2-5 ms for 11-136 words,
~30 µs a word. So the archive keeps its index's words of ``MIN_LENGTH``
characters or more in ``search_terms`` (group, term): the group is the
column they occur in ("text": title, lead or body; "stems"; "tags": the
title's, ``words.title_tag``), since an OR under a column filter walks
every posting of a word that is only in other columns (446 written forms
of "förs*" under ``stems``: seconds).

Kept exactly, by the index's own tokenizer: triggers on ``release_stems``
(whose rows the index's triggers index) queue each release written, and
``harvest`` indexes the queued releases' text (the index's content, read the
way the index reads it) in a temporary FTS5 table with the same tokenizer
and adds its words; the store calls it in the transaction of every save,
and opening the archive calls it after any upkeep of the index. Many queued
(a rebuild) or no table yet: every word of the index, from ``fts5vocab``.
Words of deleted releases stay: a word with no postings costs the OR nothing.
While the queue is not empty (a release written by hand in SQL), the list
may miss a word and ``prefix_terms`` says so: the search merges, as before.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from .search import FTS_COLUMNS, FTS_TABLE, PREFIX_INDEX, STEMS_TABLE, TOKENIZER
from .words import TITLE_TAG

__all__ = [
    "MAX_TERMS",
    "MIN_LENGTH",
    "QUEUE_TABLE",
    "SOURCE_TABLE",
    "TERMS_TABLE",
    "ensure_terms",
    "harvest",
    "prefix_terms",
]

TERMS_TABLE = "search_terms"
QUEUE_TABLE = "search_terms_queue"
#: The index definition the words were read from: another (a new tokenizer) reads them again.
SOURCE_TABLE = "search_terms_source"
#: The shortest word kept: one longer than the prefix index (a prefix of up to
#: 4 characters is one lookup of its own).
MIN_LENGTH = max(int(n) for n in PREFIX_INDEX.split()) + 1
#: The most words a prefix is written as; more and FTS5 merges them. An OR of
#: 446 words (the written forms of "förs*" at 1,000,000 releases) took 13 ms.
MAX_TERMS = 500
#: Queued releases above which ``harvest`` reads the whole index's words instead.
BACKFILL_AT = 5000
#: The group of each index column.
GROUPS = {"title": "text", "lead": "text", "body": "text", "stems": "stems", "tags": "tags"}

_PROBE = "search_terms_probe"
_TRIGGERS = {
    "search_terms_ai": f"AFTER INSERT ON [{STEMS_TABLE}]",
    "search_terms_au": f"AFTER UPDATE ON [{STEMS_TABLE}]",
}


def _group_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{c}' THEN '{g}'" for c, g in GROUPS.items())
    return f"CASE {column} {cases} END"


def _add_from(db: sqlite_utils.Database, vocab: str) -> None:
    """Add the words of an fts5vocab 'col' table to ``search_terms`` (of the tags, the
    title's: the others, filters and pairs, are never a prefix)."""
    db.execute(
        f"INSERT OR IGNORE INTO [{TERMS_TABLE}] (grp, term) "
        f"SELECT {_group_sql('col')}, term FROM {vocab} WHERE length(term) >= ? "
        "AND (col <> 'tags' OR term GLOB ?)",
        [MIN_LENGTH, TITLE_TAG + "*"],
    )


def _backfill(db: sqlite_utils.Database) -> None:
    """Every word of the index (reads all of it: minutes at 1,000,000 releases)."""
    db.execute("DROP TABLE IF EXISTS temp.search_terms_index_vocab")
    db.execute(
        f"CREATE VIRTUAL TABLE temp.search_terms_index_vocab "
        f"USING fts5vocab(main, [{FTS_TABLE}], 'col')"
    )
    _add_from(db, "temp.search_terms_index_vocab")
    db.execute("DROP TABLE temp.search_terms_index_vocab")
    db.execute(f"DELETE FROM [{QUEUE_TABLE}]")


def _index_sql(db: sqlite_utils.Database) -> str:
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [FTS_TABLE]).fetchone()
    return row[0] if row else ""


def _read_from(db: sqlite_utils.Database) -> str | None:
    """The index definition the word list was read from (None: no list)."""
    names = [TERMS_TABLE, QUEUE_TABLE, SOURCE_TABLE, *_TRIGGERS]
    have = {
        row[0]
        for row in db.execute(
            f"SELECT name FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})", names
        )
    }
    if have != set(names):
        return None
    row = db.execute(f"SELECT sql FROM [{SOURCE_TABLE}]").fetchone()
    return row[0] if row else None


def ensure_terms(db: sqlite_utils.Database) -> None:
    """Make the word list (every word of the index) if missing or read from another
    index definition, then ``harvest``. Call it after ``search.ensure_search_index``."""
    if _read_from(db) == _index_sql(db):
        with db.atomic():
            harvest(db)
        return
    with db.atomic():
        for name in (TERMS_TABLE, QUEUE_TABLE, SOURCE_TABLE):
            db.execute(f"DROP TABLE IF EXISTS [{name}]")
        db.execute(f"CREATE TABLE [{SOURCE_TABLE}] (sql TEXT NOT NULL)")
        db.execute(f"INSERT INTO [{SOURCE_TABLE}] (sql) VALUES (?)", [_index_sql(db)])
        db.execute(
            f"CREATE TABLE IF NOT EXISTS [{TERMS_TABLE}] (grp TEXT NOT NULL, term TEXT NOT NULL, "
            "PRIMARY KEY (grp, term)) WITHOUT ROWID"
        )
        db.execute(f"CREATE TABLE IF NOT EXISTS [{QUEUE_TABLE}] (release_id INTEGER PRIMARY KEY)")
        for name, when in _TRIGGERS.items():
            db.execute(
                f"CREATE TRIGGER IF NOT EXISTS [{name}] {when} BEGIN "
                f"INSERT OR IGNORE INTO [{QUEUE_TABLE}] (release_id) VALUES (new.release_id); END"
            )
        _backfill(db)


def harvest(db: sqlite_utils.Database) -> int:
    """Add the words of the queued releases to ``search_terms``; returns how many were queued.

    Call it inside the transaction that wrote them.
    """
    if not db[QUEUE_TABLE].exists():
        return 0
    queued = db.execute(f"SELECT count(*) FROM [{QUEUE_TABLE}]").fetchone()[0]
    if not queued:
        return 0
    if queued > BACKFILL_AT:
        _backfill(db)
        return queued
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.[{_PROBE}] USING fts5({columns}, "
        f"tokenize='{TOKENIZER}', content='')"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.[{_PROBE}_vocab] "
        f"USING fts5vocab(temp, [{_PROBE}], 'col')"
    )
    # The index's content, as its triggers read it (``search._trigger_sql``).
    db.execute(
        f"INSERT INTO temp.[{_PROBE}] ({columns}) "
        f"SELECT r.title, r.lead, r.body, s.stems, s.tags FROM [{QUEUE_TABLE}] q "
        f"JOIN [{STEMS_TABLE}] s ON s.release_id = q.release_id "
        "JOIN releases r ON r.id = q.release_id"
    )
    _add_from(db, f"temp.[{_PROBE}_vocab]")
    db.execute(f"INSERT INTO temp.[{_PROBE}] ([{_PROBE}]) VALUES ('delete-all')")
    db.execute(f"DELETE FROM [{QUEUE_TABLE}]")
    return queued


def prefix_terms(db: sqlite_utils.Database, group: str, prefix: str) -> list[str] | None:
    """The index's words in ``group`` that start with ``prefix``, or None: not known
    (no list, or releases not added yet) or more than ``MAX_TERMS``."""
    if len(prefix) < MIN_LENGTH:
        return None
    try:
        if db.execute(f"SELECT 1 FROM [{QUEUE_TABLE}] LIMIT 1").fetchone():
            return None
        words = [
            row[0]
            for row in db.execute(
                f"SELECT term FROM [{TERMS_TABLE}] WHERE grp = ? AND term >= ? AND term < ? "
                f"ORDER BY term LIMIT {MAX_TERMS + 1}",
                [group, prefix, prefix + "\U0010ffff"],
            )
        ]
    except sqlite3.OperationalError as exc:  # an archive from before the list
        if "no such table" in str(exc):
            return None
        raise
    return words if len(words) <= MAX_TERMS else None
