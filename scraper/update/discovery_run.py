"""``scraper discover`` as a library call: which homes, where the findings go, how they read.

Home pages given by URL are matched to the registry (by domain) to know the
organisation's name; ``--all`` takes every municipality and region, skipping
those already discovered unless asked again, and keeps each finding in the
archive as soon as it is made, so that a run stopped half-way resumes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.config import load_config
from scraper.records import Discovery, HomePage, Settings
from scraper.registry import load_registry
from scraper.store import Archive
from scraper.timestamps import utc_now

from .find import DEFAULT_BUDGET, discover_sources
from .sources_file import bare_host, write_sources

__all__ = [
    "DiscoveryOptions",
    "DiscoveryOutcome",
    "discovery_json",
    "discovery_summary",
    "home_pages",
    "run_discovery_command",
]


@dataclass(frozen=True)
class DiscoveryOptions:
    """What ``scraper discover`` was asked to do."""

    homes: tuple[str, ...] = ()
    #: The whole registry.
    everything: bool = False
    #: With ``everything``: organisations discovered before too.
    again: bool = False
    sources_path: Path = Path("sources.toml")
    #: Write the choices into ``sources_path``.
    write: bool = False
    #: Keep the findings in this archive (None: nowhere).
    db_path: Path | None = None
    budget: int = DEFAULT_BUDGET
    concurrency: int | None = None


@dataclass(frozen=True)
class DiscoveryOutcome:
    discoveries: tuple[Discovery, ...]
    #: What ``write`` changed in the sources file, one line each.
    changes: tuple[str, ...] = ()


def home_pages(urls: tuple[str, ...], *, everything: bool, skip: set[str]) -> list[HomePage]:
    """The home pages to discover: those named (with their organisation when the
    registry knows the domain) or the whole registry minus ``skip``."""
    registry = load_registry()
    if everything:
        return [
            HomePage(url=o.homepage, name=o.name, organisation=o.id)
            for o in registry
            if o.id not in skip
        ]
    by_domain = {}
    for org in registry:
        by_domain.setdefault(org.domain, org)  # Gotland: the municipality first
    found = []
    for url in urls:
        full = url if "//" in url else f"https://{url}"
        org = by_domain.get(bare_host(full))
        found.append(
            HomePage(url=full, name=org.name if org else None, organisation=org.id if org else None)
        )
    return found


def run_discovery_command(
    options: DiscoveryOptions, *, progress: Callable[[Discovery], None] | None = None
) -> DiscoveryOutcome:
    """Discover, keep the findings, write the sources file; returns what was found."""
    settings = Settings()
    if options.sources_path.exists():
        settings = load_config(options.sources_path).settings
    if options.concurrency:
        settings = Settings(**{**settings.__dict__, "concurrency": options.concurrency})
    archive = Archive(options.db_path) if options.db_path else None
    try:
        skip = set()
        if archive is not None and options.everything and not options.again:
            skip = archive.discovered_organisations()
        homes = home_pages(options.homes, everything=options.everything, skip=skip)

        def done(found: Discovery) -> None:
            if archive is not None:
                archive.save_discovery(found, now=utc_now())
            if progress is not None:
                progress(found)

        discoveries = discover_sources(
            homes, settings=settings, budget=options.budget, progress=done
        )
    finally:
        if archive is not None:
            archive.close()
    changes: list[str] = []
    if options.write:
        changes = write_sources(options.sources_path, discoveries, today=utc_now()[:10])
    return DiscoveryOutcome(discoveries=tuple(discoveries), changes=tuple(changes))


def discovery_json(found: Discovery) -> dict[str, Any]:
    """The JSON object ``scraper discover --json`` prints for one home page."""
    return {
        "home": found.home,
        "final_home": found.final_home,
        "organisation": found.organisation,
        "name": found.name,
        "cms": found.cms,
        "status": found.status,
        "requests": found.requests,
        "error": found.error,
        "candidates": [
            {
                "url": c.url,
                "kind": c.kind,
                "platform": c.platform or None,
                "label": c.label,
                "score": round(c.score, 2),
                "verified": c.verified,
                "content": c.content,
                "evidence": list(c.evidence),
                "releases_seen": c.releases_seen,
            }
            for c in found.candidates
        ],
    }


def discovery_summary(found: Discovery) -> str:
    """A few lines for a person: the status, the choice and its runners-up."""
    who = f"{found.name} ({found.home})" if found.name else found.home
    lines = [f"{who}: {found.status}" + (f", {found.cms}" if found.cms != "unknown" else "")]
    if found.error:
        lines.append(f"  unreachable: {found.error}")
    choice = found.choice
    if choice is not None:
        platform = f" {choice.platform}" if choice.platform else ""
        lines.append(
            f"  choice: {choice.url} ({choice.kind}{platform}, {choice.content}, "
            f"{choice.releases_seen} releases seen)"
        )
    for cand in [c for c in found.candidates if c is not choice][:3]:
        mark = "verified" if cand.verified else "not verified"
        lines.append(f"  also:   {cand.url} ({cand.kind}, {cand.content}, {mark})")
    lines.append(f"  {found.requests} requests")
    return "\n".join(lines)
