"""Serving the archive with Datasette: canned queries, feeds, release page, safety."""

from __future__ import annotations

import gc
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import feedparser
import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from datasette.app import Datasette
from search_archive import SOURCES, build_archive

from scraper.cli import cli
from scraper.errors import StorageError
from scraper.serve.app import build_server, make_datasette, serve
from scraper.serve.metadata import CANNED_QUERIES, TABLES
from scraper.serve.plugin import diff_segments, render_diff

TODAY = date.today()  # the "last weeks" queries use SQLite's date('now')


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("serve") / "archive.db"
    return path, build_archive(path, today=TODAY)


@pytest.fixture
def ds(archive: tuple[Path, dict[str, int]]) -> Datasette:
    return make_datasette(archive[0])


@pytest.fixture
def ids(archive: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return archive[1]


async def rows(ds: Datasette, path: str) -> list[dict]:
    sep = "&" if "?" in path else "?"
    response = await ds.client.get(f"{path}{sep}_shape=objects")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def keys_of(found: list[dict], ids: dict[str, int], column: str = "id") -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[row[column]] for row in found]


# --------------------------------------------------------------------------
# Metadata


async def test_metadata_describes_the_archive(ds: Datasette) -> None:
    meta = (await ds.client.get("/-/metadata.json")).json()
    assert meta["title"] and meta["description"] and meta["license"] and meta["source"]
    archive = meta["databases"]["archive"]
    assert set(archive["queries"]) == set(CANNED_QUERIES)
    assert archive["tables"]["releases"]["facets"] == ["source", "kind", "year", "language"]


def test_every_table_and_column_is_described(archive: tuple[Path, dict[str, int]]) -> None:
    conn = sqlite3.connect(archive[0])
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'releases_fts%'"
            " AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        assert table in TABLES, f"table {table} has no description"
        assert TABLES[table]["description"]
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]
        missing = set(columns) - set(TABLES[table]["columns"])
        assert not missing, f"{table}: undescribed columns {missing}"


async def test_releases_table_newest_first_with_facets(ds: Datasette) -> None:
    data = (await ds.client.get("/archive/releases.json?_shape=objects&_size=100")).json()
    published = [row["published"] for row in data["rows"]]
    assert published == sorted(published, reverse=True)
    assert set(data["facet_results"]) == {"source", "kind", "year", "language"}
    sources = {f["value"]: f["count"] for f in data["facet_results"]["source"]["results"]}
    assert sources == {"vastervik": 3, "ekby": 4, "strandvik": 3}


