"""Load and validate a sources file (``sources.toml``).

::

    [settings]                      # optional, every key optional
    user_agent = "scraper/0.1 (+https://example.org/about)"
    concurrency = 8
    delay = 1.0

    [settings.refetch]              # optional: when known releases are re-checked
    young_days = 7
    young_every = 1.0

    [[source]]
    id = "vastervik"
    name = "Västerviks kommun"
    url = "https://www.vastervik.se/.../Pressmeddelanden/"
    delay = 1.0                     # optional
    max_pages = 50                  # optional
    kind = "Pressmeddelande"        # optional: kind of releases that name none
    verified = false                # optional: checked against the live site?
    body_selector = "..."           # optional overrides, see README
    drop_selectors = ["..."]
    date_selector = "..."

Every problem is a ConfigError naming the file, the line and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from .errors import ConfigError
from .records import Config, RefetchSchedule, Settings, Source
from .registry import organisation_by_id
from .sites import parse_origin

__all__ = ["load_config", "parse_config"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_SOURCE_KEYS = {
    "id": str,
    "name": str,
    "url": str,
    "delay": float,
    "max_pages": int,
    "kind": str,
    "verified": bool,
    "body_selector": str,
    "drop_selectors": list,
    "date_selector": str,
    "organisation": str,
    "path_prefix": str,
}
_REQUIRED = ("id", "name", "url")


def load_config(path: str | Path) -> Config:
    """Read and validate the sources file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None
    return parse_config(text, path=str(path))


