"""Swedish (and English) date parsing, pure.

Human-written dates on municipal pages ("28 feb. 2020 kl. 09.15",
"Publicerad: 2020-02-28", "fredag 28 februari 2020") and machine-readable
ones (ISO 8601, RFC 822 from RSS) become ISO strings:

* ``YYYY-MM-DD`` for a date,
* ``YYYY-MM-DDTHH:MM`` for a local time of day as shown on the page,
* ``YYYY-MM-DDTHH:MM:SS+HH:MM`` when machine-readable metadata carries an offset.

No date is a normal answer here: the functions return ``None`` (or an empty
dict) when the text holds none. Impossible dates (2020-02-30) are no dates.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

__all__ = ["date_from_url", "normalize_datetime", "parse_date", "parse_labelled_dates"]

#: Month names and abbreviations, Swedish and English, lower case.
# fmt: off
MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2, "febr": 2,
    "mars": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# fmt: on

# Longest names first so that "mars" wins over "mar" inside the alternation.
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>(?:19[7-9]|20\d)\d)"
# A time of day after a date: "09:15", "kl. 09.15", "klockan 9.15", ", 09:15", "T09:15".
_TIME = (
    r"(?:(?:\s*,)?\s*(?:kl\.?|klockan|at)?\s*|T)"
    r"(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?::[0-5]\d)?(?![\d.:]*\d)"
)

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2020-02-28, 2020-2-8, 2020/02/28 (the same separator twice)
    re.compile(
        rf"(?<![\d\w]){_YEAR}(?P<sep>[-/])(?P<month>1[0-2]|0?[1-9])(?P=sep)"
        rf"(?P<day>3[01]|[12]\d|0?[1-9])(?!\d)(?:{_TIME})?",
        re.IGNORECASE,
    ),
    # 28 februari 2020, 28 feb. 2020, 3:e mars 2021, 28th February, 2020, 28.februari 2020
    re.compile(
        rf"(?<![\d\w])(?P<day>3[01]|[12]\d|0?[1-9])(?::[ae]|st|nd|rd|th)?\.?\s*"
        rf"(?P<mname>{_MONTH})\b\.?,?\s+{_YEAR}(?!\d)(?:{_TIME})?",
        re.IGNORECASE,
    ),
    # February 28, 2020 / Feb 28 2020
    re.compile(
        rf"(?<![\d\w])(?P<mname>{_MONTH})\b\.?\s+(?P<day>3[01]|[12]\d|0?[1-9])"
        rf"(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)(?:{_TIME})?",
        re.IGNORECASE,
    ),
    # Swedish day-first numeric: 28.2.2020, 28/02/2020
    re.compile(
        rf"(?<![\d\w./-])(?P<day>3[01]|[12]\d|0?[1-9])(?P<sep>[./])(?P<month>1[0-2]|0?[1-9])"
        rf"(?P=sep){_YEAR}(?![\d/-])(?:{_TIME})?",
        re.IGNORECASE,
    ),
    # 3/3 2021 (day/month, then the year after a space)
    re.compile(
        rf"(?<![\d\w./-])(?P<day>3[01]|[12]\d|0?[1-9])/(?P<month>1[0-2]|0?[1-9])"
        rf"\s+{_YEAR}(?![\d/-])(?:{_TIME})?",
        re.IGNORECASE,
    ),
)


#: Longer than any date-and-time match ("fredag 28 september 2020 klockan 09.15:00").
_LONGEST_MATCH = 64


def _build(groups: dict[str, str | None]) -> str | None:
    """ISO string from the named groups of one match, or None for an impossible date."""
    month = MONTHS[groups["mname"].lower()] if groups.get("mname") else int(groups["month"] or 0)
    try:
        day = date(int(groups["year"] or 0), month, int(groups["day"] or 0))
    except ValueError:
        return None
    if groups.get("hour") is not None:
        return f"{day.isoformat()}T{int(groups['hour']):02d}:{groups['minute']}"
    return day.isoformat()


def _find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every valid date in ``text`` as (start, end, iso), in order of position."""
    found: list[tuple[int, int, str]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _build(match.groupdict())
            if value is not None:
                found.append((match.start(), match.end(), value))
    found.sort(key=lambda item: (item[0], -item[1]))
    # Drop matches inside an earlier, longer one.
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    return kept


def parse_date(text: str) -> str | None:
    """Return the first date in free text ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"), or None.

    The time is kept when one follows the date ("28 feb 2020 kl. 09.15").
    Numeric dates other than ISO are read day first, as Swedes write them.
    """
    if not text:
        return None
    best: tuple[int, int, str] | None = None
    for pattern in _PATTERNS:
        # Once a date is found, a later pattern only matters if it starts before it.
        end = len(text) if best is None else min(len(text), best[0] + _LONGEST_MATCH)
        for match in pattern.finditer(text, 0, end):
            if best is not None and match.start() > best[0]:
                break
            value = _build(match.groupdict())
            if value is not None:
                candidate = (match.start(), -match.end(), value)
                best = candidate if best is None else min(best, candidate)
                break
    return best[2] if best else None


# Labels of visible date lines. "Sidan senast granskad" (reviewed) is neither.
_PUBLISHED_LABEL = (
    r"publicera(?:d|t|des|ts)|publiceringsdatum|publicerings\s?dag|publ\.|"
    r"skapa(?:d|t|des)|published|posted"
)
_UPDATED_LABEL = (
    r"(?:senast\s+)?(?:uppdatera(?:d|t|des)|ändra(?:d|t|des)|redigera(?:d|t))|"
    r"(?:last\s+)?(?:updated|modified)"
)
_LABEL_RE = re.compile(
    rf"(?<!\w)(?:(?P<published>{_PUBLISHED_LABEL})|(?P<updated>{_UPDATED_LABEL}))(?!\w)",
    re.IGNORECASE,
)
#: How far after its label a date may start (": den fredag " fits).
_LABEL_REACH = 32


def parse_labelled_dates(text: str) -> dict[str, str]:
    """Return {"published": ..., "updated": ...} from labelled date text.

    Reads "Publicerad: 28 feb 2020 Uppdaterad: 2 mars 2020", "Senast
    uppdaterad ...", "Ändrad ...", "Skapad ...". A key is present only when its
    label is followed by a date; the first labelled date of each kind wins.
    """
    result: dict[str, str] = {}
    labels = list(_LABEL_RE.finditer(text or ""))
    for index, label in enumerate(labels):
        key = "published" if label.group("published") else "updated"
        if key in result:
            continue
        stop = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        segment = text[label.end() : stop]
        found = _find_dates(segment)
        if found and found[0][0] <= _LABEL_REACH:
            result[key] = found[0][2]
    return result


_ISO_RE = re.compile(
    r"^(?P<year>\d{4})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):?(?P<minute>\d{2})(?::?(?P<second>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _format(moment: datetime, *, has_time: bool) -> str:
    """ISO string of a parsed value: offset kept, naive midnight read as a date."""
    if not has_time:
        return moment.date().isoformat()
    offset = moment.utcoffset()
    if offset is None:
        if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
            return moment.date().isoformat()
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + _format_offset(offset)


def _parse_offset(tz: str) -> timedelta:
    if tz.upper() in {"Z", "UTC", "GMT"}:
        return timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return sign * timedelta(hours=hours, minutes=minutes)


def _parse_iso(value: str) -> str | None:
    match = _ISO_RE.match(value)
    if match is None:
        return None
    g = match.groupdict()
    has_time = g["hour"] is not None
    try:
        moment = datetime(
            int(g["year"]),
            int(g["month"]),
            int(g["day"]),
            int(g["hour"] or 0),
            int(g["minute"] or 0),
            int(g["second"] or 0),
        )
    except ValueError:
        return None
    if g["tz"] and has_time:
        offset = _parse_offset(g["tz"])
        if abs(offset) >= timedelta(hours=24):
            return None  # "+99:99" is a broken date, not a time zone (datetime raises on it)
        moment = moment.replace(tzinfo=timezone(offset))
    return _format(moment, has_time=has_time)


def normalize_datetime(value: str) -> str | None:
    """Return a machine-readable date or datetime as ISO 8601, or None.

    Accepts ISO 8601 variants ("2020-02-28", "2020-02-28T09:15", "...Z",
    "...+0100", "...+01:00", fractions of seconds), RFC 822 dates of RSS
    ("Fri, 28 Feb 2020 09:15:00 +0100") and, as a last resort, a human date.
    An offset is kept ("2020-02-28T09:15:00+01:00"; Z becomes +00:00); a
    time without offset is kept as local "YYYY-MM-DDTHH:MM"; midnight without
    offset is read as a bare date.
    """
    value = (value or "").strip()
    if not value:
        return None
    iso = _parse_iso(value)
    if iso is not None:
        return iso
    if re.match(r"^\d{4}-?\d{2}-?\d{2}", value):
        return None  # ISO-looking but impossible or malformed: do not guess
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None:
        if value.rstrip().endswith("-0000"):  # RFC 2822: "no offset information"
            moment = moment.replace(tzinfo=None)
        return _format(moment, has_time=True)
    return parse_date(value)


_URL_DATE_RES: tuple[re.Pattern[str], ...] = (
    # /2020/02/28/slug/
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?=/|$)"),
    # /2020-02-28-slug.html, /nyheter/slug-2020-02-28/, /2020_02_28_slug
    re.compile(
        r"(?<![\d])(?P<year>(?:19|20)\d\d)(?P<sep>[-_])(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)"
        r"(?![\d])"
    ),
)


def date_from_url(url: str) -> str | None:
    """Return the publication date written in a URL's path ("YYYY-MM-DD"), or None.

    Reads "/2020/02/28/slug/" and "/2020-02-28-slug.html"; a year or a year and
    month alone ("/nyheter-2022/", "/2020/02/") is no date.
    """
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url or "", flags=re.IGNORECASE)
    path = path.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DATE_RES:
        for match in pattern.finditer(path):
            try:
                day = date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                continue
            return day.isoformat()
    return None
