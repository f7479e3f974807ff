"""The sources file: valid files load, every malformation names file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import load_config, parse_config
from scraper.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
[settings]
user_agent = "scraper-test/1 (+https://example.org)"
delay = 0

[[source]]
id = "vastervik"
name = "Västerviks kommun"
url = "https://www.vastervik.se/Pressmeddelanden/"
delay = 1.5
max_pages = 5

[[source]]
id = "lokal"
name = "Lokal testkommun"
url = "http://127.0.0.1:8123/nyheter/"
delay = 0
kind = "Nyhet"
drop_selectors = [".kontaktkort"]
"""


def test_good_file_loads_every_field() -> None:
    config = parse_config(GOOD, path="s.toml")
    assert [s.id for s in config.sources] == ["vastervik", "lokal"]
    first, second = config.sources
    assert first.delay == 1.5 and first.max_pages == 5 and first.line == 5
    assert second.delay == 0.0 and second.default_kind == "Nyhet"
    assert second.url.startswith("http://127.0.0.1:8123/")
    assert second.drop_selectors == (".kontaktkort",) and second.overridden
    assert not first.overridden and not first.verified
    assert config.settings.delay == 0 and config.settings.user_agent.startswith("scraper-test")


def test_shipped_sources_file_is_valid() -> None:
    config = load_config(ROOT / "sources.toml")
    ids = {s.id for s in config.sources}
    assert "vastervik" in ids and len(ids) >= 10
    assert all(not s.verified for s in config.sources)


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (GOOD.replace("max_pages = 5", "max_page = 5"), 10, "max_page", "unknown key"),
        (GOOD.replace('name = "Lokal testkommun"\n', ""), 12, "name", "missing"),
        (GOOD.replace('"http://127.0.0.1:8123/nyheter/"', '"ftp://x/"'), 15, "url", "http(s) URL"),
        (GOOD.replace('"http://127.0.0.1:8123/nyheter/"', '"nyheter"'), 15, "url", "http(s) URL"),
        (GOOD.replace('id = "lokal"', 'id = "vastervik"'), 13, "id", "duplicate"),
        (
            GOOD.replace(
                "http://127.0.0.1:8123/nyheter/", "https://www.vastervik.se/Pressmeddelanden/"
            ),
            15,
            "url",
            "duplicate url",
        ),
        (GOOD.replace("delay = 1.5", 'delay = "snabbt"'), 9, "delay", "number"),
        (GOOD.replace("delay = 1.5", "delay = -1"), 9, "delay", "0 or more"),
        (GOOD.replace("max_pages = 5", "max_pages = 0"), 10, "max_pages", "1 or more"),
        (GOOD.replace('id = "lokal"', 'id = "Lokal Kommun"'), 13, "id", "lower-case"),
        (GOOD.replace('".kontaktkort"', '"div[["'), 18, "drop_selectors", "CSS selector"),
        (GOOD.replace("delay = 0\n\n", "delai = 0\n\n", 1), 3, "settings.delai", "unknown"),
    ],
)
def test_errors_name_file_line_and_field(text: str, line: int, field: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path="kommuner.toml")
    error = caught.value
    assert (error.path, error.line, error.field) == ("kommuner.toml", line, field)
    assert words in str(error)
    assert str(error).startswith(f"kommuner.toml:{line}: field '{field}'")


def test_toml_syntax_error_names_the_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            GOOD.replace('name = "Västerviks kommun"', 'name = "Västerviks kommun'), path="x.toml"
        )
    assert caught.value.line == 7
    assert "not valid TOML" in str(caught.value)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "saknas.toml")
    empty = tmp_path / "tom.toml"
    empty.write_text("# inga källor\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"no \[\[source\]\] tables"):
        load_config(empty)


def test_refetch_schedule_is_read_and_checked() -> None:
    text = GOOD.replace(
        "delay = 0\n\n", "delay = 0\n\n[settings.refetch]\nyoung_days = 3\nold_every = 60\n\n", 1
    )
    config = parse_config(text, path="s.toml")
    assert config.settings.refetch.young_days == 3 and config.settings.refetch.old_every == 60.0
    with pytest.raises(ConfigError) as caught:
        parse_config(text.replace("young_days = 3", "young_dayz = 3"), path="s.toml")
    assert (caught.value.line, caught.value.field) == (6, "settings.refetch.young_dayz")
    with pytest.raises(ConfigError) as caught:
        parse_config(text.replace("old_every = 60", "old_every = -1"), path="s.toml")
    assert caught.value.field == "settings.refetch.old_every" and "0 or more" in str(caught.value)
