"""Search latency per query kind on an existing archive, in process (no HTTP), and ranking overlap.

    .venv/bin/python bench/search_layout.py --db /tmp/250k.db [--per-kind 30]

Opens the archive with the current code (an archive of an older layout is
migrated first, timed), picks queries of each kind from the index's own
vocabulary, and times each URL through Datasette's ASGI app
(``datasette.client``: the whole plugin and template stack, no sockets):
the search page ``/``, its JSON and Atom, page 2, the canned ``search``
query, the table search (JSON, as the HTML one redirects to ``/``) and the
release page. Prints median and 95th percentile in ms per kind, the index
size per release, and the overlap of the first 20 results with the full
bm25 ranking over every match (today's ranking) for rare and medium queries.
For a side-by-side with a plain Datasette over HTTP, see ``bench/search.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlite_utils  # noqa: E402

from scraper.serve.app import make_datasette  # noqa: E402
from scraper.store import Archive  # noqa: E402
from scraper.store.finder import SearchQuery, find_releases  # noqa: E402
from scraper.store.query_language import build_match_query  # noqa: E402
from scraper.store.search import fold  # noqa: E402


def _vocabulary(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    rows = conn.execute(
        "SELECT term, doc FROM releases_fts_vocab WHERE length(term) > 4 "
        "AND term NOT GLOB '*[0-9]*' AND term NOT GLOB 'x[sk]*'"
    ).fetchall()
    return rows


def pick_queries(conn: sqlite3.Connection, per_kind: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    total = conn.execute("SELECT count(*) FROM releases").fetchone()[0]
    vocab = _vocabulary(conn)
    exact = [(t, d) for t, d in vocab if any(c in t for c in "åäö") or t.isascii()]
    rare = [t for t, d in exact if 5 <= d <= 50]
    medium = [t for t, d in exact if 300 <= d <= 3000]
    common = [t for t, d in sorted(exact, key=lambda x: -x[1])[:200]]
    diacritics = [t for t, d in exact if any(c in t for c in "åäö") and d >= 200]
    prefixes = sorted({t[:4] for t in common if t[:4].isalpha()})
    names = [r[0] for r in conn.execute("SELECT name FROM sources")]
    bodies = [
        b for (b,) in conn.execute("SELECT body FROM releases WHERE id % 997 = 0 LIMIT 300") if b
    ]

    def phrase() -> str:
        words = rng.choice(bodies).split()
        i = rng.randrange(max(1, len(words) - 3))
        return '"' + " ".join(words[i : i + 2]).strip(".,:;!?\"'()") + '"'

    def sample(pool: list[str]) -> list[str]:
        return [rng.choice(pool) for _ in range(per_kind)] if pool else []

    print(f"  {total:,} releases; vocabulary {len(vocab):,} terms (length > 4)")
    return {
        "rare word": sample(rare),
        "medium word": sample(medium),
        "common word": sample(common),
        "two words": [f"{rng.choice(medium)} {rng.choice(common)}" for _ in range(per_kind)],
        "phrase": [phrase() for _ in range(per_kind)],
        "prefix": [p + "*" for p in sample(prefixes)],
        "without å/ä/ö": [fold(t) for t in sample(diacritics)],
        "OR": [f"{rng.choice(medium)} OR {rng.choice(medium)}" for _ in range(per_kind)],
        "NOT": [f"{rng.choice(common)} NOT {rng.choice(common)}" for _ in range(per_kind)],
        "+ municipality + dates": [
            f"{rng.choice(common)}&kommun={quote(rng.choice(names))}&fran=2015&till=2022"
            for _ in range(per_kind)
        ],
    }


def _stats(times: list[float]) -> str:
    if not times:
        return "-"
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return f"{statistics.median(times):.0f}/{p95:.0f}"


async def time_urls(ds, urls: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for url in urls:
        started = time.perf_counter()
        response = await ds.client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in (200, 302):
            print(f"    {response.status_code} {url[:80]}")
        out.append(elapsed)
    return out


# The ranking before issue 14: every match, bm25 over all of them.
OLD_RANKING = (
    "SELECT r.id FROM releases_fts JOIN releases r ON r.search_key = releases_fts.rowid "
    "WHERE releases_fts MATCH ? ORDER BY bm25(releases_fts, 10, 4, 1, 0, 0) = 0, "
    "bm25(releases_fts, 10, 4, 1, 0.5, 0), r.published DESC LIMIT 20"
)


def overlap(db: sqlite_utils.Database, queries: list[str]) -> float:
    """Mean share of the first 20 results the full bm25 ranking also has in its first 20."""
    shares = []
    for q in queries:
        full = [
            row[0]
            for row in db.execute(
                OLD_RANKING,
                [build_match_query(q)],
            )
        ]
        ours = [h.id for h in find_releases(db, SearchQuery(q=q, facets=False)).hits]
        if full:
            shares.append(len(set(full) & set(ours)) / len(full))
    return statistics.mean(shares) if shares else float("nan")


async def run(path: Path, per_kind: int, seed: int) -> None:
    started = time.perf_counter()
    Archive(path).close()
    print(f"  opened (migrated if needed) in {time.perf_counter() - started:.1f} s")
    conn = sqlite3.connect(path)
    queries = pick_queries(conn, per_kind, seed)
    size = (
        {
            name: n
            for name, n in conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'releases_fts%' "
                "OR name = 'release_stems' OR name LIKE 'sqlite_autoindex_release_stems%' "
                "GROUP BY name"
            )
        }
        if _has_dbstat(conn)
        else {}
    )
    releases = conn.execute("SELECT count(*) FROM releases").fetchone()[0]
    if size:
        fts = sum(v for k, v in size.items() if k.startswith("releases_fts"))
        stems = sum(v for k, v in size.items() if k.startswith("release_stems"))
        print(f"  index {fts / 1e6:.0f} MB ({fts / releases:.0f} B/release), "
              f"stems {stems / 1e6:.0f} MB ({stems / releases:.0f} B/release)")  # fmt: skip
    ids = [r[0] for r in conn.execute("SELECT id FROM releases WHERE id % 509 = 0 LIMIT 200")]
    conn.close()
    ds = make_datasette(path)
    await ds.client.get("/?q=kommun")  # warm up
    name = path.stem
    print(f"\n{'kind':<24} {'/ (html)':>10} {'/sok.json':>10} {'canned':>10} {'table json':>11}")
    for kind, qs in queries.items():
        if not qs:
            continue
        page = await time_urls(ds, [f"/?q={_q(q)}" for q in qs])
        js = await time_urls(ds, [f"/sok.json?q={_q(q)}" for q in qs])
        canned = await time_urls(ds, [f"/{name}/search.json?q={_q(q)}" for q in qs])
        table = await time_urls(ds, [f"/{name}/releases.json?_search={_q(q)}" for q in qs[:10]])
        print(f"{kind:<24} {_stats(page):>10} {_stats(js):>10} {_stats(canned):>10} "
              f"{_stats(table):>11}")  # fmt: skip
    common = queries["common word"]
    extra = {
        "page 2 (relevance)": [f"/?q={_q(q)}&sida=2" for q in common],
        "page 2 (newest)": [],
        "Atom /sok.atom": [f"/sok.atom?q={_q(q)}" for q in common],
        "Atom canned search": [f"/{name}/search.atom?q={_q(q)}" for q in common],
        "release page": [f"/{name}/releases/{i}" for i in ids[:per_kind]],
        "table search html": [f"/{name}/releases?_search={_q(q)}" for q in common[:5]],
    }
    db = sqlite_utils.Database(path)
    for q in common:
        first = find_releases(db, SearchQuery(q=q, order="newest", facets=False))
        if first.next_after:
            extra["page 2 (newest)"].append(f"/?q={_q(q)}&ordning=nyast&efter={first.next_after}")
    print()
    for kind, urls in extra.items():
        print(f"{kind:<24} {_stats(await time_urls(ds, urls)):>10}")
    print()
    for kind in ("rare word", "medium word", "two words"):
        print(f"top-20 overlap with full bm25 ranking, {kind}: {overlap(db, queries[kind]):.3f}")


def _q(q: str) -> str:
    head, _, rest = q.partition("&")
    return quote(head) + ("&" + rest if rest else "")


def _has_dbstat(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1")
    except sqlite3.Error:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--per-kind", type=int, default=30)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    asyncio.run(run(args.db, args.per_kind, args.seed))


if __name__ == "__main__":
    main()
