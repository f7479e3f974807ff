"""The registry of municipalities and regions: shipped, in the archive, joined to releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import parse_config
from scraper.errors import ConfigError
from scraper.records import Release, Source
from scraper.registry import COUNTIES, load_registry, organisation_by_id
from scraper.serve.app import make_datasette
from scraper.store import Archive


def test_the_registry_has_every_municipality_and_region() -> None:
    registry = load_registry()
    municipalities = [o for o in registry if o.kind == "kommun"]
    regions = [o for o in registry if o.kind == "region"]
    assert (len(municipalities), len(regions)) == (290, 21)
    assert len({o.id for o in registry}) == 311
    # kommunkod as text, its county part the county code, every county named.
    assert all(o.id == o.kommunkod and o.id[:2] == o.county_code for o in municipalities)
    assert {o.county_code for o in regions} == set(COUNTIES)
    assert sum(o.population or 0 for o in municipalities) == 10_587_710  # SCB, 31 Dec 2024
    vastervik = organisation_by_id("0883")
    assert vastervik and vastervik.name == "Västerviks kommun" and vastervik.county == "Kalmar län"
    assert organisation_by_id("R14").name == "Västra Götalandsregionen"  # type: ignore[union-attr]


def test_a_source_names_its_organisation_and_an_unknown_one_is_a_clear_error() -> None:
    text = '[[source]]\nid = "v"\nname = "V"\nurl = "https://www.v.se/"\norganisation = "{}"\n'
    assert parse_config(text.format("0883"), path="s.toml").sources[0].organisation == "0883"
    with pytest.raises(ConfigError) as caught:
        parse_config(text.format("883"), path="s.toml")
    assert "s.toml:5" in str(caught.value) and "organisation" in str(caught.value)


async def test_releases_per_capita_join_on_kommunkod(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        count = archive.db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0]
        assert count == 311
        source = Source(id="vastervik", name="Västervik", url="https://x.se/", organisation="0883")
        archive.sync_sources([source])
        for day in (1, 2, 3):
            release = Release(
                url=f"https://x.se/{day}",
                canonical_url=f"https://x.se/{day}",
                title=f"Nyhet {day}",
                kind="Nyhet",
                published=f"2026-11-0{day}",
                published_source="meta",
                updated=None,
                updated_source=None,
                lead=None,
                body="Text.",
                language="sv",
            )
            archive.save_release(
                release, source="vastervik", page_id=None, extractor_version="t", now="2026-12-01"
            )
    ds = make_datasette(db)
    rows = (
        await ds.client.get(f"/{db.stem}/per_capita.json?county=Kalmar+län&_shape=objects")
    ).json()["rows"]
    population = organisation_by_id("0883").population  # type: ignore[union-attr]
    assert rows == [
        {
            "organisation": "Västerviks kommun",
            "kommunkod": "0883",
            "county": "Kalmar län",
            "year": 2026,
            "releases": 3,
            "population": population,
            "per_10000_inhabitants": round(30000 / population, 2),
        }
    ]


async def test_releases_by_organisation_and_county_as_rows_search_and_feed(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        for sid, org in (("vastervik", "0883"), ("vastervik-nyheter", "0883"), ("ale", "1440")):
            archive.sync_sources(
                [Source(id=sid, name=sid, url=f"https://{sid}.se/", organisation=org)]
            )
            release = Release(
                url=f"https://{sid}.se/1",
                canonical_url=f"https://{sid}.se/1",
                title=f"Nyhet från {sid}",
                kind="Nyhet",
                published="2026-11-01",
                published_source="meta",
                updated=None,
                updated_source=None,
                lead=None,
                body="Text.",
                language="sv",
            )
            archive.save_release(
                release, source=sid, page_id=None, extractor_version="t", now="2026-12-01"
            )
    ds = make_datasette(db)

    async def rows(path: str) -> list[dict]:
        response = await ds.client.get(f"/{db.stem}/{path}&_shape=objects")
        return response.json()["rows"]

    by_org = await rows("organisation.json?organisation=0883&county=")
    assert sorted(r["url"] for r in by_org) == [
        "https://vastervik-nyheter.se/1",
        "https://vastervik.se/1",
    ]
    assert {r["organisation"] for r in await rows("organisation.json?organisation=&county=14")} == {
        "Ale kommun"
    }
    found = await rows("search.json?q=nyhet&source=&from=&to=&county=Kalmar+län")
    assert len(found) == 2
    feed = await ds.client.get(f"/{db.stem}/organisation.atom?organisation=&county=08")
    assert feed.status_code == 200 and feed.text.count("<entry>") == 2
