"""Search latency on a synthetic archive of Swedish-looking press releases.

    .venv/bin/python bench/search.py                      # 1,000,000 releases
    .venv/bin/python bench/search.py --releases 20000     # a quick run
    .venv/bin/python bench/search.py --reuse              # query an existing build

Builds the archive with the real schema (``scraper.store.Archive``), inserts
the releases with executemany in big transactions without the FTS triggers,
then lets ``ensure_search_index`` build the index once. Then it runs ~50
queries of each kind through the ``search`` canned query's SQL (the one
``/<db>/search?q=`` runs: MATCH, bm25 ranking, snippet, joins, 200 rows) and
through the table search box's SQL (``/<db>/releases?_search=``: newest first,
page of 51, plus the count Datasette shows), and prints median and 95th
percentile latency per kind and the database size.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.serve import plugin as datasette_plugin  # noqa: E402
from scraper.serve.queries import SEARCH_SQL  # noqa: E402
from scraper.store import Archive  # noqa: E402
from scraper.store.search import build_match_query, ensure_search_index, stem_document  # noqa: E402

MUNICIPALITIES = [
    "Västervik", "Örebro", "Härnösand", "Malmö", "Göteborg", "Jönköping", "Växjö", "Luleå",
    "Umeå", "Gävle", "Söderhamn", "Åre", "Älmhult", "Östersund", "Borås", "Norrköping",
    "Linköping", "Kalmar", "Karlstad", "Sundsvall", "Skellefteå", "Trollhättan", "Hässleholm",
    "Kungsbacka", "Mölndal", "Nyköping", "Eskilstuna", "Västerås", "Uppsala", "Täby",
]  # fmt: skip


def _words(text: str) -> list[str]:
    return text.split()


# Word families: every form occurs in the text, so inflected queries meet other forms.
FAMILIES = [
    "skola skolan skolor skolorna skolans", "förskola förskolan förskolor förskolorna",
    "kommun kommunen kommuner kommunerna kommunens", "budget budgeten budgetar",
    "medborgarlöfte medborgarlöftet medborgarlöften", "bygge bygget byggen byggena",
    "väg vägen vägar vägarna", "park parken parker parkerna", "bibliotek biblioteket",
    "elev eleven elever eleverna", "barn barnet barnen", "förälder föräldrar föräldrarna",
    "invånare invånarna", "nämnd nämnden nämnder", "beslut beslutet besluten",
    "förslag förslaget förslagen", "plan planen planer planerna", "hus huset husen",
    "bostad bostaden bostäder bostäderna", "vatten vattnet", "avlopp avloppet",
    "trafik trafiken", "buss bussen bussar bussarna", "cykel cykeln cyklar cykelbana",
    "äldreomsorg äldreomsorgen", "hemtjänst hemtjänsten", "idrott idrottshall idrottshallen",
    "simhall simhallen", "brand branden bränder", "polis polisen", "trygghet tryggheten",
    "samverkan samverkan", "miljö miljön", "klimat klimatet", "energi energin",
    "solcell solceller solcellerna", "näringsliv näringslivet", "företag företaget företagen",
    "jobb jobbet jobben", "sommar sommaren", "vinter vintern", "snö snön snöoväder",
    "invigning invigningen", "spadtag spadtaget", "hamn hamnen", "torg torget",
    "fritidsgård fritidsgården", "ungdom ungdomar ungdomarna", "lunch lunchen",
    "frukt frukten", "evenemang evenemanget", "konsert konserten", "festival festivalen",
    "renovering renoveringen", "detaljplan detaljplanen", "samråd samrådet",
    "avgift avgiften avgifter", "parkering parkeringen", "gata gatan gator gatorna",
    "vård vården", "omsorg omsorgen", "kultur kulturen", "bad badet badplats badplatsen",
]  # fmt: skip
VERBS = _words(
    "får far har är blir ska kan vill bygger öppnar stänger inviger satsar presenterar "
    "beslutar föreslår renoverar planerar arbetar undertecknar välkomnar informerar "
    "ökar minskar startar fortsätter genomför erbjuder söker tar ger visar behöver"
)
SMALL = _words(
    "och i på för med att som det en ett den de till av om från under efter inom "
    "mellan nya nytt ny stora stor mer fler alla flera många hela kommande första"
)
ADJ = _words("trygg trygga gratis lokala hållbar hållbara öppen öppna viktig viktiga bättre")


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words: list[str] = []
    for family in FAMILIES:
        words.extend(family.split())
    stems = [f.split()[0] for f in FAMILIES]
    # Compounds make a long tail of rare words, like real Swedish text.
    for _ in range(20_000):
        a, b = rng.sample(stems, 2)
        words.append(a + b)
    words += VERBS + ADJ + [m for m in MUNICIPALITIES] + [m + "s" for m in MUNICIPALITIES]
    weights = [1.0 / (rank + 10) for rank in range(len(words))]
    rng.shuffle(words)
    words = SMALL + words
    weights = [0.05] * len(SMALL) + weights
    return words, weights


def _sentence(rng: random.Random, words: list[str], cum_weights: list[float]) -> str:
    picked = rng.choices(words, cum_weights=cum_weights, k=rng.randint(8, 20))
    text = " ".join(picked)
    return text[0].upper() + text[1:] + "."


def build(path: Path, *, releases: int, seed: int) -> float:
    """Write a synthetic archive; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    words, weights = _vocabulary(rng)
    weights = list(itertools.accumulate(weights))
    sentences = [_sentence(rng, words, weights) for _ in range(40_000)]
    sentence_stems = [stem_document("", None, s) for s in sentences]
    titles = [_sentence(rng, words, weights)[:-1][:90] for _ in range(20_000)]
    title_stems = [stem_document(t, None, "") for t in titles]
    kinds = ["Pressmeddelande"] * 6 + ["Nyhet"] * 3 + ["Pressinbjudan"]

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    archive = Archive(path)
    archive.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    for trigger in ("releases_ai", "releases_ad", "releases_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TABLE IF EXISTS releases_fts")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO sources (id, name, url, verified, overridden) VALUES (?,?,?,0,0)",
        [
            (f"k{i:03d}", f"{MUNICIPALITIES[i % len(MUNICIPALITIES)]} {i} kommun",
             f"https://k{i:03d}.example.se/press/")
            for i in range(290)
        ],
    )  # fmt: skip
    conn.execute("COMMIT")
    batch: list[tuple] = []
    sql = (
        "INSERT INTO releases (id, source, url, title, kind, published, lead, body, language, "
        "year, first_seen, last_seen, content_hash, stems) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    for i in range(1, releases + 1):
        t = rng.randrange(len(titles))
        picks = [rng.randrange(len(sentences)) for _ in range(rng.randint(6, 16))]
        lead_pick = picks.pop() if rng.random() < 0.5 else None
        cut = sorted(rng.sample(range(1, len(picks)), min(3, len(picks) - 1)))
        paragraphs = [picks[a:b] for a, b in zip([0, *cut], [*cut, len(picks)], strict=True)]
        body = "\n\n".join(" ".join(sentences[j] for j in p) for p in paragraphs)
        lead = sentences[lead_pick] if lead_pick is not None else None
        stems = " ".join(
            [title_stems[t]]
            + ([sentence_stems[lead_pick]] if lead_pick is not None else [])
            + [sentence_stems[j] for j in picks]
        )
        year = 2010 + rng.randrange(16)
        published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        source = f"k{rng.randrange(290):03d}"
        batch.append(
            (i, source, f"https://{source}.example.se/press/{i}/", titles[t],
             rng.choice(kinds), published, lead, body, "sv", year, published + "T08:00:00Z",
             published + "T08:00:00Z", hashlib.sha1(str(i).encode()).hexdigest(), stems)
        )  # fmt: skip
        if len(batch) == 50_000 or i == releases:
            conn.execute("BEGIN")
            conn.executemany(sql, batch)
            conn.execute("COMMIT")
            batch.clear()
            print(f"  inserted {i:,} releases ({time.perf_counter() - started:.0f} s)", flush=True)
    conn.close()
    index_started = time.perf_counter()
    archive = Archive(path)  # ensure_search_index: builds the FTS index once, in one go
    ensure_search_index(archive.db)
    archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive.close()
    print(f"  search index built in {time.perf_counter() - index_started:.0f} s", flush=True)
    return time.perf_counter() - started


def _queries(conn: sqlite3.Connection, *, per_kind: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed + 1)
    vocab = [
        (term, docs)
        for term, docs in conn.execute(
            "SELECT term, doc FROM releases_fts_v WHERE col = 'body' AND length(term) > 3"
        )
    ]
    vocab.sort(key=lambda x: -x[1])
    common = [t for t, _ in vocab[:300] if t.isalpha()]
    rare = [t for t, _ in vocab[-len(vocab) // 10 :] if t.isalpha()]  # the rarest tenth
    families = [f.split() for f in FAMILIES if len(f.split()) > 2]
    diacritics = [w for f in FAMILIES for w in f.split() if any(c in w for c in "åäö")]
    diacritics += [m.lower() for m in MUNICIPALITIES if any(c in m.lower() for c in "åäö")]
    fold = str.maketrans("åäö", "aao")
    bodies = [b for (b,) in conn.execute("SELECT body FROM releases WHERE id % 997 = 0 LIMIT 500")]

    def phrase() -> str:
        tokens = rng.choice(bodies).replace(".", "").split()
        k = rng.randrange(len(tokens) - 2)
        return '"' + " ".join(tokens[k : k + 2]).lower() + '"'

    return {
        "common word": [rng.choice(common) for _ in range(per_kind)],
        "rare word": [rng.choice(rare) for _ in range(per_kind)],
        "inflected (stems)": [rng.choice(rng.choice(families)[1:]) for _ in range(per_kind)],
        "typed without åäö": [rng.choice(diacritics).translate(fold) for _ in range(per_kind)],
        "prefix": [rng.choice(rare)[:5] + "*" for _ in range(per_kind)],
        "phrase": [phrase() for _ in range(per_kind)],
        "two words (AND)": [f"{rng.choice(common)} {rng.choice(rare)}" for _ in range(per_kind)],
        "OR": [f"{rng.choice(rare)} OR {rng.choice(rare)}" for _ in range(per_kind)],
        "NOT": [f"{rng.choice(common)} NOT {rng.choice(common)}" for _ in range(per_kind)],
    }


TABLE_SQL = (
    "SELECT * FROM releases WHERE id IN (SELECT rowid FROM releases_fts "
    "WHERE releases_fts MATCH escape_fts(:search)) ORDER BY published DESC LIMIT 51"
)
TABLE_COUNT_SQL = (
    "SELECT count(*) FROM releases WHERE id IN (SELECT rowid FROM releases_fts "
    "WHERE releases_fts MATCH escape_fts(:search))"
)


def _timed(conn: sqlite3.Connection, sql: str, params: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = conn.execute(sql, params).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def _report(name: str, times: list[float], hits: list[int]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"  {name:<22} median {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms   "
        f"max {times[-1]:8.1f} ms   rows median {statistics.median(hits):>7,.0f}"
    )


def run_queries(path: Path, *, per_kind: int, seed: int) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.create_function("swedish_match", 1, build_match_query, deterministic=True)
    conn.create_function("escape_fts", 1, build_match_query, deterministic=True)
    conn.create_function("atom_time", 2, datasette_plugin.atom_time, deterministic=True)
    conn.execute(
        "CREATE VIRTUAL TABLE temp.releases_fts_v USING fts5vocab(main, releases_fts, col)"
    )
    queries = _queries(conn, per_kind=per_kind, seed=seed)
    for sql, label in [(SEARCH_SQL, "search canned query (ranked, 200 rows)"),
                       (TABLE_SQL, "table search box (newest first, 51 rows)"),
                       (TABLE_COUNT_SQL, "table search box row count")]:  # fmt: skip
        print(f"\n{label}:")
        for kind, qs in queries.items():
            times, hits = [], []
            for q in qs:
                params = {"q": q, "source": "", "from": "", "to": "", "search": q}
                elapsed, n = _timed(conn, sql, params)
                if sql is TABLE_COUNT_SQL:
                    n = conn.execute(sql, params).fetchone()[0]
                times.append(elapsed)
                hits.append(n)
            _report(kind, times, hits)
    conn.close()


def run_pages(path: Path, *, row_id: int, repeat: int = 10) -> None:
    """Time whole Datasette pages (HTML and JSON) as a browser would get them."""
    import asyncio

    from scraper.serve.app import make_datasette

    name = path.stem
    urls = [
        f"/{name}/releases",
        f"/{name}/releases.json?_search=skolan",
        f"/{name}/releases?_search=medborgarlöften",
        f"/{name}/search?q=skolor",
        f"/{name}/search.json?q=vastervik",
        f"/{name}/search.atom?q=budget",
        f"/{name}/latest.json",
        f"/{name}/press_invitations.json?weeks=1000",
        f"/{name}/per_municipality_year.json",
        f"/{name}/releases/{row_id}",
    ]

    async def main() -> None:
        ds = make_datasette(path, immutable=True)
        print("\nDatasette pages (immutable, in-process client, warm cache):")
        for url in urls:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = await ds.client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            note = "" if response.status_code == 200 else f"  HTTP {response.status_code}"
            if url.endswith("releases") or "releases.json" in url:
                data = (
                    await ds.client.get(
                        url.replace("releases?", "releases.json?") if "?" in url else url + ".json"
                    )
                ).json()
                if data.get("facets_timed_out"):
                    note += f"  facets timed out: {', '.join(data['facets_timed_out'])}"
            print(f"  {url:<48} median {statistics.median(times):8.1f} ms{note}")

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-search/archive.db"))
    parser.add_argument("--queries", type=int, default=50, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="query an existing build")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and args.db.exists()):
        print(f"building {args.releases:,} releases into {args.db}", flush=True)
        seconds = build(args.db, releases=args.releases, seed=args.seed)
        print(f"built in {seconds / 60:.1f} min")
    count = sqlite3.connect(args.db).execute("SELECT count(*) FROM releases").fetchone()[0]
    size = sum(
        os.path.getsize(f"{args.db}{s}") for s in ("", "-wal") if os.path.exists(f"{args.db}{s}")
    )
    print(f"\n{count:,} releases, database {size / 1e9:.2f} GB ({size / count:,.0f} bytes each)")
    try:
        conn = sqlite3.connect(args.db)
        for name, pages in conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
        ):
            print(f"  {name:<28} {pages / 1e9:6.2f} GB")
    except sqlite3.OperationalError:
        pass  # SQLite built without dbstat
    run_queries(args.db, per_kind=args.queries, seed=args.seed)
    run_pages(args.db, row_id=max(1, count // 2))


if __name__ == "__main__":
    main()
