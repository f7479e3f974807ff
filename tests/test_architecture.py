"""The layout is the architecture: each stage imports only what the README allows.

Every import in ``scraper/`` (at the top of a module or inside a function) is
resolved to the stage it reaches; a stage reaching one it may not is a failure
that names the file, the line and the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scraper"

#: Modules every stage may import: records between stages, errors, time, the registry
#: of municipalities and regions, and
#: pure text helpers (Swedish dates, word diffs, a URL's site).
SHARED = frozenset({"records", "errors", "timestamps", "dates", "diff", "registry", "sites"})

EVERY_STAGE = frozenset(
    {"config", "fetch", "discover", "extract", "store", "update", "serve", "demo"}
)

#: What each stage may import besides the shared modules and itself (README, "Layout").
ALLOWED: dict[str, frozenset[str]] = {
    "shared": frozenset(),
    "config": frozenset(),
    "fetch": frozenset(),
    "discover": frozenset(),
    "extract": frozenset(),
    "store": frozenset(),
    "update": frozenset({"config", "fetch", "discover", "extract", "store"}),
    "serve": frozenset({"store"}),
    "demo": frozenset({"config", "update", "store"}),
    "cli": EVERY_STAGE,
}


def stage_of(module: str) -> str:
    """The stage of a dotted module name under ``scraper``."""
    parts = module.split(".")
    if parts == ["scraper"]:
        return "package"
    head = parts[1]
    return "shared" if head in SHARED else head


def module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every ``scraper`` import in one file."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from scraper import store" reaches the module scraper.store
            for alias in node.names:
                module = f"{target}.{alias.name}" if target == "scraper" else target
                found.append((node.lineno, module))
    return [(line, mod) for line, mod in found if mod == "scraper" or mod.startswith("scraper.")]


def violations(root: Path) -> list[str]:
    """Every import that crosses the stage rules, as "file:line: stage -> stage (module)"."""
    found = []
    for path in sorted(root.rglob("*.py")):
        source = stage_of(module_name(path, root))
        if source == "package":
            continue  # the public API re-exports lazily, by name
        allowed = ALLOWED[source] | {source, "shared"}
        for line, module in imported_modules(path, root):
            target = stage_of(module)
            if target == "package" or target not in allowed:
                rel = path.relative_to(root.parent)
                found.append(f"{rel}:{line}: {source} may not import {target} ({module})")
    return found


def test_every_stage_imports_only_what_it_may() -> None:
    assert violations(PACKAGE) == []


def test_every_stage_has_a_folder_and_a_docstring_saying_what_it_never_imports() -> None:
    for stage in ("fetch", "discover", "extract", "store", "update", "serve", "demo"):
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "never imports" in doc.lower(), stage


def test_no_module_outside_the_stage_folders_but_the_shared_ones() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == SHARED | {"__init__", "config", "cli"}


@pytest.mark.parametrize(
    ("stage", "line", "expected"),
    [
        ("extract", "from scraper.fetch import Fetcher", "extract may not import fetch"),
        ("discover", "from scraper.store import Archive", "discover may not import store"),
        ("store", "from ..fetch.client import Fetcher", "store may not import fetch"),
        ("store", "from scraper import extract", "store may not import extract"),
        ("serve", "import scraper.update.crawl", "serve may not import update"),
        ("fetch", "    from scraper.extract import body_text", "fetch may not import extract"),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path: Path, stage: str, line: str, expected: str) -> None:
    root = tmp_path / "scraper"
    (root / stage).mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / stage / "__init__.py").write_text("")
    body = f"def f():\n{line}\n" if line.startswith(" ") else f"{line}\n"
    (root / stage / "mod.py").write_text(body)
    found = violations(root)
    assert len(found) == 1 and expected in found[0], found
