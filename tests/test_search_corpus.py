"""The search benchmark's synthetic archive has the shape issue 14 asks for (a smoke test).

bench/search_corpus.py makes the releases bench/search.py measures; if they
stopped looking like a real archive (volume skew, body lengths, dates, crawl
order), the benchmark's figures would silently stop meaning anything.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

search_corpus = pytest.importorskip("search_corpus")


@pytest.fixture(scope="module")
def vocab():
    # The fixture releases' words alone stand in for wordfreq's list (a bench-only dependency).
    general = {w: float(c) for w, c in search_corpus.fixture_word_counts().items()}
    return search_corpus.load_vocabulary(general=general)


def test_volume_follows_population_with_a_twentyfold_skew():
    publishers = search_corpus.load_publishers()
    assert len(publishers) == 311
    assert len({p.source for p in publishers}) == 311
    counts = search_corpus.release_counts(publishers, 250_000)
    assert sum(counts.values()) == 250_000
    municipal = [counts[p.source] for p in publishers if not p.organisation.startswith("R")]
    assert 15 <= max(municipal) / min(municipal) <= 30
    biggest = max(publishers, key=lambda p: 0 if p.organisation.startswith("R") else p.population)
    assert counts[biggest.source] == max(municipal)


def test_releases_come_newest_first_per_source_in_crawl_order(vocab):
    publishers = search_corpus.load_publishers()
    plans = list(search_corpus.plan_releases(publishers, total=3000, seed=1))
    assert len(plans) == 3000
    assert len({p.number for p in plans}) == 3000
    by_source: dict[str, list[str]] = {}
    for plan in plans:
        by_source.setdefault(plan.publisher.source, []).append(plan.published[:10])
    assert all(dates == sorted(dates, reverse=True) for dates in by_source.values())
    # Eight sources are crawled at once: the first sixteen releases come from eight sources.
    assert len({p.publisher.source for p in plans[:16]}) == 8
    years = Counter(int(p.published[:4]) for p in plans)
    assert min(years) >= 2005 and max(years) == 2026
    assert years[2025] > years[2010]
    assert set(Counter(p.kind for p in plans)) == {"Pressmeddelande", "Nyhet", "Pressinbjudan"}

    lengths = []
    for plan in plans[:200]:
        title, lead, body = search_corpus.write_text(plan, vocab)
        assert title and title[0].isupper()
        lengths.append(len(body.split()))
    assert min(lengths) >= 150 and max(lengths) <= 650
    assert 250 <= statistics.median(lengths) <= 360


def test_a_release_is_written_through_the_store_and_found_by_search(vocab, tmp_path):
    from scraper.records import Source
    from scraper.store import Archive
    from scraper.store.search import search_releases

    publishers = search_corpus.load_publishers()
    plan = next(search_corpus.plan_releases(publishers, total=400, seed=2))
    release = search_corpus.make_release(plan, vocab)
    word = max(release.body.split(), key=len).strip(".,").lower()
    with Archive(tmp_path / "a.db") as archive:
        archive.sync_sources([Source(id=plan.publisher.source, name="x", url="https://x.se/")])
        archive.save_release(
            release, source=plan.publisher.source, page_id=None, extractor_version="t", now="now"
        )
        assert [r["url"] for r in search_releases(archive.db, word)] == [release.url]
