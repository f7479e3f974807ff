"""robots.txt answers and the rules they give (pure: fetching is scraper.fetch's job).

The convention, as Google documents it: 2xx is parsed; 3xx gone wrong
(loop, off-site) and 4xx mean "no robots.txt": everything is allowed; 429,
5xx, timeouts and connection errors (after retries) mean the host is treated
as fully disallowed for the rest of the run. Its fetches then raise
FetchError "robots.txt unavailable ...", not RobotsDisallowed: the host is at
fault, not a rule. When no connection could be made at all (DNS, refused,
unreachable) they raise FetchError with that reason, which is no robots.txt
matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

from scraper.records import RobotsTxt

__all__ = [
    "ROBOTS_MAX_BYTES",
    "ROBOTS_MAX_REDIRECTS",
    "RobotsRules",
    "RobotsTxt",
    "is_definite",
    "robots_text",
    "sitemap_urls",
]

#: Google reads the first 500 KiB of a robots.txt and ignores the rest.
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_MAX_REDIRECTS = 5


def is_definite(status: int) -> bool:
    """True when a failed robots.txt fetch that ended on ``status`` still means "no robots.txt"."""
    return 300 <= status < 500 and status != 429


def robots_text(content: bytes, *, limit: int = ROBOTS_MAX_BYTES) -> str:
    """The text of a robots.txt body read up to ``limit`` bytes.

    A body that filled the limit was cut, most likely inside a line: that last
    partial line is dropped, so that "Disallow: /*private" cut to "Disallow: /*"
    cannot forbid the whole site.
    """
    if len(content) >= limit:
        end = max(content.rfind(b"\n"), content.rfind(b"\r"))
        content = content[: end + 1]
    return content.decode("utf-8", "replace")


@dataclass(frozen=True)
class RobotsRules:
    """What one host's robots.txt lets us do."""

    parser: Protego | None
    #: True: everything allowed (no usable robots.txt); False with no parser: nothing.
    allow_all: bool
    reason: str = ""
    #: robots.txt could not be fetched: a fault of the host, not a rule.
    unavailable: bool = False

    @classmethod
    def answered(cls, status: int, text: str) -> RobotsRules:
        """The rules of a robots.txt answer: the file for a 2xx, else everything allowed."""
        if 200 <= status < 300:
            return cls(Protego.parse(text), allow_all=True, reason="disallowed by robots.txt")
        return cls(None, allow_all=True)

    @classmethod
    def unreachable(cls, why: str) -> RobotsRules:
        """Nothing allowed: robots.txt could not be fetched (``why``)."""
        reason = f"robots.txt unavailable ({why}): host disallowed for this run"
        return cls(None, allow_all=False, reason=reason, unavailable=True)

    @classmethod
    def no_connection(cls, why: str) -> RobotsRules:
        """Nothing allowed: no connection to the host could be made (``why`` says how)."""
        return cls(None, allow_all=False, reason=why, unavailable=True)

    def can_fetch(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(url, agent)

    def min_gap(self, agent: str) -> float:
        """Seconds between two requests that Crawl-delay and Request-rate ask of ``agent``."""
        if self.parser is None:
            return 0.0
        gap = float(self.parser.crawl_delay(agent) or 0.0)
        rate = self.parser.request_rate(agent)
        if rate and rate.requests:
            gap = max(gap, rate.seconds / rate.requests)
        return gap


def sitemap_urls(text: str) -> list[str]:
    """The sitemaps a robots.txt names (its ``Sitemap:`` lines, as protego reads them)."""
    return list(Protego.parse(text).sitemaps)
