"""Cron safety: a killed update leaves a consistent archive; a second update is refused."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_update_e2e import write_sources

from scraper.demo.sites import SiteServer

pytestmark = pytest.mark.slow


def count_releases(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM releases").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def slow_sources(tmp_path: Path, servers: list[SiteServer]) -> Path:
    path = write_sources(tmp_path, servers)
    # A small delay per host makes the run long enough to be caught in the middle.
    path.write_text(path.read_text("utf-8").replace("delay = 0\n", "delay = 0.3\n"), "utf-8")
    return path


def start_update(db: Path, sources: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "update", "--db", str(db), "--sources", str(sources)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_mid_run_leaves_consistent_db_and_next_run_completes(
    tmp_path: Path, served_sites: list[SiteServer]
) -> None:
    sources = slow_sources(tmp_path, served_sites)
    db = tmp_path / "archive.db"
    expected = sum(s.info.releases for s in served_sites)
    process = start_update(db, sources)
    try:
        deadline = time.monotonic() + 60
        while count_releases(db) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        # A second update while the first holds the database is refused at once.
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "scraper.cli",
                "update",
                "--db",
                str(db),
                "--sources",
                str(sources),
            ],
            capture_output=True,
            timeout=60,
        )
        assert second.returncode == 3
        assert b"another update is running" in second.stderr
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
    partial = count_releases(db)
    assert 0 < partial < expected
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every stored release is whole: its search row and its URLs are there.
        orphans = conn.execute(
            "SELECT COUNT(*) FROM releases r WHERE NOT EXISTS "
            "(SELECT 1 FROM release_urls u WHERE u.release_id = r.id)"
        ).fetchone()[0]
        assert orphans == 0
        assert conn.execute("SELECT COUNT(*) FROM releases_fts").fetchone()[0] == partial
    fast = write_sources(tmp_path, served_sites)
    finish = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "update", "--db", str(db), "--sources", str(fast)],
        capture_output=True,
        timeout=120,
    )
    assert finish.returncode == 0, finish.stderr.decode()
    assert count_releases(db) == expected
    with sqlite3.connect(db) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["killed", "ok"]
