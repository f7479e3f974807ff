"""Shared fixtures: the saved sites served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.demo.sites import SiteServer, serve_sites

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "fixtures" / "sites"


def site_dirs(*, holdout: bool | None = None) -> list[Path]:
    """Fixture site folders (optionally only holdout / only non-holdout ones)."""
    import tomllib

    found = []
    for path in sorted(SITES.iterdir()) if SITES.is_dir() else []:
        if not (path / "site.toml").is_file():
            continue
        is_holdout = tomllib.loads((path / "site.toml").read_text("utf-8")).get("holdout", False)
        if holdout is None or holdout == is_holdout:
            found.append(path)
    return found


@pytest.fixture
def sites_copy(tmp_path: Path) -> Path:
    """A private copy of fixtures/sites that a test may mutate."""
    target = tmp_path / "sites"
    shutil.copytree(SITES, target)
    return target


@pytest.fixture
def served_sites() -> Iterator[list[SiteServer]]:
    """Every fixture site served on its own port; stopped after the test."""
    servers = serve_sites(SITES)
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()
