"""Reconciliation: every release link a listing showed is archived, or has a reason.

A gap is never silent: the run's summary counts the missing, ``coverage_gaps``
names each with its reason, and ``scraper status`` shows a coverage figure.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from test_update_e2e import write_sources

from scraper.cli import cli
from scraper.demo.sites import SiteServer, load_site_info
from scraper.store import Archive


def expected_paths(site: Path) -> list[str]:
    return [
        json.loads(p.read_text("utf-8"))["path"] for p in sorted((site / "expected").glob("*.json"))
    ]


def test_a_release_that_cannot_be_fetched_is_a_gap_with_its_reason(
    tmp_path: Path, sites_copy: Path
) -> None:
    site = sites_copy / "vastervik"
    gone = expected_paths(site)[0]
    (site / "public" / gone.strip("/") / "index.html").unlink()  # answers 404 from now on
    with SiteServer(load_site_info(site)) as server:
        sources = write_sources(tmp_path, [server])
        db = tmp_path / "archive.db"
        result = CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
        assert "missing" in result.output.splitlines()[0]
        assert result.output.splitlines()[1].split()[-1] == "1"  # the missing column
        status = CliRunner().invoke(cli, ["status", "--db", str(db)])
    assert "coverage:      93 % (14 of 15 listed releases archived)" in status.output
    reason = "failed 1 time(s), tried again next run: not found"
    assert f"missing {server.base_url}{gone}: {reason}" in status.output
    with Archive(db) as archive:
        gaps = list(archive.db.query("SELECT url, reason FROM coverage_gaps"))
    assert gaps == [{"url": server.base_url + gone, "reason": reason}]


def test_a_page_the_extractor_rejects_is_a_gap_with_the_extractors_reason(
    tmp_path: Path, sites_copy: Path
) -> None:
    site = sites_copy / "bergsjo"
    broken = expected_paths(site)[-1]
    (site / "public" / broken.lstrip("/")).write_text("<html><body></body></html>", "utf-8")
    with SiteServer(load_site_info(site)) as server:
        sources = write_sources(tmp_path, [server])
        db = tmp_path / "archive.db"
        CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
    with Archive(db) as archive:
        listed, missing = archive.coverage("bergsjo")
    assert listed == 14
    assert [m["url"] for m in missing] == [server.base_url + broken]
    assert missing[0]["reason"].startswith("extract failed: ")


def test_every_fixture_site_is_fully_covered(tmp_path: Path, served_sites) -> None:
    sources = write_sources(tmp_path, served_sites)
    db = tmp_path / "archive.db"
    CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
    with Archive(db) as archive:
        for server in served_sites:
            listed, missing = archive.coverage(server.info.id)
            assert (listed, missing) == (server.info.releases, []), server.info.id
