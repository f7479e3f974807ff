"""The archive in a real browser: search in Swedish, open the release, read it.

Needs Debian's chromium (``apt-get install -y chromium``) and Playwright for
Python (``pip install playwright``); Playwright's own browser download is
never used. Skipped when either is missing. Run it alone with
``pytest -m browser``; screenshots land in tests/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from search_archive import build_archive

from scraper.serve.app import build_server

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SEED_TITLE = (
    "Pressmeddelande: Västerviks kommun och Polisen i Västervik undertecknar Medborgarlöfte"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture archive served over HTTP on 127.0.0.1, on a port bound here."""
    path = tmp_path_factory.mktemp("browser") / "archive.db"
    build_archive(path, today=date.today())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = build_server(path, port=port)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        started = threading.Event()
        for _ in range(200):
            if server.started:
                started.set()
                break
            started.wait(0.05)
        assert server.started, "the server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_search_open_and_read_a_release(browser, site: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    # Images point at the municipalities' sites: never leave 127.0.0.1.
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith(site) else route.continue_()
        ),
    )
    try:
        page.goto(f"{site}/archive/releases")
        search_box = page.locator('input[name="_search"]')
        search_box.fill("medborgarlöften")
        search_box.press("Enter")
        page.wait_for_url("**/?q=*")  # the table search goes to the search page
        link = page.get_by_role("link", name=SEED_TITLE)
        assert link.count() == 1
        page.screenshot(path=str(SCREENSHOTS / "search-results.png"), full_page=True)
        link.click()
        page.wait_for_selector("h1.release-title")
        assert page.locator("h1.release-title").inner_text() == SEED_TITLE
        body = page.locator(".release-body").inner_text()
        assert "Medborgarlöftet är en del av den samverkan" in body
        assert page.locator(".release-body p").count() >= 2
        assert "Västerviks kommun" in page.locator(".release-meta").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "release.png"), full_page=True)
    finally:
        page.close()


def test_journalist_searches_filters_by_municipality_and_subscribes(browser, site: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith(site) else route.continue_()
        ),
    )
    try:
        page.goto(f"{site}/")
        page.locator('input[name="q"]').fill("medborgarlöften")
        page.locator('input[name="q"]').press("Enter")
        page.wait_for_url("**q=medborgarl*")
        page.locator("summary", has_text="Avgränsa").click()
        page.locator('input[name="kommun"]').fill("Västervik")
        page.locator('input[name="kommun"]').press("Enter")
        page.wait_for_url("**kommun=*")
        assert "1 träff" in page.locator(".scraper-count").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "search-page-phone.png"), full_page=True)
        feed = page.get_by_role("link", name="Prenumerera (Atom)").get_attribute("href")
        assert "kommun=" in feed and "q=medborgarl" in feed
        page.get_by_role("link", name=SEED_TITLE).click()
        page.wait_for_selector("h1.release-title")
        assert page.locator("h1.release-title").inner_text() == SEED_TITLE
    finally:
        page.close()


def test_canned_search_without_diacritics(browser, site: str) -> None:
    page = browser.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith(site) else route.continue_()
        ),
    )
    try:
        page.goto(f"{site}/archive/search")
        page.locator('input[name="q"]').fill("vastervik")
        page.locator('input[name="q"]').press("Enter")
        page.wait_for_url("**q=vastervik*")
        page.get_by_role("link", name=SEED_TITLE).click()
        page.wait_for_selector("h1.release-title")
        assert page.locator("h1.release-title").inner_text() == SEED_TITLE
    finally:
        page.close()


def test_pages_work_under_the_content_security_policy(browser, site: str) -> None:
    """Datasette's inline scripts run (SQL editor, column menus): the CSP blocks none of them."""
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith(site) else route.continue_()
        ),
    )
    try:
        response = page.goto(f"{site}/archive?sql=select+id,+title+from+releases")
        assert "script-src" in response.headers["content-security-policy"]
        page.wait_for_selector(".CodeMirror")  # built by an inline script
        page.goto(f"{site}/archive/releases")
        page.locator("th.col-title svg.dropdown-menu-icon").click()  # table.js + inline config
        assert page.locator(".dropdown-menu").first.is_visible()
        page.goto(f"{site}/archive/search?q=skolor")
        page.get_by_role("link", name="Nya skolan i Gamleby står klar").click()
        page.wait_for_selector("h1.release-title")
        assert violations == []
    finally:
        page.close()
