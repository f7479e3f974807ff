"""Kill the update at many points, deterministically; the next run must make the archive whole.

Each kill point is the index of an SQL statement of the update: a forked child
of tests/crash_child.py runs the update with a trace callback that SIGKILLs the process just before
that statement runs (mid-transaction, or between two transactions). A seeded
list of points covers the whole run, plus the statement right after a COMMIT.
After each kill a normal update runs, and the archive must equal a clean
crawl's: every release, with exactly its text, dates, kind and media, each
site's template learned from one page per release.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SITES

from scraper.demo.sites import SiteServer, load_site_info

pytestmark = pytest.mark.slow

CHILD = Path(__file__).resolve().parent / "crash_child.py"

#: Listing pages with pagination (all three), a feed (bergsjo), a sitemap index (sjovik).
CRASH_SITES = ("vastervik", "bergsjo", "sjovik")
SEED = 20261206
RANDOM_POINTS = 40
AFTER_COMMIT_POINTS = 14
#: Runs killed one after the other before a normal run.
KILL_SEQUENCES = ((0.1, 0.3, 0.5), (0.25, 0.25, 0.7, 0.9))


@pytest.fixture(scope="module")
def crash_sites() -> Iterator[list[SiteServer]]:
    servers = [SiteServer(load_site_info(SITES / name)).start() for name in CRASH_SITES]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


class Updater:
    """Runs updates in children of tests/crash_child.py, killed at a given statement."""

    def __init__(self, servers: list[SiteServer]) -> None:
        self.sources = [
            {"id": s.info.id, "name": s.info.name, "url": s.listing_url} for s in servers
        ]
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, db: Path, *, kill_at: int, trace_file: Path | None = None) -> bool:
        """One update, SIGKILLed before statement ``kill_at`` (0: never); True when killed."""
        job = {"db": str(db), "sources": self.sources, "kill_at": kill_at}
        if trace_file is not None:
            job["trace_file"] = str(trace_file)
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer in ("killed", "ok"), f"the update failed ({answer!r}); see stderr"
        return answer == "killed"

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture(scope="module")
def updater(crash_sites: list[SiteServer]) -> Iterator[Updater]:
    runner = Updater(crash_sites)
    try:
        yield runner
    finally:
        runner.close()


def snapshot(db: Path) -> dict[str, object]:
    """What a reader of the archive sees: releases with their content and media, templates."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        releases = {}
        for row in conn.execute(
            "SELECT id, url, source, title, kind, published, updated, lead, body, language, "
            "content_hash FROM releases"
        ):
            release_id, url, *fields = row
            images = conn.execute(
                "SELECT position, url, alt, caption FROM images WHERE release_id = ? "
                "ORDER BY position",
                [release_id],
            ).fetchall()
            attachments = conn.execute(
                "SELECT position, url, title FROM attachments WHERE release_id = ? "
                "ORDER BY position",
                [release_id],
            ).fetchall()
            releases[url] = (*fields, images, attachments)
        templates = {
            row[0]: row[1:]
            for row in conn.execute("SELECT source, pages, blocks, threshold FROM site_templates")
        }
        revisions = conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
        fts = conn.execute("SELECT COUNT(*) FROM releases_fts").fetchone()[0]
        frontier = conn.execute("SELECT COUNT(*) FROM frontier").fetchone()[0]
        # The word list of long prefixes (index_terms) misses no word of the index.
        conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, releases_fts, 'col')")
        unlisted = conn.execute(
            "SELECT count(*) FROM temp.words w WHERE length(w.term) >= 5 "
            "AND (w.col <> 'tags' OR w.term GLOB 'tt*') AND NOT EXISTS (SELECT 1 FROM "
            "search_terms t WHERE t.term = w.term AND t.grp = CASE w.col WHEN 'stems' THEN "
            "'stems' WHEN 'tags' THEN 'tags' ELSE 'text' END)"
        ).fetchone()[0]
        queued = conn.execute("SELECT COUNT(*) FROM search_terms_queue").fetchone()[0]
    return {
        "unlisted": unlisted,
        "queued": queued,
        "releases": releases,
        "templates": templates,
        "revisions": revisions,
        "fts": fts,
        "frontier": frontier,
    }


