"""The command line: exit statuses and messages for the operator."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scraper.cli import cli
from scraper.store import Archive


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_error_exits_2_naming_file_line_and_field(tmp_path: Path) -> None:
    sources = write(tmp_path, '[[source]]\nid = "a"\nname = "A"\nurl = "inte-en-url"\n')
    result = CliRunner().invoke(
        cli, ["update", "--db", str(tmp_path / "a.db"), "--sources", str(sources)]
    )
    assert result.exit_code == 2
    assert f"{sources}:4: field 'url': not an http(s) URL" in result.output
    assert "Traceback" not in result.output


def test_missing_sources_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["update", "--db", str(tmp_path / "a.db"), "--sources", str(tmp_path / "saknas.toml")]
    )
    assert result.exit_code == 2 and "file not found" in result.output


def test_unknown_source_id_exits_2(tmp_path: Path) -> None:
    sources = write(tmp_path, '[[source]]\nid = "a"\nname = "A"\nurl = "http://127.0.0.1:9/"\n')
    result = CliRunner().invoke(
        cli, ["update", "--db", str(tmp_path / "a.db"), "--sources", str(sources), "--source", "b"]
    )
    assert result.exit_code == 2 and "no source with id b" in result.output


def test_second_update_on_a_locked_database_exits_3(tmp_path: Path) -> None:
    sources = write(tmp_path, '[[source]]\nid = "a"\nname = "A"\nurl = "http://127.0.0.1:9/"\n')
    holder = Archive(tmp_path / "a.db")
    holder.lock()
    try:
        result = CliRunner().invoke(
            cli, ["update", "--db", str(tmp_path / "a.db"), "--sources", str(sources)]
        )
    finally:
        holder.close()
    assert result.exit_code == 3 and "another update is running" in result.output


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        assert command.help and "Example: scraper" in command.help, name
