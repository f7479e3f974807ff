"""The query set of ``bench/search.py``: 30 distinct queries per kind, from frequency bands.

Words come from the generator's word distribution (``search_corpus.load_vocabulary``),
ranked by probability: rare words are ranks 5,000-20,000, common words the 50
commonest content words (no function words). Phrases are adjacent words of
bodies in the archive, release ids and municipalities are the archive's. The
set is written beside the archive (``<db>.queries.json``) and reused, so every
run against that archive (any branch) asks the same queries.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import snowballstemmer
from search_corpus import STOPWORDS, Vocabulary, load_vocabulary

#: Query kinds in the order of the report.
KINDS = (
    "rare word",
    "common word",
    "two words",
    "phrase",
    "prefix",
    "inflected",
    "without å/ä/ö",
    "OR",
    "NOT",
    "+ municipality + dates",
    "page 2",
    "Atom feed",
    "release page",
    "table search",
)
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


def _distinct(rng: random.Random, pool: list[str], n: int) -> list[str]:
    pool = list(dict.fromkeys(pool))
    return rng.sample(pool, min(n, len(pool)))


def make_queries(db: Path, vocab: Vocabulary, *, per_kind: int = 30, seed: int = 14) -> dict:
    """Every kind's queries: a list of dicts with ``q`` and, by kind, more parameters."""
    rng = random.Random(seed)
    ranks = {w: i for i, w in enumerate(vocab.words)}
    content = vocab.content_words()
    common = content[:50]
    rare = [w for w in vocab.words[5_000:20_000] if w not in STOPWORDS and len(w) >= 4]
    medium = content[500:5_000]
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        count = conn.execute("SELECT max(id) FROM releases").fetchone()[0]
        sources = [s for (s,) in conn.execute("SELECT id FROM sources ORDER BY id")]
        bodies = [
            b
            for (b,) in conn.execute(
                "SELECT body FROM releases WHERE id % 97 = 0 ORDER BY id LIMIT 400"
            )
        ]

    def phrase() -> str:
        while True:
            words = "".join(c if c.isalpha() else " " for c in rng.choice(bodies).lower()).split()
            k = rng.randrange(len(words) - 1)
            pair = words[k : k + 2]
            if any(w not in STOPWORDS for w in pair) and all(
                ranks.get(w, 1e9) < 5000 for w in pair
            ):
                return f'"{pair[0]} {pair[1]}"'

    stemmer = snowballstemmer.stemmer("swedish")
    groups: dict[str, list[str]] = {}
    for word in vocab.words[:20_000]:
        groups.setdefault(stemmer.stemWord(word), []).append(word)
    inflected = [
        forms[1]
        for forms in groups.values()
        if len(forms) > 1 and forms[0] in content[:2000] and forms[1] not in STOPWORDS
    ]
    diacritics = [w.translate(_FOLD) for w in content[50:3000] if set(w) & set("åäö")]
    prefixes = [w[: rng.choice((4, 5))] + "*" for w in content[:3000] if len(w) >= 6]

    def many(make: Any) -> list[Any]:
        seen: dict[str, Any] = {}
        for _ in range(per_kind * 50):
            item = make()
            seen.setdefault(json.dumps(item, sort_keys=True), item)
            if len(seen) == per_kind:
                break
        return list(seen.values())

    def filtered() -> dict[str, str]:
        first = rng.randint(2008, 2022)
        last = min(2026, first + rng.randint(0, 3))
        return {
            "q": rng.choice(content[50:1000]),
            "source": rng.choice(sources),
            "from": f"{first}-01-01",
            "to": f"{last}-12-31",
            "before": f"{last + 1}-01-01",
        }

    def log_uniform(low: int, high: int) -> str:
        return content[int(low * (high / low) ** rng.random())]

    return {
        "rare word": [{"q": w} for w in _distinct(rng, rare, per_kind)],
        "common word": [{"q": w} for w in _distinct(rng, common, per_kind)],
        "two words": many(lambda: {"q": f"{rng.choice(content[:500])} {rng.choice(medium)}"}),
        "phrase": many(lambda: {"q": phrase()}),
        "prefix": [{"q": p} for p in _distinct(rng, prefixes, per_kind)],
        "inflected": [{"q": w} for w in _distinct(rng, inflected, per_kind)],
        "without å/ä/ö": [{"q": w} for w in _distinct(rng, diacritics, per_kind)],
        "OR": many(lambda: {"q": f"{rng.choice(medium)} OR {rng.choice(medium)}"}),
        "NOT": many(
            lambda: {"q": f"{rng.choice(content[:200])} NOT {rng.choice(content[200:2000])}"}
        ),
        "+ municipality + dates": many(filtered),
        "page 2": [{"q": w} for w in _distinct(rng, common, per_kind)],
        "Atom feed": many(lambda: {"q": log_uniform(50, 5000)}),
        "release page": many(lambda: {"id": rng.randint(1, count)}),
        "table search": [{"q": w} for w in _distinct(rng, common, per_kind)],
    }


def load_warmup(
    db: Path, timed: dict[str, list[dict[str, Any]]], *, per_kind: int
) -> dict[str, list[dict[str, Any]]]:
    """Queries asked before timing, none of them timed (as a server up a while has
    answered others): made like the timed ones with another seed, kept beside
    the archive (``<db>.warmup.json``). The commonest words are 50, so the common
    kinds warm up with the 20 that are not timed."""
    path = Path(f"{db}.warmup.json")
    if path.exists():
        queries = json.loads(path.read_text(encoding="utf-8"))
    else:
        queries = make_queries(db, load_vocabulary(), per_kind=max(per_kind, 30) * 3, seed=15)
        path.write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    asked = {json.dumps(q, sort_keys=True) for qs in timed.values() for q in qs}
    words = {q["q"] for qs in timed.values() for q in qs if "q" in q}
    return {
        kind: [
            q
            for q in queries.get(kind, [])
            if json.dumps(q, sort_keys=True) not in asked and q.get("q") not in words
        ][:per_kind]
        for kind in KINDS
    }


def load_queries(db: Path, *, per_kind: int = 30) -> dict[str, list[dict[str, Any]]]:
    """The archive's query set, made once and kept beside it."""
    path = Path(f"{db}.queries.json")
    if path.exists():
        queries = json.loads(path.read_text(encoding="utf-8"))
        if all(len(queries.get(k, ())) >= per_kind for k in KINDS):
            return {k: queries[k][:per_kind] for k in KINDS}
    queries = make_queries(db, load_vocabulary(), per_kind=per_kind)
    path.write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return queries
