"""What the archive's own pages show, read through Datasette (async, read-only).

Each function takes a ``datasette.database.Database`` and returns plain rows
(dicts); ``scraper.serve.pages`` turns them into pages. Source health comes
from the same query ``scraper status`` uses (``scraper.store.reports``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from scraper.store.reports import Reports

__all__ = [
    "OVERVIEW_SQL",
    "counts_per_month",
    "counts_per_year_and_kind",
    "latest_releases",
    "organisation",
    "organisations",
    "per_capita",
    "release_with_versions",
    "source_health",
    "years",
]

#: Every organisation (``{where}``: all, one county or one) with what the archive
#: holds for it and how well it is covered. Counts come from the releases'
#: (source, published) index, only for the sources of the organisations asked for.
OVERVIEW_SQL = """with chosen as (
  select id from organisations o where {where}
), per_source as (
  select r.source, count(*) as releases, max(r.published) as newest from releases r
  where r.source in (select s.id from sources s where s.organisation in (select id from chosen))
  group by r.source
), per_org as (
  select s.organisation, count(*) as sources, sum(coalesce(p.releases, 0)) as releases,
    max(p.newest) as newest
  from sources s left join per_source p on p.source = s.id
  where s.organisation in (select id from chosen) group by s.organisation
), listed as (
  select s.organisation, count(*) as listed,
    sum(exists(select 1 from release_urls u where u.url = h.url)) as archived
  from hints h join sources s on s.id = h.source
  where s.organisation in (select id from chosen) group by s.organisation
)
select
  o.id, o.kind, o.name, o.county, o.county_code, o.population, o.homepage, o.domain,
  coalesce(d.status, 'not discovered') as status, d.source_kind, d.platform,
  coalesce(x.sources, 0) as sources, coalesce(x.releases, 0) as releases, x.newest,
  coalesce(h.listed, 0) as listed, coalesce(h.archived, 0) as archived
from organisations o
  left join discoveries d on d.home = (select d2.home from discoveries d2
    where d2.organisation = o.id order by d2.discovered_at desc limit 1)
  left join per_org x on x.organisation = o.id
  left join listed h on h.organisation = o.id
