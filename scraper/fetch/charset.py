"""Decode fetched bodies to text without mojibake (pure: bytes in, text out).

::

    decoded = decode_body(page_bytes, content_type="text/html; charset=utf-8")
    decoded.text, decoded.encoding, decoded.source

Order: BOM, then the Content-Type charset, then <meta> or the XML
declaration, then detection; a declaration the bytes contradict is ignored.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

__all__ = ["Decoded", "decode_body", "is_text_type"]

#: Legacy encodings charset-normalizer may choose between. Unrestricted, it
#: picks cp1250, mac_roman or EBCDIC for short Swedish windows-1252 text.
_LEGACY_CANDIDATES = ["cp1252", "iso8859_15"]
_META_SCAN = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:+-]+)""", re.I)
_TEXT_APPLICATION_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/json",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
    }
)


@dataclass(frozen=True)
class Decoded:
    """A body decoded to text, with the charset used and where it came from."""

    text: str
    encoding: str
    #: "header", "meta", "detected" or "default".
    source: str


def is_text_type(content_type: str) -> bool:
    """True when a media type (parameters allowed, "" for absent) carries text."""
    media = content_type.split(";", 1)[0].strip().lower()
    return (
        media == ""
        or media.startswith("text/")
        or media in _TEXT_APPLICATION_TYPES
        or media.endswith(("+xml", "+json"))
    )


def decode_body(content: bytes, *, content_type: str = "") -> Decoded:
    """Decode a body to text; never mojibake.

    Order: a BOM ("detected"); the charset of ``content_type`` ("header");
    <meta charset>, <meta http-equiv> or the XML declaration in the first
    4 KB ("meta"); valid UTF-8, else charset-normalizer among windows-1252 /
    ISO-8859-15 ("detected"); else ("default") UTF-8 with replacement for a
    body that is mostly UTF-8 and windows-1252 for one that is not.

    A declared charset the bytes contradict is skipped: "utf-8" on a body that
    is not valid UTF-8, a legacy charset on a body that is valid non-ASCII
    UTF-8. ISO-8859-1 and ASCII are read as windows-1252, as browsers do.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if content.startswith(bom):
            return Decoded(content[len(bom) :].decode(encoding, "replace"), encoding, "detected")
    declared = [(_header_charset(content_type), "header"), (_meta_charset(content), "meta")]
    for encoding, source in declared:
        if encoding and _fits(content, encoding):
            return Decoded(content.decode(encoding, "replace"), _public_name(encoding), source)
    as_utf8 = content.decode("utf-8", "replace")
    broken = as_utf8.count("\ufffd")
    if not broken:
        return Decoded(as_utf8, "utf-8", "default" if content.isascii() else "detected")
    non_ascii = len(as_utf8) - len(as_utf8.encode("ascii", "ignore"))
    if non_ascii - broken > broken:
        # Mostly UTF-8 with a few broken bytes: keep the UTF-8, replace the rest.
        return Decoded(as_utf8, "utf-8", "default")
    best = from_bytes(content, cp_isolation=_LEGACY_CANDIDATES).best()
    if best is not None:
        encoding = codecs.lookup(best.encoding).name
        return Decoded(content.decode(encoding, "replace"), _public_name(encoding), "detected")
    # Too short or odd for detection, and not UTF-8: the legacy charset of
    # Swedish sites, which decodes every byte.
    return Decoded(content.decode("cp1252", "replace"), "windows-1252", "default")


def _canonical_charset(label: str) -> str | None:
    label = label.strip().strip("\"'").strip().lower()
    try:
        name = codecs.lookup(label).name
        b"a".decode(name)  # refuses bytes-to-bytes codecs such as base64
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in {"iso8859-1", "ascii"} else name


def _public_name(codec: str) -> str:
    return codec.replace("cp125", "windows-125") if codec.startswith("cp125") else codec


def _header_charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return _canonical_charset(value)
    return None


def _meta_charset(content: bytes) -> str | None:
    head = content[:_META_SCAN]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = _canonical_charset(match.group(1).decode("ascii", "replace"))
    # A meta tag we could read as ASCII cannot be UTF-16 (WHATWG: use UTF-8).
    return "utf-8" if name and name.startswith(("utf-16", "utf-32")) else name


def _fits(content: bytes, encoding: str) -> bool:
    """False when the bytes show that the declared ``encoding`` is wrong."""
    if encoding == "utf-8":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if not encoding.startswith("utf") and not content.isascii():
        try:
            content.decode("utf-8")
            return False  # legacy charset declared, but the body is UTF-8
        except UnicodeDecodeError:
            pass
    if encoding == "cp1252":
        return True  # browsers map the 5 undefined bytes; "replace" does too
    try:
        content.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
