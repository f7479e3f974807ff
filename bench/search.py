"""Search latency over HTTP: ``scraper serve`` beside a plain Datasette, same releases.

    .venv/bin/python bench/search.py --db /work/searchbench/250k.db
    .venv/bin/python bench/search.py --db /work/searchbench/250k.db \\
        --venv /work/wt-search/.venv --out 250k.json        # another worktree's code
    .venv/bin/python bench/search.py --db ... --venv OLD/.venv --old-urls  # before /?q=
    .venv/bin/python bench/search.py --table 250k.json 1m.json   # runs side by side

Build the archive first with ``bench/search_build.py`` (with the venv whose
code should write it). This script then

- copies the archive and serves the copy with ``<venv>/bin/scraper serve``
  (``--venv``, default this repository's .venv: the code measured is that
  venv's ``scraper``; ``--migrate`` first opens the copy with that code's
  ``Archive`` so its schema changes apply);
- makes a plain copy of the same releases (id, source, url, title, kind,
  published, lead, body, language, year) with a default sqlite-utils FTS5
  index over title, lead and body, and serves it with Datasette 0.65 from a
  venv without this package (``--plain-venv``), so our plugin is not loaded;
  both get our serving settings (3 s SQL limit, 50 rows, no suggested facets);
- asks both 30 distinct queries of each kind (``search_queries.py``),
  alternating the two servers (and which goes first), and prints median and
  95th percentile in ms per kind (both archives read through once first,
  interleaved, as a server up a while has them cached: ours but the pages no
  search reads, ``page_cache.py``; ``--cold``: as copied; then both asked
  ``--warmup`` other queries of each kind, untimed), time-outs (HTTP 400
  from the SQL time limit, or over 3 s) and the matches of a few kinds as
  each counts them.

Where each kind is asked is the table ``OURS`` / ``PLAIN`` below: adjust it,
or override one entry with ``--endpoint NAME=TEMPLATE``, when the URLs change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import sqlite_utils
from page_cache import forget, never_read, read_through, resident
from search_queries import KINDS, load_queries, load_warmup

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_MS = 3000

#: Where our server answers each endpoint. {db} is the database name, other
#: fields come from the query (q, source, from, to, before, id) and {next} from
#: page 1's JSON ("next"). Redirects are followed (the table search box sends a
#: plain search to the search page). Before issue 14's search page (main up to
#: a0ecd36): --endpoint 'search=/{db}/search?q={q}' and the rest as OLD_OURS.
OURS = {
    "search": "/?q={q}",
    "filtered": "{search}&kommun={source}&fran={from}&till={to}",
    "atom": "/sok.atom?q={q}",
    "table": "/{db}/releases?_search={q}",
    "page2": "/?q={q}&sida=2",
    "release": "/{db}/releases/{id}",
    "count": "/{db}/releases.json?_search={q}&_size=1&_all_matches=1",
}
OLD_OURS = {
    **OURS,
    "search": "/{db}/search?q={q}",
    "filtered": "{search}&source={source}&from={from}&to={to}",
    "atom": "/{db}/search.atom?q={q}",
    "page2": "/{db}/releases?_search={q}&_next={next}",
}
_PLAIN_SEARCH = "/{db}/releases?_search={q}&_searchmode=raw"
PLAIN = {
    "search": _PLAIN_SEARCH,
    "filtered": _PLAIN_SEARCH + "&source={source}&published__gte={from}&published__lt={before}",
    "atom": "/{db}/releases.json?_search={q}&_searchmode=raw",  # plain has no Atom: its JSON
    "table": _PLAIN_SEARCH,
    "page2": _PLAIN_SEARCH + "&_next={next}",
    "release": "/{db}/releases/{id}",
    "count": "/{db}/releases.json?_search={q}&_searchmode=raw&_size=1",
}
#: The endpoint each kind of query is asked at.
KIND_ENDPOINT = {
    "+ municipality + dates": "filtered",
    "page 2": "page2",
    "Atom feed": "atom",
    "release page": "release",
    "table search": "table",
}
#: Kinds whose matches are counted (first 5 queries, median), as the table search counts.
COUNTED = ("rare word", "common word", "two words", "prefix", "inflected")
PLAIN_SETTINGS = {
    "sql_time_limit_ms": "3000",
    "facet_time_limit_ms": "1000",
    "default_page_size": "50",
    "max_returned_rows": "1000",
    "suggest_facets": "off",
}
PLAIN_COLUMNS = "id, source, url, title, kind, published, lead, body, language, year"


def make_plain_copy(archive: Path, plain: Path) -> None:
    """The releases of ``archive`` in a plain database with sqlite-utils' default FTS5 index."""
    if plain.exists() and plain.stat().st_mtime > archive.stat().st_mtime:
        return
    plain.parent.mkdir(parents=True, exist_ok=True)
    partial = plain.with_name(plain.name + ".partial")  # renamed once whole
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    with sqlite3.connect(partial) as conn:
        conn.execute(
            "CREATE TABLE releases (id INTEGER PRIMARY KEY, source TEXT, url TEXT, title TEXT, "
            "kind TEXT, published TEXT, lead TEXT, body TEXT, language TEXT, year INTEGER)"
        )
        conn.execute("ATTACH ? AS src", [f"file:{archive}?mode=ro"])
        conn.execute(f"INSERT INTO releases SELECT {PLAIN_COLUMNS} FROM src.releases")
    sqlite_utils.Database(partial)["releases"].enable_fts(["title", "lead", "body"])
    partial.rename(plain)
    print(f"plain copy {plain} made in {time.perf_counter() - started:.0f} s", flush=True)