def parse_config(text: str, *, path: str = "sources.toml") -> Config:
    """Validate the text of a sources file; ``path`` is used in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=line) from None
    locator = _Locator(text)
    unknown = set(data) - {"settings", "source"}
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(
            "unknown top-level key (expected [settings] and [[source]] tables)",
            path=path,
            line=locator.top_level(key),
            field=key,
        )
    settings = _parse_settings(data.get("settings", {}), path=path, locator=locator)
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError("no [[source]] tables", path=path, line=None, field="source")
    sources = []
    seen: dict[str, int] = {}
    urls: dict[str, int] = {}
    for index, raw in enumerate(raw_sources):
        source = _parse_source(raw, index=index, path=path, locator=locator)
        if source.id in seen:
            raise ConfigError(
                f"duplicate id '{source.id}' (first used on line {seen[source.id]})",
                path=path,
                line=locator.source_key(index, "id"),
                field="id",
            )
        seen[source.id] = source.line
        if source.url in urls:
            # Two sources on one URL would share its validators: the second would
            # be told "304, nothing new" for ever.
            raise ConfigError(
                f"duplicate url (also the url of the source on line {urls[source.url]})",
                path=path,
                line=locator.source_key(index, "url"),
                field="url",
            )
        urls[source.url] = source.line
        sources.append(source)
    return Config(path=path, settings=settings, sources=tuple(sources))


class _Locator:
    """Finds the line of a table or key in the raw text, for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.source_starts = [
            i + 1
            for i, line in enumerate(self.lines)
            if re.match(r"^\s*\[\[\s*source\s*\]\]", line)
        ]

    def _key_in(self, start: int, end: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, min(end, len(self.lines)) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def source_table(self, index: int) -> int | None:
        return self.source_starts[index] if index < len(self.source_starts) else None

    def source_key(self, index: int, key: str) -> int | None:
        start = self.source_table(index)
        if start is None:
            return None
        end = (
            self.source_starts[index + 1] - 1
            if index + 1 < len(self.source_starts)
            else len(self.lines)
        )
        return self._key_in(start, end, key) or start

    def settings_key(self, key: str, table: str = "settings") -> int | None:
        for i, line in enumerate(self.lines):
            if re.match(rf"^\s*\[\s*{re.escape(table)}\s*\]", line):
                return self._key_in(i + 1, len(self.lines), key) or i + 1
        return None

    def top_level(self, key: str) -> int | None:
        for i, line in enumerate(self.lines):
            if re.match(rf"^\s*\[*\s*{re.escape(key)}\b", line):
                return i + 1
        return None


def _check_type(value: Any, expected: type, *, path: str, line: int | None, field: str) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is int and isinstance(value, bool):
        raise ConfigError("must be a whole number", path=path, line=line, field=field)
    if not isinstance(value, expected):
        names = {
            str: "a string",
            int: "a whole number",
            float: "a number",
            bool: "true or false",
            list: "a list",
        }
        raise ConfigError(
            f"must be {names.get(expected, expected.__name__)}, got {value!r}",
            path=path,
            line=line,
            field=field,
        )
    return value


def _check_url(value: str, *, path: str, line: int | None, field: str) -> str:
    if parse_origin(value) is None:  # a bad port or IPv6 literal too
        raise ConfigError(f"not an http(s) URL: {value!r}", path=path, line=line, field=field)
    return value.strip()


def _check_selector(value: str, *, path: str, line: int | None, field: str) -> str:
    try:
        LexborHTMLParser("<p></p>").css(value)
    except Exception as exc:  # selectolax raises plain errors for bad CSS
        raise ConfigError(
            f"not a valid CSS selector: {value!r} ({exc})", path=path, line=line, field=field
        ) from None
    return value


def _parse_source(raw: Any, *, index: int, path: str, locator: _Locator) -> Source:
    table_line = locator.source_table(index)
    if not isinstance(raw, dict):
        raise ConfigError("[[source]] must be a table", path=path, line=table_line)
    for key in raw:
        if key not in _SOURCE_KEYS:
            raise ConfigError(
                f"unknown key (allowed: {', '.join(sorted(_SOURCE_KEYS))})",
                path=path,
                line=locator.source_key(index, key),
                field=key,
            )
    for key in _REQUIRED:
        if key not in raw:
            raise ConfigError("missing required key", path=path, line=table_line, field=key)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        line = locator.source_key(index, key)
        values[key] = _check_type(value, _SOURCE_KEYS[key], path=path, line=line, field=key)
    line_of = locator.source_key
    if not _ID.match(values["id"]):
        raise ConfigError(
            "must be lower-case letters, digits, '-' or '_' (at most 64)",
            path=path,
            line=line_of(index, "id"),
            field="id",
        )
    if not values["name"].strip():
        raise ConfigError("must not be empty", path=path, line=line_of(index, "name"), field="name")
    url = _check_url(values["url"], path=path, line=line_of(index, "url"), field="url")
    delay = values.get("delay")
    if delay is not None and delay < 0:
        raise ConfigError(
            "must be 0 or more", path=path, line=line_of(index, "delay"), field="delay"
        )
    max_pages = values.get("max_pages", 50)
    if max_pages < 1:
        raise ConfigError(
            "must be 1 or more", path=path, line=line_of(index, "max_pages"), field="max_pages"
        )
    drops = values.get("drop_selectors", [])
    for selector in drops:
        if not isinstance(selector, str):
            raise ConfigError(
                "must be a list of strings",
                path=path,
                line=line_of(index, "drop_selectors"),
                field="drop_selectors",
            )
        _check_selector(
            selector, path=path, line=line_of(index, "drop_selectors"), field="drop_selectors"
        )
    for key in ("body_selector", "date_selector"):
        if key in values:
            _check_selector(values[key], path=path, line=line_of(index, key), field=key)
    organisation = values.get("organisation")
    if organisation is not None and organisation_by_id(organisation) is None:
        raise ConfigError(
            'no municipality (kommunkod, e.g. "0883") or region ("R" + county code, '
            'e.g. "R08") with this id in the registry',
            path=path,
            line=line_of(index, "organisation"),
            field="organisation",
        )
    path_prefix = values.get("path_prefix")
    if path_prefix is not None and not path_prefix.startswith("/"):
        raise ConfigError(
            'must be a URL path starting with "/", e.g. "/nyheter/"',
            path=path,
            line=line_of(index, "path_prefix"),
            field="path_prefix",
        )
    return Source(
        id=values["id"],
        name=values["name"].strip(),
        url=url,
        delay=delay,
        max_pages=max_pages,
        default_kind=values.get("kind"),
        verified=values.get("verified", False),
        body_selector=values.get("body_selector"),
        drop_selectors=tuple(drops),
        date_selector=values.get("date_selector"),
        line=table_line or 0,
        organisation=organisation,
        path_prefix=path_prefix,
    )


def _parse_settings(raw: Any, *, path: str, locator: _Locator) -> Settings:
    values = _parse_table(raw, Settings, table="settings", path=path, locator=locator)
    if values.get("heal", "propose") not in ("propose", "switch"):
        raise ConfigError(
            'must be "propose" or "switch"',
            path=path,
            line=locator.settings_key("heal"),
            field="settings.heal",
        )
    for key in ("slow_answer", "host_slow_window"):
        if key in values and values[key] <= 0:
            raise ConfigError(
                "must be more than 0",
                path=path,
                line=locator.settings_key(key),
                field=f"settings.{key}",
            )
    window = values.get("host_slow_window", Settings.host_slow_window)
    if values.get("host_slow_limit", 0) > window:
        raise ConfigError(
            f"must be at most host_slow_window ({window}), or 0 for no limit",
            path=path,
            line=locator.settings_key("host_slow_limit"),
            field="settings.host_slow_limit",
        )
    if values.get("concurrency", 1) < 1:
        raise ConfigError(
            "must be 1 or more",
            path=path,
            line=locator.settings_key("concurrency"),
            field="settings.concurrency",
        )
    return Settings(**values)


_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


def _parse_table(
    raw: Any, record: type, *, table: str, path: str, locator: _Locator
) -> dict[str, Any]:
    """Check a settings table key by key against the fields of ``record``."""
    if not isinstance(raw, dict):
        raise ConfigError(
            f"[{table}] must be a table",
            path=path,
            line=locator.settings_key(table.rsplit(".", 1)[-1])
            if "." in table
            else locator.top_level(table),
            field=table,
        )
    types = {f.name: str(f.type) for f in fields(record)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        line = locator.settings_key(key, table=table)
        name = f"{table}.{key}"
        if key not in types:
            raise ConfigError(
                f"unknown setting (allowed: {', '.join(sorted(types))})",
                path=path,
                line=line,
                field=name,
            )
        if types[key] == "RefetchSchedule":
            schedule = _parse_table(value, RefetchSchedule, table=name, path=path, locator=locator)
            values[key] = RefetchSchedule(**schedule)
            continue
        expected = _TYPES[types[key]]
        checked = _check_type(value, expected, path=path, line=line, field=name)
        if expected in (int, float) and checked < 0:
            raise ConfigError("must be 0 or more", path=path, line=line, field=name)
        values[key] = checked
    return values