async def test_any_database_name_gets_the_metadata(
    archive: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    other = tmp_path / "kommunarkiv-2026.sqlite"
    shutil.copy(archive[0], other)
    ds = make_datasette(other)
    found = await rows(ds, "/kommunarkiv-2026/search.json?q=medborgarlöften")
    assert [r["title"] for r in found] == [
        "Pressmeddelande: Västerviks kommun och Polisen i Västervik undertecknar Medborgarlöfte"
    ]
    page = await ds.client.get("/kommunarkiv-2026/releases")
    assert "Ett pressmeddelande, en pressinbjudan" in page.text  # the table's description


def test_missing_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        make_datasette(tmp_path / "nope.db")


# --------------------------------------------------------------------------
# Canned queries


async def test_search_query_ranks_and_filters(ds: Datasette, ids: dict[str, int]) -> None:
    found = await rows(ds, "/archive/search.json?q=skolor")
    assert keys_of(found, ids)[0] == "skolor"
    assert {"skolor", "skolan", "budget"} == set(keys_of(found, ids))
    assert "«skolor»" in found[0]["excerpt"]
    assert found[0]["municipality"] == "Ekby kommun"
    only_vastervik = await rows(ds, "/archive/search.json?q=skolor&source=vastervik")
    assert keys_of(only_vastervik, ids) == ["skolan"]
    in_2024_h2 = await rows(ds, "/archive/search.json?q=skolor&from=2024-07-01&to=2024-12-31")
    assert set(keys_of(in_2024_h2, ids)) == {"skolan", "budget"}
    until = await rows(ds, "/archive/search.json?q=skolor&to=2024-01-15")
    assert keys_of(until, ids) == ["skolor"]


async def test_search_query_with_empty_or_broken_input(ds: Datasette) -> None:
    assert await rows(ds, "/archive/search.json?q=") == []
    assert await rows(ds, "/archive/search.json?q=%22%28*%20NOT") == []
    page = await ds.client.get("/archive/search")
    assert page.status_code == 200
    assert 'name="q"' in page.text


async def test_table_search_box_matches_like_the_canned_query(
    ds: Datasette, ids: dict[str, int]
) -> None:
    for q in [
        "skolor",
        "vastervik",
        "medborgarlöften",
        "skol*",
        '"nya skolan"',
        "skola NOT gamleby",
    ]:
        table = await rows(ds, f"/archive/releases.json?_search={q}&_col=title")
        canned = await rows(ds, f"/archive/search.json?q={q}")
        assert {r["id"] for r in table} == {r["id"] for r in canned}, q
        assert table, q
    broken = await ds.client.get("/archive/releases.json?_search=%22(")
    assert broken.status_code == 200


async def test_latest(ds: Datasette, ids: dict[str, int]) -> None:
    found = await rows(ds, "/archive/latest.json")
    keys = keys_of(found, ids)
    assert keys[0] == "invitation"
    assert "removed" not in keys
    assert [r["published"] for r in found] == sorted((r["published"] for r in found), reverse=True)


async def test_municipality(ds: Datasette, ids: dict[str, int]) -> None:
    found = await rows(ds, "/archive/municipality.json?source=strandvik")
    assert set(keys_of(found, ids)) == {"forskola", "invitation", "removed"}


async def test_press_invitations_of_the_last_weeks(ds: Datasette, ids: dict[str, int]) -> None:
    assert keys_of(await rows(ds, "/archive/press_invitations.json"), ids) == ["invitation"]
    many_weeks = await rows(ds, "/archive/press_invitations.json?weeks=1000")
    assert set(keys_of(many_weeks, ids)) == {"invitation", "old_invitation"}


async def test_changed_or_removed_since(ds: Datasette, ids: dict[str, int]) -> None:
    found = await rows(ds, "/archive/changes.json")
    assert [(r["event"], keys_of([r], ids, "release_id")[0]) for r in found] == [
        ("removed", "removed"),
        ("changed", "budget"),
    ]
    assert "{+räddningstjänst.+}" in found[1]["diff"]
    assert await rows(ds, f"/archive/changes.json?since={TODAY.isoformat()}") == []


async def test_per_municipality_per_year(ds: Datasette) -> None:
    found = await rows(ds, "/archive/per_municipality_year.json")
    counts = {(r["source"], r["year"]): r["releases"] for r in found}
    assert counts[("ekby", 2024)] == 3
    assert counts[("vastervik", 2020)] == 1
    assert sum(counts.values()) == 10
    assert {r["municipality"] for r in found} == {s.name for s in SOURCES}


# --------------------------------------------------------------------------
# Feeds


async def feed(ds: Datasette, path: str) -> feedparser.FeedParserDict:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


async def test_search_feed(ds: Datasette, ids: dict[str, int]) -> None:
    parsed = await feed(ds, "/archive/search.atom?q=skolor")
    assert "skolor" in parsed.feed.title
    titles = [e.title for e in parsed.entries]
    assert titles[0] == "Snöoväder: kommunens verksamheter stänger tidigt"
    entry = parsed.entries[0]
    links = {link.rel: link.href for link in entry.links}
    assert links["alternate"] == "https://www.ekby.se/nyheter/snooveder/"
    assert links["related"] == f"http://localhost/archive/releases/{ids['skolor']}"
    assert entry.updated.startswith("2024-01-15")
    assert "Alla skolor" in entry.content[0].value
    assert entry.author == "Ekby kommun"


async def test_empty_search_feed_is_a_valid_feed(ds: Datasette) -> None:
    parsed = await feed(ds, "/archive/search.atom?q=zyxwvu")
    assert parsed.entries == []
    assert parsed.feed.updated


async def test_municipality_latest_and_changes_feeds(ds: Datasette) -> None:
    strandvik = await feed(ds, "/archive/municipality.atom?source=strandvik")
    assert len(strandvik.entries) == 3
    assert all(e.author == "Strandviks kommun" for e in strandvik.entries)
    latest = await feed(ds, "/archive/latest.atom")
    assert latest.entries[0].title.startswith("Pressinbjudan: första spadtaget")
    changes = await feed(ds, "/archive/changes.atom")
    assert [e.title for e in changes.entries] == [
        "Borttaget: Vattenläcka på Storgatan",
        "Ändrat: Budgeten för 2025 är klar",
    ]
    assert len({e.id for e in changes.entries}) == 2


# --------------------------------------------------------------------------
# The release page


async def test_release_page_reads_like_a_document(ds: Datasette, ids: dict[str, int]) -> None:
    html = (await ds.client.get(f"/archive/releases/{ids['seed']}")).text
    assert '<h1 class="release-title">Pressmeddelande: Västerviks kommun och Polisen' in html
    assert "Västerviks kommun</a>" in html
    assert '<time datetime="2020-02-28">' in html
    assert 'href="https://www.vastervik.se/press/medborgarlofte/"' in html
    assert "<p>Under fredagsmorgonen undertecknade" in html
    assert 'src="https://www.vastervik.se/globalassets/medborgarlofte.jpg"' in html
    assert "Undertecknandet i kommunhuset</figcaption>" in html
    assert ">Medborgarlöfte 2020 (pdf)</a>" in html


async def test_release_page_shows_revisions_and_removal(ds: Datasette, ids: dict[str, int]) -> None:
    html = (await ds.client.get(f"/archive/releases/{ids['budget']}")).text
    assert "Tidigare versioner (1)" in html
    assert "<ins>räddningstjänst.</ins>" in html
    assert "<del>skola.</del>" in html
    removed = (await ds.client.get(f"/archive/releases/{ids['removed']}")).text
    assert "Borttaget från kommunens webbplats" in removed
    assert "HTTP 404" in removed


async def test_other_rows_keep_the_default_page(ds: Datasette) -> None:
    html = (await ds.client.get("/archive/sources/ekby")).text
    assert "release-title" not in html
    assert "Ekby kommun" in html


async def test_release_json_is_untouched(ds: Datasette, ids: dict[str, int]) -> None:
    data = (await ds.client.get(f"/archive/releases/{ids['seed']}.json?_shape=objects")).json()
    assert data["rows"][0]["published"] == "2020-02-28"


def test_diff_rendering_escapes_text() -> None:
    assert diff_segments("a [-b-] {+c+} d") == [
        ("same", "a "),
        ("del", "b"),
        ("same", " "),
        ("ins", "c"),
        ("same", " d"),
    ]
    html = str(render_diff("<script> [-x-] {+<b>+}\n\nslut"))
    assert html == "<p>&lt;script&gt; <del>x</del> <ins>&lt;b&gt;</ins></p>\n<p>slut</p>"


async def test_search_results_link_titles_to_the_release(
    ds: Datasette, ids: dict[str, int]
) -> None:
    html = (await ds.client.get("/archive/search?q=medborgarl%C3%B6ften")).text
    assert f'<a href="/archive/releases/{ids["seed"]}">Pressmeddelande: Västerviks' in html


# --------------------------------------------------------------------------
# Safe serving


async def test_sql_cannot_write(ds: Datasette) -> None:
    for sql in [
        "insert into sources (id, name) values ('x', 'x')",
        "update releases set title = 'x'",
        "delete from releases",
        "drop table releases",
        "pragma query_only = 0",
    ]:
        response = await ds.client.get("/archive.json", params={"sql": sql})
        assert response.status_code == 400, sql
    db = ds.get_database("archive")
    with pytest.raises(sqlite3.OperationalError):
        await db.execute("update releases set title = 'x'")
    count = await db.execute("select count(*) from releases where title = 'x'")
    assert count.first()[0] == 0


async def test_nothing_accepts_a_post(ds: Datasette) -> None:
    for path in ["/archive/search", "/archive/releases", "/archive", "/-/messages"]:
        response = await ds.client.post(path, data={"q": "skola"})
        assert response.status_code == 405, path


async def test_settings_time_limit_and_no_write_plugins(ds: Datasette) -> None:
    settings = (await ds.client.get("/-/settings.json")).json()
    assert 0 < settings["sql_time_limit_ms"] <= 10_000
    plugins = {p["name"] for p in (await ds.client.get("/-/plugins.json")).json()}
    assert not {n for n in plugins if "write" in n or "upload" in n or "insert" in n}


async def test_immutable_mode(archive: tuple[Path, dict[str, int]]) -> None:
    ds = make_datasette(archive[0], immutable=True)
    assert not ds.get_database("archive").is_mutable
    assert await rows(ds, "/archive/search.json?q=vastervik")


# --------------------------------------------------------------------------
# A real server


@pytest.fixture
def server(archive: tuple[Path, dict[str, int]]) -> Iterator[str]:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = build_server(archive[0], port=port)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_real_server_answers_a_search(server: str) -> None:
    response = httpx.get(
        f"{server}/archive/search.json", params={"q": "skolor", "_shape": "objects"}
    )
    assert response.status_code == 200
    assert response.json()["rows"][0]["title"].startswith("Snöoväder")


def test_release_document_drops_non_web_urls() -> None:
    from scraper.serve.plugin import release_document

    document = release_document(
        {"url": "javascript:alert(1)", "body": "Ett.\n\nTvå."},
        images=[{"url": "javascript:alert(2)"}, {"url": "https://k.se/a.jpg"}],
        attachments=[{"url": "data:text/html,x"}],
        revisions=[],
        events=[],
    )
    assert document["url"] is None
    assert [i["url"] for i in document["images"]] == ["https://k.se/a.jpg"]
    assert document["attachments"] == []
    assert document["paragraphs"] == ["Ett.", "Två."]


# --------------------------------------------------------------------------
# scraper serve: where it serves, and a port already taken


def test_serve_prints_its_url_and_serves_there(archive: tuple[Path, dict[str, int]]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(archive[0]), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(
            rf"Serving {re.escape(str(archive[0]))} at (http://127\.0\.0\.1:(\d+)/) "
            r"\(Ctrl-C to stop\)\n",
            line,
        )
        assert match, (line, process.stderr.read() if process.poll() is not None else "")
        assert int(match[2]) != 0
        # The socket listens before the line is printed: a request right away
        # waits in its backlog until the server runs, it is never refused.
        response = httpx.get(match[1] + "archive/releases.json", timeout=60)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_serve_on_a_port_in_use_exits_4_and_says_so(
    archive: tuple[Path, dict[str, int]],
) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = CliRunner().invoke(cli, ["serve", "--db", str(archive[0]), "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 4
    assert result.stderr == (
        f"Error: port {port} is in use on 127.0.0.1: choose another with --port\n"
    )
    assert "Traceback" not in result.output


def test_serve_a_missing_archive_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "saknas.db")])
    assert result.exit_code == 2 and "no such archive" in result.output


async def test_a_plain_datasette_loads_the_plugin_through_its_entry_point(
    archive: tuple[Path, dict[str, int]],
) -> None:
    plain = Datasette(files=[str(archive[0])])
    plugins = {p["name"]: p for p in (await plain.client.get("/-/plugins.json")).json()}
    # The entry point's name (pyproject: [project.entry-points.datasette] scraper = ...).
    assert "prepare_connection" in plugins["scraper"]["hooks"]


def test_metadata_deep_copies_are_independent_of_the_served_metadata() -> None:
    # Datasette deep-copies the metadata on every permission check and then
    # merges into the copy: the copy (made by marshal) must share nothing.
    import copy

    from scraper.serve.metadata import FastCopy, build_metadata

    metadata = build_metadata("archive")
    assert isinstance(metadata, FastCopy)
    copied = copy.deepcopy(metadata)
    assert copied == metadata
    copied["databases"]["archive"]["tables"]["releases"]["title"] = "ändrad"
    copied["plugins"]["scraper"]["databases"].append("annan")
    assert metadata["databases"]["archive"]["tables"]["releases"].get("title") != "ändrad"
    assert metadata["plugins"]["scraper"]["databases"] == ["archive"]
    odd = FastCopy({"values": {1, 2}})  # marshal writes sets, not every object: fall back
    odd["thing"] = object()
    assert copy.deepcopy(odd)["values"] == {1, 2}


def test_served_connections_send_small_writes_at_once() -> None:
    # Without TCP_NODELAY a response's last small write waits for the client's
    # delayed ACK (~40 ms a page on a kept-alive connection). asyncio sets it only
    # on sockets made with proto=IPPROTO_TCP; listen's socket passes it on.
    from scraper.serve.app import listen

    server = listen("127.0.0.1", 0)
    try:
        client = socket.create_connection(server.getsockname()[:2])
        accepted, _ = server.accept()
        try:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            accepted.close()
            client.close()
    finally:
        server.close()


def test_serve_puts_start_up_objects_out_of_the_collectors_reach(
    archive: tuple[Path, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full collection walked every object Datasette made at start (~70,000):
    # a 30 ms pause on one search in ~150. Frozen, they are never walked.
    frozen: list[int] = []
    monkeypatch.setattr(
        uvicorn.Server, "run", lambda self, sockets=None: frozen.append(gc.get_freeze_count())
    )
    gc.unfreeze()
    try:
        serve(archive[0], port=0)
    finally:
        gc.unfreeze()
    assert frozen and frozen[0] > 10_000
