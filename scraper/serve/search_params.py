"""The search page's URL parameters: read, checked, explained (pure apart from two lookups).

    q         the query (search language of ``scraper.store.query_language``)
    kommun    a municipality or region: name ("Västervik", "Västerviks kommun"),
              organisation id / kommunkod ("0883") or source id ("vastervik");
              case and å/ä/ö do not matter
    lan       a county: name ("Kalmar län", "Kalmar") or code ("08")
    typ       a kind: Pressmeddelande, Pressinbjudan, Nyhet ...
    fran      from: YYYY, YYYY-MM or YYYY-MM-DD (the first day of it)
    till      to, inclusive: YYYY, YYYY-MM or YYYY-MM-DD (the last day of it)
    ordning   relevans (default) or nyast
    sida      page of the relevance order (1, 2, ...)
    efter     for ordning=nyast: continue after this result key (the "Nästa" link)
    antal     "exakt": count every match (otherwise "fler än 2 000")

``source``, ``from`` and ``to`` (the canned query's names) are read too.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from typing import Any

from scraper.store.search import fold

__all__ = ["Directory", "PageParams", "parse_day", "read_params"]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
ORDERS = {"relevans": "relevance", "nyast": "newest"}
PER_PAGE = 20
MAX_PAGE = 100  # WINDOW / PER_PAGE: the relevance order ranks at most WINDOW matches


def parse_day(text: str, *, end: bool) -> str:
    """ "2019" -> "2019-01-01" (or with ``end`` "2019-12-31"); raises ValueError."""
    m = _DATE_RE.match(text.strip())
    if not m:
        raise ValueError(text)
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if end else 1)
    if not 1 <= month <= 12 or year < 1000:
        raise ValueError(text)
    last = calendar.monthrange(year, month)[1]
    day = int(m.group(3)) if m.group(3) else (last if end else 1)
    if not 1 <= day <= last:
        raise ValueError(text)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _key(text: str) -> str:
    return " ".join(fold(text.lower()).replace("-", " ").split())


@dataclass
class Directory:
    """Municipalities, regions and counties of the archive, found by any of their names."""

    #: name key -> (display name, source ids)
    organisations: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    counties: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: display names for the picker, sorted
    names: list[str] = field(default_factory=list)
    #: the picker's options as HTML, made once per directory (300 options a page)
    options_html: str = ""
    #: source id -> (municipality, county, county code): the facets' labels
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls,
        sources: list[tuple[str, str | None, str | None, str | None, str | None, str | None]],
        kinds: list[str],
    ) -> Directory:
        """Rows: (source id, source name, org id, org name, county, county code)."""
        by_org: dict[str, tuple[str, list[str], set[str]]] = {}
        by_county: dict[str, tuple[str, list[str], set[str]]] = {}
        labels: dict[str, tuple[str, str, str]] = {}
        for sid, sname, oid, oname, county, code in sources:
            name = oname or sname or sid
            labels[sid] = (name, county or "", code or "")
            group = by_org.setdefault(oid or sid, (name, [], set()))
            group[1].append(sid)
            keys = {sid, sname or "", name, oid or ""}
            for n in (sname or "", name):
                short = re.sub(r"s? (kommun|stad|region)$", "", n.strip(), flags=re.I)
                keys |= {short, re.sub(r"^region ", "", n.strip(), flags=re.I)}
            group[2].update(k for k in keys if k)
            if county:
                c = by_county.setdefault(county, (county, [], {county, code or ""}))
                c[1].append(sid)
                c[2].add(re.sub(r"s? län$", "", county, flags=re.I))
        directory = cls(kinds=sorted(kinds), labels=labels)
        for name, sids, keys in by_org.values():
            for k in keys:
                directory.organisations.setdefault(_key(k), (name, tuple(sorted(sids))))
        for name, sids, keys in by_county.values():
            for k in keys:
                if k:
                    directory.counties.setdefault(_key(k), (name, tuple(sorted(sids))))
        directory.names = sorted({v[0] for v in directory.organisations.values()})
        directory.options_html = "".join(
            f'<option value="{html.escape(n, quote=True)}">' for n in directory.names
        )
        return directory

    def municipality(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        return self.organisations.get(_key(text))

    def county(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        return self.counties.get(_key(text))

    def kind(self, text: str) -> str | None:
        return next((k for k in self.kinds if _key(k) == _key(text)), None)


@dataclass
class PageParams:
    """The checked parameters, the messages for what could not be used, and the form's values."""

    q: str = ""
    sources: tuple[str, ...] = ()
    municipality: str = ""
    county: str = ""
    kind: str = ""
    first_day: str | None = None
    last_day: str | None = None
    order: str = "relevance"
    page: int = 1
    after: int | None = None
    exact_count: bool = False
    messages: list[str] = field(default_factory=list)
    form: dict[str, str] = field(default_factory=dict)
    #: False when a filter could not be understood: then nothing is searched.
    usable: bool = True


