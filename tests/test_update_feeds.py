"""A source's URL may be an RSS/Atom feed or an XML sitemap instead of a listing page."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SITES

from scraper.demo.sites import SiteServer, load_site_info
from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update


def expected_by_path(site: str) -> dict[str, dict]:
    found = {}
    for path in (SITES / site / "expected").glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        found[data["path"]] = data
    return found


def crawl(tmp_path: Path, server: SiteServer, url: str) -> Archive:
    config = Config(
        path="<test>",
        settings=Settings(delay=0.0, user_agent="scraper-tests/1 (+https://example.org)"),
        sources=(Source(id=server.info.id, name=server.info.name, url=url, delay=0.0),),
    )
    archive = Archive(tmp_path / "archive.db")
    report = update(config, archive)
    assert report.ok, report
    return archive


def test_rss_feed_as_source(tmp_path: Path) -> None:
    with SiteServer(load_site_info(SITES / "bergsjo")) as server:
        feed = server.base_url + "/kommun-och-politik/press/pressmeddelanden.rss"
        with crawl(tmp_path, server, feed) as archive:
            rows = list(archive.db["releases"].rows)
    expected = expected_by_path("bergsjo")
    assert len(rows) == 10  # the feed carries the ten newest releases
    for row in rows:
        path = row["url"][len(server.base_url) :]
        assert path in expected, path
        # The page's own date wins over the feed's pubDate (which adds a time of day).
        assert (row["title"], row["published"]) == (
            expected[path]["title"],
            expected[path]["published"],
        )


def test_sitemap_index_as_source(tmp_path: Path) -> None:
    with SiteServer(load_site_info(SITES / "sjovik")) as server:
        archive = crawl(tmp_path, server, server.base_url + "/wp-sitemap.xml")
        with archive:
            paths = {row["url"][len(server.base_url) :] for row in archive.db["releases"].rows}
    assert paths == set(expected_by_path("sjovik"))
