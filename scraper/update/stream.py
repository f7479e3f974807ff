"""Extraction as pages arrive: a long fetch list never holds back what was fetched.

The template is learned from a sample: the source's stored release pages
plus the first ``STREAM_SAMPLE`` pages of the run (or all of them, when
fewer arrive). Until the sample is there, page ids wait (ids only, never
the pages); from then on each page is extracted and stored as it arrives.
At the end of the run the template is learned again from the whole sample
(stored pages and this run's) and every release extracted under an earlier
template is re-extracted from its stored page (the "settle" step), so a
streamed run leaves the same archive as one that learned first and
extracted after. A run killed in between leaves the early template marked
``provisional``: the next run learns it again and settles the releases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scraper.records import SiteTemplate, Source

from .extraction import Counts, ExtractionSteps

__all__ = ["STREAM_SAMPLE", "ExtractionStream"]

#: Pages of a run after which the template is learned and extraction streams.
STREAM_SAMPLE = 30


@dataclass
class ExtractionStream:
    """The extraction of one source's pages in one run, page by page."""

    steps: ExtractionSteps
    source: Source
    tally: Counts
    sample: int = STREAM_SAMPLE
    #: Pages stored before this run and not extracted yet, whose URL this run
    #: fetches again: extracted only if that fetch stores no newer page.
    deferred: dict[str, int] = field(default_factory=dict)
    _waiting: list[int] = field(default_factory=list)
    _all: list[int] = field(default_factory=list)
    _template: SiteTemplate | None = None

    def add(self, page_id: int) -> None:
        """A page stored raw: extract it now, or once the sample is there."""
        self.deferred.pop(self.steps.archive.page_url(page_id), None)
        self._all.append(page_id)
        if self._template is not None:
            self.steps._extract_and_save(self.source, page_id, self._template, self.tally)
            return
        self._waiting.append(page_id)
        if len(self._waiting) >= self.sample:
            self._learn_and_drain(provisional=True)

    def finish(self) -> None:
        """Extract what waits, learn the final template and settle the releases."""
        for page_id in sorted(self.deferred.values()):
            self._all.append(page_id)
            if self._template is None:
                self._waiting.append(page_id)
            else:
                self.steps._extract_and_save(self.source, page_id, self._template, self.tally)
        self.deferred.clear()
        if self._template is None:
            if self._waiting:
                self._learn_and_drain(provisional=False)
            elif self.steps.archive.template_provisional(self.source.id):
                # A run killed between its early template and its final one.
                self._template = self.steps._learn(self.source, [])
            self.steps._settle(self.source, self._template)
            return
        # The early template is provisional: learn it again from the whole sample.
        self._template = self.steps._learn(self.source, self.steps._newest_per_url(self._all))
        self.steps._settle(self.source, self._template)

    def _learn_and_drain(self, *, provisional: bool) -> None:
        waiting = self.steps._newest_per_url(self._waiting)
        self._waiting = []
        self._template = self.steps._learn(self.source, waiting, provisional=provisional)
        for page_id in waiting:
            self.steps._extract_and_save(self.source, page_id, self._template, self.tally)
