"""What bm25 would read to rank a MATCH, known without reading it (issue 14).

FTS5's bm25 needs each phrase's document frequency and finds it by reading
every posting of the phrase, whatever the rows it ranks. Before ranking by
bm25, the search (``scraper.store.finder``) asks ``bm25_affordable``: each
word, prefix and filter tag of the MATCH is counted (exactly when rare,
estimated from its newest postings when common, kept a while), a phrase costs
a check of positions in every release that has all its words, and a prefix
longer than the prefix index a merge of every word that starts with it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import sqlite_utils

from .search import FTS_TABLE, KEY_COLUMN, PREFIX_INDEX

__all__ = ["BM25_POSTINGS", "MERGE_COST", "POSITION_COST", "bm25_affordable", "checks_positions"]

#: Postings bm25 may read. FTS5's bm25 needs each phrase's document frequency
#: and finds it by reading every posting of the phrase, whatever the rows
#: ranked: ~100 ns a posting for our phrases, which all name columns (70
#: without; measured at 1,000,000 releases, "stöd" and "stod": 81,000 and
#: 127,000 postings, 8 and 12 ms), so this budget is ~20 ms. A query whose
#: words have more postings than this together is ranked by place instead
#: (``finder._by_place``). The check estimates each word's postings from its
#: newest ones (``_estimate``: 0.4 ms median a word at 1,000,000 releases,
#: where counting them was 20-35 ms). Measured at 250,000 releases, share of
#: the first 20 results the full bm25 ranking also gives (rare / medium / two
#: words): 60,000: 0.88 / 0.95 / 0.27; 100,000: 0.88 / 0.95 / 0.43; 200,000:
#: 0.91 / 0.95 / 0.65; 500,000: 0.97 / 0.95 / 0.71.
BM25_POSTINGS = 200_000


#: A match's quoted phrases (with a prefix's star) and its bare filter tags.
_PHRASE_RE = re.compile(r'"((?:[^"]|"")*)"(\s*\*)?|\b(x[sk][0-9a-z]+)\b')


def checks_positions(match: str) -> bool:
    """Whether ``match`` has a phrase of two words or more (tags are one word each):
    each release it matches costs a check of word positions."""
    return any(" " in phrase for phrase, _star, _tag in _PHRASE_RE.findall(match))


def _words(phrase: str) -> list[str]:
    """The words of a quoted phrase's text, each quoted as a phrase of its own."""
    return ['"' + word.replace('"', '""') + '"' for word in phrase.replace('""', '"').split()]


#: The longest prefix the index keeps (``PREFIX_INDEX``): a longer one is found by
#: merging the postings of every word that starts with it, in memory, at every
#: walk (16 ms for "flytt*" at 1,000,000 releases, ~100 ns a posting where a
#: walk costs ~30 ns), a prefix of this length by a walk of its own postings.
LONGEST_PREFIX = max(int(n) for n in PREFIX_INDEX.split())
#: What a posting of a merged prefix costs bm25, in postings walked.
MERGE_COST = 4
#: What a release that has all the words of a phrase costs bm25 (a check of
#: their positions, ~5 µs), in postings walked (~30-50 ns).
POSITION_COST = 100


def _phrases(match: str) -> Counter[str]:
    """What bm25 reads the postings of: each word of each phrase (a phrase is found by
    walking its words' postings), each prefix and filter tag, with how often it occurs.

    A one-word prefix longer than ``LONGEST_PREFIX`` is counted as its first
    ``LONGEST_PREFIX`` letters (an upper bound, found by a walk, not a merge),
    ``MERGE_COST`` times.
    """
    found: Counter[str] = Counter()
    for phrase, star, tag in _PHRASE_RE.findall(match):
        if tag:
            found[tag] += 1
        elif star:
            times = 1
            if " " not in phrase and len(phrase) > LONGEST_PREFIX:
                phrase = phrase[:LONGEST_PREFIX].removesuffix('"')  # never half of a ""
                times = MERGE_COST
            found[f'"{phrase}" *'] += times
        else:
            found.update(_words(phrase))
    return found


#: Seconds a word's posting count is reused (per archive file): the words of
#: journalists' queries recur ("kommun", "skola"), and a count only decides the order.
POSTINGS_SECONDS = 600.0
_postings: dict[tuple[str, str], tuple[float, int]] = {}
#: Seconds the archive's size and the key of its SPAN_LIMIT-th newest release are reused.
EDGE_SECONDS = 60.0
_edges: dict[str, tuple[float, tuple[int, int]]] = {}

_T = TypeVar("_T")


def _kept(
    cache: dict[Any, tuple[float, _T]], key: Any, seconds: float, make: Callable[[], _T]
) -> _T:
    """``make()``, kept in ``cache`` under ``key`` for ``seconds`` (not kept when key is None)."""
    now = time.monotonic()
    hit = cache.get(key) if key is not None else None
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    value = make()
    if key is not None:
        if len(cache) > 100_000:
            cache.clear()
        cache[key] = (now, value)
    return value


