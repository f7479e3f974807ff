"""The offline demo: sources found from home pages, every fixture release, and the same
archive however often it runs."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import SITES

from scraper.cli import cli
from scraper.demo.hosts import LocalHostsTransport
from scraper.demo.sites import SiteServer, load_site_info


def archive_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT url, title, published, content_hash FROM releases ORDER BY url"
        ).fetchall()


def test_running_the_demo_twice_leaves_the_same_archive(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    first = CliRunner().invoke(cli, ["demo", "--db", str(db), "--no-serve"])
    assert first.exit_code == 0, first.output
    rows = archive_rows(db)
    assert len(rows) == 116
    # The sites are served on new ports; the archive knows them by stable names.
    assert all(url.startswith("http://www.") and ".test/" in url for url, *_ in rows)
    # Every site's source was found from its home page, none taken from site.toml.
    assert first.output.count("discovered from http://www.") == 9
    assert "discovery found nothing" not in first.output
    second = CliRunner().invoke(cli, ["demo", "--db", str(db), "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "116 releases in" in second.output and "(116 expected)" in second.output
    assert archive_rows(db) == rows
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
        # Every image and attachment the releases show is archived with them, once.
        shown = conn.execute(
            "SELECT (SELECT COUNT(*) FROM images) + (SELECT COUNT(*) FROM attachments)"
        ).fetchone()[0]
        statuses = dict(
            conn.execute("SELECT status, COUNT(*) FROM release_media GROUP BY status").fetchall()
        )
        assert shown > 50 and statuses == {"archived": shown}
        assert conn.execute("SELECT COUNT(*) FROM media WHERE size = 0").fetchone()[0] == 0


def test_the_transport_sends_a_stable_name_to_its_local_server_and_keeps_the_host() -> None:
    with SiteServer(load_site_info(SITES / "vastervik")) as server:

        async def ask(url: str) -> httpx.Response:
            transport = LocalHostsTransport({"www.vastervik.test": server.address})
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.get(url)

        response = asyncio.run(ask("https://www.vastervik.test/robots.txt"))
        assert response.status_code == 200
        assert str(response.request.url) == "https://www.vastervik.test/robots.txt"
        assert server.requests == ["GET /robots.txt HTTP/1.1"]
        with pytest.raises(httpx.ConnectError, match="Name or service not known"):
            asyncio.run(ask("http://www.unknown.test/"))