@pytest.fixture(scope="module")
def clean(
    crash_sites: list[SiteServer], updater: Updater, tmp_path_factory
) -> tuple[dict[str, object], list[str]]:
    """A clean crawl's archive and the statements its update ran."""
    tmp = tmp_path_factory.mktemp("clean")
    db, trace = tmp / "clean.db", tmp / "trace.txt"
    assert not updater.run(db, kill_at=0, trace_file=trace)
    expected = snapshot(db)
    assert len(expected["releases"]) == sum(s.info.releases for s in crash_sites)  # type: ignore[arg-type]
    assert expected["revisions"] == 0 and expected["frontier"] == 0
    return expected, trace.read_text(encoding="utf-8").splitlines()


def kill_points(statements: list[str]) -> list[int]:
    """The seeded kill points: anywhere in the run, and right after a commit."""
    rng = random.Random(SEED)
    total = len(statements)
    anywhere = rng.sample(range(1, total + 1), RANDOM_POINTS)
    commits = [i + 2 for i, sql in enumerate(statements) if sql in ("COMMIT", "RELEASE")]
    after_commit = rng.sample(commits, min(AFTER_COMMIT_POINTS, len(commits)))
    return sorted(set(anywhere) | {p for p in after_commit if p <= total})


def assert_same_archive(got: dict[str, object], expected: dict[str, object], label: str) -> None:
    missing = set(expected["releases"]) - set(got["releases"])  # type: ignore[arg-type]
    extra = set(got["releases"]) - set(expected["releases"])  # type: ignore[arg-type]
    assert not missing and not extra, f"{label}: missing {sorted(missing)}, extra {sorted(extra)}"
    for url, fields in expected["releases"].items():  # type: ignore[attr-defined]
        assert got["releases"][url] == fields, f"{label}: {url} differs from a clean crawl"  # type: ignore[index]
    assert got["templates"] == expected["templates"], f"{label}: templates differ"
    assert got["revisions"] == 0, f"{label}: a kill made false revisions"
    assert got["fts"] == len(expected["releases"]), label  # type: ignore[arg-type]
    assert got["frontier"] == 0, f"{label}: URLs left in the frontier"
    assert got["unlisted"] == 0 and got["queued"] == 0, f"{label}: words not listed"


def test_the_kill_points_cover_the_run(clean) -> None:
    _, statements = clean
    points = kill_points(statements)
    assert len(points) >= 50
    # Early (walking listings), middle (fetching pages) and late (extracting) kills.
    assert min(points) < len(statements) * 0.1 and max(points) > len(statements) * 0.9


def test_every_kill_point_then_one_normal_run_gives_the_clean_archive(
    clean, updater: Updater, tmp_path: Path
) -> None:
    expected, statements = clean
    killed = 0
    for point in kill_points(statements):
        db = tmp_path / f"kill-{point}.db"
        killed += updater.run(db, kill_at=point)
        assert not updater.run(db, kill_at=0)
        assert_same_archive(snapshot(db), expected, f"killed before statement {point}")
        with sqlite3.connect(db) as conn:
            statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
        assert statuses[-1] == "ok" and set(statuses[:-1]) <= {"killed"}, statuses
        db.unlink()
    assert killed >= 50


@pytest.mark.parametrize("shares", KILL_SEQUENCES, ids=lambda s: "-".join(map(str, s)))
def test_several_kills_in_a_row_then_one_normal_run_give_the_clean_archive(
    clean, updater: Updater, tmp_path: Path, shares: tuple[float, ...]
) -> None:
    expected, statements = clean
    db = tmp_path / "archive.db"
    for share in shares:
        # Later runs have less left to do: a point past their end kills nothing.
        updater.run(db, kill_at=max(1, int(len(statements) * share)))
    assert not updater.run(db, kill_at=0)
    assert_same_archive(snapshot(db), expected, f"killed at {shares}")
