"""Swedish full-text search: stemming, å/ä/ö, the query language, the index."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from search_archive import build_archive

from scraper.store import Archive
from scraper.store.query_language import walk_match
from scraper.store.schema import SCHEMA_VERSION
from scraper.store.search import (
    FTS_TABLE,
    build_match_query,
    ensure_search_index,
    index_release,
    restem_all,
    search_releases,
    stem_document,
    stem_word,
    tidy_index,
)
from scraper.store.words import pair_tag, pair_tags, title_tag

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite_utils.Database, dict]:
    path = tmp_path_factory.mktemp("search") / "archive.db"
    ids = build_archive(path, today=TODAY)
    return sqlite_utils.Database(path), ids


def found(archive_db: tuple[sqlite_utils.Database, dict], q: str) -> list[str]:
    """Keys of the fixture releases a query finds, in rank order."""
    db, ids = archive_db
    by_id = {v: k for k, v in ids.items()}
    return [by_id[row["id"]] for row in search_releases(db, q)]


# --------------------------------------------------------------------------
# Words


@pytest.mark.parametrize(
    "words",
    [
        ("skolor", "skolan", "skola", "skolans", "skolorna"),
        ("medborgarlöften", "medborgarlöftet", "medborgarlöfte"),
        ("västervik", "vastervik", "västerviks"),
        ("budget", "budgeten"),
        ("område", "området", "områden"),
    ],
)
def test_inflections_share_a_stem(words: tuple[str, ...]) -> None:
    assert len({stem_word(w) for w in words}) == 1, {w: stem_word(w) for w in words}


def test_different_words_keep_different_stems() -> None:
    assert stem_word("skola") != stem_word("förskola")
    assert stem_word("plan") != stem_word("planet") or stem_word("plan") == "plan"


def test_stem_document_keeps_word_order_for_phrases() -> None:
    words = ["Nya", "skolan", "Den", "nya", "skolan", "Skolor"]
    expected = [stem_word(w.lower()) for w in words]
    assert stem_document("Nya skolan", "Den nya skolan", "Skolor").split() == expected
    assert expected[1] == expected[-1]


def test_stem_document_adds_stems_of_words_typed_without_diacritics() -> None:
    # "avgiftslöst" stems to "avgiftslös" (-> "avgiftslos"), but "avgiftslost",
    # typed without ö, keeps its t: both are indexed.
    stems = stem_document("Parkeringen blir avgiftslöst", None, "").split()
    assert stem_word("avgiftslöst") in stems
    assert stem_word("avgiftslost") in stems


# --------------------------------------------------------------------------
# The query language never breaks FTS5

NASTY = [
    "",
    "   ",
    '"',
    '""',
    "(",
    ")",
    "((skola",
    "skola))",
    "AND",
    "OR OR",
    "NOT",
    "skola NOT",
    "NOT skola",
    "-skola",
    "*",
    "skol**",
    "^skola",
    "title:skola",
    "{title}: skola",
    "NEAR(skola gamleby)",
    "skola + gamleby",
    "'; drop table releases; --",
    '"nya skolan',
    "e-tjänst",
    "100 %",
    "ÅÄÖ åäö",
    "\u0000",
    "🙂 skola",
]


@pytest.mark.parametrize("q", NASTY)
def test_any_user_input_is_valid_fts5(
    archive_db: tuple[sqlite_utils.Database, dict], q: str
) -> None:
    db, _ = archive_db
    db.execute(
        f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", [build_match_query(q)]
    )


def test_a_query_without_words_matches_nothing(archive_db) -> None:
    assert found(archive_db, "") == []
    assert found(archive_db, "( ) * -") == []


# --------------------------------------------------------------------------
# Swedish searches on the fixture archive


def test_plural_finds_definite_and_base_forms(archive_db) -> None:
    keys = found(archive_db, "skolor")
    assert {"skolor", "skolan", "budget"} <= set(keys)  # skolor, skolan, skola
    assert "forskola" not in keys  # förskola is another word
    assert keys[0] == "skolor"  # the exact word ranks first


def test_definite_form_finds_plural(archive_db) -> None:
    assert {"skolor", "skolan"} <= set(found(archive_db, "skolan"))


def test_medborgarlöften_finds_medborgarlöftet(archive_db) -> None:
    assert found(archive_db, "medborgarlöften") == ["seed"]
    assert found(archive_db, "Medborgarlöftet") == ["seed"]


def test_search_without_diacritics_finds_them(archive_db) -> None:
    assert found(archive_db, "vastervik") == ["seed"]
    assert "seed" in found(archive_db, "medborgarloftet")


def test_får_ranks_får_above_far(archive_db) -> None:
    keys = found(archive_db, "får")
    assert "far" in keys  # "far" is still a match through the folded stems ...
    says_får = {"seed", "frukt"}
    assert says_får <= set(keys)
    assert max(keys.index(k) for k in says_får) < keys.index("far")  # ... ranked below


def test_far_ranks_far_above_får(archive_db) -> None:
    keys = found(archive_db, "far")
    assert keys[0] == "far"


def test_prefix(archive_db) -> None:
    keys = set(found(archive_db, "skol*"))
    assert {"skolor", "skolan", "budget"} <= keys
    assert "forskola" not in keys
    assert set(found(archive_db, "försk*")) == {"forskola"}


def test_prefix_without_diacritics(archive_db) -> None:
    assert set(found(archive_db, "forsk*")) == {"forskola"}


def test_phrase(archive_db) -> None:
    assert found(archive_db, '"nya skolan"') == ["skolan"]
    assert found(archive_db, '"skolan nya"') == []
    assert found(archive_db, '"nya skolor"') == ["skolan"]  # phrases match inflected too


def test_or(archive_db) -> None:
    assert set(found(archive_db, "snöoväder OR vattenläcka")) == {"skolor", "removed"}


def test_not(archive_db) -> None:
    keys = set(found(archive_db, "skola NOT gamleby"))
    assert "skolan" not in keys
    assert {"skolor", "budget"} <= keys
    assert set(found(archive_db, "-gamleby skola")) == keys


def test_and_is_the_default(archive_db) -> None:
    assert found(archive_db, "skolor gamleby") == ["skolan"]
    assert found(archive_db, "skolor AND gamleby") == ["skolan"]


def test_grouping(archive_db) -> None:
    assert set(found(archive_db, "(gamleby OR snöovädret) skolor")) == {"skolan", "skolor"}


def test_lowercase_operators_are_words(archive_db) -> None:
    assert found(archive_db, "skola or vattenläcka") == []


WALKED = [
    "skolor",
    "medborgarlöften",
    "vastervik",
    "får",
    "far",
    '"nya skolan"',
    '"nya skolor"',
    '"i ekby"',
    "skol*",
    "forsk*",
    "försk*",
    "snöoväder OR vattenläcka",
    "skola NOT gamleby",
    "(gamleby OR snöovädret) skolor",
    '"den nya" -hamn',
]


@pytest.mark.parametrize("q", WALKED)
def test_the_stems_alone_find_the_same_releases(archive_db, q: str) -> None:
    # A release with the words as written has their stems in the same order,
    # so finding and counting matches needs one walk, not two.
    db, _ = archive_db
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid"
    full = [r[0] for r in db.execute(sql, [build_match_query(q)])]
    assert [r[0] for r in db.execute(sql, [walk_match(q)])] == full
    if "*" not in q:
        assert "{title lead body}" not in walk_match(q)


# --------------------------------------------------------------------------
# The index


def _index_sql(db: sqlite_utils.Database) -> list[tuple]:
    return db.execute(
        "SELECT name, sql FROM sqlite_master WHERE name LIKE 'releases_%' ORDER BY name"
    ).fetchall()


def test_ensure_search_index_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    before = _index_sql(db)
    ensure_search_index(db)
    ensure_search_index(db)
    assert _index_sql(db) == before
    assert search_releases(db, "skolor")


def test_index_follows_every_write(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    body = "Kommunen inför gratis busskort för pensionärer."
    with db.atomic():
        db.execute("UPDATE releases SET body = ? WHERE id = ?", [body, ids["far"]])
        index_release(
            db, ids["far"], source="ekby", kind=None, title="Busskort", lead=None, body=body
        )
    assert [r["id"] for r in search_releases(db, "busskorten")] == [ids["far"]]
    assert ids["far"] not in [r["id"] for r in search_releases(db, "badande")]
    db.execute("DELETE FROM releases WHERE id = ?", [ids["far"]])
    db.conn.commit()
    assert search_releases(db, "busskort") == []
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")


def test_text_changed_in_sql_is_unindexed_then_indexed_on_open(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    with db.atomic():
        db.execute("UPDATE releases SET body = 'Nya busskort' WHERE id = ?", [ids["far"]])
    assert search_releases(db, "busskort") == []
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")
    ensure_search_index(db)
    assert [r["id"] for r in search_releases(db, "busskorten")] == [ids["far"]]
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")


def test_a_new_publication_date_moves_the_release_in_the_index(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    row = db.execute(
        "SELECT title, lead, body, source, kind FROM releases WHERE id = ?", [ids["seed"]]
    ).fetchone()
    with db.atomic():
        db.execute("UPDATE releases SET published = '2011-05-04' WHERE id = ?", [ids["seed"]])
        index_release(
            db, ids["seed"], source=row[3], kind=row[4], title=row[0], lead=row[1], body=row[2]
        )
    key = db.execute(
        "SELECT rowid FROM releases_fts WHERE releases_fts MATCH ?",
        [build_match_query("medborgarlöften")],
    ).fetchone()[0]
    assert key >> 32 == 20110504 and key & 0xFFFFFFFF == ids["seed"]
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")


def test_touching_a_release_does_not_reindex_it(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    changes = db.conn.total_changes
    db.execute("UPDATE releases SET last_seen = 'x' WHERE id = ?", [ids["far"]])
    assert db.conn.total_changes - changes == 1  # the row only, no trigger writes


# The layout of main before issue 14: stems in releases, the index over releases.
OLD_LAYOUT = [
    "DROP TRIGGER release_stems_ai", "DROP TRIGGER release_stems_ad",
    "DROP TRIGGER release_stems_au", "DROP TRIGGER releases_search_bu",
    "DROP TRIGGER releases_search_bd", "DROP TABLE releases_fts_vocab",
    "DROP TABLE releases_fts", "DROP VIEW release_search",
    "DROP INDEX idx_releases_search_key_facets", "ALTER TABLE releases DROP COLUMN search_key",
    "ALTER TABLE releases ADD COLUMN stems TEXT",
    "UPDATE releases SET stems = (SELECT stems FROM release_stems WHERE release_id = id)",
    "DROP TABLE release_stems",
    "CREATE VIRTUAL TABLE [releases_fts] USING FTS5 ([title], [lead], [body], [stems], "
    "tokenize='unicode61 remove_diacritics 0', content=[releases], content_rowid=[id])",
    "CREATE TRIGGER [releases_ai] AFTER INSERT ON [releases] BEGIN INSERT INTO [releases_fts] "
    "(rowid, [title], [lead], [body], [stems]) VALUES (new.[id], new.[title], new.[lead], "
    "new.[body], new.[stems]); END",
    "CREATE TRIGGER [releases_ad] AFTER DELETE ON [releases] BEGIN INSERT INTO [releases_fts] "
    "([releases_fts], rowid, [title], [lead], [body], [stems]) VALUES ('delete', old.[id], "
    "old.[title], old.[lead], old.[body], old.[stems]); END",
    "CREATE TRIGGER [releases_au] AFTER UPDATE OF [title], [lead], [body], [stems] ON "
    "[releases] BEGIN INSERT INTO [releases_fts] ([releases_fts], rowid, [title], [lead], "
    "[body], [stems]) VALUES ('delete', old.[id], old.[title], old.[lead], old.[body], "
    "old.[stems]); INSERT INTO [releases_fts] (rowid, [title], [lead], [body], [stems]) "
    "VALUES (new.[id], new.[title], new.[lead], new.[body], new.[stems]); END",
    "INSERT INTO releases_fts(releases_fts) VALUES ('rebuild')",
]  # fmt: skip


def _old_archive(tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / "old.db"
    ids = build_archive(path, today=TODAY)
    conn = sqlite3.connect(path)
    with conn:
        for sql in OLD_LAYOUT:
            conn.execute(sql)
    conn.close()
    return path, ids


def test_an_old_archive_is_migrated_when_opened(tmp_path: Path) -> None:
    path, ids = _old_archive(tmp_path)
    db = sqlite_utils.Database(path)
    releases = db.execute("SELECT count(*) FROM releases").fetchone()[0]
    assert "stems" in db["releases"].columns_dict
    db.execute("UPDATE releases SET stems = NULL WHERE id = ?", [ids["far"]])  # never stemmed
    db.conn.commit()
    db.close()
    Archive(path).close()  # what every command does first
    db = sqlite_utils.Database(path)
    assert "stems" not in db["releases"].columns_dict
    assert db.execute("SELECT count(*) FROM release_stems").fetchone()[0] == releases
    assert found((db, ids), "medborgarlöften") == ["seed"]
    assert "far" in found((db, ids), "far")
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")
    before = _index_sql(db)
    Archive(path).close()  # a current archive: nothing changes
    assert _index_sql(db) == before


def test_an_archive_with_the_first_key_index_gets_the_covering_one(tmp_path: Path) -> None:
    # The first layout of issue 14 indexed the key alone: the facets read every
    # candidate's row. Opening the archive swaps the index without rebuilding FTS.
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP INDEX idx_releases_search_key_facets")
        conn.execute("CREATE UNIQUE INDEX idx_releases_search_key ON releases(search_key)")
    conn.close()
    fts_before = _fts_data(path)
    Archive(path).close()
    db = sqlite_utils.Database(path)
    indexes = {row[1] for row in db.execute("PRAGMA index_list(releases)")}
    assert "idx_releases_search_key" not in indexes
    columns = [r[2] for r in db.execute("PRAGMA index_info(idx_releases_search_key_facets)")]
    assert columns == ["search_key", "source", "kind", "year", "language"]
    assert _fts_data(path) == fts_before
    plan = " ".join(
        row[-1]
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT source, kind, count(*) FROM releases "
            "WHERE search_key IN (1, 2, 3) GROUP BY 1, 2"
        )
    )
    # SQLite reads source and kind from the index (a deferred seek: the row is never read).
    assert "USING INDEX idx_releases_search_key_facets (search_key=?)" in plan
    assert found((db, ids), "medborgarlöften") == ["seed"]


def _fts_data(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM releases_fts_data ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_failed_migration_leaves_the_old_archive_as_it_was(tmp_path: Path, monkeypatch) -> None:
    path, ids = _old_archive(tmp_path)
    db = sqlite_utils.Database(path)
    before = _index_sql(db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("scraper.store.search._index_missing", broken)
    with pytest.raises(RuntimeError):
        ensure_search_index(db)
    assert _index_sql(db) == before
    assert "stems" in db["releases"].columns_dict
    old_search = "SELECT rowid FROM releases_fts WHERE releases_fts MATCH 'medborgarloft'"
    assert [r[0] for r in db.execute(old_search)] == [ids["seed"]]


def test_store_calls_it_and_writes_stems(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "fresh.db")
    try:
        names = set(archive.db.table_names())
    finally:
        archive.close()
    assert FTS_TABLE in names


def test_no_fts_syntax_error_reaches_sqlite(archive_db) -> None:
    db, _ = archive_db
    with pytest.raises(sqlite3.OperationalError):  # what the escaping prevents
        db.execute(f"SELECT * FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", ["skola NOT"])
    assert found(archive_db, "skola NOT") == found(archive_db, "skola")


def test_restem_all_rebuilds_from_scratch(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    db.execute("UPDATE release_stems SET stems = 'nonsens' WHERE release_id = ?", [ids["seed"]])
    db.conn.commit()
    assert found((db, ids), "medborgarlöften") == []
    restem_all(db)
    assert found((db, ids), "medborgarlöften") == ["seed"]
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")


def test_prefix_typed_in_ascii_uses_stems(archive_db) -> None:
    # "skola*" on the stems also finds "skolor" (stem skol); typed with å/ä/ö a
    # prefix is matched as written.
    assert {"skolor", "skolan", "budget"} <= set(found(archive_db, "skola*"))
    assert build_match_query("försk*").startswith("{title lead body}")
    assert build_match_query("forsk*") == 'stems : "forsk" *'


def test_titles_are_tagged_and_an_archive_without_title_tags_is_retagged(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    db = sqlite_utils.Database(path)
    tag = title_tag("budget")  # the stem: any inflection in a title gives the same tag
    assert tag == title_tag("Budgeten") and tag.startswith("tt")
    title_tier = f"SELECT rowid FROM releases_fts WHERE releases_fts MATCH 'tags : {tag}'"
    tags = db.execute("SELECT tags FROM release_stems WHERE release_id = ?", [ids["budget"]])
    assert tag in tags.fetchone()[0].split()  # "Budgeten för 2025 är klar"
    # An archive of schema 2: tags held the municipality and the kind only.
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER release_stems_au")
        conn.execute("UPDATE release_stems SET tags = 'xsekby xkpressmeddelande'")
        conn.execute("INSERT INTO releases_fts(releases_fts) VALUES ('rebuild')")
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    assert [r[0] for r in db.execute(title_tier)] == []
    Archive(path).close()
    db = sqlite_utils.Database(path)
    keys = [r[0] % 2**32 for r in db.execute(title_tier)]
    assert keys == [ids["budget"]]
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")


PAIR = '"kommunstyrelsens ordförande"'


def test_a_phrase_of_common_words_is_one_posting_list(archive_db) -> None:
    # Two common words: most releases have both, and FTS5 checks word positions
    # in each; as a tag of its own the pair is one posting list, same releases.
    db, ids = archive_db
    tag = pair_tag(stem_word("kommunstyrelsens"), stem_word("ordförande"))
    assert tag and tag.startswith("pp")
    assert walk_match(PAIR) == f'tags : "{tag}"'
    assert set(found(archive_db, PAIR)) == {"seed", "invitation"}
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid"
    stems = [r[0] for r in db.execute(sql, [build_match_query(PAIR)])]
    assert [r[0] for r in db.execute(sql, [walk_match(PAIR)])] == stems and len(stems) == 2
    # Longer: the pairs lead, the phrase checks positions where they meet.
    longer = walk_match('"kommunstyrelsens ordförande det"')
    assert longer.startswith(f'(tags : "{tag}" AND ') and 'stems : "' in longer
    # Not indexed: a rare word, or two function words ("för att").
    assert pair_tag(stem_word("gamleby"), stem_word("skolan")) is None
    assert pair_tag("for", "att") is None
    assert pair_tags("skol i gamleby for att nya skol") == ["ppskol0i", "ppatt0nya", "ppnya0skol"]


def test_an_archive_without_pair_tags_is_retagged(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)
    tag = pair_tag(stem_word("kommunstyrelsens"), stem_word("ordförande"))
    pair_tier = f"SELECT rowid FROM releases_fts WHERE releases_fts MATCH 'tags : {tag}'"
    conn = sqlite3.connect(path)
    with conn:  # schema 3: title tags, no pairs
        conn.execute("DROP TRIGGER release_stems_au")
        for release_id, tags in conn.execute("SELECT release_id, tags FROM release_stems"):
            kept = " ".join(t for t in tags.split() if not t.startswith("pp"))
            conn.execute(
                "UPDATE release_stems SET tags = ? WHERE release_id = ?", [kept, release_id]
            )
        conn.execute("INSERT INTO releases_fts(releases_fts) VALUES ('rebuild')")
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    db = sqlite_utils.Database(path)
    assert [r[0] for r in db.execute(pair_tier)] == []
    Archive(path).close()
    db = sqlite_utils.Database(path)
    keys = sorted(r[0] % 2**32 for r in db.execute(pair_tier))
    assert keys == sorted([ids["seed"], ids["invitation"]])
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")


def test_tidy_index_merges_the_segments_each_write_left(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    ids = build_archive(path, today=TODAY)  # one segment per saved release
    db = sqlite_utils.Database(path)
    blocks = "SELECT count(*) FROM releases_fts_data"
    before = db.execute(blocks).fetchone()[0]
    tidy_index(db)
    assert db.execute(blocks).fetchone()[0] < before
    db.execute("INSERT INTO releases_fts(releases_fts) VALUES ('integrity-check')")
    assert found((db, ids), "medborgarlöften") == ["seed"]
