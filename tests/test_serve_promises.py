"""What the README promises about serving, each promise tested: a plain
``datasette archive.db`` serves as ``scraper serve`` does, the database download,
and the exports that return every row."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from datasette.app import Datasette
from search_archive import SOURCES, build_archive, fixture_releases

from scraper.serve.app import make_datasette
from scraper.store import Archive

TODAY = date(2026, 11, 28)
#: More releases than a page of the table (50) holds: the export test needs them.
EXTRA = 130


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("promises") / "archive.db"
    build_archive(path, today=TODAY)
    _, template = fixture_releases(TODAY)["budget"]
    with Archive(path) as writer:
        for i in range(EXTRA):
            url = f"https://www.ekby.se/nyheter/extra-{i}/"
            writer.save_release(
                replace(template, url=url, canonical_url=url, title=f"Extra nummer {i}"),
                source=SOURCES[1].id,
                page_id=None,
                extractor_version="test",
                now="2026-11-01T08:00:00Z",
            )
    return path


async def test_a_plain_datasette_serves_the_archive_as_scraper_serve_does(archive: Path) -> None:
    plain = Datasette(files=[str(archive)])  # what `datasette archive.db` builds
    ours = make_datasette(archive)
    for path in (
        "/archive/search.json?q=skolor&_shape=array",
        "/archive/latest.json?_shape=array",
        "/archive/municipality.json?source=vastervik&_shape=array",
        "/archive/releases.json?_search=skolor&_shape=array&_size=max",
        "/archive/releases.json?_search=vastervik&_shape=array&_size=max",
    ):
        got, want = await plain.client.get(path), await ours.client.get(path)
        assert got.status_code == want.status_code == 200, path
        assert got.json() == want.json() and got.json(), path
    # The Swedish search behind the table's search box: skolor finds skola and skolan.
    skolor = (
        await plain.client.get("/archive/releases.json?_search=skolor&_shape=array&_size=max")
    ).json()
    assert {"skolan", "skola"} & {w for r in skolor for w in r["body"].lower().split()}

    feed = await plain.client.get("/archive/search.atom?q=skolor")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert feed.text == (await ours.client.get("/archive/search.atom?q=skolor")).text

    release_id = skolor[0]["id"]
    page = (await plain.client.get(f"/archive/releases/{release_id}")).text
    assert 'class="release"' in page  # the release page's own template
    assert (await plain.client.get("/scraper-static/scraper.css")).status_code == 200
    # Read-only as under scraper serve.
    assert (await plain.client.post("/archive/search", data={})).status_code == 405


async def test_the_database_download_is_offered_for_a_snapshot_only(archive: Path) -> None:
    live = await make_datasette(archive).client.get("/archive.db")
    assert live.status_code == 403  # a file that cron may be writing is not handed out
    snapshot = await make_datasette(archive, immutable=True).client.get("/archive.db")
    assert snapshot.status_code == 200
    assert snapshot.content[:16] == b"SQLite format 3\x00"


async def test_exports_every_row(archive: Path) -> None:
    ds = make_datasette(archive)
    count = (await ds.client.get("/archive.json?sql=select+count(*)+as+n+from+releases")).json()
    n = count["rows"][0][0]
    assert n > 50 + EXTRA // 2  # several pages, many releases of one day (ties in the sort)
    # CSV streams every row, in the table's order (newest first) and by id.
    for query in ("_stream=on", "_stream=on&_sort=id", "_stream=on&_size=max"):
        streamed = await ds.client.get(f"/archive/releases.csv?{query}")
        assert streamed.status_code == 200
        ids = [row["id"] for row in csv.DictReader(io.StringIO(streamed.text))]
        assert len(ids) == len(set(ids)) == n, query
    # JSON comes a page at a time (Datasette 0.65 streams CSV only): follow next_url.
    page = (await ds.client.get("/archive/releases.json?_shape=array&_stream=on")).json()
    assert len(page) == 50
    for size in ("40", "max"):
        rows, url = [], f"/archive/releases.json?_size={size}&_shape=objects"
        while url:
            data = (await ds.client.get(url)).json()
            rows.extend(data["rows"])
            url = data["next_url"]
            url = url and url[url.index("/archive/") :]
        assert len(rows) == len({r["id"] for r in rows}) == n, size
