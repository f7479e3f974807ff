"""Archive Swedish municipal press releases: crawl, strip boilerplate, store, serve.

The library API; the ``scraper`` command (``scraper.cli``) is a thin layer over it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EXTRACTOR_VERSION",
    "Archive",
    "Attachment",
    "Config",
    "ConfigError",
    "Discovery",
    "ExtractError",
    "FetchError",
    "Fetcher",
    "HomePage",
    "Image",
    "Interrupted",
    "Listing",
    "ListingEntry",
    "LockedError",
    "Organisation",
    "Page",
    "RefetchSchedule",
    "Release",
    "RobotsDisallowed",
    "RunReport",
    "ScraperError",
    "Settings",
    "SiteTemplate",
    "Source",
    "SourceReport",
    "StorageError",
    "body_text",
    "discover_listing",
    "discover_sources",
    "extract_release",
    "learn_template",
    "load_config",
    "load_registry",
    "parse_config",
    "reprocess",
    "run_update",
    "update",
]

# Names are imported on first use (PEP 562), so that `import scraper` stays cheap
# and the CLI starts fast; the mapping says which module holds each name.
_EXPORTS = {
    "Archive": "store",
    "Attachment": "records",
    "Config": "records",
    "ConfigError": "errors",
    "Discovery": "records",
    "EXTRACTOR_VERSION": "extract",
    "ExtractError": "errors",
    "FetchError": "errors",
    "Fetcher": "fetch",
    "HomePage": "records",
    "Image": "records",
    "Interrupted": "errors",
    "Listing": "records",
    "ListingEntry": "records",
    "LockedError": "errors",
    "Organisation": "records",
    "Page": "records",
    "RefetchSchedule": "records",
    "Release": "records",
    "RobotsDisallowed": "errors",
    "RunReport": "update",
    "ScraperError": "errors",
    "Settings": "records",
    "SiteTemplate": "records",
    "Source": "records",
    "SourceReport": "records",
    "StorageError": "errors",
    "body_text": "extract",
    "discover_listing": "discover",
    "discover_sources": "update",
    "extract_release": "extract",
    "learn_template": "extract",
    "load_config": "config",
    "load_registry": "registry",
    "parse_config": "config",
    "reprocess": "update",
    "run_update": "update",
    "update": "update",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
