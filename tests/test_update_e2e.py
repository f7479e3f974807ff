"""End to end: the fixture sites over real HTTP, `scraper update` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SITES

from scraper.cli import cli
from scraper.demo.sites import SiteServer
from scraper.store import Archive


def expected_releases(site_id: str) -> dict[str, dict]:
    releases = (
        json.loads(p.read_text("utf-8")) for p in (SITES / site_id / "expected").glob("*.json")
    )
    return {release["path"]: release for release in releases}


def expected_paths(site_id: str) -> set[str]:
    return {
        json.loads(p.read_text("utf-8"))["path"]
        for p in (SITES / site_id / "expected").glob("*.json")
    }


def write_sources(tmp_path: Path, servers: list[SiteServer]) -> Path:
    lines = ['[settings]\nuser_agent = "scraper-tests/1 (+https://example.org/tests)"\n']
    for server in servers:
        lines.append(
            f'[[source]]\nid = "{server.info.id}"\nname = "{server.info.name}"\n'
            f'url = "{server.listing_url}"\ndelay = 0\n'
            + (f'kind = "{server.info.default_kind}"\n' if server.info.default_kind else "")
        )
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def crawled(tmp_path: Path, served_sites: list[SiteServer]):
    sources = write_sources(tmp_path, served_sites)
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
    return result, db, sources, served_sites


def test_first_update_finds_every_fixture_release(crawled) -> None:
    result, db, _, servers = crawled
    assert result.exit_code == 0, result.output
    with Archive(db) as archive:
        for server in servers:
            site = server.info.id
            urls = {
                row[0]
                for row in archive.db.execute(
                    "SELECT u.url FROM release_urls u JOIN releases r ON r.id = u.release_id "
                    "WHERE r.source = ?",
                    [site],
                )
            }
            paths = {u[len(server.base_url) :] for u in urls}
            missing = expected_paths(site) - paths
            assert not missing, f"{site}: not archived: {sorted(missing)}"
            assert archive.release_count(site) == server.info.releases, site
        failed = archive.db.execute(
            "SELECT url, error FROM fetches WHERE outcome = 'failed'"
        ).fetchall()
        assert failed == []
        # Through the whole pipeline (HTTP, charset detection on the ISO-8859-1 site whose
        # pages declare nothing, template learning) every release reads as written.
        for server in servers:
            for path, expected in expected_releases(server.info.id).items():
                row = archive.release_for_url(server.base_url + path)
                assert row is not None, path
                # The store keeps the day in published and the time, when given, beside it.
                assert row["published"] == (expected["published"] or "")[:10] or None, path
                published = row["published_time"] or row["published"]
                got = (row["title"], row["kind"], published, " ".join(row["body"].split()))
                want = (
                    expected["title"],
                    expected["kind"],
                    expected["published"],
                    " ".join(expected["body"].split()),
                )
                assert got == want, path
    # The summary gives every source with its distinct releases found and stored.
    for server in servers:
        n = server.info.releases
        assert f"{server.info.id:<24} {n:>6} {n:>5}" in result.output, result.output


def test_seed_release_is_found_by_search(crawled) -> None:
    result, db, _, _ = crawled
    assert result.exit_code == 0, result.output
    with Archive(db) as archive:
        from scraper.store.search import build_match_query

        hits = archive.db.execute(
            "SELECT r.title, r.kind, r.published FROM releases_fts f JOIN releases r "
            "ON r.search_key = f.rowid WHERE releases_fts MATCH ?",
            [build_match_query("medborgarlöfte")],
        ).fetchall()
    assert (
        "Pressmeddelande: Västerviks kommun och Polisen i Västervik undertecknar Medborgarlöfte",
        "Pressmeddelande",
        "2020-02-28",
    ) in hits


def test_second_update_adds_nothing_and_refetches_no_known_release(crawled) -> None:
    result, db, sources, servers = crawled
    assert result.exit_code == 0, result.output
    before = {s.info.id: len(s.requests) for s in servers}
    again = CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
    assert again.exit_code == 0, again.output
    with Archive(db) as archive:
        assert archive.release_count() == sum(s.info.releases for s in servers)
        assert archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
    for server in servers:
        second_run = server.requests[before[server.info.id] :]
        paths = {line.split(" ")[1] for line in second_run}
        refetched = paths & expected_paths(server.info.id)
        assert not refetched, f"{server.info.id} refetched {sorted(refetched)}"
        # One conditional request for the listing (or its feed), robots.txt aside.
        assert len([p for p in paths if p != "/robots.txt"]) == 1, second_run


def test_unreachable_source_fails_alone(tmp_path: Path, served_sites: list[SiteServer]) -> None:
    sources = write_sources(tmp_path, served_sites[:1])
    text = sources.read_text("utf-8") + (
        '\n[[source]]\nid = "nere"\nname = "Nere kommun"\nurl = "http://127.0.0.1:9/nyheter/"\n'
        "delay = 0\n"
    )
    sources.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["update", "--db", str(tmp_path / "a.db"), "--sources", str(sources)]
    )
    assert result.exit_code == 1
    assert "nere" in result.output
    with Archive(tmp_path / "a.db") as archive:
        assert archive.release_count(served_sites[0].info.id) == served_sites[0].info.releases
        status = {row["id"]: row for row in archive.source_status()}
        assert status["nere"]["last_failure"] and status["nere"]["last_error"]
        assert status["nere"]["failing_since"] == status["nere"]["last_failure"]
        assert status[served_sites[0].info.id]["last_success"]


def test_full_update_walks_everything_and_rechecks_each_release_once(crawled) -> None:
    result, db, sources, servers = crawled
    assert result.exit_code == 0, result.output
    before = {s.info.id: len(s.requests) for s in servers}
    again = CliRunner().invoke(
        cli, ["update", "--db", str(db), "--sources", str(sources), "--full"]
    )
    assert again.exit_code == 0, again.output
    for server in servers:
        paths = [line.split(" ")[1] for line in server.requests[before[server.info.id] :]]
        rechecked = [p for p in paths if p in expected_paths(server.info.id)]
        assert sorted(rechecked) == sorted(expected_paths(server.info.id)), server.info.id
    with Archive(db) as archive:
        assert archive.db.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
