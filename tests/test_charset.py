"""scraper.fetch.charset.decode_body: åäö survive every path (header, meta, detection, default)."""

from __future__ import annotations

import pytest

from scraper.fetch.charset import decode_body, is_text_type

SWEDISH = "Åtgärder på gång: Västerviks kommun höjer avgiften för äldreomsorg – nu även i år."
#: ISO-8859-15 has the euro sign where windows-1252 has ¤, and no en dash.
EURO = "Avgiften för äldreomsorg höjs till 300 € i månaden, säger nämnden."


def html(text: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Nyheter</title></head><p>{text}</p></html>"


@pytest.mark.parametrize(
    ("content_type", "text", "codec", "encoding"),
    [
        ("text/html; charset=utf-8", SWEDISH, "utf-8", "utf-8"),
        ('text/html; charset="UTF-8"', SWEDISH, "utf-8", "utf-8"),
        ("text/html; charset=windows-1252", SWEDISH, "cp1252", "windows-1252"),
        # a declared ISO-8859-1 is read as windows-1252 (the en dash is 0x96)
        ("text/html; charset=ISO-8859-1", SWEDISH, "cp1252", "windows-1252"),
        ("text/html; charset=iso-8859-15", EURO, "iso8859-15", "iso8859-15"),
    ],
)
def test_charset_from_the_header(content_type: str, text: str, codec: str, encoding: str) -> None:
    decoded = decode_body(html(text).encode(codec), content_type=content_type)
    assert text in decoded.text
    assert (decoded.encoding, decoded.source) == (encoding, "header")


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        ('<meta charset="iso-8859-1">', "cp1252"),
        ("<meta charset=windows-1252>", "cp1252"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "cp1252"),
        ('<meta http-equiv="content-type" content="text/html;charset=utf-8" />', "utf-8"),
    ],
)
def test_charset_from_meta_when_the_header_has_none(head: str, codec: str) -> None:
    decoded = decode_body(html(SWEDISH, head).encode(codec), content_type="text/html")
    assert SWEDISH in decoded.text
    assert decoded.source == "meta"


def test_charset_from_the_xml_declaration() -> None:
    feed = f'<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>{SWEDISH}</title></rss>'
    decoded = decode_body(feed.encode("cp1252"), content_type="application/rss+xml")
    assert SWEDISH in decoded.text
    assert (decoded.encoding, decoded.source) == ("windows-1252", "meta")


def test_meta_beyond_the_first_4_kb_is_not_read() -> None:
    padding = "<!-- " + "x" * 5000 + " -->"
    body = html(SWEDISH, padding + '<meta charset="utf-8">').encode("cp1252")
    decoded = decode_body(body, content_type="text/html")
    assert SWEDISH in decoded.text
    assert decoded.source == "detected"


@pytest.mark.parametrize("codec", ["cp1252", "iso8859-1", "iso8859-15"])
def test_undeclared_legacy_charset_is_detected(codec: str) -> None:
    text = SWEDISH.replace("–", "-")  # the en dash exists in cp1252 only
    decoded = decode_body(html(text).encode(codec), content_type="text/html")
    assert text in decoded.text
    assert decoded.source == "detected"


def test_undeclared_utf8_is_detected() -> None:
    decoded = decode_body(html(SWEDISH).encode(), content_type="")
    assert SWEDISH in decoded.text
    assert (decoded.encoding, decoded.source) == ("utf-8", "detected")


def test_mostly_utf8_with_a_broken_byte_defaults_to_utf8() -> None:
    body = html(SWEDISH).encode() + b"<p>trasig \xff byte</p>"
    decoded = decode_body(body, content_type="text/html")
    assert SWEDISH in decoded.text and "trasig \ufffd byte" in decoded.text
    assert (decoded.encoding, decoded.source) == ("utf-8", "default")


def test_too_short_to_detect_defaults_to_windows_1252() -> None:
    decoded = decode_body("Hej åäö".encode("cp1252"), content_type="text/plain")
    assert decoded.text == "Hej åäö"
    assert (decoded.encoding, decoded.source) == ("windows-1252", "default")


def test_pure_ascii_is_utf8_by_default() -> None:
    decoded = decode_body(b"<p>Hej</p>", content_type="text/html")
    assert (decoded.text, decoded.encoding, decoded.source) == ("<p>Hej</p>", "utf-8", "default")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # header says UTF-8, the page is windows-1252 (and says so in meta)
        ("text/html; charset=utf-8", html(SWEDISH, '<meta charset="iso-8859-1">').encode("cp1252")),
        # header says UTF-8, the page is windows-1252 and says nothing
        ("text/html; charset=utf-8", html(SWEDISH).encode("cp1252")),
        # header says ISO-8859-1 (an old server default), the page is UTF-8
        ("text/html; charset=iso-8859-1", html(SWEDISH).encode()),
        # meta says ISO-8859-1, the page is UTF-8
        ("text/html", html(SWEDISH, '<meta charset="iso-8859-1">').encode()),
        # an unknown charset label
        ("text/html; charset=utf8mb4-ish", html(SWEDISH).encode()),
    ],
    ids=[
        "utf8-header-cp1252-meta",
        "utf8-header-cp1252",
        "latin1-header-utf8",
        "latin1-meta-utf8",
        "unknown-label",
    ],
)
def test_a_wrong_declaration_does_not_cause_mojibake(content_type: str, body: bytes) -> None:
    decoded = decode_body(body, content_type=content_type)
    assert SWEDISH in decoded.text
    assert "Ã" not in decoded.text and "\ufffd" not in decoded.text


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_a_bom_wins(codec: str) -> None:
    decoded = decode_body(html(SWEDISH).encode(codec), content_type="text/html; charset=iso-8859-1")
    assert SWEDISH in decoded.text
    assert not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("content_type", "text"),
    [
        ("text/html", True),
        ("", True),
        ("application/xhtml+xml", True),
        ("application/rss+xml; charset=utf-8", True),
        ("application/atom+xml", True),
        ("application/json", True),
        ("application/pdf", False),
        ("image/jpeg", False),
        ("application/octet-stream", False),
    ],
)
def test_is_text_type(content_type: str, text: bool) -> None:
    assert is_text_type(content_type) is text
