"""A site whose releases redirect where a crawler must not go (fixtures/hostile/redirects).

Each bad URL costs that URL, never the source; a site is its host *and* port;
a public site cannot send the crawler into the machine's own network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faultserver import Redirect, Respond
from hostile_sites import serve_hostile

from scraper.demo.hosts import LocalHostsTransport
from scraper.errors import FetchError
from scraper.fetch.client import Fetcher
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


def _config(url: str) -> Config:
    source = Source(id="fientlinge", name="Fientlinge kommun", url=url, delay=0.0)
    return Config(path="<test>", settings=SETTINGS, sources=(source,))


def test_bad_redirects_cost_their_url_and_never_the_source(tmp_path: Path) -> None:
    with serve_hostile("redirects") as site, Archive(tmp_path / "a.db") as archive:
        report = update(_config(site.listing_url), archive)
        (result,) = report.sources
        assert result.ok, result.error
        stored = sorted(row["url"] for row in archive.db["releases"].rows)
        assert stored == [site.url(path) for path in site.expected["releases"]]
        rows = {
            row["url"]: row
            for row in archive.db.query(
                "select url, outcome, error from fetches where purpose = 'release'"
            )
        }
        for path, reason in site.expected["failed"].items():
            row = rows[site.url(path)]
            assert row["outcome"] == "failed", row
            assert reason in row["error"], row
        assert site.other.count() == site.expected["other"]["requests"]
        assert result.failed == len(site.expected["failed"])


async def test_a_public_site_cannot_redirect_into_the_local_network() -> None:
    """The home page of a site on a public name (discovery: off-site redirects
    allowed) redirects to 127.0.0.1: refused before any request goes there."""
    with serve_hostile("redirects") as site:
        transport = LocalHostsTransport({"www.fientlinge.test": ("127.0.0.1", site.server.port)})
        async with Fetcher(SETTINGS, transport=transport) as fetcher:
            with pytest.raises(FetchError, match="refused: 127.0.0.1 is not a public address"):
                await fetcher.fetch("http://www.fientlinge.test/", off_site=True)
        assert site.server.count("/nyheter/") == 0


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::ffff:192.168.0.1]/",
        "http://[fe80::1]/",
        "http://2130706433/",  # 127.0.0.1 as the resolver reads it
        "http://127.1/",
        "http://intranet.localhost/",
    ],
)
async def test_internal_addresses_in_any_spelling_are_refused(location: str) -> None:
    with serve_hostile("redirects") as site:
        site.server.route("/flytt/", Redirect(302, location))
        transport = LocalHostsTransport({"www.fientlinge.test": ("127.0.0.1", site.server.port)})
        async with Fetcher(SETTINGS, transport=transport) as fetcher:
            with pytest.raises(FetchError, match="is not a public address"):
                await fetcher.fetch("http://www.fientlinge.test/flytt/", off_site=True)


async def test_a_site_on_a_local_address_may_redirect_within_it() -> None:
    """The source itself on loopback (as every fixture site is): loopback targets stay allowed."""
    with serve_hostile("redirects") as site:
        site.server.route("/flytt/", Redirect(302, site.url("/nyheter/budget-2025/")))
        async with Fetcher(SETTINGS) as fetcher:
            page = await fetcher.fetch(site.url("/flytt/"), site=site.listing_url)
        assert page.final_url == site.url("/nyheter/budget-2025/")


async def test_a_redirect_to_another_port_is_another_site() -> None:
    with serve_hostile("redirects") as site:
        site.other.route("/nyheter/falsk/", Respond(200, "<h1>Falsk</h1>"))
        async with Fetcher(SETTINGS) as fetcher:
            with pytest.raises(FetchError, match="redirected off-site"):
                await fetcher.fetch(site.url("/nyheter/annan-port/"), site=site.listing_url)
        assert site.other.count() == 0
