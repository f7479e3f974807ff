"""scraper.fetch hands text bodies to scraper.fetch.charset, and still exports the names it moved.

How bytes become text (BOM, header, meta, detection) is tested in test_charset.py.
"""

from __future__ import annotations

from types import ModuleType

import httpx
import pytest

from scraper import fetch
from scraper.fetch import charset, robots, useragent
from scraper.fetch.client import Fetcher
from scraper.records import Settings

SWEDISH = "Åtgärder på gång: Västerviks kommun höjer avgiften för äldreomsorg – nu även i år."
PAGE = f"<html><head><title>Nyheter</title></head><p>{SWEDISH}</p></html>"


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("Decoded", charset),
        ("decode_body", charset),
        ("is_text_type", charset),
        ("RobotsTxt", robots),
        ("CONTACT_URL", useragent),
        ("user_agent", useragent),
    ],
)
def test_moved_names_stay_importable_from_fetch(name: str, home: ModuleType) -> None:
    assert name in fetch.__all__
    assert getattr(fetch, name) is getattr(home, name)


async def fetch_page(content_type: str, body: bytes) -> tuple[str, str, str]:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    async def no_sleep(seconds: float) -> None:
        return None

    settings = Settings(delay=0.0, retries=1)
    async with Fetcher(settings, transport=httpx.MockTransport(answer), sleep=no_sleep) as client:
        page = await client.fetch("https://x.se/nyheter/1")
    return page.text, page.encoding, page.encoding_source


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        # the header lies (UTF-8), the page is windows-1252 and says so in <meta>
        (
            "text/html; charset=utf-8",
            PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').encode("cp1252"),
            ("windows-1252", "meta"),
        ),
        ("text/html", PAGE.encode(), ("utf-8", "detected")),
        (
            "application/xhtml+xml; charset=windows-1252",
            PAGE.encode("cp1252"),
            ("windows-1252", "header"),
        ),
    ],
)
async def test_a_text_page_is_decoded_by_charset(
    content_type: str, body: bytes, expected: tuple[str, str]
) -> None:
    text, encoding, source = await fetch_page(content_type, body)
    assert SWEDISH in text
    assert (encoding, source) == expected
    assert text == charset.decode_body(body, content_type=content_type).text


@pytest.mark.parametrize("content_type", ["application/pdf", "image/jpeg"])
async def test_a_binary_body_is_not_decoded(content_type: str) -> None:
    assert await fetch_page(content_type, "%PDF-1.4 åäö".encode("cp1252")) == ("", "", "")
