"""The discovery scenarios of fixtures/discovery: each a set of hosts with a hand-written answer.

Each scenario's hosts are served on 127.0.0.1 and reached by their names
through ``LocalHostsTransport`` (see fixtures/discovery/*/NOTES.md; the
scenarios were written blind, by someone who never saw the discovery code).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scraper.demo.hosts import LocalHostsTransport
from scraper.demo.run import stable_transport
from scraper.demo.sites import SiteServer, serve_hosts

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "discovery"


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    home: str
    cms: str
    status: str
    source: str
    source_kind: str
    platform: str
    acceptable: tuple[str, ...]
    releases: tuple[str, ...]
    decoys: tuple[str, ...]
    root: Path

    @property
    def answers(self) -> set[str]:
        """Every URL that is a right choice."""
        return {self.source, *self.acceptable} - {""}


def load_scenario(path: Path) -> Scenario:
    data = tomllib.loads((path / "scenario.toml").read_text("utf-8"))
    expected = data["expected"]
    return Scenario(
        id=path.name,
        name=data["name"],
        home=data["home"],
        cms=data.get("cms", ""),
        status=expected["status"],
        source=expected.get("source", ""),
        source_kind=expected.get("source_kind", ""),
        platform=expected.get("platform", ""),
        acceptable=tuple(expected.get("acceptable", [])),
        releases=tuple(expected.get("releases", [])),
        decoys=tuple(expected.get("decoys", [])),
        root=path,
    )


def scenarios() -> list[Scenario]:
    if not ROOT.is_dir():
        return []
    return [load_scenario(p) for p in sorted(ROOT.iterdir()) if (p / "scenario.toml").is_file()]


@contextmanager
def serving(scenario: Scenario) -> Iterator[tuple[list[SiteServer], LocalHostsTransport]]:
    """The scenario's hosts served, and a transport that reaches them by name."""
    servers = serve_hosts(scenario.root / "hosts")
    try:
        yield servers, stable_transport(servers)
    finally:
        for server in servers:
            server.stop()
