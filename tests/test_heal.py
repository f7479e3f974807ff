"""Sources that heal: a listing that stopped working sends discovery back to the home page."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from discovery_scenarios import Scenario, scenarios, serving

from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update
from scraper.update.status import format_status

SCENARIO = next(s for s in scenarios() if s.id == "sitevision-two-clicks")


def config(scenario: Scenario, url: str, *, heal: str) -> Config:
    source = Source(id="tallasa", name=scenario.name, url=url, delay=0.0)
    return Config(path="<test>", settings=Settings(delay=0.0, heal=heal), sources=(source,))


def origin(scenario: Scenario) -> str:
    return scenario.home.rstrip("/")


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        ("/kommun-och-politik/press/gamla-pressmeddelanden.html", "answers HTTP 404"),
        ("/om-webbplatsen.html", "no release links 2 runs running"),
    ],
)
def test_a_broken_listing_gets_a_proposal_with_evidence(
    tmp_path: Path, broken: str, why: str
) -> None:
    with serving(SCENARIO) as (_, transport), Archive(tmp_path / "a.db") as archive:
        for _ in range(3):  # broken every run, asked again at most once a week
            update(
                config(SCENARIO, origin(SCENARIO) + broken, heal="propose"),
                archive,
                transport=transport,
            )
        status = format_status(archive.source_status())
        events = [r[0] for r in archive.db.execute("SELECT event FROM source_events")]
        assert archive.release_count() == 0  # proposed, not switched
    assert f"PROPOSAL:      {SCENARIO.source}" in status
    assert why in status
    assert events.count("listing broken") == 1 and events.count("proposed") == 1


def test_heal_switch_crawls_the_source_found_and_records_the_switch(tmp_path: Path) -> None:
    broken = origin(SCENARIO) + "/kommun-och-politik/press/gamla-pressmeddelanden.html"
    with serving(SCENARIO) as (_, transport), Archive(tmp_path / "a.db") as archive:
        first = update(config(SCENARIO, broken, heal="switch"), archive, transport=transport)
        assert not first.ok  # this run's listing failed ...
        second = update(config(SCENARIO, broken, heal="switch"), archive, transport=transport)
        assert second.ok  # ... the next one crawls what discovery found
        urls = {r[0] for r in archive.db.execute("SELECT url FROM release_urls")}
        events = [r[0] for r in archive.db.execute("SELECT event FROM source_events")]
        status = format_status(archive.source_status())
    assert set(SCENARIO.releases) <= urls
    assert events.count("switched") == 1
    assert f"SWITCHED:      now crawled at {SCENARIO.source}" in status


def test_a_listing_that_redirects_to_the_home_page_is_broken_at_once(tmp_path: Path) -> None:
    root = tmp_path / "scenario"
    shutil.copytree(SCENARIO.root, root)
    host = root / "hosts" / "www.tallasa.se"
    (host / "_redirects").write_text("/kommun-och-politik/press/arkiv.html / 301\n", "utf-8")
    moved = replace(SCENARIO, root=root)
    with serving(moved) as (_, transport), Archive(tmp_path / "a.db") as archive:
        url = origin(moved) + "/kommun-och-politik/press/arkiv.html"
        update(config(moved, url, heal="propose"), archive, transport=transport)
        status = format_status(archive.source_status())
    assert "the listing redirects to the home page" in status
    assert f"PROPOSAL:      {SCENARIO.source}" in status