def _first(args: Any, *names: str) -> str:
    for name in names:
        value = args.get(name)
        if value and value.strip():
            return value.strip()
    return ""


def read_params(args: Any, directory: Directory) -> PageParams:
    """Read the page's parameters (``args``: a mapping of str to str)."""
    p = PageParams()
    p.q = _first(args, "q")
    p.form = {
        "q": p.q,
        "kommun": _first(args, "kommun", "source", "organisation"),
        "lan": _first(args, "lan", "county"),
        "typ": _first(args, "typ"),
        "fran": _first(args, "fran", "from"),
        "till": _first(args, "till", "to"),
        "ordning": _first(args, "ordning") or "relevans",
    }
    sources: set[str] | None = None
    if p.form["kommun"]:
        found = directory.municipality(p.form["kommun"])
        if found is None:
            p.messages.append(
                f"Kommunen ”{p.form['kommun']}” finns inte i arkivet. "
                "Skriv kommunens namn, t.ex. Västervik, eller välj i listan."
            )
            p.usable = False
        else:
            p.municipality, ids = found
            sources = set(ids)
    if p.form["lan"]:
        found = directory.county(p.form["lan"])
        if found is None:
            p.messages.append(
                f"Länet ”{p.form['lan']}” finns inte i arkivet. Skriv t.ex. Kalmar län eller 08."
            )
            p.usable = False
        else:
            p.county, ids = found
            sources = set(ids) if sources is None else sources & set(ids)
            if not sources:
                p.messages.append(f"{p.municipality} ligger inte i {p.county}.")
    if sources is not None:
        p.sources = tuple(sorted(sources)) or ("-",)
    if p.form["typ"]:
        kind = directory.kind(p.form["typ"])
        if kind is None:
            p.messages.append(
                f"Typen ”{p.form['typ']}” finns inte. Välj bland: {', '.join(directory.kinds)}."
            )
            p.usable = False
        else:
            p.kind = kind
    for name, end in (("fran", False), ("till", True)):
        if not p.form[name]:
            continue
        try:
            day = parse_day(p.form[name], end=end)
        except ValueError:
            label = "Från" if name == "fran" else "Till"
            p.messages.append(
                f"{label}-datumet ”{p.form[name]}” förstås inte: skriv ÅÅÅÅ, ÅÅÅÅ-MM "
                "eller ÅÅÅÅ-MM-DD, t.ex. 2019 eller 2019-03-31."
            )
            p.usable = False
            continue
        if end:
            p.last_day = day
        else:
            p.first_day = day
    if p.first_day and p.last_day and p.first_day > p.last_day:
        p.messages.append(f"Från-datumet ({p.first_day}) ligger efter till-datumet ({p.last_day}).")
        p.usable = False
    order = p.form["ordning"].lower()
    if order not in ORDERS:
        p.messages.append(f"Ordningen ”{p.form['ordning']}” finns inte: relevans eller nyast.")
        order = "relevans"
    p.form["ordning"] = order
    p.order = ORDERS[order]
    page = _first(args, "sida")
    if page:
        if page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            p.page = int(page)
        else:
            p.messages.append(f"Sidan ”{page}” finns inte: 1 till {MAX_PAGE}.")
    after = _first(args, "efter")
    if after:
        if after.isdigit() and len(after) < 19:
            p.after = int(after)
        else:
            p.messages.append(f"”efter={after}” förstås inte; visar de nyaste.")
    p.exact_count = _first(args, "antal") == "exakt"
    return p