def copy_archive(archive: Path, copy: Path) -> None:
    copy.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(archive, copy)
    with copy.open("rb+") as f:  # written out: the cache drops clean pages only
        os.fsync(f.fileno())
    forget(archive)
    forget(copy)  # what is cached is the read-through's to say


def warm_up(
    servers: dict[str, tuple[Server, dict[str, str], str]],
    queries: dict[str, list[dict[str, Any]]],
) -> float:
    """Ask every server the warm-up queries (none timed), alternating; seconds."""
    started = time.perf_counter()
    names = list(servers)
    for kind in KINDS:
        for i, query in enumerate(queries[kind]):
            for name in names if i % 2 == 0 else names[::-1]:
                server, table, db = servers[name]
                server.get(_url(table, kind, db, query, server))
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process on 127.0.0.1, stopped on exit."""

    def __init__(self, command: list[str], port: int, log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.base, timeout=60, follow_redirects=True)
        self.command, self.log_path = command, log

    def wait_ready(self) -> None:
        command, log = self.command, self.log_path
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{command[0]} exited: see {log}")
            try:
                if self.client.get("/").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{command[0]} did not answer in 300 s: see {log}")

    def get(self, path: str) -> tuple[float, httpx.Response]:
        started = time.perf_counter()
        response = self.client.get(path)
        return (time.perf_counter() - started) * 1000, response

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _fill(template: str, db: str, query: dict[str, Any], **extra: str) -> str:
    values = {k: urllib.parse.quote(str(v)) for k, v in query.items()}
    return template.format(db=db, **values, **extra)


def _url(table: dict[str, str], kind: str, db: str, query: dict[str, Any], server: Server) -> str:
    endpoint = KIND_ENDPOINT.get(kind, "search")
    template = table[endpoint]
    extra = {}
    if "{search}" in template:
        extra["search"] = _fill(table["search"], db, query)
    if "{next}" in template:
        page1 = _fill(table["table"], db, query).replace("?", ".json?", 1)
        data = server.client.get(page1).json()
        extra["next"] = urllib.parse.quote(str(data.get("next") or ""))
    return _fill(template, db, query, **extra)


def _timed_out(elapsed: float, response: httpx.Response) -> bool:
    return elapsed > TIME_LIMIT_MS or (
        response.status_code == 400 and "too long" in response.text.lower()
    )


def run(
    servers: dict[str, tuple[Server, dict[str, str], str]],
    queries: dict[str, list[dict[str, Any]]],
) -> dict[str, dict[str, Any]]:
    """Time every query on every server, alternating; returns figures per server and kind."""
    results: dict[str, dict[str, Any]] = {
        name: {k: {"ms": [], "timeouts": 0, "errors": []} for k in KINDS} for name in servers
    }
    names = list(servers)
    for kind in KINDS:
        for i, query in enumerate(queries[kind]):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                server, table, db = servers[name]
                url = _url(table, kind, db, query, server)
                elapsed, response = server.get(url)
                cell = results[name][kind]
                cell["ms"].append(elapsed)
                if _timed_out(elapsed, response):
                    cell["timeouts"] += 1
                elif response.status_code != 200:
                    cell["errors"].append(f"{response.status_code} {url}")
        line = "  ".join(f"{n} {_figure(results[n][kind])}" for n in names)
        print(f"  {kind:<24} {line}", flush=True)
    for kind in COUNTED:
        for name in names:
            server, table, db = servers[name]
            counts = []
            for query in queries[kind][:5]:
                response = server.client.get(_fill(table["count"], db, query))
                ok = response.status_code == 200
                counts.append(response.json().get("filtered_table_rows_count") if ok else None)
            known = [c for c in counts if c is not None]
            results[name][kind]["matches"] = statistics.median(known) if known else None
            results[name][kind]["matches_timed_out"] = len(counts) - len(known)
    return results


def _figure(cell: dict[str, Any]) -> str:
    times = sorted(cell["ms"])
    if not times:
        return "-"
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    text = f"{statistics.median(times):.0f}/{p95:.0f}"
    if cell["timeouts"]:
        text += f" ({cell['timeouts']}t)"
    if cell["errors"]:
        text += f" ({len(cell['errors'])}e)"
    return text


def _matches(cell: dict[str, Any]) -> str:
    if "matches" not in cell:
        return ""
    value = cell["matches"]
    text = "t/o" if value is None else f"{value:,.0f}"
    return text + (f" ({cell['matches_timed_out']} t/o)" if cell["matches_timed_out"] else "")


def markdown(results: dict[str, dict[str, Any]], label: str) -> str:
    ours, plain = results["ours"], results["plain"]
    lines = [
        f"| kind | {label} ours | {label} plain | matches ours / plain |",
        "|---|---|---|---|",
    ]
    for kind in KINDS:
        counted = f"{_matches(ours[kind])} / {_matches(plain[kind])}" if kind in COUNTED else ""
        lines.append(f"| {kind} | {_figure(ours[kind])} | {_figure(plain[kind])} | {counted} |")
    return "\n".join(lines)


def side_by_side(files: list[Path]) -> str:
    """One markdown table of several runs' figures (``--out`` files), like issue 14's."""
    runs = [(f.stem, json.loads(f.read_text(encoding="utf-8"))) for f in files]
    head = "".join(f" {name} ours | {name} plain |" for name, _ in runs)
    lines = [f"| kind |{head} matches ({runs[-1][0]}) ours / plain |"]
    lines.append("|---|" + "---|---|" * len(runs) + "---|")
    for kind in KINDS:
        cells = "".join(
            f" {_figure(r['ours'][kind])} | {_figure(r['plain'][kind])} |" for _, r in runs
        )
        last = runs[-1][1]
        counted = (
            f"{_matches(last['ours'][kind])} / {_matches(last['plain'][kind])}"
            if kind in COUNTED
            else ""
        )
        lines.append(f"| {kind} |{cells} {counted} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    if sys.argv[1:2] == ["--table"]:
        print(side_by_side([Path(f) for f in sys.argv[2:]]))
        return
    parser.add_argument("--db", type=Path, required=True, help="archive from search_build.py")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="whose scraper serves")
    parser.add_argument("--plain-venv", type=Path, default=Path("/work/searchbench/plain-venv"))
    parser.add_argument("--work", type=Path, help="where the copies go (default: beside --db)")
    parser.add_argument("--queries", type=int, default=30, help="queries per kind")
    parser.add_argument(
        "--migrate", action="store_true", help="open the copy with --venv's Archive"
    )
    parser.add_argument("--immutable", action="store_true", help="serve both copies immutable")
    parser.add_argument("--endpoint", action="append", default=[], metavar="NAME=TEMPLATE")
    parser.add_argument("--old-urls", action="store_true", help="URLs before the search page")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="time the servers on archives as copied (default: both read once before timing, "
        "as by a server up a while; at 1M the copy is 15 GB and only part of it stays cached)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=10,
        help="queries per kind asked of both servers before timing, none of them timed "
        "(as a server up a while has answered others; 0: none)",
    )
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    if args.old_urls:
        OURS.update(OLD_OURS)
    for item in args.endpoint:
        name, _, template = item.partition("=")
        if name not in OURS:
            parser.error(f"--endpoint: {name!r} is none of {', '.join(OURS)}")
        OURS[name] = template
    work = args.work or args.db.with_name(args.db.stem + "-run")
    plain = args.db.with_name(args.db.stem + "-plain") / "plain.db"
    make_plain_copy(args.db, plain)
    copy = work / "archive.db"
    unread_cache = args.db.with_name(args.db.name + ".unread.json")
    copy_archive(args.db, copy)
    if args.migrate:
        code = f"from scraper.store import Archive; Archive({str(copy)!r}).close()"
        subprocess.run([str(args.venv / "bin" / "python"), "-c", code], check=True)
    queries = load_queries(args.db, per_kind=args.queries)
    flag = ["--immutable"] if args.immutable else []
    ours_port, plain_port = _free_port(), _free_port()
    settings = [x for k, v in PLAIN_SETTINGS.items() for x in ("--setting", k, v)]
    started: list[Server] = []
    # SIGTERM (kill, timeout) stops the servers too: SystemExit runs the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        ours = Server(
            [str(args.venv / "bin" / "scraper"), "serve", "--db", str(copy), "--port",
             str(ours_port), *flag],
            ours_port, work / "ours.log",
        )  # fmt: skip
        started.append(ours)
        ours.wait_ready()
        plain_server = Server(
            [str(args.plain_venv / "bin" / "datasette"), "serve",
             *(["-i", str(plain)] if args.immutable else [str(plain)]), "--port",
             str(plain_port), *settings],
            plain_port, work / "plain.log",
        )  # fmt: skip
        started.append(plain_server)
        plain_server.wait_ready()
        servers = {"ours": (ours, OURS, "archive"), "plain": (plain_server, PLAIN, "plain")}
        if not args.cold:
            # What no search reads (the stems kept for the triggers) is left out, as
            # by a server up a while: at 1M both files do not fit in the cache.
            unread = never_read(copy) if args.migrate else never_read(args.db, unread_cache)
            seconds, done = read_through([copy, plain], {copy: unread})
            print(f"read both through in {seconds:.0f} s ({done / 1e9:.1f} GB; not read: "
                  f"{sum(n for _, n in unread) / 1e9:.1f} GB of ours no search reads)",
                  flush=True)  # fmt: skip
        for server, table, db in servers.values():  # warm-up, not counted
            for path in ("/", f"/{db}/releases", f"/{db}/releases/1"):
                server.get(path)
            server.get(_fill(table["search"], db, {"q": "sommar"}))
        if args.warmup:
            warm = load_warmup(args.db, queries, per_kind=args.warmup)
            print(f"warmed up by {sum(map(len, warm.values()))} other queries each in "
                  f"{warm_up(servers, warm):.0f} s", flush=True)  # fmt: skip
        print(resident([copy, plain]), flush=True)
        print(f"{args.db.name}: ours {args.venv} vs plain datasette, {args.queries} per kind")
        results = run(servers, queries)
        print(resident([copy, plain]), flush=True)
    finally:
        for server in started:
            server.stop()
    label = args.db.stem
    print()
    print(markdown(results, label))
    for name, kinds in results.items():
        for kind, cell in kinds.items():
            for error in cell["errors"][:3]:
                print(f"  {name} {kind}: HTTP {error}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
