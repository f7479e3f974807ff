"""The offline demo: crawl the saved fixture sites, served on 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import Progress, RunReport, update

from .hosts import LocalHostsTransport
from .sites import SiteServer, serve_sites

__all__ = ["DemoResult", "default_sites_dir", "fixture_config", "run_demo", "stable_transport"]


def default_sites_dir() -> Path:
    """``fixtures/sites`` of the source checkout this package runs from."""
    return Path(__file__).resolve().parents[2] / "fixtures" / "sites"


def fixture_config(servers: list[SiteServer], *, stable_hosts: bool = False) -> Config:
    """A configuration with one source per served site, without delay.

    With ``stable_hosts`` each listing is at its site's stable host name (crawl
    with ``stable_transport``), so that every run sees the same URLs.
    """
    sources = tuple(
        Source(
            id=server.info.id,
            name=server.info.name,
            url=server.stable_listing_url if stable_hosts else server.listing_url,
            delay=0.0,
            default_kind=server.info.default_kind,
            verified=True,
        )
        for server in servers
    )
    return Config(path="<fixtures>", settings=Settings(delay=0.0), sources=sources)


def stable_transport(servers: list[SiteServer]) -> LocalHostsTransport:
    """Sends requests for the sites' stable host names to their servers."""
    return LocalHostsTransport({server.info.host: server.address for server in servers})


@dataclass(frozen=True)
class DemoResult:
    report: RunReport
    seconds: float
    releases: int
    expected: int


def run_demo(
    db_path: str | Path, *, sites_dir: Path | None = None, progress: Progress | None = None
) -> DemoResult:
    """Serve every fixture site, crawl them all into ``db_path``, stop the servers."""
    sites_dir = sites_dir or default_sites_dir()
    if not sites_dir.is_dir():
        raise FileNotFoundError(f"no fixture sites at {sites_dir}")
    servers = serve_sites(sites_dir)
    try:
        # Stable host names: a second demo run finds the same releases, not new ones.
        config = fixture_config(servers, stable_hosts=True)
        started = time.perf_counter()
        with Archive(db_path) as archive:
            archive.lock()
            kwargs = {"progress": progress} if progress else {}
            report = update(config, archive, transport=stable_transport(servers), **kwargs)
            releases = archive.release_count()
        seconds = time.perf_counter() - started
    finally:
        for server in servers:
            server.stop()
    expected = sum(server.info.releases for server in servers)
    return DemoResult(report=report, seconds=seconds, releases=releases, expected=expected)
