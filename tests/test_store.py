"""The archive database: revisions, removals, raw pages, identity, nothing lost."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from scraper.errors import LockedError, StorageError
from scraper.records import Attachment, Image, Page, RefetchSchedule, Release, SiteTemplate, Source
from scraper.store import Archive

URL = "https://www.exempel.se/nyheter/2024-03-14-ny-skola.html"


def make_release(**changes: object) -> Release:
    base = Release(
        url=URL,
        canonical_url=URL,
        title="Ny skola byggs i Gamleby",
        kind="Pressmeddelande",
        published="2024-03-14",
        published_source="meta",
        updated=None,
        updated_source=None,
        lead="Kommunen bygger en ny F-6-skola.",
        body="Bygget startar i maj.\n\nSkolan ska stå klar hösten 2026.",
        language="sv",
        images=(
            Image(url="https://www.exempel.se/bild.jpg", alt="Skolan", caption="Foto: Kommunen"),
        ),
        attachments=(
            Attachment(
                url="https://www.exempel.se/plan.pdf", title="Plan", mime_type="application/pdf"
            ),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def make_page(url: str = URL, body: bytes = b"<html>v1</html>") -> Page:
    return Page(
        url=url,
        final_url=url,
        status=200,
        headers=(("content-type", "text/html; charset=utf-8"), ("etag", '"abc"')),
        content=body,
        text=body.decode(),
        encoding="utf-8",
        encoding_source="header",
        fetched_at="2024-03-14T10:00:00Z",
    )


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    archive = Archive(tmp_path / "archive.db")
    archive.sync_sources(
        [Source(id="exempel", name="Exempels kommun", url="https://www.exempel.se/nyheter/")]
    )
    yield archive
    archive.close()


def rows(archive: Archive, sql: str) -> list[tuple]:
    return archive.db.execute(sql).fetchall()


def test_new_release_is_stored_with_media_and_searchable(archive: Archive) -> None:
    page_id = archive.save_page(make_page(), source="exempel", run_id=None)
    release_id, outcome = archive.save_release(
        make_release(),
        source="exempel",
        page_id=page_id,
        extractor_version="1",
        now="2024-03-14T10:00:00Z",
    )
    assert outcome == "new"
    row = archive.db["releases"].get(release_id)
    assert row["title"] == "Ny skola byggs i Gamleby" and row["year"] == 2024
    assert row["first_seen"] == row["last_seen"] == "2024-03-14T10:00:00Z"
    assert rows(archive, "SELECT alt, caption FROM images") == [("Skolan", "Foto: Kommunen")]
    assert rows(archive, "SELECT mime_type FROM attachments") == [("application/pdf",)]
    hits = rows(
        archive,
        "SELECT r.id FROM releases_fts JOIN releases r ON r.search_key = releases_fts.rowid "
        "WHERE releases_fts MATCH 'Gamleby'",
    )
    assert hits == [(release_id,)]


def test_same_content_again_is_unchanged_and_only_touches_seen(archive: Archive) -> None:
    archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-14T10:00:00Z",
    )
    _, outcome = archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-20T10:00:00Z",
    )
    assert outcome == "unchanged"
    assert rows(archive, "SELECT first_seen, last_seen, changed_at FROM releases") == [
        ("2024-03-14T10:00:00Z", "2024-03-20T10:00:00Z", None)
    ]
    assert rows(archive, "SELECT COUNT(*) FROM revisions") == [(0,)]


def test_edit_keeps_previous_version_with_word_diff(archive: Archive) -> None:
    archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-14T10:00:00Z",
    )
    edited = make_release(body="Bygget startar i juni.\n\nSkolan ska stå klar hösten 2026.")
    release_id, outcome = archive.save_release(
        edited, source="exempel", page_id=None, extractor_version="1", now="2024-03-16T08:00:00Z"
    )
    assert outcome == "changed"
    ((old_body, diff, first_seen, last_seen),) = rows(
        archive, "SELECT body, diff, first_seen, last_seen FROM revisions"
    )
    assert old_body.startswith("Bygget startar i maj.")
    assert "[-maj.-]" in diff and "{+juni.+}" in diff
    assert (first_seen, last_seen) == ("2024-03-14T10:00:00Z", "2024-03-14T10:00:00Z")
    release = archive.db["releases"].get(release_id)
    assert release["changed_at"] == "2024-03-16T08:00:00Z" and "juni" in release["body"]
    assert rows(archive, "SELECT event FROM events") == [("changed",)]
    # The search index follows the edit.
    assert rows(archive, "SELECT COUNT(*) FROM releases_fts WHERE releases_fts MATCH 'juni'") == [
        (1,)
    ]
    assert rows(archive, "SELECT COUNT(*) FROM releases_fts WHERE releases_fts MATCH 'maj'") == [
        (0,)
    ]


def test_reextraction_updates_in_place_without_revision(archive: Archive) -> None:
    archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-14T10:00:00Z",
    )
    better = make_release(
        body="Bygget startar i maj.\n\nSkolan ska stå klar hösten 2026. Mer text."
    )
    _, outcome = archive.save_release(
        better,
        source="exempel",
        page_id=None,
        extractor_version="2",
        now="2024-04-01T00:00:00Z",
        revise=False,
        seen=False,
    )
    assert outcome == "updated"
    assert rows(archive, "SELECT COUNT(*) FROM revisions") == [(0,)]
    assert rows(archive, "SELECT extractor_version, last_seen, changed_at FROM releases") == [
        ("2", "2024-03-14T10:00:00Z", None)
    ]


def test_removal_is_a_mark_and_comes_back(archive: Archive) -> None:
    archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-14T10:00:00Z",
    )
    assert archive.mark_removed(URL, evidence="HTTP 404", now="2024-05-01T00:00:00Z")
    assert not archive.mark_removed(URL, evidence="HTTP 404", now="2024-05-02T00:00:00Z")
    assert rows(archive, "SELECT removed_at, removal_evidence, title FROM releases") == [
        ("2024-05-01T00:00:00Z", "HTTP 404", "Ny skola byggs i Gamleby")
    ]
    archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-06-01T00:00:00Z",
    )
    assert rows(archive, "SELECT removed_at FROM releases") == [(None,)]
    assert [e for (e,) in rows(archive, "SELECT event FROM events ORDER BY id")] == [
        "removed",
        "restored",
    ]


def test_canonical_url_is_identity_and_moves_keep_history(archive: Archive) -> None:
    release_id, _ = archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-14T10:00:00Z",
    )
    other = "https://www.exempel.se/nyheter/ny-skola/?utm=x"
    same_id, outcome = archive.save_release(
        make_release(url=other),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-15T10:00:00Z",
    )
    assert (same_id, outcome) == (release_id, "unchanged")
    moved = "https://www.exempel.se/arkiv/2024/ny-skola.html"
    moved_id, _ = archive.save_release(
        make_release(url=URL, canonical_url=moved),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-16T10:00:00Z",
    )
    assert moved_id == release_id
    assert rows(archive, "SELECT url FROM releases") == [(moved,)]
    assert archive.known_urls("exempel") == {URL, other, moved}
    assert ("moved",) in rows(archive, "SELECT event FROM events")


def test_raw_pages_are_immutable_and_bodies_stored_once(archive: Archive) -> None:
    first = archive.save_page(make_page(), source="exempel", run_id=None)
    second = archive.save_page(make_page(), source="exempel", run_id=None)
    third = archive.save_page(
        make_page(body="<html>v2 – åäö</html>".encode()), source="exempel", run_id=None
    )
    assert len({first, second, third}) == 3
    assert rows(archive, "SELECT COUNT(*) FROM bodies") == [(2,)]
    assert archive.page_html(third) == (URL, "<html>v2 – åäö</html>")
    assert archive.page_html(first)[1] == "<html>v1</html>"


def test_refetch_schedule_favours_young_releases(archive: Archive) -> None:
    for i, published in enumerate(["2024-03-13", "2024-02-01", "2022-01-01"]):
        archive.save_release(
            make_release(
                url=f"{URL}?{i}", canonical_url=f"{URL}?{i}", published=published, title=f"T{i}"
            ),
            source="exempel",
            page_id=None,
            extractor_version="1",
            now="2024-03-14T00:00:00Z",
        )
    due = archive.releases_due(
        "exempel", now="2024-03-16T00:00:00Z", schedule=RefetchSchedule(), exclude=set()
    )
    assert due == [f"{URL}?0"]  # two days after the last fetch: only the young one
    due = archive.releases_due(
        "exempel", now="2024-03-22T00:00:00Z", schedule=RefetchSchedule(), exclude=set()
    )
    assert sorted(due) == [f"{URL}?0", f"{URL}?1"]
    due = archive.releases_due(
        "exempel", now="2024-04-20T00:00:00Z", schedule=RefetchSchedule(), exclude=set()
    )
    assert len(due) == 3


def test_template_round_trip(archive: Archive) -> None:
    template = SiteTemplate(
        source="exempel",
        pages=12,
        blocks=(("a1", 0.9), ("b2", 0.1)),
        learned_at="2024-03-14T00:00:00Z",
    )
    archive.save_template(template)
    assert archive.load_template("exempel") == template
    assert archive.load_template("okänd") is None


def test_second_lock_is_refused(tmp_path: Path) -> None:
    first = Archive(tmp_path / "a.db")
    first.lock()
    second = Archive(tmp_path / "a.db")
    with pytest.raises(LockedError, match="another update is running"):
        second.lock()
    first.close()
    second.lock()  # free again once the first let go
    second.close()


def test_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.db"
    bad.write_bytes("det här är ingen databas".encode() * 100)
    with pytest.raises(StorageError, match="cannot open the archive"):
        Archive(bad)


def test_failed_write_rolls_back_the_whole_release(archive: Archive, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(archive, "_replace_media", broken)
    with pytest.raises(sqlite3.OperationalError):
        archive.save_release(
            make_release(),
            source="exempel",
            page_id=None,
            extractor_version="1",
            now="2024-03-14T10:00:00Z",
        )
    assert rows(archive, "SELECT COUNT(*) FROM releases") == [(0,)]
    assert rows(archive, "SELECT COUNT(*) FROM release_urls") == [(0,)]


def test_full_recheck_names_each_release_once(archive: Archive) -> None:
    archive.save_release(
        make_release(),
        source="exempel",
        page_id=None,
        extractor_version="1",
        now="2024-03-14T00:00:00Z",
        aliases=(URL + "?gammal",),
    )
    assert len(archive.known_urls("exempel")) == 2
    due = archive.releases_due(
        "exempel",
        now="2024-03-14T01:00:00Z",
        schedule=RefetchSchedule(),
        exclude=set(),
        everything=True,
    )
    assert due == [URL]


def test_opening_a_current_archive_writes_nothing_so_it_never_waits_for_a_writer(
    tmp_path: Path,
) -> None:
    # A second `scraper update` must reach the update lock (exit 3), not time out
    # on the database lock of the update that is writing.
    path = tmp_path / "archive.db"
    Archive(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with Archive(path) as archive:
            assert archive.release_count() == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_thin_release_is_stored_and_flagged(tmp_path: Path) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        archive.sync_sources([Source(id="vastervik", name="Västervik", url="https://x.se/")])
        short = make_release(lead=None, body="Välkommen till invigningen.", thin=True)
        archive.save_release(
            short, source="vastervik", page_id=None, extractor_version="t", now="2026-12-01"
        )
        row = archive.release_for_url(URL)
    assert row and row["thin"] == 1 and row["body"] == "Välkommen till invigningen."
