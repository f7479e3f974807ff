"""In headless chromium: the stored raw page runs no script and asks nothing of
other sites, and shows the archive's copy of its image (scraper.serve.archived)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import _serve, browser  # noqa: F401 - browser: the fixture
from test_media_archive import JPEG, SITE, Site, crawl, sha

from scraper.store import Archive

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("rawpage") / "archive.db"
    # In a thread of its own: Playwright's sync API keeps an event loop running here.
    crawler = threading.Thread(target=crawl, args=(db, Site()))
    crawler.start()
    crawler.join()
    assert db.is_file()
    # scraper serve's server, as the other browser tests start it; stopped after the module.
    for url in _serve(db):
        yield url, db


def test_the_raw_page_runs_nothing_and_loads_only_from_the_archive(browser, served) -> None:  # noqa: F811
    site, db = served
    with Archive(db) as archive:
        page_id = archive.release_for_url(f"{SITE}/nyheter/forskola.html")["page_id"]
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    requested: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{site}/{db.stem}/-/page/{page_id}")
        frame = page.frame_locator("iframe.raw-page-frame")
        frame.locator("h1").wait_for()
        assert frame.locator("h1").inner_text() == "Ny förskola i Ekås"
        archived = frame.locator(f'img[src="/{db.stem}/-/media/{sha(JPEG)}"]')
        assert archived.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        # The hostile page's script would have written "skript" into the page.
        assert "skript" not in frame.locator("body").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "raw-page.png"), full_page=True)
    finally:
        page.close()
    assert dialogs == []
    assert requested and all(url.startswith(site) for url in requested), requested
    assert f"{site}/{db.stem}/-/media/{sha(JPEG)}" in requested
