"""The largest response a hostile ``?sql=`` gets from ``scraper serve``, and its peak memory.

    .venv/bin/python bench/serve_sql.py                 # every query, on the test archive
    .venv/bin/python bench/serve_sql.py --query blob    # one of them
    .venv/bin/python bench/serve_sql.py --format csv    # as CSV (or html: the query page)

Each query runs against a fresh ``scraper serve`` (a child process on
127.0.0.1, port 0), so the peak resident memory read from
``/proc/<pid>/status`` (VmHWM) belongs to that query alone. The response body
is counted as it streams, never held. Prints one line per query: status, body
bytes, seconds, the server's peak RSS before and after the request.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from search_archive import build_archive  # noqa: E402


def _rows(n: int) -> str:
    return f"with recursive n(i) as (select 1 union all select i + 1 from n limit {n}) "


QUERIES = {
    # The audit's query (issue 13): one 400 MB value.
    "blob": "select randomblob(400000000)",
    # Many rows of 1 MB each: under any per-value limit, over any sane total.
    "rows": _rows(1000) + "select zeroblob(1000000) from n",
    # One row, many columns of one shared 1 MB value.
    "columns": "with b(x) as (select zeroblob(1000000)) select "
    + ", ".join(["x"] * 60)
    + " from b",
    # Text that JSON inflates sixfold (\u0001 escapes).
    "escapes": _rows(1000) + "select printf('%.*c', 1000000, char(1)) from n",
    # The largest answers: just under the per-query budget (32 MB of JSON) as
    # random blobs (base64), ASCII text, control characters (\u0001: 6 bytes
    # each) and characters outside the BMP (\ud83d\ude00: 12 bytes each).
    "blob_max": _rows(23) + "select randomblob(1000000) from n",
    "ascii_max": _rows(16) + "select printf('%.*c', 2000000, 'a') from n",
    "escapes_max": _rows(5) + "select printf('%.*c', 1000000, char(1)) from n",
    "astral_max": _rows(5) + "select printf('%.*c', 500000, char(128512)) from n",
    # The widest row of the largest values (64 columns of 2 MB): refused, but
    # it is materialised before the budget can see it.
    "widest": "with b(x) as (select zeroblob(2000000)) select " + ", ".join(["x"] * 64) + " from b",
}


def _peak_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])  # type: ignore[index]


def measure(db: Path, name: str, sql: str, fmt: str = "json") -> str:
    """Serve ``db``, run one query (as JSON, CSV or the HTML page), return the report line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", "0", "--sql"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        url = re.search(r"at (http://\S+/)", process.stdout.readline())[1]  # type: ignore[index]
        httpx.get(url + "archive.json?sql=select+1", timeout=60)  # warm: start-up memory
        before = _peak_kib(process.pid)
        started = time.perf_counter()
        size = 0
        page = url + ("archive" if fmt == "html" else f"archive.{fmt}")
        with httpx.stream("GET", page, params={"sql": sql}, timeout=600) as r:
            for chunk in r.iter_bytes():
                size += len(chunk)
            status = r.status_code
        seconds = time.perf_counter() - started
        after = _peak_kib(process.pid)
    finally:
        process.terminate()
        process.communicate(timeout=30)
    return (
        f"{name:11} {fmt:4} status {status}  body {size:>13,} bytes  {seconds:6.1f} s  "
        f"peak RSS {before / 1024:6.0f} MB -> {after / 1024:6.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--query", choices=sorted(QUERIES), action="append")
    parser.add_argument("--format", choices=["json", "csv", "html"], default="json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        build_archive(db, today=date.today())
        for name in args.query or list(QUERIES):
            print(measure(db, name, QUERIES[name], args.format), flush=True)


if __name__ == "__main__":
    main()
