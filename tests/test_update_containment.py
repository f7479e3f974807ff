"""An unexpected error while handling one release URL costs that URL, never its source.

The errors are injected (a storage step that raises for one URL), standing for
any bug or surprise a hostile page could set off in fetching, redirect
handling, extraction or storing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile_sites import serve_hostile

from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update

SETTINGS = Settings(
    user_agent="scraper-tests/1 (+https://example.org/tests)",
    delay=0.0,
    retries=1,
    read_timeout=2.0,
    total_timeout=5.0,
)
VICTIM = "/nyheter/budget-2025/"


def _run(archive: Archive, url: str) -> Any:
    source = Source(id="fientlinge", name="Fientlinge kommun", url=url, delay=0.0)
    (result,) = update(Config(path="<test>", settings=SETTINGS, sources=(source,)), archive).sources
    return result


def _rows(archive: Archive, url: str, purpose: str) -> list[dict[str, Any]]:
    return list(
        archive.db.query(
            "select outcome, error from fetches where url = ? and purpose = ?", [url, purpose]
        )
    )


def test_an_error_storing_one_fetched_page_costs_only_that_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_page = Archive.save_page

    def failing(self: Archive, page: Any, **kwargs: Any) -> int:
        if page.url.endswith(VICTIM):
            raise RuntimeError("disk says no")
        return save_page(self, page, **kwargs)

    monkeypatch.setattr(Archive, "save_page", failing)
    with serve_hostile("redirects") as site, Archive(tmp_path / "a.db") as archive:
        result = _run(archive, site.listing_url)
        assert result.ok, result.error
        stored = {row["url"] for row in archive.db["releases"].rows}
        assert stored == {site.url("/nyheter/ny-forskola/"), site.url("/nyheter/badplats/")}
        assert _rows(archive, site.url(VICTIM), "release") == [
            {"outcome": "failed", "error": "internal error: RuntimeError: disk says no"}
        ]
        # Still in the frontier with the attempt counted: tried again next run, given up
        # after FRONTIER_ATTEMPTS runs like any URL that keeps failing.
        (entry,) = [e for e in archive.pending("fientlinge", max_attempts=5) if VICTIM in e.url]

        monkeypatch.setattr(Archive, "save_page", save_page)
        assert _run(archive, site.listing_url).ok
        assert archive.release_for_url(site.url(VICTIM)) is not None


def test_an_error_saving_one_release_costs_only_that_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_release = Archive.save_release

    def failing(self: Archive, release: Any, **kwargs: Any) -> Any:
        if release.url.endswith(VICTIM):
            raise ValueError("no such column: surprise")
        return save_release(self, release, **kwargs)

    monkeypatch.setattr(Archive, "save_release", failing)
    with serve_hostile("redirects") as site, Archive(tmp_path / "a.db") as archive:
        result = _run(archive, site.listing_url)
        assert result.ok, result.error
        assert result.new == 2
        assert _rows(archive, site.url(VICTIM), "extract") == [
            {"outcome": "failed", "error": "internal error: ValueError: no such column: surprise"}
        ]
        # The raw page is kept: the next run extracts it.
        monkeypatch.setattr(Archive, "save_release", save_release)
        assert _run(archive, site.listing_url).new == 1
