"""Writing what ``scraper discover`` found into a sources file, keeping what a person wrote.

An organisation already in the file (by its registry id, or by the URL found)
keeps its entry, comments and order; only its ``url`` changes when discovery
found another one, with the old one in a comment. A new organisation gets a
``[[source]]`` table at the end, under a comment saying how it was found.
tomlkit edits the file in place (round trip), so nothing else moves.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table

from scraper.records import Discovery
from scraper.sites import url_host

__all__ = ["source_id_for", "write_sources"]

_HEADER = """\
# Sources for `scraper update`, written by `scraper discover --write`.
# Hand edits are kept: discovery changes only the url of an organisation's
# entry, and adds entries for organisations not in the file yet.
"""


def source_id_for(name: str) -> str:
    """A source id from an organisation's name: "Västerviks kommun" -> "vasterviks-kommun"."""
    folded = unicodedata.normalize("NFKD", name.lower())
    ascii_name = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return slug[:64] or "source"


def _how_found(found: Discovery, *, today: str) -> str:
    choice = found.choice
    assert choice is not None
    what = choice.kind + (f" ({choice.platform})" if choice.platform else "")
    via = f" via {choice.label!r}" if choice.label else ""
    return (
        f"found by scraper discover {today} from {found.home}: {what}{via}, "
        f"{choice.releases_seen} releases seen, status {found.status}"
    )


def write_sources(path: Path, discoveries: list[Discovery], *, today: str = "") -> list[str]:
    """Add or update the ``[[source]]`` entries for the discoveries with a choice.

    Creates the file when missing. Returns one line per change, for the report.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    doc = tomlkit.parse(text)
    tables = doc.get("source")
    entries: list[Table] = list(tables) if isinstance(tables, AoT) else []
    ids = {str(t.get("id")) for t in entries}
    changes: list[str] = []
    additions: list[str] = []
    for found in discoveries:
        choice = found.choice
        if choice is None:
            continue
        match = next(
            (
                t
                for t in entries
                if (found.organisation and t.get("organisation") == found.organisation)
                or t.get("url") == choice.url
            ),
            None,
        )
        if match is not None:
            if match.get("url") != choice.url:
                old = match.get("url")
                match["url"] = choice.url
                match["url"].comment(f"discover {today}: was {old}".strip())
                changes.append(f"{match.get('id')}: url {old} -> {choice.url}")
            continue
        name = found.name or bare_host(found.final_home or found.home)
        source_id = source_id_for(name)
        while source_id in ids:
            source_id = f"{source_id}-{len(ids)}"
        ids.add(source_id)
        lines = [f"\n# {_how_found(found, today=today)}", "[[source]]"]
        lines.append(f"id = {tomlkit.string(source_id).as_string()}")
        lines.append(f"name = {tomlkit.string(name).as_string()}")
        lines.append(f"url = {tomlkit.string(choice.url).as_string()}")
        if found.organisation:
            lines.append(f"organisation = {tomlkit.string(found.organisation).as_string()}")
        if choice.path_prefix:
            lines.append(f"path_prefix = {tomlkit.string(choice.path_prefix).as_string()}")
        if found.status == "news_only":
            lines.append('kind = "Nyhet"')
        lines.append("verified = false")
        additions.append("\n".join(lines) + "\n")
        changes.append(f"{source_id}: added {choice.url}")
    out = tomlkit.dumps(doc)
    if additions:
        out = out.rstrip("\n") + "\n" + "".join(additions)
    path.write_text(out, encoding="utf-8")
    return changes


def bare_host(url: str) -> str:
    """The host of a URL (or of a bare "www.x.se") in lower case, without "www."."""
    return url_host(url if "//" in url else f"https://{url}").removeprefix("www.")
