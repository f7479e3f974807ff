"""One update lock per database, whatever name it is opened by (issue 13)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.errors import LockedError
from scraper.store import Archive


def test_a_symlink_to_a_locked_database_is_locked_too(tmp_path: Path) -> None:
    holder = Archive(tmp_path / "c.db")
    os.symlink("c.db", tmp_path / "link.db")
    holder.lock()
    try:
        other = Archive(tmp_path / "link.db")
        with pytest.raises(LockedError, match="another update is running"):
            other.lock()
        other.close()
    finally:
        holder.close()
    with Archive(tmp_path / "link.db") as free:
        free.lock()  # free again once the first let go


def test_an_update_through_a_symlink_exits_3_while_one_runs(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nid = "a"\nname = "A"\nurl = "http://127.0.0.1:9/"\n')
    os.symlink(tmp_path / "c.db", tmp_path / "link.db")
    holder = Archive(tmp_path / "c.db")
    holder.lock()
    try:
        result = CliRunner().invoke(
            cli, ["update", "--db", str(tmp_path / "link.db"), "--sources", str(sources)]
        )
    finally:
        holder.close()
    assert result.exit_code == 3, result.output
    assert "another update is running" in result.output


def test_a_hard_linked_database_is_refused_under_every_name(tmp_path: Path) -> None:
    Archive(tmp_path / "c.db").close()
    os.link(tmp_path / "c.db", tmp_path / "hard.db")
    for name in ("c.db", "hard.db"):
        with Archive(tmp_path / name) as archive, pytest.raises(LockedError, match="2 hard links"):
            archive.lock()
