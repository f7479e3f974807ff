"""The published and updated dates of a release, and where each was found (pure).

The parsing of one date string lives in ``scraper.dates``; this module weighs
the candidates a page offers (JSON-LD, meta, Dublin Core, <time>, visible
lines, URL, listing) and marks the date lines that are no body text.
"""

from __future__ import annotations

import re
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser

from scraper.dates import date_from_url, normalize_datetime, parse_date, parse_labelled_dates
from scraper.errors import ExtractError
from scraper.records import ListingEntry

from . import selectors as sel
from .blocks import Segmented
from .page_head import PageHead

__all__ = ["date_from_selector", "find_dates"]

_ARTICLE_TYPE_RE = re.compile(r"Article|BlogPosting|Report|PressRelease|NewsItem")
_REVIEWED_RE = re.compile(r"granskad|reviewed|senast|last", re.IGNORECASE)

_Candidates = list[tuple[str, str]]


def _machine_date(value: str) -> str | None:
    """``scraper.dates.normalize_datetime``, with a value it cannot represent read as no date.

    An offset of a day or more ("2020-02-28T09:15+99:99") or a year out of
    range makes ``datetime`` raise; on a page that is a broken date, not a
    broken page.
    """
    try:
        return normalize_datetime(value)
    except (ValueError, OverflowError):
        return None


def _article_type(obj: dict) -> bool:
    """True for a JSON-LD object whose @type (a name or a list of names) is an article."""
    kind = obj.get("@type")
    names = kind if isinstance(kind, list) else [kind]
    return any(isinstance(name, str) and _ARTICLE_TYPE_RE.search(name) for name in names)


def _machine_dates(head: PageHead) -> tuple[_Candidates, _Candidates]:
    """(source, ISO value) of published and updated from JSON-LD, article meta, Dublin Core."""
    published: _Candidates = []
    updated: _Candidates = []
    # The article object first (Yoast's @graph also dates the WebPage).
    objects = sorted(head.json_ld, key=lambda obj: not _article_type(obj))
    for obj in objects:
        pub = obj.get("datePublished") or obj.get("dateCreated")
        upd = obj.get("dateModified")
        if isinstance(pub, str) and (value := _machine_date(pub)):
            published.append(("json-ld", value))
        if isinstance(upd, str) and (value := _machine_date(upd)):
            updated.append(("json-ld", value))
        if published or updated:
            break
    for source in ("meta", "dublin-core"):
        for names, found in ((sel.PUBLISHED_META, published), (sel.UPDATED_META, updated)):
            raw = next((head.meta[k] for k in names[source] if head.meta.get(k)), None)
            if raw and (value := _machine_date(raw)):
                found.append((source, value))
    return published, updated


def _date_line(text: str) -> str | None:
    """The date of a line that is (nearly) nothing but a date, or None."""
    if len(text) > 48 or _REVIEWED_RE.search(text):
        return None
    value = parse_date(text)
    if value is None:
        return None
    rest = re.sub(r"[\d\s\-/.:,|]+", " ", text).split()
    # What is left beside the date: month and day names, "kl.", a label or two.
    return value if len(rest) <= 4 else None


def _moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _same_moment(a: str, b: str) -> bool:
    first, second = _moment(a), _moment(b)
    if first is None or second is None:
        return False
    if (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return first == second


def _choose(candidates: _Candidates) -> tuple[str | None, str | None]:
    """The best candidate, written as the page shows it.

    The first candidate wins; a later, visible one (<time>, text) that names the
    same moment in the page's local offset, or adds the time of day to a bare
    date, only changes how the value is written (and names itself as source).
    """
    if not candidates:
        return None, None
    source, value = candidates[0]
    for other_source, other in candidates[1:]:
        if other_source not in ("time", "text") or other == value:
            continue
        utc_shown_local = value.endswith("+00:00") and _same_moment(other, value)
        time_of_day_added = len(value) == 10 and len(other) > 10 and other.startswith(value)
        if utc_shown_local or time_of_day_added:
            source, value = other_source, other
    return source, value


def find_dates(
    head: PageHead,
    seg: Segmented,
    near_title: range,
    around_body: range,
    url: str,
    hint: ListingEntry | None,
) -> tuple[str | None, str | None, str | None, str | None, set[int]]:
    """published, its source, updated, its source, and the indices of date-line blocks.

    Order of trust: JSON-LD, article meta, Dublin Core, <time>, visible text,
    URL, listing. Labelled lines ("Publicerad 8 juni 2021", "Uppdaterad: ...")
    count anywhere from just before the title to just after the body; a bare
    date line only near the title (under a body it is as likely a "reviewed"
    stamp). An update at the moment of publication is no update.
    """
    published, updated = _machine_dates(head)
    date_blocks: set[int] = set()
    lo, hi = near_title.start, near_title.stop
    seen_published = False
    blocks = seg.blocks
    for value, text, classes, position in seg.times:
        line = blocks[position].text if position in around_body else ""
        if text and text in line and len(line) - len(text) <= 24:
            date_blocks.add(position)  # a line that is a <time> and a label at most
        if not lo <= position <= hi:
            continue
        is_update = "updat" in classes or "modif" in classes or seen_published
        found = updated if is_update else published
        if value and (iso := _machine_date(value)):
            found.append(("time", iso))
        if text and (iso := parse_date(text)):
            found.append(("time", iso))
        seen_published = seen_published or not is_update
    for index in around_body:
        text = seg.blocks[index].text
        if len(text) > 160:
            continue
        labelled = parse_labelled_dates(text)
        if labelled:
            date_blocks.add(index)
            if "published" in labelled:
                published.append(("text", labelled["published"]))
            elif index in near_title and (first := parse_date(text)) not in (
                None,
                labelled["updated"],
            ):
                # "11 februari 2013 | Uppdaterad 12 februari 2013": the bare date is published.
                published.append(("text", first))
            if "updated" in labelled:
                updated.append(("text", labelled["updated"]))
            continue
        value = _date_line(text) if index in near_title else None
        if value is not None:
            date_blocks.add(index)
            published.append(("text", value))
    from_url = date_from_url(url)
    if from_url:
        published.append(("url", from_url))
    if hint is not None and hint.published:
        published.append(("listing", hint.published))
    published_source, published_value = _choose(published)
    updated_source, updated_value = _choose(updated)
    if (
        published_value
        and updated_value
        and (
            _same_moment(published_value, updated_value)
            or (
                updated_value[:10] == published_value[:10]
                and (len(updated_value) == 10 or len(published_value) == 10)
            )
        )
    ):
        updated_source = updated_value = None
    return published_value, published_source, updated_value, updated_source, date_blocks


def date_from_selector(tree: LexborHTMLParser, url: str, selector: str) -> tuple[str, str]:
    """The published date held by a source's ``date_selector``, and its source ("override").

    :raises ExtractError: when the selector matches nothing or holds no date.
    """
    node = tree.css_first(selector)
    if node is None:
        raise ExtractError("date_selector matches nothing", url=url, selector=selector)
    value = node.attributes.get("datetime") or node.attributes.get("content") or node.text()
    iso = _machine_date(value or "") or parse_date(node.text())
    if iso is None:
        raise ExtractError("date_selector holds no date", url=url, selector=selector)
    return iso, "override"
