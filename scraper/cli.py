"""The ``scraper`` command: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from scraper.update.crawl import RunReport, update
from scraper.update.reprocess import reprocess

from .config import load_config
from .errors import (
    ConfigError,
    Interrupted,
    LockedError,
    PortInUseError,
    ScraperError,
    StorageError,
)
from .records import SourceReport
from .store import Archive

EXIT_SOURCE_FAILED = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 3
EXIT_PORT_IN_USE = 4
EXIT_OFFLINE = 5
#: A run stopped by a signal exits with 128 + the signal's number, as a shell
#: reports it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM.
EXIT_SIGNAL_BASE = 128


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        default="archive.db",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite archive file.",
    )(func)


def sources_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--sources",
        "sources_path",
        default="sources.toml",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="Sources file (TOML).",
    )(func)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _open_archive(db_path: str) -> Archive:
    try:
        return Archive(db_path)
    except StorageError as exc:
        _fail(str(exc), EXIT_CONFIG)
        raise  # unreachable


def _progress_printer() -> Callable[[str], None]:
    if not sys.stderr.isatty():
        return lambda _message: None
    return lambda message: click.echo(f"  {message}", err=True)


def _print_summary(report: RunReport) -> None:
    header = (
        f"{'source':<24} {'found':>6} {'new':>5} {'changed':>8} {'same':>5} "
        f"{'304':>5} {'removed':>8} {'failed':>7} {'missing':>8}"
    )
    click.echo(header)
    for item in report.sources:
        click.echo(_summary_line(item))
    failed = [r for r in report.sources if not r.ok]
    if len(report.sources) > 1:
        click.echo(_summary_line(_totals(report.sources)))
    counts = f"{len(failed)} of " if failed else ""
    outcome = " failed" if failed else ""
    click.echo(
        f"run {report.run_id} {report.status}: {counts}{len(report.sources)} sources{outcome}"
    )
    if report.network_error:
        # One cause, said once: not a failure per source that blames the site.
        click.echo(report.network_error, err=True)
        return
    for item in failed:
        click.echo(f"FAILED {item.source}: {item.error}", err=True)
    for item in report.sources:
        for finding in item.findings:
            click.echo(f"FINDING {item.source}: {finding}", err=True)


def _totals(reports: tuple[SourceReport, ...]) -> SourceReport:
    counts = {
        name: sum(getattr(r, name) for r in reports)
        for name in (
            "discovered",
            "new",
            "changed",
            "unchanged",
            "not_modified",
            "removed",
            "listed",
            "missing",
        )
    }
    return SourceReport(source="total", failed=sum(r.failed for r in reports), **counts)


def _exit_code(report: RunReport) -> int:
    if report.network_error:
        return EXIT_OFFLINE
    return 0 if report.ok else EXIT_SOURCE_FAILED


def _summary_line(r: SourceReport) -> str:
    return (
        f"{r.source:<24} {r.discovered:>6} {r.new:>5} {r.changed:>8} {r.unchanged:>5} "
        f"{r.not_modified:>5} {r.removed:>8} {r.failed:>7} {r.missing:>8}"
    )


@click.group()
@click.version_option(package_name="scraper")
def cli() -> None:
    """Archive Swedish municipal press releases into SQLite and serve them with Datasette.

    Start offline with: scraper demo
    """


@cli.command(name="update")
@db_option
@sources_option
@click.option(
    "--source", "source_ids", multiple=True, metavar="ID", help="Only this source (repeatable)."
)
@click.option("--full", is_flag=True, help="Walk every listing page and re-check every release.")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Hosts fetched at the same time (default: the sources file's setting).",
)
def update_command(
    db_path: str,
    sources_path: str,
    source_ids: tuple[str, ...],
    full: bool,
    concurrency: int | None,
) -> None:
    """Fetch new and changed releases of every source into the archive.

    Example: scraper update --db archive.db --sources sources.toml --source vastervik

    Exit status: 0 all sources processed, 1 a source failed (the others are
    stored all the same), 2 usage or configuration error, 3 another update
    holds the database, 5 no host answered (network down), 130 / 143
    stopped by SIGINT / SIGTERM (the run is marked interrupted).
    """
    try:
        config = load_config(sources_path)
    except ConfigError as exc:
        _fail(str(exc), EXIT_CONFIG)
    unknown = set(source_ids) - {s.id for s in config.sources}
    if unknown:
        _fail(f"{sources_path}: no source with id {', '.join(sorted(unknown))}", EXIT_CONFIG)
    archive = _open_archive(db_path)
    try:
        archive.lock()
    except LockedError as exc:
        archive.close()
        _fail(str(exc), EXIT_LOCKED)
    try:
        report = update(
            config,
            archive,
            source_ids=source_ids,
            full=full,
            concurrency=concurrency,
            progress=_progress_printer(),
        )
    except Interrupted as exc:
        sources = len(source_ids) or len(config.sources)
        click.echo(
            f"{exc} ({exc.done} of {sources} sources finished; the next update goes on from there)",
            err=True,
        )
        sys.exit(EXIT_SIGNAL_BASE + exc.signum)
    except ScraperError as exc:
        _fail(str(exc), EXIT_SOURCE_FAILED)
    finally:
        archive.close()
    _print_summary(report)
    sys.exit(_exit_code(report))


@cli.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to bind.")
@click.option("--immutable", is_flag=True, help="Serve a published snapshot (no writer).")
@click.option(
    "--sql/--no-sql",
    "allow_sql",
    default=None,
    help="Let visitors run their own SQL (?sql=). Default: on for 127.0.0.1/::1/localhost, "
    "off for any other address.",
)
def serve_command(
    db_path: str, host: str, port: int, immutable: bool, allow_sql: bool | None
) -> None:
    """Serve the archive with Datasette (read-only).

    Example: scraper serve --db archive.db --port 8001
    (public: scraper serve --db snapshot.db --immutable --host 0.0.0.0, SQL off)

    Exit status: 2 no such archive or an address that cannot be bound, 4 the
    port is in use.
    """
    if not Path(db_path).exists():
        _fail(
            f"{db_path}: no such archive (run 'scraper update' or 'scraper demo' first)",
            EXIT_CONFIG,
        )
    _serve(db_path, host=host, port=port, immutable=immutable, allow_sql=allow_sql)


def _serve(
    db_path: str, *, host: str, port: int, immutable: bool = False, allow_sql: bool | None = None
) -> None:
    """Bind, say where, and serve until interrupted."""
    from scraper.serve.app import listen, serve, served_url
    from scraper.serve.safety import sql_allowed

    try:
        sock = listen(host, port)
    except PortInUseError as exc:
        _fail(str(exc), EXIT_PORT_IN_USE)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_CONFIG)
    if not immutable and Path(db_path).is_file():
        # An archive written by an older version gets the current layout (search index) first.
        _open_archive(db_path).close()
    click.echo(f"Serving {db_path} at {served_url(sock)} (Ctrl-C to stop)")
    sql = sql_allowed(host, allow_sql)
    if not sql:
        click.echo("Arbitrary SQL is off (--sql turns it on); canned queries and feeds work.")
    serve(db_path, immutable=immutable, sock=sock, allow_sql=sql)


@cli.command(name="demo")
@db_option
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=True,
    help="Serve the archive with Datasette after the crawl.",
)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option(
    "--sites",
    "sites_dir",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Saved sites to crawl (default: fixtures/sites).",
)
def demo_command(db_path: str, then_serve: bool, port: int, sites_dir: str | None) -> None:
    """Find the saved fixture sites' releases from their home pages, crawl them
    offline, then serve the archive.

    Example: scraper demo --db archive.db
    """
    from scraper.demo.run import run_demo

    try:
        result = run_demo(
            db_path, sites_dir=Path(sites_dir) if sites_dir else None, progress=_progress_printer()
        )
    except (LockedError, FileNotFoundError) as exc:
        _fail(str(exc), EXIT_LOCKED if isinstance(exc, LockedError) else EXIT_CONFIG)
    for found in result.discoveries:
        choice = found.choice
        where = f"{choice.url} ({choice.kind}, {choice.releases_seen} seen)" if choice else "-"
        click.echo(f"discovered from {found.home}: {found.status}, {where}")
    for site in result.fallbacks:
        click.echo(
            f"discovery found nothing for {site}: crawled its listing from site.toml", err=True
        )
    _print_summary(result.report)
    click.echo(
        f"{result.releases} releases in {db_path} ({result.expected} expected), "
        f"found and crawled in {result.seconds:.1f} s"
    )
    if then_serve:
        _serve(db_path, host="127.0.0.1", port=port)


@cli.command(name="status")
@db_option
def status_command(db_path: str) -> None:
    """Print per source: last success and failure, releases, newest, stale warnings.

    Example: scraper status --db archive.db

    Exit status (for monitoring): 0 every source fine, 1 some source failing
    or stale, 2 no such archive.
    """
    from scraper.update.status import format_status, needs_attention

    if not Path(db_path).exists():
        _fail(f"{db_path}: no such archive", EXIT_CONFIG)
    with _open_archive(db_path) as archive:
        rows = archive.source_status()
    click.echo(format_status(rows))
    attention = needs_attention(rows)
    if attention:
        click.echo(
            f"{len(attention)} of {len(rows)} sources failing or stale: {', '.join(attention)}"
        )
    sys.exit(EXIT_SOURCE_FAILED if attention else 0)


@cli.command(name="reprocess")
@db_option
@click.option(
    "--sources",
    "sources_path",
    default="sources.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Sources file, for overrides (optional).",
)
@click.option("--source", "source_id", default=None, metavar="ID", help="Only this source.")
@click.option(
    "--since",
    default=None,
    metavar="YYYY-MM-DD",
    help="Only releases published on or after this date.",
)
def reprocess_command(
    db_path: str, sources_path: str, source_id: str | None, since: str | None
) -> None:
    """Re-extract releases from their stored raw pages, without any network.

    Example: scraper reprocess --source vastervik --since 2024-01-01
    """
    config = None
    if Path(sources_path).exists():
        try:
            config = load_config(sources_path)
        except ConfigError as exc:
            _fail(str(exc), EXIT_CONFIG)
    if not Path(db_path).exists():
        _fail(f"{db_path}: no such archive", EXIT_CONFIG)
    with _open_archive(db_path) as archive:
        try:
            archive.lock()
        except LockedError as exc:
            _fail(str(exc), EXIT_LOCKED)
        counts = reprocess(config, archive, source_id=source_id, since=since)
    click.echo(", ".join(f"{value} {key}" for key, value in counts.items()))


if __name__ == "__main__":  # pragma: no cover
    cli()


@cli.command(name="discover")
@click.argument("homes", nargs=-1)
@click.option(
    "--all", "everything", is_flag=True, help="Every municipality and region in the registry."
)
@click.option("--again", is_flag=True, help="With --all: also those discovered before.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per home page (JSON Lines).")
@click.option(
    "--sources",
    "sources_path",
    default="sources.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Sources file: settings are read from it, and --write writes to it.",
)
@click.option("--write", is_flag=True, help="Add or update [[source]] entries for the choices.")
@click.option(
    "--db",
    "db_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="Keep the findings in this archive (--all: archive.db by default).",
)
@click.option(
    "--budget", default=30, show_default=True, type=int, help="Requests per home page at most."
)
@click.option("--concurrency", type=int, default=None, help="Home pages at the same time.")
def discover_command(
    homes: tuple[str, ...],
    everything: bool,
    again: bool,
    as_json: bool,
    sources_path: str,
    write: bool,
    db_path: str | None,
    budget: int,
    concurrency: int | None,
) -> None:
    """Find where municipalities publish press releases, starting from their home pages.

    Example: scraper discover https://www.vastervik.se/ --json

    Example: scraper discover --all --write   (the whole registry, into sources.toml)
    """
    from scraper.update.discovery_run import (
        DiscoveryOptions,
        discovery_json,
        discovery_summary,
        run_discovery_command,
    )

    if not homes and not everything:
        _fail("name one or more home pages, or --all", EXIT_CONFIG)
    options = DiscoveryOptions(
        homes=homes,
        everything=everything,
        again=again,
        sources_path=Path(sources_path),
        write=write,
        db_path=Path(db_path) if db_path else (Path("archive.db") if everything else None),
        budget=budget,
        concurrency=concurrency,
    )
    progress = _progress_printer()
    try:
        outcome = run_discovery_command(
            options, progress=lambda found: progress(f"{found.home}: {found.status}")
        )
    except ConfigError as exc:
        _fail(str(exc), EXIT_CONFIG)
    except LockedError as exc:
        _fail(str(exc), EXIT_LOCKED)
    except StorageError as exc:
        _fail(str(exc), EXIT_CONFIG)
    for found in outcome.discoveries:
        if as_json:
            click.echo(json.dumps(discovery_json(found), ensure_ascii=False))
        else:
            click.echo(discovery_summary(found))
    for change in outcome.changes:
        click.echo(f"{sources_path}: {change}", err=True)
    if outcome.discoveries and all(d.status == "unreachable" for d in outcome.discoveries):
        count = len(outcome.discoveries)
        click.echo(
            f"network unreachable: no home page answered ({count}) — is this machine online?",
            err=True,
        )
        sys.exit(EXIT_OFFLINE)
