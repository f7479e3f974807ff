"""The archive's own pages, in Swedish, registered as Datasette routes.

    /kommuner                            every municipality and region: counts, coverage
    /kommun/<organisation id>            one municipality or region (0883, R08)
    /lan/<county slug or code>           one county (kalmar-lan, 08)
    /statistik                           charts across the archive
    /<db>/releases/<id>/version/<n>      one version of a release, to cite

Server-rendered HTML with SVG charts (``scraper.serve.charts``); no script.
Data comes from ``scraper.serve.page_data``; source health is judged by
``scraper.store.health``, as ``scraper status`` judges it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette.utils.asgi import NotFound, Response

from scraper.registry import COUNTIES
from scraper.store.health import coverage_share, silence

from . import page_data
from .archives import first_archive, is_archive
from .charts import Chart, bar_chart_svg, capita_chart, column_chart_svg, kind_chart, month_chart
from .cite import cite, version_path, versions

__all__ = ["county_slug", "decorate_release", "routes"]


STATUS_TEXT = {
    "press": "publicerar pressmeddelanden",
    "news_only": "publicerar bara nyheter",
    "none": "ingen nyhetslista hittad",
    "unreachable": "webbplatsen gick inte att nå",
    "not discovered": "inte undersökt än",
}
SOURCE_KIND_TEXT = {
    "listing": "lista på webbplatsen",
    "feed": "RSS/Atom-flöde",
    "sitemap": "webbplatskarta",
    "newsroom": "nyhetsrum",
}


def county_slug(name: str) -> str:
    """A county's name as a URL segment: "Västra Götalands län" -> "vastra-gotalands-lan"."""
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "-"})
    return name.lower().translate(table)


def _county_code(slug: str) -> str | None:
    if slug in COUNTIES:
        return slug
    return next((code for code, name in COUNTIES.items() if county_slug(name) == slug), None)


def _archive(datasette: Any) -> str:
    name = first_archive(datasette)
    if name is None:
        raise NotFound("Inget arkiv att visa")
    return name


def _figure(chart: Chart, *, horizontal: bool = False) -> dict[str, Any]:
    svg = bar_chart_svg(chart) if horizontal else column_chart_svg(chart)
    return {"chart": chart, "svg": svg, "totals": chart.totals()}


# --------------------------------------------------------------------------
# Source health in Swedish


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def _when(value: str | None) -> str | None:
    """A UTC timestamp as people read it: ``2026-12-05T03:00:00Z`` -> ``2026-12-05 03:00 UTC``."""
    if value and len(value) >= 16 and value[10] == "T":
        return f"{value[:10]} {value[11:16]} UTC"
    return value


def _health(row: dict[str, Any], *, domain: str | None, now: datetime) -> dict[str, Any]:
    """A ``source_status`` row as the municipality page shows it."""
    missing = len(row.get("missing") or [])
    listed = row.get("listed") or 0
    share = coverage_share(listed, missing)
    quiet = silence(row, now=now)
    if row.get("failing_since"):
        state, text = "failing", f"misslyckas sedan {_when(row['failing_since'])}"
    elif quiet is not None and quiet.never:
        state, text = "stale", "inga pressmeddelanden ännu"
    elif quiet is not None:
        state, text = (
            "stale",
            f"inget nytt på {quiet.days:.0f} dagar (brukar publicera var {quiet.usual_gap:.0f}:e "
            "dag)",
        )
    elif not row.get("last_run"):
        state, text = "new", "inte genomsökt än"
    else:
        state, text = "ok", "fungerar"
    url = row.get("healed_url") or row.get("url")
    host = _host(url)
    own = bool(domain and (host == domain or host.endswith("." + domain)))
    return {
        **row,
        "state": state,
        "state_text": text,
        "coverage": None if share is None else f"{share:.0f} %",
        "archived": listed - missing,
        "missing_count": missing,
        "where": "egna webbplatsen" if own else f"extern: {host}" if host else "",
        "last_success": _when(row.get("last_success")),
        "last_failure": _when(row.get("last_failure")),
    }


# --------------------------------------------------------------------------
# Links


def _query_url(datasette: Any, database: str, name: str, ext: str = "", **params: Any) -> str:
    base = datasette.urls.query(database, name) + ext
    return base + ("?" + urlencode(params) if params else "")


