"""The search bench reads into the cache what searches read, and leaves the stems out.

bench/page_cache.py emulates a server up a while before the timed queries:
if it skipped pages a search reads, or read the stems it is meant to skip,
the 1M figures would measure a cache no real server has.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from page_cache import _pieces, _wanted, never_read, read_through  # noqa: E402

try:
    sqlite3.connect(":memory:").execute("SELECT * FROM dbstat").fetchall()
    HAS_DBSTAT = True
except sqlite3.OperationalError:
    HAS_DBSTAT = False
needs_dbstat = pytest.mark.skipif(not HAS_DBSTAT, reason="SQLite built without dbstat")


def _archive(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE releases (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE TABLE release_stems (id INTEGER PRIMARY KEY, stems TEXT)")
    for i in range(1, 301):  # interleaved, as the triggers write them; some overflow a page
        conn.execute("INSERT INTO releases VALUES (?, ?)", [i, "kommun " * (i % 50)])
        conn.execute("INSERT INTO release_stems VALUES (?, ?)", [i, "stem " * (i * 7 % 1500)])
    conn.commit()
    conn.close()


def _pages(path: Path, table: str) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])}
    finally:
        conn.close()


@needs_dbstat
def test_never_read_is_every_page_of_the_stems_and_nothing_else(tmp_path):
    db = tmp_path / "archive.db"
    _archive(db)
    cache = tmp_path / "archive.db.unread.json"
    runs = never_read(db, cache)
    size = 4096
    pages = {offset // size + 1 + i for offset, length in runs for i in range(length // size)}
    assert pages == _pages(db, "release_stems")
    assert not pages & _pages(db, "releases")
    assert len(runs) > 1  # interleaved with the releases' pages
    assert never_read(db, cache) == runs  # kept
    with sqlite3.connect(db) as conn:  # the file changes: found again
        conn.execute("INSERT INTO release_stems VALUES (1000, ?)", ["ny " * 3000])
    again = never_read(db, cache)
    assert again != runs
    assert sum(n for _, n in again) > sum(n for _, n in runs)


@needs_dbstat
def test_read_through_reads_all_but_the_runs_skipped(tmp_path):
    db = tmp_path / "archive.db"
    _archive(db)
    other = tmp_path / "plain.db"
    other.write_bytes(b"x" * 100_000)
    runs = never_read(db)
    _, done = read_through([db, other], {db: runs})
    skipped = sum(n for _, n in runs)
    assert done == db.stat().st_size - skipped + 100_000
    _, everything = read_through([db, other])
    assert everything == db.stat().st_size + 100_000


def test_wanted_is_the_complement_and_pieces_keep_every_byte():
    skip = [(0, 10), (20, 5), (22, 10), (90, 10)]  # overlapping runs and one at the end
    assert list(_wanted(100, skip)) == [(10, 10), (32, 58)]
    groups = list(_pieces(iter([(0, 25), (30, 3), (40, 7)]), 10))
    assert all(sum(n for _, n in g) <= 10 for g in groups)
    assert [b for g in groups for o, n in g for b in range(o, o + n)] == [
        *range(0, 25),
        *range(30, 33),
        *range(40, 47),
    ]
