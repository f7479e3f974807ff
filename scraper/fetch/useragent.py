"""Who we say we are: the User-Agent every request carries (trafilatura's USER_AGENTS)."""

from __future__ import annotations

from importlib import metadata

from scraper.records import Settings

__all__ = ["CONTACT_URL", "user_agent"]

#: Where a site owner can read who we are; used unless the package metadata
#: names a Homepage. Replace with the project's real page before running.
CONTACT_URL = "https://example.org/scraper"


def user_agent(settings: Settings) -> str:
    """Return ``settings.user_agent`` or, when empty, ``scraper/<version> (+<contact>)``."""
    if settings.user_agent:
        return settings.user_agent
    try:
        version = metadata.version("scraper")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"scraper/{version} (+{_contact_url()})"


def _contact_url() -> str:
    try:
        urls = metadata.metadata("scraper").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip()
    return CONTACT_URL