where o.id in (select id from chosen)
order by o.kind, o.name"""


def _overview_sql(*, county: str = "", organisation: str = "") -> str:
    if organisation:
        return OVERVIEW_SQL.format(where="o.id = :organisation")
    if county:
        return OVERVIEW_SQL.format(where="o.county_code = :county")
    return OVERVIEW_SQL.format(where="1")


def _scope_sql(organisation: str = "", county: str = "") -> str:
    """The condition on ``r`` (releases) for one organisation, one county or everything.

    Written out per case rather than as ``(:x = '' or ...)``, which would keep
    SQLite from the releases' source index.
    """
    if organisation:
        return "r.source in (select id from sources where organisation = :organisation)"
    if county:
        return (
            "r.source in (select s.id from sources s join organisations o "
            "on o.id = s.organisation where o.county_code = :county)"
        )
    return "1"


async def _rows(db: Any, sql: str, params: dict[str, Any] | list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


def _scope(organisation: str = "", county: str = "") -> dict[str, str]:
    if organisation:
        return {"organisation": organisation}
    return {"county": county} if county else {}


async def organisations(db: Any, *, county: str = "") -> list[dict[str, Any]]:
    """Every municipality and region (of one county), with counts and coverage."""
    return await _rows(db, _overview_sql(county=county), {"county": county})


async def organisation(db: Any, organisation_id: str) -> dict[str, Any] | None:
    """One organisation with its counts, coverage and latest discovery; None when unknown."""
    found = await _rows(
        db, _overview_sql(organisation=organisation_id), {"organisation": organisation_id}
    )
    if not found:
        return None
    row = found[0]
    discovery = await _rows(
        db,
        "select home, final_home, cms, status, source_url, source_kind, platform, "
        "releases_seen, discovered_at, error from discoveries where organisation = ? "
        "order by discovered_at desc limit 1",
        [organisation_id],
    )
    row["discovery"] = discovery[0] if discovery else None
    return row


async def unattached_sources(db: Any) -> list[dict[str, Any]]:
    """Sources that name no organisation, with their release counts."""
    return await _rows(
        db,
        "select s.id, s.name, count(r.id) as releases from sources s "
        "left join releases r on r.source = s.id "
        "where coalesce(s.organisation, '') = '' or s.organisation not in "
        "(select id from organisations) group by s.id order by s.name",
        [],
    )


async def latest_releases(
    db: Any, *, organisation: str = "", county: str = "", limit: int = 20
) -> list[dict[str, Any]]:
    """The newest releases of the scope, newest first."""
    return await _rows(
        db,
        "select r.id, r.title, r.published, r.kind, r.removed_at, r.changed_at, "
        "s.name as source_name from releases r join sources s on s.id = r.source "
        f"where {_scope_sql(organisation, county)} "
        f"order by r.published desc, r.id desc limit {int(limit)}",
        _scope(organisation, county),
    )


async def counts_per_month(
    db: Any, *, organisation: str = "", county: str = ""
) -> list[tuple[str, int]]:
    """(YYYY-MM, releases) for every month that has any, oldest first."""
    rows = await _rows(
        db,
        "select substr(r.published, 1, 7) as month, count(*) as n from releases r "
        f"where {_scope_sql(organisation, county)} and r.published is not null "
        "and length(r.published) >= 7 group by month order by month",
        _scope(organisation, county),
    )
    return [(row["month"], row["n"]) for row in rows]


async def counts_per_year_and_kind(
    db: Any, *, organisation: str = "", county: str = ""
) -> list[dict[str, Any]]:
    """Rows of (year, kind, n), oldest year first; kind None when unknown."""
    return await _rows(
        db,
        # From the counts the store keeps (scraper.store.counts), not the releases.
        "select r.year, nullif(r.kind, '') as kind, sum(r.n) as n from release_counts r "
        f"where {_scope_sql(organisation, county)} and r.year != 0 "
        "group by r.year, r.kind having sum(r.n) > 0 order by r.year, n desc",
        _scope(organisation, county),
    )


async def years(db: Any, *, county: str = "") -> list[int]:
    """The years municipalities (of a county) published in, newest first (for ``per_capita``)."""
    rows = await _rows(
        db,
        "select distinct r.year from release_counts r where r.year != 0 and r.n > 0 "
        "and r.source in "
        "(select s.id from sources s join organisations o on o.id = s.organisation "
        "where o.kind = 'kommun' and o.population > 0 "
        "and (:county = '' or o.county_code = :county)) order by r.year desc",
        {"county": county},
    )
    return [row["year"] for row in rows]


async def per_capita(
    db: Any, *, year: int, county: str = "", limit: int = 25
) -> list[dict[str, Any]]:
    """Municipalities by releases per 10,000 inhabitants in ``year``, highest first."""
    return await _rows(
        db,
        "select o.id, o.name, o.population, sum(r.n) as releases, "
        "round(10000.0 * sum(r.n) / o.population, 2) as per_10000 "
        "from organisations o join sources s on s.organisation = o.id "
        "join release_counts r on r.source = s.id "
        "where o.kind = 'kommun' and o.population > 0 and r.year = :year "
        "and (:county = '' or o.county_code = :county) "
        "group by o.id having sum(r.n) > 0 "
        f"order by per_10000 desc, o.name limit {int(limit)}",
        {"year": year, "county": county},
    )


class _StatusReader(Reports):
    """``Reports`` over a connection Datasette lends (reads only)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.db = sqlite_utils.Database(conn, recursive_triggers=False)


async def source_health(db: Any, organisation_id: str) -> list[dict[str, Any]]:
    """``scraper status``'s rows for the organisation's sources (with url and events)."""
    ids = [
        row["id"]
        for row in await _rows(
            db, "select id from sources where organisation = ? order by id", [organisation_id]
        )
    ]
    if not ids:
        return []
    return await db.execute_fn(lambda conn: _StatusReader(conn).source_status(ids))


async def release_with_versions(db: Any, release_id: int) -> dict[str, Any] | None:
    """A release (current version) with its organisation and earlier versions, oldest first."""
    found = await _rows(
        db,
        "select r.id, r.title, r.lead, r.body, r.published, r.kind, r.url, r.first_seen, "
        "r.version_seen, r.last_seen, r.removed_at, r.source, s.name as source_name, "
        "o.id as organisation, o.name as organisation_name from releases r "
        "join sources s on s.id = r.source left join organisations o on o.id = s.organisation "
        "where r.id = ?",
        [release_id],
    )
    if not found:
        return None
    release = found[0]
    release["revisions"] = await _rows(
        db,
        "select id, title, lead, body, published, first_seen, last_seen, diff from revisions "
        "where release_id = ? order by id",
        [release_id],
    )
    return release
