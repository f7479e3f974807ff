"""``scraper discover``: JSON Lines, the registry, and a sources file written without
losing what a person wrote in it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from discovery_scenarios import scenarios, serving

import scraper.update.discovery_run as discovery_run
from scraper.cli import cli
from scraper.config import load_config
from scraper.demo.hosts import LocalHostsTransport
from scraper.records import Discovery, SourceCandidate
from scraper.store import Archive
from scraper.update.discovery_run import home_pages
from scraper.update.sources_file import source_id_for, write_sources

HAND_WRITTEN = """\
# Our sources. Keep this comment.
[settings]
delay = 2.0   # be gentle

[[source]]
id = "vastervik"   # the first one we added
name = "Västerviks kommun"
url = "https://www.vastervik.se/gammal-lista/"
organisation = "0883"
"""


def found(organisation: str | None, name: str, url: str, kind: str = "listing") -> Discovery:
    choice = SourceCandidate(
        url=url,
        kind=kind,
        label="Pressmeddelanden",
        verified=True,
        content="press",
        releases_seen=10,
    )
    return Discovery(
        home="https://www.x.se/",
        final_home="https://www.x.se/",
        cms="sitevision",
        status="press",
        candidates=(choice,),
        organisation=organisation,
        name=name,
    )


def test_home_pages_come_with_their_organisation_from_the_registry() -> None:
    [home] = home_pages(("https://www.vastervik.se/",), everything=False, skip=set())
    assert (home.name, home.organisation) == ("Västerviks kommun", "0883")
    [unknown] = home_pages(("www.example.org",), everything=False, skip=set())
    assert unknown.url == "https://www.example.org" and unknown.organisation is None
    everything = home_pages((), everything=True, skip={"0883"})
    assert len(everything) == 310 and all(h.organisation != "0883" for h in everything)


def test_writing_keeps_hand_edits_updates_the_url_and_adds_new_entries(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    changes = write_sources(
        path,
        [
            found("0883", "Västerviks kommun", "https://www.vastervik.se/pressmeddelanden/"),
            found("0884", "Vimmerby kommun", "https://www.vimmerby.se/press/"),
            Discovery(
                home="https://www.y.se/", final_home=None, cms="unknown", status="unreachable"
            ),
        ],
        today="2026-12-06",
    )
    text = path.read_text("utf-8")
    assert text.startswith(
        "# Our sources. Keep this comment.\n[settings]\ndelay = 2.0   # be gentle"
    )
    assert 'id = "vastervik"   # the first one we added' in text
    assert "# discover 2026-12-06: was https://www.vastervik.se/gammal-lista/" in text
    assert "# found by scraper discover 2026-12-06 from https://www.x.se/: listing" in text
    config = load_config(path)
    assert [(s.id, s.url, s.organisation) for s in config.sources] == [
        ("vastervik", "https://www.vastervik.se/pressmeddelanden/", "0883"),
        ("vimmerby-kommun", "https://www.vimmerby.se/press/", "0884"),
    ]
    assert config.settings.delay == 2.0
    assert len(changes) == 2
    # Again: nothing to change, nothing added twice.
    assert (
        write_sources(path, [found("0884", "Vimmerby kommun", "https://www.vimmerby.se/press/")])
        == []
    )
    assert len(load_config(path).sources) == 2


def test_source_ids_are_valid_config_ids() -> None:
    assert source_id_for("Västerviks kommun") == "vasterviks-kommun"
    assert source_id_for("Region Jämtland Härjedalen") == "region-jamtland-harjedalen"


def test_discover_prints_json_lines_keeps_findings_and_writes_sources(
    tmp_path: Path, monkeypatch
) -> None:
    scenario = next(s for s in scenarios() if s.id == "footer-mynewsdesk")
    sources = tmp_path / "sources.toml"
    db = tmp_path / "archive.db"
    with serving(scenario) as (_, transport):
        real = discovery_run.discover_sources

        def through_local_sites(homes, **kwargs):  # type: ignore[no-untyped-def]
            return real(homes, **{**kwargs, "transport": transport})

        monkeypatch.setattr(discovery_run, "discover_sources", through_local_sites)
        result = CliRunner().invoke(
            cli,
            [
                "discover",
                scenario.home,
                "--json",
                "--sources",
                str(sources),
                "--write",
                "--db",
                str(db),
            ],
        )
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith("{")]
    data = json.loads(line)
    assert set(data) >= {"home", "final_home", "cms", "status", "candidates"}
    assert data["status"] == "press" and data["cms"] == "episerver"
    first = data["candidates"][0]
    assert set(first) >= {
        "url",
        "kind",
        "platform",
        "label",
        "score",
        "verified",
        "evidence",
        "releases_seen",
    }
    assert first["verified"] and first["kind"] == "newsroom" and first["platform"] == "mynewsdesk"
    assert load_config(sources).sources[0].url == first["url"]
    with Archive(db) as archive:
        row = archive.db.execute("SELECT status, source_kind FROM discoveries").fetchone()
    assert row == ("press", "newsroom")


def test_no_home_page_answering_is_said_once_and_exits_5(tmp_path: Path, monkeypatch) -> None:
    real = discovery_run.discover_sources

    def nowhere(homes, **kwargs):  # type: ignore[no-untyped-def]
        return real(homes, **{**kwargs, "transport": LocalHostsTransport({})})

    monkeypatch.setattr(discovery_run, "discover_sources", nowhere)
    result = CliRunner().invoke(
        cli,
        [
            "discover",
            "https://www.vastervik.se/",
            "https://www.ale.se/",
            "--sources",
            str(tmp_path / "none.toml"),
        ],
    )
    assert result.exit_code == 5
    assert "network unreachable: no home page answered (2)" in result.stderr
    assert "cannot resolve host www.vastervik.se (DNS)" in result.stdout
