"""The registry of Sweden's 290 municipalities and 21 regions, shipped with the package.

``scraper/data/municipalities.csv`` and ``regions.csv`` are copies of the
project's reference registry (names, domains and organisation numbers from
SKR's public dataset, kommunkod from SCB, population on 31 December 2024 from
SCB; provenance in ``../shared/reference/*.md`` and the README). A
municipality's id is its kommunkod, so that a researcher joins the archive to
SCB statistics; a region's id is "R" and its county code.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from .records import Organisation

__all__ = ["COUNTIES", "load_registry", "organisation_by_id"]

#: County (län) names by two-digit county code.
COUNTIES: dict[str, str] = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("scraper").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def load_registry() -> tuple[Organisation, ...]:
    """Every municipality (by name) and then every region (by county code)."""
    found = [
        Organisation(
            id=row["kommunkod"],
            kind="kommun",
            name=row["name"],
            county_code=row["county_code"],
            county=COUNTIES[row["county_code"]],
            domain=row["domain"],
            homepage=row["homepage"],
            kommunkod=row["kommunkod"],
            org_number=row["org_number"] or None,
            population=int(row["population"]) if row["population"] else None,
            population_year=int(row["population_year"]) if row["population_year"] else None,
        )
        for row in _rows("municipalities.csv")
    ]
    found += [
        Organisation(
            id=f"R{row['county_code']}",
            kind="region",
            name=row["name"],
            county_code=row["county_code"],
            county=COUNTIES[row["county_code"]],
            domain=row["domain"],
            homepage=row["homepage"],
        )
        for row in _rows("regions.csv")
    ]
    return tuple(found)


def organisation_by_id(organisation_id: str) -> Organisation | None:
    """The organisation with this id (kommunkod, or "R" + county code), or None."""
    return next((o for o in load_registry() if o.id == organisation_id), None)
