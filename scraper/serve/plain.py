"""A plain ``datasette archive.db`` served as ``scraper serve`` serves it.

With the package installed, Datasette loads ``scraper.serve.plugin`` through
its entry point but knows nothing else: no metadata (so no canned queries, no
Swedish ``_search``, no descriptions), no template folder, no static files.
The plugin's hooks call in here:

- ``get_metadata``: ``build_metadata(name)`` for every served database that is
  an archive (it has ``releases``, ``releases_fts`` and ``sources``), unless
  metadata was given (``scraper serve`` gives its own);
- ``prepare_jinja2_environment``: the package's templates (the release page,
  the stored raw page) ahead of Datasette's defaults;
- ``STATIC_ROUTE``: the package's CSS at the same path ``scraper serve`` mounts it.

What still differs is listed in the README ("Plain Datasette").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from datasette.utils.asgi import asgi_static

from .metadata import FastCopy, build_metadata

__all__ = ["STATIC_ROUTE", "add_templates", "archive_metadata", "is_archive_file"]

PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
#: The mount ``scraper.serve.app`` gives the static files (plugin.STATIC_MOUNT).
STATIC_ROUTE = (r"^/scraper-static/(?P<path>.*)$", asgi_static(str(STATIC_DIR)))

_ARCHIVE_TABLES = frozenset({"releases", "releases_fts", "sources"})


def is_archive_file(path: str | Path) -> bool:
    """True when the SQLite file at ``path`` holds an archive's tables (opened read-only)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return names >= _ARCHIVE_TABLES


def _archives(datasette: Any) -> list[str]:
    """Names of the served databases that are archives (looked at once per database)."""
    seen: dict[str, bool] = datasette.__dict__.setdefault("_scraper_archives", {})
    for name, db in list(datasette.databases.items()):
        if name not in seen:
            seen[name] = bool(db.path) and not db.is_memory and is_archive_file(db.path)
    return [name for name, is_archive in seen.items() if is_archive]


def archive_metadata(datasette: Any) -> dict[str, Any]:
    """The archive's metadata for each archive a plain Datasette serves; {} when metadata
    came with the instance (``scraper serve``, ``--metadata``) and names the plugin."""
    local = getattr(datasette, "_metadata_local", None) or {}
    if "scraper" in (local.get("plugins") or {}):
        return {}
    names = _archives(datasette)
    if not names:
        return {}
    # Datasette asks for metadata many times a page: build it once per set of archives.
    cache: dict[tuple[str, ...], dict[str, Any]] = datasette.__dict__.setdefault(
        "_scraper_metadata", {}
    )
    key = tuple(names)
    if key not in cache:
        cache[key] = _build(names)
    return cache[key]


def _build(names: list[str]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in names:
        metadata = build_metadata(name)
        if not merged:
            merged = metadata
        else:
            merged["databases"].update(metadata["databases"])
            merged["plugins"]["scraper"]["databases"].append(name)
    return FastCopy(merged)


def add_templates(env: Any) -> None:
    """Put the package's templates after any ``--template-dir`` and before the defaults."""
    loaders = getattr(env.loader, "loaders", None)
    searchpath = getattr(loaders[0], "searchpath", None) if loaders else None
    if searchpath is None or str(TEMPLATE_DIR) in searchpath:
        return
    searchpath.insert(max(len(searchpath) - 1, 0), str(TEMPLATE_DIR))
