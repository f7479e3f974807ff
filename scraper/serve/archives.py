"""Which served databases are archives: the names in the plugin's configuration.

``make_datasette`` (and, for a plain ``datasette archive.db``, ``scraper.serve.plain``)
lists the archives under ``plugins.scraper.databases``; every hook and route of
the plugin asks here, so that none serves or hardens a database that is not one.
This module imports nothing of the package, so any serving module may use it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PLUGIN", "archive_names", "first_archive", "is_archive"]

PLUGIN = "scraper"


def archive_names(datasette: Any) -> list[str]:
    """The names of the databases served as archives, in configuration order."""
    return list((datasette.plugin_config(PLUGIN) or {}).get("databases") or [])


def is_archive(datasette: Any, database: str | None) -> bool:
    """True when ``database`` is an archive this plugin serves."""
    return database is not None and database in archive_names(datasette)


def first_archive(datasette: Any) -> str | None:
    """The archive the site-wide pages (search, municipalities) show, or None."""
    return next((name for name in archive_names(datasette) if name in datasette.databases), None)
