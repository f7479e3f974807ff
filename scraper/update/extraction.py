"""The update run's extraction steps: fetched pages -> releases in the archive.

One source at a time: learn the site's template from its stored pages (one
page per release), extract each fetched page and save it (a changed page is
first compared under the same extractor and template), then re-extract, from
their stored pages, the releases extracted under another template. No request
is made here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Protocol

from scraper.discover.urls import trusted_canonical
from scraper.errors import ExtractError
from scraper.extract.release import EXTRACTOR_VERSION, extract_release
from scraper.extract.template import learn_template
from scraper.records import SiteTemplate, Source
from scraper.store import Archive

from .reprocess import reextract_page

__all__ = [
    "TEMPLATE_PAGE_CHARS",
    "TEMPLATE_SAMPLE",
    "TEMPLATE_SAMPLE_CHARS",
    "Counts",
    "ExtractionSteps",
    "bounded_sample",
]

#: Raw pages of a source the template is learned from at most.
TEMPLATE_SAMPLE = 300
#: Characters of one page's HTML the template learns from (the rest is cut off:
#: what a site repeats sits in its header, menus and footer, not in 9 MB of body).
TEMPLATE_PAGE_CHARS = 1_000_000
#: Characters of HTML the template learns from in all, pages read one at a time.
TEMPLATE_SAMPLE_CHARS = 60_000_000


def bounded_sample(
    load: Callable[[int], tuple[str, str]],
    page_ids: Iterable[int],
    *,
    page_chars: int = TEMPLATE_PAGE_CHARS,
    total_chars: int = TEMPLATE_SAMPLE_CHARS,
) -> Iterator[tuple[str, str]]:
    """(url, html) of the pages, loaded one at a time as the learner asks for them,
    each cut to ``page_chars``, until ``total_chars`` have been given.

    Template learning then holds one page at a time, never the sample.
    """
    given = 0
    for page_id in page_ids:
        if given >= total_chars:
            return
        url, html = load(page_id)
        html = html[: min(page_chars, total_chars - given)]
        given += len(html)
        yield url, html


class Counts(Protocol):
    """The counters of the source being processed that extraction adds to."""

    new: int
    changed: int
    unchanged: int
    failed: int


class ExtractionSteps:
    """The extraction steps of the update run's per-source job (a mixin of it)."""

    archive: Archive
    now: Callable[[], str]
    _log: Callable[..., None]

    def _newest_per_url(self, page_ids: list[int]) -> list[int]:
        """One page per requested URL, the newest: a page stored before a kill and
        fetched again after it is one page of one release, not two."""
        newest: dict[str, int] = {}
        for page_id in sorted(set(page_ids)):
            newest[self.archive.page_url(page_id)] = page_id
        return sorted(newest.values())

    def _settle(self, source: Source, template: SiteTemplate | None) -> None:
        """Re-extract, from their stored pages, releases extracted under another template.

        The template is learned again whenever new pages come in; a release
        extracted under an earlier one (a run killed part-way, a small first
        sample) would otherwise keep that extraction for as long as its page
        answers 304. No request is made.
        """
        template = template or self.archive.load_template(source.id)
        if template is None:
            return
        for page_id in self.archive.pages_extracted_under_another_template(
            source.id, template.fingerprint
        ):
            try:
                self._reextract(source, page_id, template)
            except Exception as exc:  # one odd stored page must not stop the source
                reason = f"internal error: {type(exc).__name__}: {exc}"
                url = self.archive.page_url(page_id)
                self._log(source, url, "extract", outcome="failed", error=reason)

    def _learn(
        self, source: Source, page_ids: list[int], *, provisional: bool = False
    ) -> SiteTemplate:
        """Learn what the site repeats from its stored pages plus the new ones.

        One page per release (the new one where there is one): a release counted
        twice would make its own text look repeated on a small site.
        """
        pages: dict[object, int] = dict(
            self.archive.release_page_ids(source.id, limit=TEMPLATE_SAMPLE)
        )
        for page_id in page_ids[:TEMPLATE_SAMPLE]:
            url = self.archive.page_url(page_id)
            release = self.archive.release_for_url(url)
            pages[release["id"] if release else ("new", url)] = page_id
        sample = bounded_sample(self.archive.page_html, list(pages.values()))
        template = learn_template(source.id, sample, now=self.now())
        self.archive.save_template(template, provisional=provisional)
        return template

    def _extract_and_save(
        self, source: Source, page_id: int, template: SiteTemplate | None, tally: Counts
    ) -> None:
        """``_extract_and_save_page``, where any unexpected error (storing included)
        costs this page only: it is recorded for its URL and the source goes on."""
        try:
            self._extract_and_save_page(source, page_id, template, tally)
        except Exception as exc:
            tally.failed += 1
            reason = f"internal error: {type(exc).__name__}: {exc}"
            self._log(
                source, self.archive.page_url(page_id), "extract", outcome="failed", error=reason
            )

    def _extract_and_save_page(
        self, source: Source, page_id: int, template: SiteTemplate | None, tally: Counts
    ) -> None:
        final_url, html = self.archive.page_html(page_id)
        fetched_url = self.archive.page_url(page_id)
        hint = self.archive.hint(fetched_url, final_url)
        try:
            release = extract_release(html, final_url, template=template, source=source, hint=hint)
        except ExtractError as exc:
            tally.failed += 1
            self._log(source, fetched_url, "extract", outcome="failed", error=exc.reason)
            return
        except Exception as exc:  # an extractor bug on one odd page must not stop the source
            tally.failed += 1
            reason = f"extractor error: {type(exc).__name__}: {exc}"
            self._log(source, fetched_url, "extract", outcome="failed", error=reason)
            return
        release = replace(
            release,
            url=fetched_url,
            canonical_url=trusted_canonical(release.canonical_url, final_url, source.url),
        )
        existing = self.archive.release_for_url(fetched_url) or self.archive.release_for_url(
            release.canonical_url
        )
        if existing is None and source.organisation and release.published:
            twin = self.archive.twin_release(
                organisation=source.organisation,
                title=release.title,
                published=release.published,
                other_than=source.id,
            )
            if twin is not None:
                # The same release on the organisation's other source (its newsroom
                # and its own site): one release with both URLs. The copy's text is
                # not compared, or the two pages would make revisions of each other.
                self.archive.add_release_urls(
                    twin,
                    (fetched_url, final_url),
                    evidence=f"also published at {fetched_url}",
                    now=self.now(),
                )
                self.archive.remember_page_validators(page_id)
                tally.unchanged += 1
                self._log(source, fetched_url, "extract", outcome="twin")
                return
        same_body = existing is not None and self.archive.page_body_hash(
            existing["page_id"]
        ) == self.archive.page_body_hash(page_id)
        if existing and existing["page_id"] and not same_body:
            # The page changed. Run the stored page through the same extractor and
            # template first, so that the comparison below sees only what the site
            # changed in the release, not a newer extractor or a re-learned template
            # (furniture that moved would otherwise make false revisions).
            self._reextract(source, existing["page_id"], template)
        _, outcome = self.archive.save_release(
            release,
            source=source.id,
            page_id=page_id,
            extractor_version=EXTRACTOR_VERSION,
            now=self.now(),
            revise=not same_body,
            aliases=(final_url,),
            template_hash=template.fingerprint if template is not None else None,
        )
        # Only now is the page safely stored as a release: from here on a 304 may
        # stand for it (a page whose extraction failed is fetched whole again).
        self.archive.remember_page_validators(page_id)
        if outcome == "new":
            tally.new += 1
        elif outcome == "changed":
            tally.changed += 1
        else:
            tally.unchanged += 1
        self._log(source, fetched_url, "extract", outcome=outcome)

    def _reextract(self, source: Source, page_id: int, template: SiteTemplate | None) -> None:
        reextract_page(
            self.archive,
            source_id=source.id,
            page_id=page_id,
            template=template,
            source=source,
            now=self.now(),
        )
