"""What one source may cost in one run: requests, new releases, seconds.

A budget reached is not a failure: the source stops fetching, what it
fetched is stored, what is left stays in the frontier (new release links)
or due (re-checks) for the next run, and the run reports it as a finding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from scraper.records import ListingEntry, Settings

__all__ = ["SourceBudget"]


@dataclass
class SourceBudget:
    """The budget of one source in one run (0 for a limit: none)."""

    max_requests: int = 0
    max_new: int = 0
    max_seconds: float = 0.0
    clock: Callable[[], float] = time.monotonic
    requests: int = 0
    #: Why the source stopped fetching, once it has.
    reason: str | None = None
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.started = self.clock()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Callable[[], float] = time.monotonic
    ) -> SourceBudget:
        return cls(
            max_requests=settings.max_requests_per_source,
            max_new=settings.max_new_releases,
            max_seconds=settings.source_time_budget,
            clock=clock,
        )

    def spend_request(self) -> bool:
        """Count one request; False (and nothing counted) when the budget is spent."""
        if self.spent():
            return False
        self.requests += 1
        return True

    def spent(self) -> bool:
        """True once the source has used its requests or its time for this run."""
        if self.reason is not None:
            return True
        if self.max_requests and self.requests >= self.max_requests:
            self.reason = f"max_requests_per_source={self.max_requests} reached"
        elif self.max_seconds and self.clock() - self.started >= self.max_seconds:
            self.reason = f"source_time_budget={self.max_seconds:g} s reached"
        return self.reason is not None

    def new_batch(self, queue: list[ListingEntry]) -> tuple[list[ListingEntry], int]:
        """The new release links to fetch this run, and how many wait for later runs."""
        if not self.max_new or len(queue) <= self.max_new:
            return queue, 0
        return queue[: self.max_new], len(queue) - self.max_new
