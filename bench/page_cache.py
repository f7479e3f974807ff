"""The OS page cache for the search bench: what a server up a while has cached.

A server that has answered searches for a while has in the OS cache the pages
its searches read, and not the others. ``read_through`` emulates that before
the timed queries: it reads the files once, interleaved, and leaves out (and
drops from the cache) the pages no search reads: those of ``release_stems``,
the stems the index's triggers need to delete a release's entries (4.7 kB a
release, a quarter of the archive). At 1,000,000 releases our archive is
19 GB and plain Datasette's 5 GB, on a machine with 23 GB: reading the stems
too evicted pages that searches do read, and the searches timed then read
them from disk.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["forget", "never_read", "read_through", "resident"]

#: Tables no search reads (``scraper.store.search``: the content the triggers use).
UNREAD_TABLES = ("release_stems",)
#: Bytes read from each file in one step of ``read_through`` (the largest file's share).
STEP = 16 << 20

Runs = list[tuple[int, int]]


def forget(path: Path, runs: Runs | None = None) -> None:
    """Drop a file's pages (or the byte ``runs``, (offset, length)) from the OS cache (Linux).

    Only pages written out are dropped: fsync a file just written first.
    """
    if not hasattr(os, "posix_fadvise"):
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        for offset, length in runs if runs is not None else [(0, 0)]:
            os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def never_read(db: Path, cache: Path | None = None) -> Runs:
    """Byte runs (offset, length) of ``db``'s pages no search reads (``UNREAD_TABLES``).

    Found by ``dbstat`` (reads those tables' pages: ~100 s at 1,000,000 releases)
    and kept in ``cache`` (JSON) for as long as the file's size and time stay.
    """
    stat = db.stat()
    stamp = [stat.st_size, stat.st_mtime_ns]
    if cache is not None and cache.exists():
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept.get("stamp") == stamp:
            return [(a, b) for a, b in kept["runs"]]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        marks = ",".join("?" * len(UNREAD_TABLES))
        pages = sorted(
            row[0]
            for row in conn.execute(
                f"SELECT pageno FROM dbstat WHERE name IN ({marks})", UNREAD_TABLES
            )
        )
    finally:
        conn.close()
    runs: list[list[int]] = []
    for page in pages:
        if runs and runs[-1][0] + runs[-1][1] == page:
            runs[-1][1] += 1
        else:
            runs.append([page, 1])
    found = [((page - 1) * size, count * size) for page, count in runs]  # pages count from 1
    if cache is not None:
        cache.write_text(json.dumps({"stamp": stamp, "runs": found}), encoding="utf-8")
    forget(db, found)  # dbstat read them
    return found


def _wanted(size: int, skip: Runs) -> Iterator[tuple[int, int]]:
    """The byte runs of a file of ``size`` bytes outside ``skip`` (sorted, not overlapping)."""
    at = 0
    for offset, length in skip:
        if offset > at:
            yield at, offset - at
        at = max(at, offset + length)
    if at < size:
        yield at, size - at


def _pieces(runs: Iterator[tuple[int, int]], step: int) -> Iterator[list[tuple[int, int]]]:
    """``runs`` in groups of about ``step`` bytes (a long run split)."""
    group: list[tuple[int, int]] = []
    total = 0
    for offset, length in runs:
        while length:
            take = min(length, step - total)
            group.append((offset, take))
            offset, length, total = offset + take, length - take, total + take
            if total >= step:
                yield group
                group, total = [], 0
    if group:
        yield group


def read_through(paths: list[Path], skip: dict[Path, Runs] | None = None) -> tuple[float, int]:
    """Read files once into the OS cache but the ``skip`` runs (dropped); (seconds, bytes read).

    Interleaved, each in steps proportional to what is read of it: when they
    do not all fit in the cache, the pages evicted first are spread over all of
    them, whatever the order they are named in (read one after the other, the
    first lost its first gigabytes).
    """
    started = time.perf_counter()
    skip = skip or {}
    sizes = [p.stat().st_size for p in paths]
    wanted = [
        sum(n for _, n in _wanted(s, skip.get(p, []))) for p, s in zip(paths, sizes, strict=True)
    ]
    steps = max(1, -(-max(wanted) // STEP))
    readers = [
        _pieces(_wanted(size, skip.get(path, [])), max(4096, -(-want // steps)))
        for path, size, want in zip(paths, sizes, wanted, strict=True)
    ]
    fds = [os.open(p, os.O_RDONLY) for p in paths]
    dropped = [0] * len(paths)  # skip runs dropped so far, per file
    done = 0

    def drop(i: int, upto: int) -> None:
        """Drop the skip runs before ``upto``: the kernel's read-ahead read them too."""
        runs = skip.get(paths[i], [])
        start = dropped[i]
        while dropped[i] < len(runs) and runs[dropped[i]][0] < upto:
            dropped[i] += 1
        forget(paths[i], runs[start : dropped[i]])

    try:
        for i, path in enumerate(paths):
            forget(path, skip.get(path, []))  # cached by a copy or an earlier read
            if skip.get(path) and hasattr(os, "posix_fadvise"):
                # No read-ahead: it would take the skipped pages along (and the
                # cache cannot drop a page alone from a large folio).
                os.posix_fadvise(fds[i], 0, 0, os.POSIX_FADV_RANDOM)
        left = list(range(len(paths)))
        while left:
            for i in list(left):
                group = next(readers[i], None)
                if group is None:
                    left.remove(i)
                    drop(i, 1 << 62)
                    continue
                for offset, length in group:
                    done += len(os.pread(fds[i], length, offset))
                # Read-ahead reaches past the group's end: its runs go at the next step.
                drop(i, group[0][0])
        for path in paths:  # read-ahead may have taken some back
            forget(path, skip.get(path, []))
    finally:
        for fd in fds:
            os.close(fd)
    return time.perf_counter() - started, done


def resident(paths: list[Path]) -> str:
    """How much of each file the OS cache holds (``fincore``, when the system has it)."""
    if not shutil.which("fincore"):
        return "fincore: not installed"
    out = subprocess.run(
        ["fincore", "--bytes", "--noheadings", "--output", "RES,SIZE", *map(str, paths)],
        capture_output=True,
        text=True,
    ).stdout.split()
    parts = [
        f"{p.name} {int(res) / 1e9:.1f} of {int(size) / 1e9:.1f} GB"
        for p, res, size in zip(paths, out[::2], out[1::2], strict=False)
    ]
    return "cached: " + ", ".join(parts)