async def _render(
    datasette: Any, request: Any, template: str, database: str, context: dict[str, Any]
) -> Response:
    context = {
        "database": database,
        "scraper_archive": True,
        "archive_title": datasette.metadata("title") or "Arkivet",
        **context,
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


# --------------------------------------------------------------------------
# Pages


def _with_links(datasette: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["href"] = datasette.urls.path(f"/kommun/{row['id']}")
        row["county_href"] = datasette.urls.path(f"/lan/{county_slug(row['county'] or '')}")
        row["status_text"] = STATUS_TEXT.get(row["status"], row["status"])
        share = coverage_share(row["listed"], row["listed"] - row["archived"])
        row["coverage"] = None if share is None else f"{share:.0f} %"
        population = row.get("population")
        row["per_10000"] = (
            round(10000 * row["releases"] / population, 1) if population and row["releases"] else 0
        )
    return rows


async def kommuner_page(datasette: Any, request: Any) -> Response:
    database = _archive(datasette)
    db = datasette.get_database(database)
    rows = _with_links(datasette, await page_data.organisations(db))
    counties = [
        {"name": name, "href": datasette.urls.path(f"/lan/{county_slug(name)}")}
        for name in sorted(COUNTIES.values())
    ]
    context = {
        "municipalities": [r for r in rows if r["kind"] == "kommun"],
        "regions": [r for r in rows if r["kind"] == "region"],
        "counties": counties,
        "unattached": await page_data.unattached_sources(db),
        "municipality_query": datasette.urls.query(database, "municipality"),
        "with_releases": sum(1 for r in rows if r["releases"]),
        "total": len(rows),
    }
    return await _render(datasette, request, "scraper_kommuner.html", database, context)


async def kommun_page(datasette: Any, request: Any) -> Response:
    database = _archive(datasette)
    db = datasette.get_database(database)
    organisation_id = request.url_vars["id"]
    org = await page_data.organisation(db, organisation_id)
    if org is None:
        raise NotFound(f"Ingen kommun eller region med id {organisation_id}")
    _with_links(datasette, [org])
    now = datetime.now(UTC)
    health = [
        _health(row, domain=org.get("domain"), now=now)
        for row in await page_data.source_health(db, organisation_id)
    ]
    kinds = await page_data.counts_per_year_and_kind(db, organisation=organisation_id)
    year_counts: dict[int, int] = {}
    for row in kinds:
        year_counts[row["year"]] = year_counts.get(row["year"], 0) + row["n"]
    source_ids = [row["id"] for row in health]
    exports = [
        {
            "year": year,
            "releases": n,
            "csv": datasette.urls.table(database, "releases", format="csv")
            + "?"
            + urlencode(
                {
                    "source__in": ",".join(source_ids),
                    "year": year,
                    "_stream": "on",
                    "_size": "max",
                    "_dl": "1",
                }
            ),
        }
        for year, n in sorted(year_counts.items(), reverse=True)
    ]
    discovery = org.get("discovery") or {}
    context = {
        "org": org,
        "health": health,
        "discovery": discovery,
        "discovery_status": STATUS_TEXT.get(discovery.get("status") or "", ""),
        "discovery_kind": SOURCE_KIND_TEXT.get(discovery.get("source_kind") or "", ""),
        "latest": await page_data.latest_releases(db, organisation=organisation_id),
        "months": _figure(
            month_chart(
                await page_data.counts_per_month(db, organisation=organisation_id),
                f"Pressmeddelanden per månad, {org['name']}",
            )
        ),
        "kinds": _figure(kind_chart(kinds, f"Pressmeddelanden per år och typ, {org['name']}")),
        "exports": exports,
        "search_url": datasette.urls.path("/") + "?" + urlencode({"q": "", "kommun": org["id"]}),
        "feed": _query_url(datasette, database, "organisation", ".atom", organisation=org["id"]),
        "changes_feed": _query_url(datasette, database, "changes", ".atom", organisation=org["id"]),
        "changes": _query_url(datasette, database, "changes", organisation=org["id"]),
        "all_releases": _query_url(datasette, database, "organisation", organisation=org["id"]),
    }
    return await _render(datasette, request, "scraper_kommun.html", database, context)


async def lan_page(datasette: Any, request: Any) -> Response:
    database = _archive(datasette)
    db = datasette.get_database(database)
    code = _county_code(request.url_vars["slug"])
    if code is None:
        raise NotFound(f"Inget län som heter {request.url_vars['slug']}")
    name = COUNTIES[code]
    rows = _with_links(datasette, await page_data.organisations(db, county=code))
    years = await page_data.years(db, county=code)
    year = _chosen_year(request, years)
    capita = await page_data.per_capita(db, year=year, county=code) if year else []
    context = {
        "county": name,
        "code": code,
        "municipalities": [r for r in rows if r["kind"] == "kommun"],
        "regions": [r for r in rows if r["kind"] == "region"],
        "latest": await page_data.latest_releases(db, county=code),
        "months": _figure(
            month_chart(await page_data.counts_per_month(db, county=code), f"Per månad, {name}")
        ),
        "capita": _figure(
            capita_chart(capita, f"Pressmeddelanden per 10 000 invånare {year}, {name}"),
            horizontal=True,
        ),
        "year": year,
        "years": years,
        "feed": _query_url(datasette, database, "organisation", ".atom", county=code),
        "changes_feed": _query_url(datasette, database, "changes", ".atom", county=code),
    }
    return await _render(datasette, request, "scraper_lan.html", database, context)


def _chosen_year(request: Any, years: list[int]) -> int | None:
    wanted = request.args.get("ar", "")
    if wanted.isdigit() and int(wanted) in years:
        return int(wanted)
    return years[0] if years else None


async def statistik_page(datasette: Any, request: Any) -> Response:
    database = _archive(datasette)
    db = datasette.get_database(database)
    years = await page_data.years(db)
    year = _chosen_year(request, years)
    capita = await page_data.per_capita(db, year=year) if year else []
    context = {
        "months": _figure(
            month_chart(await page_data.counts_per_month(db), "Pressmeddelanden per månad")
        ),
        "kinds": _figure(
            kind_chart(await page_data.counts_per_year_and_kind(db), "Typer av meddelanden per år")
        ),
        "capita": _figure(
            capita_chart(capita, f"Flest pressmeddelanden per 10 000 invånare {year}"),
            horizontal=True,
        ),
        "year": year,
        "years": years,
        "per_capita_query": datasette.urls.query(database, "per_capita"),
        "per_year_query": datasette.urls.query(database, "per_municipality_year"),
    }
    return await _render(datasette, request, "scraper_statistik.html", database, context)


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


async def version_page(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    if not is_archive(datasette, database):
        raise NotFound("Ingen sådan databas")
    db = datasette.get_database(database)
    release = await page_data.release_with_versions(db, int(request.url_vars["id"]))
    if release is None:
        raise NotFound("Inget sådant pressmeddelande")
    found = versions(release, release["revisions"])
    number = int(request.url_vars["number"])
    if not 1 <= number <= len(found):
        raise NotFound(f"Pressmeddelandet har {len(found)} versioner")
    version = found[number - 1]
    release_path = datasette.urls.row(database, "releases", str(release["id"]))
    permalink = version_path(release_path, number)
    from .plugin import render_diff  # the plugin imports this module

    context = {
        "release": release,
        "version": version,
        "replaced_at": found[number]["archived_at"] if number < len(found) else None,
        "versions": [{**v, "href": version_path(release_path, v["number"])} for v in found],
        "release_path": release_path,
        "lead_paragraphs": _paragraphs(version.get("lead")),
        "paragraphs": _paragraphs(version.get("body")),
        "diff_html": render_diff(version.get("diff")),
        "citation": cite(
            version,
            organisation=release["organisation_name"] or release["source_name"],
            original_url=release["url"],
            archive_url=datasette.absolute_url(request, permalink),
        ).text(),
        "organisation_href": (
            datasette.urls.path(f"/kommun/{release['organisation']}")
            if release["organisation"]
            else None
        ),
    }
    return await _render(datasette, request, "scraper_version.html", database, context)


def decorate_release(
    datasette: Any, request: Any, database: str, document: dict[str, Any]
) -> dict[str, Any]:
    """The release page's document with version numbers, permalinks and its citation."""
    release_path = datasette.urls.row(database, "releases", str(document["id"]))
    oldest_first = sorted(document["revisions"], key=lambda rev: rev["id"])
    found = versions(document, oldest_first)
    numbers = {v["id"]: v["number"] for v in found[:-1]}
    for rev in document["revisions"]:
        rev["number"] = numbers[rev["id"]]
        rev["permalink"] = version_path(release_path, rev["number"])
    current = found[-1]
    permalink = version_path(release_path, current["number"])
    document["version_number"] = current["number"]
    document["permalink"] = permalink
    document["citation"] = cite(
        current,
        organisation=document.get("municipality") or document.get("source") or "",
        original_url=document.get("url"),
        archive_url=datasette.absolute_url(request, permalink),
    ).text()
    return document


def routes() -> list[tuple[str, Any]]:
    """The (regex, view) pairs for Datasette's ``register_routes``."""
    return [
        (r"^/kommuner$", kommuner_page),
        (r"^/kommun/(?P<id>[A-Za-z0-9]+)$", kommun_page),
        (r"^/lan/(?P<slug>[a-z0-9-]+)$", lan_page),
        (r"^/statistik$", statistik_page),
        (r"^/(?P<database>[^/]+)/releases/(?P<id>\d+)/version/(?P<number>\d+)$", version_page),
    ]
