"""An archive that forgets nothing: edits, removals, moves and returns across runs.

A copy of one fixture site is served and mutated between updates; a fake
clock moves a month forward each time, so known releases are due again.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import site_dirs

from scraper.demo.run import fixture_config
from scraper.demo.sites import SiteServer, load_site_info, path_for_url
from scraper.store import Archive
from scraper.update.crawl import update
from scraper.update.reprocess import reprocess


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)

    def __call__(self) -> str:
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def advance(self, days: int) -> None:
        self.moment += timedelta(days=days)


def _site_dir(sites_copy: Path) -> Path:
    names = [d.name for d in site_dirs(holdout=False)]
    name = "vastervik" if "vastervik" in names else names[0]
    return sites_copy / name


@pytest.fixture
def site(sites_copy: Path) -> Iterator[SiteServer]:
    with SiteServer(load_site_info(_site_dir(sites_copy))) as server:
        yield server


def expectations(server: SiteServer) -> list[dict]:
    folder = server.info.root.parent / "expected"
    return [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]


def page_file(server: SiteServer, path: str) -> Path:
    url_path, _, query = path.partition("?")
    return path_for_url(server.info.root, url_path, query)


def distinctive_word(text: str, html: str) -> str:
    for word in sorted(set(re.findall(r"\w{6,}", text)), key=len, reverse=True):
        if html.count(word) >= 1:
            return word
    raise AssertionError("no distinctive word")


def run(server: SiteServer, archive: Archive, clock: Clock) -> None:
    report = update(fixture_config([server]), archive, now=clock)
    assert report.ok, report


def test_edits_removals_moves_and_returns(site: SiteServer, tmp_path: Path) -> None:
    clock = Clock()
    charset = site.info.charset
    releases = expectations(site)
    edited, retitled, removed, moved = releases[0], releases[1], releases[2], releases[3]
    with Archive(tmp_path / "archive.db") as archive:
        run(site, archive, clock)
        assert archive.release_count() == site.info.releases

        # 1. The site edits one body, one title; removes one release; moves one.
        body_file = page_file(site, edited["path"])
        html = body_file.read_text(charset)
        word = distinctive_word(edited["body"], html)
        body_file.write_text(html.replace(word, "Omformulerat"), charset)

        title_file = page_file(site, retitled["path"])
        html = title_file.read_text(charset)
        title_word = distinctive_word(retitled["title"], html)
        title_file.write_text(html.replace(title_word, "Rättelse"), charset)

        removed_file = page_file(site, removed["path"])
        backup = removed_file.read_bytes()
        removed_file.unlink()

        old_path = moved["path"]
        new_path = "/arkiv/flyttad" + old_path.rstrip("/").rsplit("/", 1)[-1].split(".")[0] + "/"
        new_file = page_file(site, new_path)
        new_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(page_file(site, old_path), new_file)
        (site.info.root / "_redirects").write_text(f"{old_path.split('?')[0]} {new_path} 301\n")

        clock.advance(31)
        run(site, archive, clock)
        db = archive.db

        def release(path: str) -> dict:
            row = archive.release_for_url(site.base_url + path)
            assert row is not None, path
            return row

        row = release(edited["path"])
        assert "Omformulerat" in row["body"] and row["changed_at"] == clock()
        ((diff, old_body),) = db.execute(
            "SELECT diff, body FROM revisions WHERE release_id = ?", [row["id"]]
        ).fetchall()
        assert word in old_body and f"[-{word}" in diff and "{+Omformulerat" in diff

        row = release(retitled["path"])
        assert "Rättelse" in row["title"]
        ((old_title, diff),) = db.execute(
            "SELECT title, diff FROM revisions WHERE release_id = ?", [row["id"]]
        ).fetchall()
        assert title_word in old_title and diff.startswith("Rubrik:")

        row = release(removed["path"])
        assert row["removed_at"] == clock() and row["removal_evidence"] == "HTTP 404"
        assert row["body"]  # kept, never deleted

        row = release(old_path)
        assert release(new_path)["id"] == row["id"]
        assert row["removed_at"] is None
        assert (
            db.execute(
                "SELECT COUNT(*) FROM revisions WHERE release_id = ?", [row["id"]]
            ).fetchone()[0]
            == 0
        )

        assert archive.release_count() == site.info.releases

        # 2. The removed release comes back.
        removed_file.write_bytes(backup)
        clock.advance(31)
        run(site, archive, clock)
        row = release(removed["path"])
        assert row["removed_at"] is None
        events = [
            e
            for (e,) in db.execute(
                "SELECT event FROM events WHERE release_id = ? ORDER BY id", [row["id"]]
            )
        ]
        assert events == ["removed", "restored"]
        assert archive.release_count() == site.info.releases
        assert db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 2


def test_reprocess_rebuilds_from_raw_pages_without_network(
    site: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    with Archive(tmp_path / "archive.db") as archive:
        run(site, archive, clock)
        before = {r["id"]: r["body"] for r in archive.db["releases"].rows}
        with archive.db.atomic():  # as an older extractor would have left them
            archive.db.execute(
                "UPDATE releases SET body = 'gammal extraktion', content_hash = 'gammal', "
                "extractor_version = '0'"
            )

        def no_network(*args: object, **kwargs: object) -> None:
            raise AssertionError("reprocess made a request")

        monkeypatch.setattr(httpx.AsyncClient, "send", no_network)
        monkeypatch.setattr(httpx.Client, "send", no_network)
        site.stop()
        clock.advance(1)
        counts = reprocess(None, archive, now=clock)
        assert counts["updated"] == len(before) and counts["failed"] == 0
        after = {r["id"]: r["body"] for r in archive.db["releases"].rows}
        assert after == before
        assert archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
        assert (
            archive.db.execute(
                "SELECT COUNT(*) FROM releases WHERE extractor_version = '0'"
            ).fetchone()[0]
            == 0
        )


def test_furniture_changes_make_no_revision(site: SiteServer, tmp_path: Path) -> None:
    """A redesigned footer or contact block changes every page, never a release."""
    clock = Clock()
    charset = site.info.charset
    furniture = [
        line
        for line in (site.info.root.parent / "boilerplate.txt").read_text("utf-8").splitlines()
        if len(line) > 25
    ]
    with Archive(tmp_path / "archive.db") as archive:
        run(site, archive, clock)
        changed_pages = 0
        for expected in expectations(site):
            path = page_file(site, expected["path"])
            html = path.read_text(charset)
            present = [line for line in furniture if line in html]
            if present:
                for line in present[:3]:
                    html = html.replace(line, line.replace(" ", " nya ", 1))
                path.write_text(html, charset)
                changed_pages += 1
        assert changed_pages >= 5
        clock.advance(31)
        run(site, archive, clock)
        assert archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
        assert (
            archive.db.execute(
                "SELECT COUNT(*) FROM releases WHERE changed_at IS NOT NULL"
            ).fetchone()[0]
            == 0
        )
