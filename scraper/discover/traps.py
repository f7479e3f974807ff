"""Crawler traps among a listing's links and pages (pure).

Three kinds a municipal site can hold, on purpose or by accident:

* **calendars**: pages per day or month that go on for ever
  (``/kalender/2031/05/``, ``?date=2031-05-01``). A URL is a calendar page
  when it carries a date more than a year ahead (no release is published in
  the future), when a path segment names a calendar and the path or query
  holds a year and month, or when a date parameter (``date``, ``datum``,
  ...) holds a whole day.
* **query-string explosions**: many links to one path that differ only in
  their query, over two or more parameters, none of which names the page
  (``/arkiv/visa?id=3&vy=2``: 8 items in 5 views, each value recurring in many
  links). A parameter with a value of its own in most links (``?id=123``,
  ``?id=123&lang=en``) is how some CMSs name their releases: left alone.
* **ever-growing page numbers with no dated items**: judged by the listing
  walk (``UNDATED_PAGES``), which sees the pages one after the other.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "QUERY_VARIANTS",
    "UNDATED_PAGES",
    "QueryExplosions",
    "calendar_reason",
]

#: Listing pages in a row that show release links but no date, after pages that
#: did, before the walk takes the rest of the listing for a trap.
UNDATED_PAGES = 3
#: Links to one path, differing in two or more query parameters, that make an explosion.
QUERY_VARIANTS = 20

_CALENDAR_WORDS = frozenset(
    {
        "kalender",
        "kalendarium",
        "calendar",
        "evenemang",
        "evenemangskalender",
        "events",
        "event",
        "aktiviteter",
        "agenda",
    }
)
_DATE_KEYS = frozenset(
    {"date", "datum", "day", "dag", "from", "to", "start", "end", "startdate", "enddate"}
)
_YEAR_KEYS = frozenset({"year", "ar", "år", "month", "manad", "månad", "ym"})
_DATE_VALUE = re.compile(r"^((?:19|20|21)\d\d)(?:-?(0[1-9]|1[0-2])(?:-?(0[1-9]|[12]\d|3[01]))?)?$")


def calendar_reason(url: str, *, today: date) -> str | None:
    """Why ``url`` is a calendar page, or None when it does not look like one.

    Only dates in structural places count: a path segment that is a year, a
    month or a date (``/2031/05/``, ``/2031-05-01/``) or a query value that is
    one; a year inside a slug ("budget-2028", "agenda-2030") is a topic.
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    query = parse_qsl(parts.query, keep_blank_values=True)
    dates: list[tuple[int, int, int]] = []  # (year, month or 0, day or 0)
    for index, segment in enumerate(segments):
        match = _DATE_VALUE.match(segment)
        if not match:
            continue
        year, month, day = (int(g) if g else 0 for g in match.groups())
        following = segments[index + 1] if index + 1 < len(segments) else ""
        if not month and following.isdigit() and 1 <= int(following) <= 12:
            month = int(following)
        dates.append((year, month, day))
    for key, value in query:
        match = _DATE_VALUE.match(value.strip())
        if match and (match.group(2) or key.lower() in _YEAR_KEYS | _DATE_KEYS):
            year, month, day = (int(g) if g else 0 for g in match.groups())
            dates.append((year, month, day))
            if day and key.lower() in _DATE_KEYS:
                return f"a date parameter ({key}={value})"
    horizon = (today.year + 1, today.month)
    for year, month, _ in dates:
        if (year, month or 1) > horizon:
            return f"a date more than a year ahead ({year}" + (f"-{month:02d})" if month else ")")
    words = set(segments) & _CALENDAR_WORDS
    if words and any(month for _, month, _ in dates):
        return f"a calendar path ({sorted(words)[0]} with a year and month)"
    return None


class QueryExplosions:
    """Links seen so far per path; tells which belong to a query-string explosion."""

    def __init__(self, threshold: int = QUERY_VARIANTS) -> None:
        self.threshold = threshold
        self._variants: defaultdict[str, set[str]] = defaultdict(set)

    def exploded(self, urls: Iterable[str]) -> dict[str, str]:
        """Add these links; return those in an exploded path, each with the reason."""
        urls = list(urls)
        for url in urls:
            parts = urlsplit(url)
            if parts.query:
                self._variants[_path_key(url)].add(url)
        verdicts: dict[str, str | None] = {}  # one judgement per path, not per link
        found: dict[str, str] = {}
        for url in urls:
            key = _path_key(url)
            if key not in verdicts:
                verdicts[key] = self._verdict(key)
            reason = verdicts[key]
            if reason:
                found[url] = reason
        return found

    def _verdict(self, key: str) -> str | None:
        """Why the links to one path are an explosion, or None."""
        variants = self._variants.get(key)
        if not variants or len(variants) < self.threshold:
            return None
        varying = _varying_parameters(variants)
        if len(varying) < 2 or _names_the_page(variants):
            return None
        return (
            f"{len(variants)} links to {urlsplit(key).path or '/'} differing only in "
            f"their query ({', '.join(sorted(varying)[:4])})"
        )


def _path_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _names_the_page(urls: set[str]) -> bool:
    """True when one parameter takes a value of its own in most links (``id`` with a
    ``lang`` beside it): those are pages, not one result in many views."""
    values: defaultdict[str, set[str]] = defaultdict(set)
    for url in urls:
        for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            values[key].add(value)
    return any(3 * len(seen) > len(urls) for seen in values.values())


def _varying_parameters(urls: set[str]) -> set[str]:
    """The query parameters that take more than one value (or are missing) across ``urls``."""
    values: defaultdict[str, set[str | None]] = defaultdict(set)
    queries = [dict(parse_qsl(urlsplit(u).query, keep_blank_values=True)) for u in urls]
    keys = {k for q in queries for k in q}
    for query in queries:
        for key in keys:
            values[key].add(query.get(key))
    return {key for key, seen in values.items() if len(seen) > 1}
