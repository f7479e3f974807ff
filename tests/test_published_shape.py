"""``published`` in one shape: the day (YYYY-MM-DD), with the time in ``published_time``
when the page gave one; older archives migrated when opened (scraper.store.migrations)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from scraper.records import Release, Source
from scraper.serve.app import make_datasette
from scraper.store import Archive
from scraper.store.migrations import split_published

SOURCE = Source(id="ekby", name="Ekby kommun", url="https://www.ekby.se/nyheter/")
BODY = "Kommunen meddelar att arbetet är klart.\n\nFrågor besvaras av kontaktcenter."
#: (url slug, published as extracted, expected published, expected published_time)
DATES = [
    ("a", "2026-11-27T14:37:00+01:00", "2026-11-27", "2026-11-27T14:37:00+01:00"),
    ("b", "2026-11-27", "2026-11-27", None),
    ("c", "2026-11-27T08:05", "2026-11-27", "2026-11-27T08:05"),
    ("d", "2026-11-28", "2026-11-28", None),
]


def make(slug: str, published: str | None, **changes: object) -> Release:
    url = f"https://www.ekby.se/nyheter/{slug}.html"
    release = Release(
        url=url,
        canonical_url=url,
        title=f"Nyhet {slug}",
        kind="Nyhet",
        published=published,
        published_source="meta",
        updated=None,
        updated_source=None,
        lead=None,
        body=BODY,
        language="sv",
    )
    return replace(release, **changes)  # type: ignore[arg-type]


def stored(db: Path) -> dict[str, tuple[str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, published, published_time FROM releases").fetchall()
    return {url.rsplit("/", 1)[1].removesuffix(".html"): (p, t) for url, p, t in rows}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.sync_sources([SOURCE])
        for slug, published, _, _ in DATES:
            archive.save_release(
                make(slug, published), source=SOURCE.id, page_id=None, extractor_version="t",
                now="2026-11-28T10:00:00Z",
            )  # fmt: skip
    return path


def test_split_published() -> None:
    for _, published, day, time in DATES:
        assert split_published(published) == (day, time)
    assert split_published(None) == (None, None)


def test_the_store_keeps_the_day_and_the_time_apart(db: Path) -> None:
    assert stored(db) == {slug: (day, time) for slug, _, day, time in DATES}


def test_the_same_release_again_is_unchanged_not_a_new_revision(db: Path) -> None:
    with Archive(db) as archive:
        _, outcome = archive.save_release(
            make("a", DATES[0][1]), source=SOURCE.id, page_id=None, extractor_version="t",
            now="2026-11-29T10:00:00Z",
        )  # fmt: skip
        assert outcome == "unchanged"
        # A changed time is a change, and the diff shows the whole date and time.
        _, outcome = archive.save_release(
            make("a", "2026-11-27T15:00:00+01:00"), source=SOURCE.id, page_id=None,
            extractor_version="t", now="2026-11-30T10:00:00Z",
        )  # fmt: skip
        assert outcome == "changed"
        revision = archive.db.execute(
            "SELECT published, published_time, diff FROM revisions"
        ).fetchone()
    assert revision[:2] == ("2026-11-27", "2026-11-27T14:37:00+01:00")
    assert "Publicerad: [-2026-11-27T14:37:00+01:00-] {+2026-11-27T15:00:00+01:00+}" in revision[2]


def test_an_older_archive_is_migrated_when_opened(db: Path) -> None:
    # As schema version 1 left it: the date and time in one column, no published_time.
    with sqlite3.connect(db) as conn:
        for slug, published, _, _ in DATES:
            conn.execute(
                "UPDATE releases SET published = ? WHERE url LIKE ?", [published, f"%/{slug}.html"]
            )
        release_id = conn.execute("SELECT id FROM releases WHERE url LIKE '%/a.html'").fetchone()[0]
        conn.execute(
            "INSERT INTO revisions (release_id, title, body, published, content_hash) "
            "VALUES (?, 'Nyhet a', 'x', '2026-11-26T09:00', 'h')",
            [release_id],
        )
        conn.execute("ALTER TABLE releases DROP COLUMN published_time")
        conn.execute("ALTER TABLE revisions DROP COLUMN published_time")
        conn.execute("PRAGMA user_version = 1")
    Archive(db).close()
    assert stored(db) == {slug: (day, time) for slug, _, day, time in DATES}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT published, published_time FROM revisions").fetchall() == [
            ("2026-11-26", "2026-11-26T09:00")
        ]
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 2


async def test_date_filters_sorting_and_feeds_read_the_one_shape(db: Path) -> None:
    ds = make_datasette(db)
    name = db.stem
    # Datasette's own filters: "on or before the 27th" includes the releases with a time.
    rows = (
        await ds.client.get(f"/{name}/releases.json?published__lte=2026-11-27&_shape=array")
    ).json()
    assert sorted(r["url"].rsplit("/", 1)[1] for r in rows) == ["a.html", "b.html", "c.html"]
    rows = (
        await ds.client.get(f"/{name}/releases.json?published__exact=2026-11-27&_shape=array")
    ).json()
    assert len(rows) == 3
    # Newest first: the day, then the time of day where the page gave one.
    latest = (await ds.client.get(f"/{name}/latest.json?_shape=array")).json()
    assert [r["title"] for r in latest] == ["Nyhet d", "Nyhet a", "Nyhet c", "Nyhet b"]
    # The feed carries the time and offset the page gave.
    atom = (await ds.client.get(f"/{name}/latest.atom")).text
    assert "<updated>2026-11-27T14:37:00+01:00</updated>" in atom
