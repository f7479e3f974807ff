"""The search page at / (issue 11) and the bounded search behind it (issue 14)."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
import sqlite_utils
from datasette.app import Datasette
from search_archive import SOURCES, _release, build_archive

import scraper.store.bm25_cost as bm25_cost
import scraper.store.finder as finder
from scraper.serve.app import make_datasette
from scraper.serve.search_params import parse_day
from scraper.store import Archive
from scraper.store.finder import SearchQuery, find_releases

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("page") / "archive.db"
    ids = build_archive(path, today=TODAY)
    conn = sqlite3.connect(path)
    with conn:  # Västervik is municipality 0883, in Kalmar län (the registry)
        conn.execute("UPDATE sources SET organisation = '0883' WHERE id = 'vastervik'")
    conn.close()
    return path, ids


@pytest.fixture
def ds(archive: tuple[Path, dict[str, int]]) -> Datasette:
    return make_datasette(archive[0])


@pytest.fixture
def db(archive: tuple[Path, dict[str, int]]) -> sqlite_utils.Database:
    return sqlite_utils.Database(archive[0])


def keys(archive: tuple[Path, dict[str, int]], found: list[int]) -> list[str]:
    by_id = {v: k for k, v in archive[1].items()}
    return [by_id[i] for i in found]


async def page_json(ds: Datasette, query: str) -> dict:
    response = await ds.client.get("/sok.json?" + query)
    assert response.status_code == 200, response.text
    return response.json()


async def found(ds: Datasette, archive, query: str) -> list[str]:
    return keys(archive, [row["id"] for row in (await page_json(ds, query))["rows"]])


def messages(html: str) -> list[str]:
    return re.findall(r'class="message-warning">([^<]*)<', html)


# --------------------------------------------------------------------------
# The page


async def test_root_is_a_search_page_with_results_linked_to_releases(ds, archive) -> None:
    empty = await ds.client.get("/")
    assert empty.status_code == 200
    assert 'name="q"' in empty.text and "Sök" in empty.text
    page = await ds.client.get("/?q=skolor")
    assert page.status_code == 200
    seed = archive[1]["skolan"]
    assert f'href="/archive/releases/{seed}"' in page.text
    assert "<mark>" in page.text  # the excerpt highlights the word
    assert "Västerviks kommun" in page.text and "Pressmeddelande" in page.text
    assert "2024-08-12" in page.text
    assert "3 träffar" in page.text
    assert '<form action="/" method="get"' in page.text  # works without JavaScript
    atom = re.search(r'href="(/sok\.atom\?[^"]*)"', page.text).group(1)
    assert "q=skolor" in atom
    # the archive's own pages are one click away, as from every other page
    for path in ('href="/kommuner"', 'href="/statistik"', 'href="/archive/changes"'):
        assert path in page.text


async def test_municipality_picker_takes_names_ids_and_spellings(ds, archive) -> None:
    for name in ("Västervik", "västerviks kommun", "VASTERVIK", "vastervik", "0883"):
        assert await found(ds, archive, f"q=skolor&kommun={quote(name)}") == ["skolan"], name
    assert await found(ds, archive, "q=skolor&source=vastervik") == ["skolan"]
    assert await found(ds, archive, "q=skolor&lan=" + quote("Kalmar län")) == ["skolan"]
    assert await found(ds, archive, "q=skolor&lan=08") == ["skolan"]


async def test_unknown_filters_and_dates_say_what_is_wrong(ds) -> None:
    page = await ds.client.get("/?q=skolor&kommun=Atlantis&fran=igår&till=2019-02-30")
    assert page.status_code == 200
    said = " ".join(messages(page.text))
    assert "Atlantis" in said and "igår" in said and "2019-02-30" in said
    page = await ds.client.get("/?q=skolor&fran=2025&till=2024")
    assert "ligger efter" in " ".join(messages(page.text))
    page = await ds.client.get("/?q=skolor&sida=0&typ=Reklam&ordning=slump")
    assert page.status_code == 200 and len(messages(page.text)) == 3


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("2019", False, "2019-01-01"),
        ("2019", True, "2019-12-31"),
        ("2024-02", True, "2024-02-29"),
        ("2019-3-5", True, "2019-03-05"),
    ],
)
def test_dates_cover_the_whole_year_month_or_day(text: str, end: bool, day: str) -> None:
    assert parse_day(text, end=end) == day


async def test_a_date_range_includes_its_end_year_and_day(ds, archive) -> None:
    assert set(await found(ds, archive, "q=skolor&till=2024")) == {"skolan", "skolor", "budget"}
    assert await found(ds, archive, "q=skolor&fran=2024-08&till=2024-08-12") == ["skolan"]
    assert await found(ds, archive, "q=skolor&till=2024-08-11") == ["skolor"]
    # The canned query too: to=2024 used to leave out all of 2024.
    canned = await ds.client.get("/archive/search.json?q=skolor&to=2024&_shape=objects")
    assert len(canned.json()["rows"]) == 3


async def test_facets_count_municipality_county_kind_and_year(ds) -> None:
    facets = (await page_json(ds, "q=skolor"))["facets"]
    assert {f["value"]: f["count"] for f in facets["kommun"]} == {
        "Ekby kommun": 2,
        "Västerviks kommun": 1,
    }
    assert facets["lan"] == [{"value": "Kalmar län", "count": 1}]
    assert facets["typ"] == [{"value": "Pressmeddelande", "count": 3}]
    assert facets["ar"] == [{"value": "2024", "count": 3}]
    page = await ds.client.get("/?q=skolor")
    assert "kommun=Ekby+kommun" in page.text and "fran=2024&amp;till=2024" in page.text


async def test_did_you_mean_a_word_the_index_knows(ds) -> None:
    page = await ds.client.get("/?q=" + quote("medborgarlöfet"))
    assert re.search(r"Menade du <a [^>]*>medborgarlöftet</a>", page.text)
    assert (await page_json(ds, "q=skolor"))["suggestion"] is None


@pytest.mark.parametrize("words", [100, 1000, 3000])
async def test_long_queries_are_cut_never_an_error(ds, words: int) -> None:
    q = quote(" ".join(["skola", "OR", "(förskola"] * (words // 3)))
    for path in (f"/?q={q}", f"/sok.json?q={q}", f"/archive/search.json?q={q}"):
        response = await ds.client.get(path)
        assert response.status_code == 200, (path[:40], response.text[:300])
    page = await ds.client.get(f"/?q={q}")
    assert "bara de första 32 orden" in " ".join(messages(page.text))
    table = await ds.client.get(f"/archive/releases.json?_search={q}")
    assert table.status_code == 200


async def test_search_feed_answers_conditional_requests_with_304(ds) -> None:
    first = await ds.client.get("/sok.atom?q=skolor")
    assert first.status_code == 200
    feed = feedparser.parse(first.text)
    assert not feed.bozo and len(feed.entries) == 3
    assert feed.entries[0].title == "Budgeten för 2025 är klar"  # newest first
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = await ds.client.get("/sok.atom?q=skolor", headers={"if-none-match": etag})
    assert again.status_code == 304
    since = await ds.client.get("/sok.atom?q=skolor", headers={"if-modified-since": modified})
    assert since.status_code == 304
    other = await ds.client.get("/sok.atom?q=budget", headers={"if-none-match": etag})
    assert other.status_code == 200


# --------------------------------------------------------------------------
# The finder's bounds


def test_newest_first_pages_by_key_without_gaps_or_repeats(db, archive) -> None:
    seen: list[int] = []
    after = None
    while True:
        result = find_releases(
            db, SearchQuery(q="kommun OR skola", order="newest", per_page=2, after=after)
        )
        seen += [h.id for h in result.hits]
        if result.next_after is None:
            break
        after = result.next_after
    dates = [
        db.execute("SELECT published FROM releases WHERE id = ?", [i]).fetchone()[0] for i in seen
    ]
    assert len(seen) == len(set(seen)) >= 4
    assert dates == sorted(dates, reverse=True)
    everything = find_releases(db, SearchQuery(q="kommun OR skola", per_page=100))
    assert set(seen) == {h.id for h in everything.hits}


def test_counts_are_capped_beyond_the_window_and_exact_on_demand(db, monkeypatch) -> None:
    monkeypatch.setattr(finder, "WINDOW", 2)
    capped = find_releases(db, SearchQuery(q="skolor"))
    assert (capped.count, capped.exact, capped.ranked_all) == (2, False, False)
    exact = find_releases(db, SearchQuery(q="skolor", exact_count=True))
    assert (exact.count, exact.exact) == (3, True)
    # Newest first walks on past the window.
    newest = find_releases(db, SearchQuery(q="skolor", order="newest", per_page=3))
    assert len(newest.hits) == 3


async def test_capped_count_on_the_page_offers_the_exact_count(ds, monkeypatch) -> None:
    monkeypatch.setattr(finder, "WINDOW", 2)
    page = await ds.client.get("/?q=skolor")
    assert "fler än 2 träffar" in page.text and "antal=exakt" in page.text
    exact = await ds.client.get("/?q=skolor&antal=exakt")
    assert "3 träffar" in exact.text


def test_relevance_order_is_the_full_ranking_below_the_window(db, archive) -> None:
    result = find_releases(db, SearchQuery(q="får", per_page=50))
    ranked = [h.id for h in result.hits]
    full = [
        row[0]
        for row in db.execute(
            "SELECT r.id FROM releases_fts JOIN releases r ON r.search_key = releases_fts.rowid "
            "WHERE releases_fts MATCH ? ORDER BY bm25(releases_fts, 10, 4, 1, 0, 0) = 0, "
            "bm25(releases_fts, 10, 4, 1, 0.5, 0), r.published DESC",
            [finder.build_match_query("får")],
        )
    ]
    assert ranked == full
    assert keys(archive, ranked).index("far") > keys(archive, ranked).index("seed")


async def test_a_plain_table_search_goes_to_the_search_page(ds) -> None:
    moved = await ds.client.get("/archive/releases?_search=skolor&_sort_desc=published")
    assert moved.status_code == 302 and moved.headers["location"] == "/?q=skolor"
    # With column filters, or as data, it stays Datasette's table search.
    filtered = await ds.client.get("/archive/releases?_search=skolor&source=ekby")
    assert filtered.status_code == 200
    data = await ds.client.get("/archive/releases.json?_search=skolor&_shape=objects")
    assert data.status_code == 200 and len(data.json()["rows"]) == 3


def test_a_query_too_common_for_bm25_is_ranked_by_place(db, archive, monkeypatch) -> None:
    # bm25 reads every posting of the query's phrases (unbounded); above the
    # budget the order is: the word in the title (any inflection) first, then
    # as written, then the rest, newest first within each.
    assert find_releases(db, SearchQuery(q="kommun", per_page=50)).ranking == "bm25"
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 0)
    result = find_releases(db, SearchQuery(q="kommun", per_page=50))
    assert result.ranking == "place"
    order = keys(archive, [h.id for h in result.hits])
    # "Västerviks kommun och ..." (2020) and "... kommunens verksamheter ..." (2024).
    assert order[:2] == ["skolor", "seed"]
    rest = [h.published for h in result.hits[2:]]
    assert rest == sorted(rest, reverse=True)
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 10**9)
    ranked = find_releases(db, SearchQuery(q="kommun", per_page=50))
    assert {h.id for h in ranked.hits} == {h.id for h in result.hits}


def test_bm25_budget_counts_each_phrase_only_as_far_as_the_budget(db) -> None:
    match = finder.build_match_query("kommun skolor")
    count = "SELECT count(*) FROM releases_fts WHERE releases_fts MATCH ?"
    postings = sum(
        db.execute(count, [p]).fetchone()[0] * n for p, n in bm25_cost._phrases(match).items()
    )
    assert postings > 2
    assert bm25_cost.bm25_affordable(db, match, budget=postings)
    assert not bm25_cost.bm25_affordable(db, match, budget=postings - 1)
    # Filters are phrases too: a kind tag matches most of the archive.
    filtered = finder._filtered(match, SearchQuery(q="kommun skolor", kind="Pressmeddelande"))
    assert "xkpressmeddelande" in bm25_cost._phrases(filtered)


async def test_the_page_says_how_it_ranked(ds, monkeypatch) -> None:
    assert (await page_json(ds, "q=kommun"))["ranking"] == "bm25"
    assert (await page_json(ds, "q=kommun&ordning=nyast"))["ranking"] == "newest"
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 0)
    assert (await page_json(ds, "q=kommun"))["ranking"] == "place"
    page = await ds.client.get("/?q=kommun")
    assert "sökorden i rubriken först, sedan nyast först" in page.text


def test_several_terms_overflowing_the_window_keep_bm25_only_when_it_is_cheap(
    db, monkeypatch
) -> None:
    # Over the window bm25 ranks only the newest matches, and reads every posting of
    # the query's words to do so: such a query has a budget of its own.
    q = "kommun OR skolor"
    every = find_releases(db, SearchQuery(q=q))
    assert every.ranking == "bm25" and every.exact and every.count > 2
    monkeypatch.setattr(finder, "WINDOWED_BM25_POSTINGS", 0)
    assert find_releases(db, SearchQuery(q=q)).ranking == "bm25"  # every match in the window
    monkeypatch.setattr(finder, "WINDOW", 2)
    windowed = find_releases(db, SearchQuery(q=q))
    assert (windowed.ranking, windowed.count, windowed.exact) == ("place", 2, False)
    assert len(windowed.hits) == 2
    monkeypatch.setattr(finder, "WINDOWED_BM25_POSTINGS", 10**9)
    assert find_releases(db, SearchQuery(q=q)).ranking == "bm25"


def test_one_word_over_the_window_keeps_bm25_when_it_is_found_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its matches as written come first, ranked by bm25 over their own postings. A
    # word found only by its stem ("skolorna": none as written) would have only the
    # window's newest ranked by bm25: by place instead.
    archive = Archive(tmp_path / "archive.db")
    archive.sync_sources(SOURCES[:1])
    for i, word in enumerate(["skolor"] * 3 + ["skolan"] * 3):
        release = _release(
            str(i), f"https://www.vastervik.se/press/{i}", f"Nyhet {i}", f"2024-03-0{i + 1}",
            f"Kommunen har {word} i hela Västervik.",
        )  # fmt: skip
        archive.save_release(
            release,
            source="vastervik",
            page_id=None,
            extractor_version="t",
            now="2024-04-01T08:00:00Z",
        )
    db = archive.db
    monkeypatch.setattr(finder, "WINDOW", 2)
    monkeypatch.setattr(finder, "WINDOWED_BM25_POSTINGS", 0)
    written = find_releases(db, SearchQuery(q="skolor"))
    assert (written.ranking, written.count, written.exact) == ("bm25", 2, False)
    stem_only = find_releases(db, SearchQuery(q="skolorna"))
    assert (stem_only.ranking, stem_only.count, stem_only.exact) == ("place", 2, False)
    monkeypatch.setattr(finder, "WINDOWED_BM25_POSTINGS", 10**9)
    assert find_releases(db, SearchQuery(q="skolorna")).ranking == "bm25"
    archive.close()


async def test_the_table_search_keeps_the_newest_matches_and_says_so(
    ds, archive, monkeypatch
) -> None:
    monkeypatch.setattr(finder, "WINDOW", 2)
    data = (await ds.client.get("/archive/releases.json?_search=skolor&_shape=objects")).json()
    assert data["filtered_table_rows_count"] == 2
    assert keys(archive, [r["id"] for r in data["rows"]]) == ["budget", "skolan"]  # newest
    assert "the 2 newest matches; _all_matches=1" in data["human_description_en"]
    every = (await ds.client.get("/archive/releases.json?_search=skolor&_all_matches=1")).json()
    assert every["filtered_table_rows_count"] == 3
    # A sort asked for is kept; the search box still shows the query.
    by_title = await ds.client.get(
        "/archive/releases.json?_search=skolor&_sort=title&_shape=objects"
    )
    titles = [r["title"] for r in by_title.json()["rows"]]
    assert titles == sorted(titles)
    page = await ds.client.get("/archive/releases?_search=skolor&source=ekby")
    assert page.status_code == 200 and 'value="skolor"' in page.text
    raw = (await ds.client.get("/archive/releases.json?_search=stems:skol&_searchmode=raw")).json()
    assert raw["filtered_table_rows_count"] == 2


async def test_the_canned_search_ranks_a_common_query_by_place_too(archive, monkeypatch) -> None:
    async def canned(ds: Datasette) -> list[str]:
        response = await ds.client.get("/archive/search.json?q=kommun&_shape=array")
        return keys(archive, [row["id"] for row in response.json()])

    by_bm25 = await canned(make_datasette(archive[0]))
    assert by_bm25[0] == "seed"  # "Västerviks kommun" as written, in the title
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 0)
    by_place = await canned(make_datasette(archive[0]))
    assert by_place[:2] == ["skolor", "seed"]  # the word in the title, newest first
    dates = {k: v for k, v in zip(*await _dates(archive), strict=True)}
    rest = [dates[k] for k in by_place[2:]]
    assert rest == sorted(rest, reverse=True)
    assert sorted(by_place) == sorted(by_bm25)


async def _dates(archive) -> tuple[list[str], list[str]]:
    conn = sqlite3.connect(archive[0])
    try:
        rows = conn.execute("SELECT id, published FROM releases").fetchall()
    finally:
        conn.close()
    return keys(archive, [r[0] for r in rows]), [r[1] for r in rows]


def test_the_bm25_check_remembers_what_it_counted(archive, monkeypatch) -> None:
    conn = sqlite3.connect(archive[0])
    asked: list[str] = []
    conn.set_trace_callback(lambda sql: asked.append(sql) if "MATCH" in sql else None)
    db = sqlite_utils.Database(conn)
    monkeypatch.setattr(bm25_cost, "_postings", {})
    match = finder.build_match_query("kommun skolor")
    budget = 3
    assert not bm25_cost.bm25_affordable(db, match, budget=budget)
    first = len(asked)
    assert first >= 1
    # Again, and with a word it knows to be over the budget: decided from memory.
    assert not bm25_cost.bm25_affordable(db, match, budget=budget)
    swapped = finder.build_match_query("skolor kommun")
    assert not bm25_cost.bm25_affordable(db, swapped, budget=budget)
    assert len(asked) == first
    monkeypatch.setattr(bm25_cost, "POSTINGS_SECONDS", 0.0)  # forgotten: counted again
    assert not bm25_cost.bm25_affordable(db, match, budget=budget)
    assert len(asked) > first
    conn.close()


def test_a_common_phrase_ranked_by_place_puts_it_in_the_title_first(tmp_path, monkeypatch) -> None:
    from dataclasses import replace

    from search_archive import SOURCES, fixture_releases

    from scraper.store import Archive

    _, template = fixture_releases(TODAY)["budget"]
    path = tmp_path / "archive.db"
    with Archive(path) as writer:
        writer.sync_sources(list(SOURCES))
        for key, title, body, day in (
            ("old", "Nya skolan i Gamleby invigs", "Invigningen är på fredag.", "2019-05-02"),
            (
                "new",
                "Byggstart vid hamnen",
                "Bygget ligger nära nya skolan vid torget.",
                "2025-03-04",
            ),
            ("none", "Nya regler för parkering", "Skolan får nya cykelställ.", "2026-01-10"),
        ):
            url = f"https://www.ekby.se/nyheter/{key}/"
            writer.save_release(
                replace(
                    template, url=url, canonical_url=url, title=title, body=body, published=day
                ),
                source=SOURCES[1].id,
                page_id=None,
                extractor_version="test",
                now="2026-11-01T08:00:00Z",
            )
    db = sqlite_utils.Database(path)
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 0)
    result = find_releases(db, SearchQuery(q='"nya skolan"'))
    assert result.ranking == "place"
    assert [h.title for h in result.hits] == ["Nya skolan i Gamleby invigs", "Byggstart vid hamnen"]


def test_a_common_word_is_counted_from_its_newest_postings(db, monkeypatch) -> None:
    # Counting 200,000 postings one by one took 20-35 ms at a million releases;
    # beyond a sample the count is the word's share of the releases since the
    # oldest of its newest postings, times the archive's size.
    exact = db.execute(
        "SELECT count(*) FROM releases_fts WHERE releases_fts MATCH ?", ['"kommun"']
    ).fetchone()[0]
    assert exact >= 4
    assert bm25_cost._estimate(db, '"kommun"') == exact  # within the sample: exact
    releases = db.execute("SELECT count(*) FROM releases").fetchone()[0]
    monkeypatch.setattr(bm25_cost, "_edges", {})
    monkeypatch.setattr(bm25_cost, "POSTINGS_SAMPLE", 2)  # a dense word: the releases since
    estimated = bm25_cost._estimate(db, '"kommun"')
    assert exact / 3 <= estimated <= exact * 3
    monkeypatch.setattr(bm25_cost, "_edges", {})
    monkeypatch.setattr(bm25_cost, "SPAN_LIMIT", 2)  # a sparse one: its share of the newest
    sparse = bm25_cost._estimate(db, '"kommun"')
    assert 3 <= sparse <= releases


async def test_a_phrase_ranked_by_place_looks_at_fewer_newest_matches(ds, db, monkeypatch) -> None:
    # Each release a phrase matches costs a check of its words' positions
    # (~50 µs at a million releases, a word's ~0.5 µs): ranked by place or
    # newest first, a phrase counts, ranks and facets its PHRASE_WINDOW newest.
    monkeypatch.setattr(finder, "PHRASE_WINDOW", 1)
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 0)
    result = find_releases(db, SearchQuery(q='"i ekby"'))
    assert result.ranking == "place"
    assert (result.count, result.exact, result.window, result.facet_window) == (1, False, 1, 1)
    assert sum(n for _, _, n in result.facets[-1].values) == 1
    assert find_releases(db, SearchQuery(q='"i ekby"', exact_count=True)).count == 2
    data = await page_json(ds, "q=%22i+ekby%22")
    assert (data["count"], data["count_exact"], data["facet_window"]) == (1, False, 1)
    page = await ds.client.get("/?q=%22i+ekby%22")
    assert "Räknat bland de 1 nyaste träffarna" in page.text
    # A word keeps the whole window; a phrase of common words (one posting
    # list, words.pair_tag) too; a phrase ranked by bm25 too.
    assert find_releases(db, SearchQuery(q="ekby")).window == finder.WINDOW
    assert find_releases(db, SearchQuery(q="kommun OR skolor")).window == finder.WINDOW
    common = find_releases(db, SearchQuery(q='"kommunstyrelsens ordförande"'))
    assert (common.ranking, common.window, common.count) == ("place", finder.WINDOW, 2)
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 10**9)
    assert find_releases(db, SearchQuery(q='"i ekby"')).count == 2


def test_a_long_prefix_is_weighed_by_its_indexed_prefix(db, monkeypatch) -> None:
    # A prefix longer than the prefix index is a merge of the postings of every
    # word that starts with it, at every walk: the bm25 check counts its first
    # LONGEST_PREFIX letters (a walk of the prefix index), MERGE_COST times.
    assert bm25_cost.LONGEST_PREFIX == 4
    assert bm25_cost._phrases('stems : "skolor" *') == {'"skol" *': bm25_cost.MERGE_COST}
    assert bm25_cost._phrases('stems : "sko" *') == {'"sko" *': 1}
    assert bm25_cost._phrases('{title lead body} : "nya sko" *') == {'"nya sko" *': 1}
    walked = db.execute(
        "SELECT count(*) FROM releases_fts WHERE releases_fts MATCH ?", ['"gaml" *']
    ).fetchone()[0]
    assert walked >= 1
    match = finder.build_match_query("gamleby*")
    assert match == 'stems : "gamleby" *'
    monkeypatch.setattr(bm25_cost, "_postings", {})
    assert bm25_cost.bm25_affordable(db, match, budget=walked * bm25_cost.MERGE_COST)
    assert not bm25_cost.bm25_affordable(db, match, budget=walked * bm25_cost.MERGE_COST - 1)


def test_several_words_put_those_in_the_title_first_among_the_newest(db, archive, monkeypatch):
    # Ranked by place, a query of several words looks for them in titles among
    # its candidates (the WINDOW newest matches), not over the whole archive.
    monkeypatch.setattr(bm25_cost, "BM25_POSTINGS", 0)
    every = find_releases(db, SearchQuery(q="kommun OR skolor", per_page=50))
    assert every.ranking == "place" and every.exact
    titled = [h for h in every.hits if re.search(r"(?i)kommun|skol", h.title)]
    assert titled and [h.id for h in every.hits[: len(titled)]] == [h.id for h in titled]
    window = len(every.hits) - 1
    monkeypatch.setattr(finder, "WINDOW", window)
    oldest = min(every.hits, key=lambda h: h.key)
    newest = find_releases(db, SearchQuery(q="kommun OR skolor", per_page=50))
    assert oldest.id not in [h.id for h in newest.hits[: len(titled)]]
    assert {h.id for h in newest.hits} <= {h.id for h in every.hits}


def test_a_phrase_costs_bm25_a_position_check_per_release_with_its_words(db, monkeypatch) -> None:
    # bm25 finds a phrase's document frequency by checking word positions in
    # every release that has all its words (~5 µs each, a posting walked ~50 ns).
    monkeypatch.setattr(bm25_cost, "_postings", {})
    count = "SELECT count(*) FROM releases_fts WHERE releases_fts MATCH ?"
    match = finder.build_match_query('"kommunstyrelsens ordförande"')
    phrases = bm25_cost._phrases(match).items()
    words = sum(db.execute(count, [p]).fetchone()[0] * n for p, n in phrases)
    rarest = [
        min(db.execute(count, [w]).fetchone()[0] for w in phrase)
        for phrase in bm25_cost._multiword(match)
    ]
    assert len(rarest) == 2 and min(rarest) >= 1  # as written and as stems
    cost = words + bm25_cost.POSITION_COST * sum(rarest)
    assert bm25_cost.bm25_affordable(db, match, budget=cost)
    assert not bm25_cost.bm25_affordable(db, match, budget=cost - 1)
    assert not bm25_cost.bm25_affordable(db, match, budget=words)  # the words alone would pass


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(q="kommun skola", per_page=50),
        SearchQuery(q='"nya skolan"', per_page=50),
        SearchQuery(q="kommun OR skola", order="newest", per_page=3),
        SearchQuery(q="kommun", first_day="2019-01-01", last_day="2025-12-31", per_page=50),
        SearchQuery(q="skol*", sources=("ekby",), per_page=50),
    ],
)
def test_a_walk_oldest_first_finds_what_newest_first_finds(db, monkeypatch, query) -> None:
    # Oldest first while it finds fewer than it may keep (FTS5 seeks backwards slowly).
    monkeypatch.setattr(finder, "ASCENDING_FIRST", 10**9)  # never
    newest = find_releases(db, query)
    monkeypatch.setattr(finder, "ASCENDING_FIRST", 1)  # every walk
    oldest = find_releases(db, query)
    assert newest.hits
    assert [h.id for h in oldest.hits] == [h.id for h in newest.hits]
    assert (oldest.count, oldest.exact, oldest.next_after) == (
        newest.count,
        newest.exact,
        newest.next_after,
    )


def test_a_walk_that_finds_as_many_as_it_keeps_takes_the_newest(db, monkeypatch) -> None:
    walk = finder._Index(db, '"kommun" OR "skola"', 0, 2**62)
    everything = walk.newest(1000)
    assert len(everything) > 3
    monkeypatch.setattr(finder, "ASCENDING_FIRST", 1)
    assert walk.newest(3) == everything[:3]
    assert walk.newest(len(everything) + 1) == everything
