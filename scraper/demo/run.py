"""The offline demo: crawl the saved fixture sites, served on 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from scraper.records import Config, Discovery, HomePage, Settings, Source
from scraper.store import Archive
from scraper.timestamps import utc_now
from scraper.update.crawl import Progress, RunReport, update
from scraper.update.find import discover_sources

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
    #: What discovery found from each site's home page, in the order of the sites.
    discoveries: tuple[Discovery, ...] = ()
    #: Sites whose source discovery did not find: crawled at the listing site.toml names.
    fallbacks: tuple[str, ...] = ()


def discovered_config(
    servers: list[SiteServer], discoveries: list[Discovery]
) -> tuple[Config, tuple[str, ...]]:
    """One source per site at what discovery chose (or the listing site.toml names)."""
    sources, fallbacks = [], []
    for server, found in zip(servers, discoveries, strict=True):
        choice = found.choice
        if choice is None:
            fallbacks.append(server.info.id)
        sources.append(
            Source(
                id=server.info.id,
                name=server.info.name,
                url=choice.url if choice else server.stable_listing_url,
                delay=0.0,
                default_kind=server.info.default_kind,
                verified=True,
                path_prefix=(choice.path_prefix or None) if choice else None,
            )
        )
    config = Config(path="<fixtures>", settings=Settings(delay=0.0), sources=tuple(sources))
    return config, tuple(fallbacks)


def run_demo(
    db_path: str | Path, *, sites_dir: Path | None = None, progress: Progress | None = None
) -> DemoResult:
    """Serve every fixture site, find each one's releases from its home page, crawl
    them all into ``db_path``, stop the servers."""
    sites_dir = sites_dir or default_sites_dir()
    if not sites_dir.is_dir():
        raise FileNotFoundError(f"no fixture sites at {sites_dir}")
    servers = serve_sites(sites_dir)
    try:
        # Stable host names: a second demo run finds the same releases, not new ones.
        transport = stable_transport(servers)
        started = time.perf_counter()
        homes = [
            HomePage(url=f"http://{s.info.host}{s.info.home}", name=s.info.name) for s in servers
        ]
        discoveries = discover_sources(homes, settings=Settings(delay=0.0), transport=transport)
        config, fallbacks = discovered_config(servers, discoveries)
        with Archive(db_path) as archive:
            archive.lock()
            for found in discoveries:
                archive.save_discovery(found, now=utc_now())
            kwargs = {"progress": progress} if progress else {}
            report = update(config, archive, transport=transport, **kwargs)
            releases = archive.release_count()
        seconds = time.perf_counter() - started
    finally:
        for server in servers:
            server.stop()
    expected = sum(server.info.releases for server in servers)
    return DemoResult(
        report=report,
        seconds=seconds,
        releases=releases,
        expected=expected,
        discoveries=tuple(discoveries),
        fallbacks=fallbacks,
    )
