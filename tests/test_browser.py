"""The archive in a real browser: search in Swedish, open the release, read it.

Needs Debian's chromium (``apt-get install -y chromium``) and Playwright for
Python (``pip install playwright``); Playwright's own browser download is
never used. Skipped when either is missing. Run it alone with
``pytest -m browser``; screenshots land in tests/screenshots/.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from front_archive import build_front_archive
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


def _serve(path: Path) -> Iterator[str]:
    """``scraper serve``'s server for the archive at ``path``, on a port bound here."""
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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture archive served over HTTP on 127.0.0.1."""
    path = tmp_path_factory.mktemp("browser") / "archive.db"
    build_archive(path, today=date.today())
    yield from _serve(path)


@pytest.fixture(scope="module")
def front_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture archive tied to municipalities (tests/front_archive.py), served."""
    path = tmp_path_factory.mktemp("browser-front") / "archive.db"
    build_front_archive(path, today=date.today())
    yield from _serve(path)


def _csp_violations(page: object) -> list[str]:
    """A list that fills with every Content-Security-Policy complaint and script error."""
    found: list[str] = []
    page.on(  # type: ignore[attr-defined]
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: found.append(str(error)))  # type: ignore[attr-defined]
    return found


def _local_only(page: object, site: str) -> None:
    """Abort every request that would leave the served site (images at the municipalities)."""
    page.route(  # type: ignore[attr-defined]
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith(site) else route.continue_()
        ),
    )


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


def test_researcher_opens_a_municipality_reads_the_chart_exports_a_year(
    browser, front_site: str, tmp_path: Path
) -> None:
    """A researcher starts at the list of municipalities, opens one, reads its chart
    (and the figures behind it) and downloads one year's releases as CSV."""
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    _local_only(page, front_site)
    violations = _csp_violations(page)
    try:
        page.goto(f"{front_site}/kommuner")
        assert page.locator("h1").inner_text() == "Kommuner och regioner"
        assert page.locator("table.org-table tbody tr").count() == 290 + 21
        page.screenshot(path=str(SCREENSHOTS / "kommuner.png"))
        page.get_by_role("link", name="Kalmar kommun", exact=True).click()
        page.wait_for_url("**/kommun/0880")
        assert page.locator("h1").inner_text() == "Kalmar kommun"

        chart = page.get_by_role("img", name="Pressmeddelanden per år och typ, Kalmar kommun")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
        figure = page.locator("figure.chart", has=chart)
        figure.get_by_text("Siffrorna i en tabell").click()
        row = figure.locator("tbody tr", has=page.locator("th", has_text="2024"))
        assert row.locator("td").all_inner_texts() == ["3", "0", "3"]  # Pressmeddelande, -inbjudan
        assert "misslyckas sedan" in page.locator(".health-table").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "kommun.png"), full_page=True)

        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV 2024").click()
        saved = tmp_path / "kalmar-2024.csv"
        download_info.value.save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text("utf-8"))))
        assert sorted(r["title"] for r in rows) == [
            "Barnen i Ekby bjuds på frukt hela sommaren",
            "Budgeten för 2025 är klar",
            "Snöoväder: kommunens verksamheter stänger tidigt",
        ]
        assert {r["year"] for r in rows} == {"2024"}
        assert violations == []
    finally:
        context.close()


def test_journalist_searches_filters_opens_reads_history_and_subscribes(
    browser, front_site: str
) -> None:
    """A journalist searches a Swedish word on the search page, narrows it to one
    municipality by name, subscribes to the search, opens the release, reads what
    changed between its versions, cites one and subscribes to its change alerts."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    _local_only(page, front_site)
    violations = _csp_violations(page)
    try:
        page.goto(f"{front_site}/")
        page.locator('input[name="q"]').fill("budgeten")
        page.locator('input[name="q"]').press("Enter")
        page.wait_for_url("**q=budgeten*")
        page.locator("summary", has_text="Avgränsa").click()
        page.locator('input[name="kommun"]').fill("Kalmar kommun")
        page.locator('input[name="kommun"]').press("Enter")
        page.wait_for_url("**kommun=*")
        results = page.get_by_role("link", name="Budgeten för 2025 är klar")
        assert results.count() == 1
        search_feed = page.get_by_role("link", name="Prenumerera (Atom)").get_attribute("href")
        assert "q=budgeten" in search_feed and "kommun=" in search_feed
        assert page.request.get(front_site + search_feed).ok
        page.screenshot(path=str(SCREENSHOTS / "journalist-search.png"))
        results.click()

        page.wait_for_selector("h1.release-title")
        assert page.locator("h1.release-title").inner_text() == "Budgeten för 2025 är klar"
        history = page.locator(".release-history")
        assert "Tidigare versioner (2)" in history.inner_text()
        newest_change = history.locator("details.revision").first
        assert newest_change.locator(".diff del").inner_text() == "räddningstjänst."
        assert newest_change.locator(".diff ins").inner_text() == "kollektivtrafik."
        citation = page.locator(".citation").inner_text()
        assert "”Budgeten för 2025 är klar”" in citation and "/version/3" in citation
        page.screenshot(path=str(SCREENSHOTS / "journalist-release.png"), full_page=True)

        feed_link = page.get_by_role("link", name="ändringar (Atom)")
        feed = page.request.get(front_site + feed_link.get_attribute("href"))
        assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(feed.body())
        contents = [
            entry.findtext("{http://www.w3.org/2005/Atom}content") or ""
            for entry in root.findall("{http://www.w3.org/2005/Atom}entry")
        ]
        assert any("<ins>kollektivtrafik.</ins>" in c for c in contents)

        history.locator("summary", has_text="Version 1,").click()
        history.get_by_role("link", name="Läs och citera version 1").click()
        page.wait_for_url("**/version/1")
        assert "Version 1 av 3" in page.locator(".version-banner").inner_text()
        assert "äldreomsorg och skola." in page.locator(".release-body").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "journalist-version.png"), full_page=True)
        assert violations == []
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
