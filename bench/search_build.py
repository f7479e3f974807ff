"""Build a synthetic archive for ``bench/search.py`` through the project's own store.

    .venv/bin/python bench/search_build.py --releases 250000 --db /work/searchbench/250k.db
    .venv/bin/python bench/search_build.py --copies-of /work/searchbench/250k.db --copies 4 \\
        --db /work/searchbench/1m.db

Every release is a ``scraper.records.Release`` saved with ``Archive.save_release``
in transactions of 2,000 (what the releases are: ``search_corpus.py``), so the
schema, the stems and the index are those of the ``scraper`` package of the
venv that runs this file: run it with another worktree's venv to build that
branch's archive. ``--copies-of`` writes a built archive N times (distinct ids
and URLs) in SQL through the schema's triggers, as issue 14's 1M archive was.
Prints the build time and the size per release, and writes ``<db>.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from search_corpus import load_publishers, load_vocabulary, make_release, plan_releases

# --------------------------------------------------------------------------
# Writing an archive


def _crawl_time(start: datetime, n: int) -> str:
    return (start + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_archive(
    db: Path, *, releases: int, seed: int = 2026, batch: int = 2000, optimize: bool = False
) -> dict[str, object]:
    """Write a synthetic archive through ``Archive.save_release``; returns its manifest."""
    from scraper.records import Source
    from scraper.store import Archive

    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    vocab = load_vocabulary()
    publishers = load_publishers()
    archive = Archive(db)
    # A big page cache for the bulk load; the schema and the write path are the package's.
    archive.db.execute("PRAGMA cache_size=-200000")
    archive.sync_sources(
        [
            Source(
                id=p.source,
                name=p.name,
                url=f"https://www.{p.domain}/nyheter/",
                organisation=p.organisation,
            )
            for p in publishers
        ]
    )
    crawl_start = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    plans = plan_releases(publishers, total=releases, seed=seed)
    done = 0
    while True:
        chunk = list(itertools.islice(plans, batch))
        if not chunk:
            break
        with archive.transaction():
            for plan in chunk:
                archive.save_release(
                    make_release(plan, vocab),
                    source=plan.publisher.source,
                    page_id=None,
                    extractor_version="bench-search-corpus",
                    now=_crawl_time(crawl_start, done),
                )
                done += 1
        if done % 50_000 < batch:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:,} releases ({rate:,.0f}/s)", flush=True)
    if optimize:
        optimize_fts(archive.db.conn)
    archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    schema_version = archive.db.execute("PRAGMA user_version").fetchone()[0]
    archive.close()
    seconds = time.perf_counter() - started
    size = db.stat().st_size
    manifest = {
        "releases": releases,
        "seed": seed,
        "build_seconds": round(seconds),
        "bytes": size,
        "bytes_per_release": round(size / max(1, releases)),
        "optimized": optimize,
        "schema_version": schema_version,
        "code": code_version(),
        "words": vocab.source,
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    Path(f"{db}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


#: What a copy writes again, in order, and the column holding the release id.
_COPIED = (
    ("releases", "id"),
    ("release_urls", "release_id"),
    ("images", "release_id"),
    ("attachments", "release_id"),
    ("release_stems", "release_id"),
)
#: Generated columns (computed, not inserted).
_GENERATED = {("releases", "search_key")}


def replicate_archive(
    source: Path, db: Path, *, copies: int, optimize: bool = False
) -> dict[str, object]:
    """``source`` written ``copies`` times into ``db`` (distinct ids and URLs), in SQL.

    The releases are inserted again through the schema's triggers (every column
    copied, the stems included), in the first crawl's order; a branch that
    writes its index outside triggers needs the full build instead.
    """
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA cache_size=-200000")
    count = conn.execute("SELECT max(id) FROM releases").fetchone()[0]
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # release_stems (when the schema has it) after releases: its trigger indexes the copy.
    tables = [(t, k) for t, k in _COPIED if t in present]
    columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info([{t}])")] for t, _ in tables}
    for copy in range(1, copies):
        offset = copy * count
        moved = f"replace(url, '/nyheter/', '/nyheter/k{copy}/')"
        conn.execute("BEGIN")
        for table, key in tables:
            cols = [c for c in columns[table] if (table, c) not in _GENERATED]
            picked = [f"{c} + {offset}" if c == key else moved if c == "url" else c for c in cols]
            conn.execute(
                f"INSERT INTO [{table}] ({', '.join(cols)}) SELECT {', '.join(picked)} "
                f"FROM [{table}] WHERE {key} <= {count} ORDER BY {key}"
            )
        conn.execute("COMMIT")
        print(f"  copy {copy + 1} of {copies} ({time.perf_counter() - started:.0f} s)", flush=True)
    if optimize:
        optimize_fts(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    manifest = json.loads(Path(f"{source}.json").read_text(encoding="utf-8"))
    size = db.stat().st_size
    manifest.update(
        releases=count * copies,
        copies_of=f"{source.name} x {copies} (SQL through the triggers)",
        replicate_seconds=round(time.perf_counter() - started),
        bytes=size,
        bytes_per_release=round(size / (count * copies)),
        built_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    Path(f"{db}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def optimize_fts(conn: sqlite3.Connection) -> None:
    """Merge each FTS5 index into one segment (what a bulk load should end with)."""
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
        " AND sql NOT LIKE '%fts5vocab%'"
    ).fetchall():
        conn.execute(f"INSERT INTO [{name}] ([{name}]) VALUES ('optimize')")
    if conn.in_transaction:  # Python's sqlite3 opened one for the INSERT
        conn.commit()


def code_version() -> str:
    """Where the ``scraper`` package that wrote the archive lives, and its commit."""
    import scraper

    package = Path(scraper.__file__).resolve().parent
    try:
        # The last commit that changed the package: what wrote the archive.
        commit = subprocess.run(
            ["git", "-C", str(package), "log", "-1", "--format=%h %s", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown commit"
    return f"{package.parent} @ {commit}"


def table_sizes(db: Path, *, top: int = 8) -> list[tuple[str, int]]:
    """The largest tables and indexes (dbstat), or nothing when SQLite lacks it."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT ?",
                [top],
            ).fetchall()
    except sqlite3.OperationalError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=250_000)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--copies-of", type=Path, help="write this built archive --copies times")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument(
        "--optimize", action="store_true", help="merge each FTS5 index into one segment at the end"
    )
    args = parser.parse_args()
    if args.copies_of:
        print(f"writing {args.copies_of} {args.copies} times into {args.db}", flush=True)
        manifest = replicate_archive(
            args.copies_of, args.db, copies=args.copies, optimize=args.optimize
        )
        seconds = f"{manifest['build_seconds']} + {manifest['replicate_seconds']}"
    else:
        print(f"building {args.releases:,} releases into {args.db} with {code_version()}")
        manifest = build_archive(
            args.db, releases=args.releases, seed=args.seed, optimize=args.optimize
        )
        seconds = str(manifest["build_seconds"])
    print(
        f"built {manifest['releases']:,} releases in {seconds} s; "
        f"{manifest['bytes'] / 1e9:.2f} GB, {manifest['bytes_per_release']:,} bytes per release"
    )
    for name, size in table_sizes(args.db):
        print(f"  {name:<32} {size / 1e6:9.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
