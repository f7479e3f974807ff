"""Source discovery end to end on every scenario of fixtures/discovery (written blind).

For each scenario: ``scraper discover`` from the home page picks the expected
source (or an acceptable one) with the expected status, no decoy wins; then
``--write`` and ``update`` archive every release of the organisation and
nothing from the decoys.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from discovery_scenarios import Scenario, scenarios, serving

from scraper.config import load_config
from scraper.records import HomePage, Settings
from scraper.store import Archive
from scraper.update.crawl import update
from scraper.update.find import discover_sources
from scraper.update.sources_file import write_sources

SETTINGS = Settings(delay=0.0, user_agent="scraper-tests/1 (+https://example.org/tests)")
SCENARIOS = scenarios()


def _bare(url: str) -> str:
    return url.rstrip("/")


def discover(scenario: Scenario, transport):  # type: ignore[no-untyped-def]
    home = HomePage(url=scenario.home, name=scenario.name)
    [found] = discover_sources([home], settings=SETTINGS, transport=transport)
    return found


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_discovery_picks_the_expected_source(scenario: Scenario) -> None:
    with serving(scenario) as (_, transport):
        found = discover(scenario, transport)
    report = json.dumps(
        [(c.url, c.kind, c.content, c.verified, c.score) for c in found.candidates[:6]],
        ensure_ascii=False,
        indent=1,
    )
    assert found.status == scenario.status, report
    assert found.cms == scenario.cms
    choice = found.choice
    if not scenario.answers:
        assert choice is None, report
        return
    assert choice is not None, report
    # The scenarios give newsroom paths a trailing slash only because a folder
    # holds their page (fixtures/discovery/*/NOTES.md): compared without it.
    assert _bare(choice.url) in {_bare(u) for u in scenario.answers}, report
    assert _bare(choice.url) not in {_bare(u) for u in scenario.decoys}
    if scenario.status == "news_only" and "news-only" in scenario.id:
        # The site said so itself: its sentence is the evidence.
        assert any("Vi publicerar inte pressmeddelanden" in e for e in choice.evidence)
    if scenario.platform and choice.kind == "newsroom":
        assert choice.platform == scenario.platform
    assert found.requests <= 30


@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.releases], ids=[s.id for s in SCENARIOS if s.releases]
)
def test_written_source_archives_every_release_and_no_decoy(
    scenario: Scenario, tmp_path: Path
) -> None:
    sources = tmp_path / "sources.toml"
    db = tmp_path / "archive.db"
    with serving(scenario) as (_, transport):
        found = discover(scenario, transport)
        write_sources(sources, [found])
        config = load_config(sources)
        config = type(config)(path=config.path, settings=SETTINGS, sources=config.sources)
        with Archive(db) as archive:
            update(config, archive, transport=transport)
            urls = {row[0] for row in archive.db.execute("SELECT url FROM release_urls").fetchall()}
    missing = set(scenario.releases) - urls
    assert not missing, sorted(missing)
    assert not urls & set(scenario.decoys)
