"""Re-extraction from stored raw pages: no network, no revisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from scraper.discover.urls import trusted_canonical
from scraper.errors import ExtractError
from scraper.extract.release import EXTRACTOR_VERSION, extract_release
from scraper.extract.template import learn_template
from scraper.records import Config, SiteTemplate, Source
from scraper.store import Archive, SaveOutcome
from scraper.timestamps import utc_now

__all__ = ["reextract_page", "reprocess"]

#: Stored pages of a source its template is re-learned from at most.
TEMPLATE_SAMPLE = 300


def reextract_page(
    archive: Archive,
    *,
    source_id: str,
    page_id: int,
    template: SiteTemplate | None,
    source: Source | None,
    now: str,
) -> SaveOutcome | None:
    """Run a stored raw page through the current extractor and update its release in place.

    A different result is an update of the release, not a revision of the
    publication. Returns the outcome, or None when the page no longer yields
    a release (the stored release is then left as it was).
    """
    final_url, html = archive.page_html(page_id)
    fetched_url = archive.page_url(page_id)
    hint = archive.hint(fetched_url, final_url)
    try:
        release = extract_release(html, final_url, template=template, source=source, hint=hint)
    except ExtractError:
        return None
    except Exception:  # an extractor bug on one page leaves its stored release as it was
        return None
    listing = source.url if source else final_url
    release = replace(
        release,
        url=fetched_url,
        canonical_url=trusted_canonical(release.canonical_url, final_url, listing),
    )
    _, outcome = archive.save_release(
        release,
        source=source_id,
        page_id=page_id,
        extractor_version=EXTRACTOR_VERSION,
        now=now,
        revise=False,
        seen=False,
        template_hash=template.fingerprint if template is not None else None,
    )
    return outcome


def reprocess(
    config: Config | None,
    archive: Archive,
    *,
    source_id: str | None = None,
    since: str | None = None,
    now: Callable[[], str] = utc_now,
) -> dict[str, int]:
    """Re-extract releases from their stored raw pages with the current extractor.

    Makes no request. Each source's template is learned again from its stored
    pages first, so that a new extractor also brings its own boilerplate
    fingerprints. ``config`` supplies per-source overrides (may be None).
    Returns counts by outcome: updated, unchanged, failed.
    """
    # The archive remembers each source's overrides; the sources file, when
    # given, is newer.
    sources = {s.id: s for s in archive.stored_sources()}
    sources.update({s.id: s for s in config.sources} if config else {})
    counts = {"updated": 0, "unchanged": 0, "failed": 0}
    templates: dict[str, SiteTemplate] = {}
    for _release_id, source_key, page_id in archive.releases_for_reprocess(
        source=source_id, since=since
    ):
        if source_key not in templates:
            pages = archive.release_pages(source_key, limit=TEMPLATE_SAMPLE)
            templates[source_key] = learn_template(source_key, pages, now=now())
            archive.save_template(templates[source_key])
        outcome = reextract_page(
            archive,
            source_id=source_key,
            page_id=page_id,
            template=templates[source_key],
            source=sources.get(source_key),
            now=now(),
        )
        if outcome is None:
            counts["failed"] += 1
        else:
            counts["updated" if outcome == "updated" else "unchanged"] += 1
    return counts
