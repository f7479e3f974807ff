"""The index's words are kept exactly, and a long prefix searched through them finds
what FTS5's own merge finds (scraper/store/index_terms.py).

A word missing from the list would silently drop releases from a prefix
search, so every write path is checked against the index's own vocabulary.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from search_archive import SOURCES, _release, build_archive, fixture_releases

import scraper.store.finder as finder
import scraper.store.index_terms as index_terms
from scraper.store import Archive
from scraper.store.finder import SearchQuery, find_releases
from scraper.store.query_language import title_match, walk_match
from scraper.store.words import TITLE_TAG, stem_word, title_tag

TODAY = date(2026, 12, 1)


def _index_words(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    db.execute("DROP TABLE IF EXISTS temp.check_vocab")
    db.execute("CREATE VIRTUAL TABLE temp.check_vocab USING fts5vocab(main, releases_fts, 'col')")
    rows = db.execute(
        "SELECT col, term FROM temp.check_vocab WHERE length(term) >= ?", [index_terms.MIN_LENGTH]
    ).fetchall()
    # Of the tags, the title's (filters and pairs are never a prefix).
    return {
        (index_terms.GROUPS[col], term)
        for col, term in rows
        if col != "tags" or term.startswith(TITLE_TAG)
    }


def _kept(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    return set(db.execute("SELECT grp, term FROM search_terms").fetchall())


def _missing(path: Path) -> set[tuple[str, str]]:
    db = sqlite_utils.Database(path)
    try:
        return _index_words(db) - _kept(db)
    finally:
        db.close()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    build_archive(path, today=TODAY)
    return path


def test_every_word_of_the_index_is_kept_after_saves_and_edits(archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    words = _index_words(db)
    db.close()
    assert len(words) > 200
    assert {g for g, _ in words} == {"text", "stems", "tags"}
    assert _missing(archive) == set()
    # An edit brings new words (written in the save's transaction, the queue left empty).
    store = Archive(archive)
    try:
        _, budget = fixture_releases(TODAY)["budget"]
        store.save_release(
            replace(budget, body=budget.body + " Snöskottningsentreprenörerna återkommer."),
            source="ekby",
            page_id=None,
            extractor_version="test",
            now="2026-12-01T10:00:00Z",
        )
    finally:
        store.close()
    db = sqlite_utils.Database(archive)
    assert ("text", "snöskottningsentreprenörerna") in _kept(db)
    assert db.execute("SELECT count(*) FROM search_terms_queue").fetchone()[0] == 0
    db.close()
    assert _missing(archive) == set()


def test_a_release_indexed_behind_the_stores_back_is_queued_and_added_on_open(
    archive: Path,
) -> None:
    db = sqlite_utils.Database(archive)
    # Text changed by hand in SQL: the triggers unindex it; the next open indexes it again.
    db.execute("UPDATE releases SET body = body || ' Fjärrvärmeledningarna' WHERE id = 1")
    db.conn.commit()
    db.close()
    Archive(archive).close()
    db = sqlite_utils.Database(archive)
    assert ("text", "fjärrvärmeledningarna") in _kept(db)
    db.close()
    assert _missing(archive) == set()


def test_while_releases_are_queued_a_prefix_is_not_expanded(archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    words = sorted(t for g, t in _index_words(db) if g == "text" and t.startswith("medbo"))
    assert "medborgarlöftet" in words
    assert index_terms.prefix_terms(db, "text", "medbo") == words
    db.execute("INSERT INTO search_terms_queue (release_id) VALUES (1)")
    assert index_terms.prefix_terms(db, "text", "medbo") is None
    db.close()


def test_an_archive_without_the_list_gets_it_whole_when_opened(archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    for name in ("search_terms", "search_terms_queue", "search_terms_source"):
        db.execute(f"DROP TABLE {name}")
    db.execute("DROP TRIGGER search_terms_ai")
    db.conn.commit()
    assert index_terms.prefix_terms(db, "stems", "medbo") is None  # no list: FTS5 merges
    db.close()
    Archive(archive).close()
    assert _missing(archive) == set()


def test_a_list_read_from_another_index_definition_is_read_again(archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    db.execute("INSERT INTO search_terms (grp, term) VALUES ('stems', 'gammalord')")
    db.execute("UPDATE search_terms_source SET sql = 'CREATE VIRTUAL TABLE old tokenizer'")
    db.conn.commit()
    db.close()
    Archive(archive).close()
    db = sqlite_utils.Database(archive)
    assert ("stems", "gammalord") not in _kept(db)
    db.close()
    assert _missing(archive) == set()


def test_prefix_terms_bounds(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = sqlite_utils.Database(archive)
    assert index_terms.prefix_terms(db, "stems", "medb") is None  # the prefix index has it
    assert index_terms.prefix_terms(db, "stems", "zzzzz") == []
    found = index_terms.prefix_terms(db, "stems", "kommu")
    assert found and all(w.startswith("kommu") for w in found)
    monkeypatch.setattr(index_terms, "MAX_TERMS", len(found) - 1)
    assert index_terms.prefix_terms(db, "stems", "kommu") is None
    db.close()


def test_the_walk_of_a_long_prefix_is_an_or_of_its_words(archive: Path) -> None:
    db = sqlite_utils.Database(archive)

    def expand(group: str, prefix: str) -> list[str] | None:
        return index_terms.prefix_terms(db, group, prefix)

    words = _index_words(db)

    def starting(group: str, prefix: str) -> str:
        found = sorted(t for g, t in words if g == group and t.startswith(prefix))
        assert found
        return "(" + " OR ".join(f'"{t}"' for t in found) + ")"

    stem = stem_word("medborgar")  # a prefix typed in ASCII is a prefix of stems
    assert walk_match("medborgar*", expand) == "stems : " + starting("stems", stem)
    assert walk_match("medborgar*") == f'stems : "{stem}" *'
    typed = walk_match("medborgarlö*", expand)
    assert typed == "{title lead body} : " + starting("text", "medborgarlö")
    assert (
        title_match("medborgar*", expand)
        == "tags : (" + starting("tags", title_tag("medborgar")) + ")"
    )
    assert walk_match("medb*", expand) == 'stems : "medb" *'  # the prefix index's
    db.close()


PREFIXES = ["medborgar*", "medborgarlö*", "kommu*", "kommuns*", "budge*", "förskol*", "polis*"]


@pytest.mark.parametrize("by_place", [False, True])
@pytest.mark.parametrize("order", ["relevance", "newest"])
@pytest.mark.parametrize("q", [*PREFIXES, "kommu* polis", "polise* OR budge*", "kommu* -budget"])
def test_a_prefix_finds_what_the_merge_finds(
    archive: Path, monkeypatch: pytest.MonkeyPatch, q: str, order: str, by_place: bool
) -> None:
    if by_place:  # too common for bm25: the title tier, among others, walks the prefix
        monkeypatch.setattr(finder, "bm25_affordable", lambda *_, **__: False)
    db = sqlite_utils.Database(archive)
    query = SearchQuery(q=q, order=order, per_page=50)
    with_words = find_releases(db, query)
    monkeypatch.setattr(finder, "prefix_terms", lambda *_: None)
    merged = find_releases(db, query)
    db.close()
    assert merged.hits
    assert [h.id for h in with_words.hits] == [h.id for h in merged.hits]
    assert (with_words.count, with_words.exact) == (merged.count, merged.exact)


def test_a_prefix_finds_a_release_saved_a_moment_ago(archive: Path) -> None:
    store = Archive(archive)
    try:
        store.save_release(
            _release(
                "ny",
                "https://www.ekby.se/nyheter/ny/",
                "Vattenreningsverket byggs ut",
                "2026-11-30",
                "Vattenreningsverkets utbyggnad börjar i januari.",
            ),
            source=SOURCES[1].id,
            page_id=None,
            extractor_version="test",
            now="2026-11-30T10:00:00Z",
        )
    finally:
        store.close()
    db = sqlite_utils.Database(archive)
    found = find_releases(db, SearchQuery(q="vattenren*"))
    db.close()
    assert [h.title for h in found.hits] == ["Vattenreningsverket byggs ut"]