def _postings_of(db: sqlite_utils.Database, file: str, phrase: str) -> int:
    """How many releases ``phrase`` (a word, prefix or tag) has (``_estimate``), kept a while."""
    key = (file, phrase) if file else None
    return _kept(_postings, key, POSTINGS_SECONDS, lambda: _estimate(db, phrase))


#: Newest postings a count looks at before it estimates from their density. At
#: 1,000,000 releases, 40 words of 4,700-200,000 postings: 500 took 0.4 ms a word
#: (median) and missed the exact count by 7 % (median; 21 % at p95), 2,000 took
#: 1.3 ms and missed by 5 % (17 %). The count only decides bm25 or place.
POSTINGS_SAMPLE = 500
#: The newest releases a sparse word's share is measured among.
SPAN_LIMIT = 50_000


def _estimate(db: sqlite_utils.Database, phrase: str) -> int:
    """The postings of ``phrase``: exact up to ``POSTINGS_SAMPLE``, estimated above it.

    Walking 200,000 postings to count them costs 20-35 ms at 1,000,000
    releases. Instead the newest ``POSTINGS_SAMPLE`` postings (an index walk)
    give the word's share of recent releases, times the archive's size: of
    the releases published since the oldest of them (a dense word: counted on
    the key index), or of the newest ``SPAN_LIMIT`` releases (a sparse word:
    those of the sample that are that new).
    """
    sample = POSTINGS_SAMPLE
    keys = [
        row[0]
        for row in db.execute(
            f"SELECT rowid FROM [{FTS_TABLE}] WHERE [{FTS_TABLE}] MATCH ? "
            f"ORDER BY rowid DESC LIMIT {sample + 1}",
            [phrase],
        )
    ]
    if len(keys) <= sample:
        return len(keys)
    total, edge = _recent_edge(db)
    if keys[sample - 1] >= edge:  # dense: the whole sample is among the newest releases
        span = db.execute(
            f"SELECT count(*) FROM releases WHERE [{KEY_COLUMN}] >= ?", [keys[sample - 1]]
        ).fetchone()[0]
        return sample * total // max(span, 1)
    recent = sum(1 for key in keys[:sample] if key >= edge)
    return max(sample + 1, recent * total // SPAN_LIMIT)


def _recent_edge(db: sqlite_utils.Database) -> tuple[int, int]:
    """(releases in the archive, the key of its ``SPAN_LIMIT``-th newest), kept a minute."""

    def read() -> tuple[int, int]:
        # The archive's size by its newest id (count(*) would walk a million entries).
        total = db.execute("SELECT coalesce(max(id), 0) FROM releases").fetchone()[0]
        row = db.execute(
            f"SELECT [{KEY_COLUMN}] FROM releases ORDER BY [{KEY_COLUMN}] DESC LIMIT 1 OFFSET ?",
            [SPAN_LIMIT - 1],
        ).fetchone()
        return total, (row[0] if row else 0)

    return _kept(_edges, _file_of(db) or None, EDGE_SECONDS, read)


def bm25_affordable(db: sqlite_utils.Database, match: str, budget: int | None = None) -> bool:
    """Whether bm25 over ``match`` reads at most ``budget`` postings for its frequencies.

    Each word (prefix, tag) is counted alone (``_estimate``: exact when
    rare, estimated from its newest postings when common), and the counts are
    kept a while: words already counted are looked at first, so a query with
    a word known to be common is decided without reading anything. A phrase
    also costs ``POSITION_COST`` for each posting of its rarest word.
    """
    left = BM25_POSTINGS if budget is None else budget
    file = _file_of(db)
    now = time.monotonic()
    phrases = sorted(
        _phrases(match).items(),
        key=lambda item: (
            -(
                hit[1]
                if (hit := _postings.get((file, item[0]))) and now - hit[0] < POSTINGS_SECONDS
                else -1
            )
        ),
    )
    for phrase, times in phrases:
        left -= _postings_of(db, file, phrase) * times
        if left < 0:
            return False
    for words in _multiword(match):
        # Its document frequency: a check of positions in every release that has
        # all its words (at most as many as its rarest word has; counted above).
        left -= POSITION_COST * min(_postings_of(db, file, word) for word in words)
        if left < 0:
            return False
    return True


def _multiword(match: str) -> list[list[str]]:
    """The words of each phrase of two words or more (each as ``_phrases`` names it)."""
    found = []
    for phrase, star, tag in _PHRASE_RE.findall(match):
        words = _words(phrase)
        if not tag and not star and len(words) > 1:
            found.append(words)
    return found


def _file_of(db: sqlite_utils.Database) -> str:
    return next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
