"""SIGINT and SIGTERM stop an update cleanly: the run is marked interrupted, the
archive is whole, the exit status names the signal and the next run completes."""

from __future__ import annotations

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
        conn = sqlite3.connect(db, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM releases").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def run_update(db: Path, sources: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "update", "--db", str(db), "--sources", str(sources)]
        + list(extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # Whatever the test runner was started with, the update gets the usual
        # dispositions (a shell's background job ignores SIGINT).
        preexec_fn=lambda: (
            signal.signal(signal.SIGINT, signal.SIG_DFL),
            signal.signal(signal.SIGTERM, signal.SIG_DFL),
        ),
    )


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_marks_the_run_interrupted_and_the_next_run_completes(
    tmp_path: Path, served_sites: list[SiteServer], signum: signal.Signals, code: int
) -> None:
    slow = write_sources(tmp_path, served_sites)
    # One source at a time, 0.3 s between requests: minutes of work, so that the
    # signal surely comes in the middle (it is sent once a release is stored).
    slow.write_text(slow.read_text("utf-8").replace("delay = 0\n", "delay = 0.3\n"), "utf-8")
    db = tmp_path / "archive.db"
    expected = sum(s.info.releases for s in served_sites)
    process = run_update(db, slow, "--concurrency", "1")
    try:
        deadline = time.monotonic() + 120
        while count_releases(db) < 1:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no release stored in two minutes"
            time.sleep(0.05)
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == code, (out, err)
    assert f"interrupted by {signum.name}: run 1 marked interrupted" in err.decode()
    partial = count_releases(db)
    assert 0 < partial < expected
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT COUNT(*) FROM releases_fts").fetchone()[0] == partial
        run = conn.execute("SELECT status, finished FROM runs").fetchall()
    conn.close()
    assert len(run) == 1 and run[0][0] == "interrupted" and run[0][1]

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
    conn.close()
    assert statuses == ["interrupted", "ok"]
