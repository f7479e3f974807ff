"""A robots.txt beyond the 512 KiB we read, cut inside a line (issue 13).

The cut must not leave a fragment ("Disallow: /*" of "Disallow: /*private")
that forbids the whole site.
"""

from __future__ import annotations

import pytest
from faultserver import FaultServer, Robots

from scraper.fetch.client import Fetcher
from scraper.fetch.robots import ROBOTS_MAX_BYTES, robots_text
from scraper.records import Settings

SETTINGS = Settings(user_agent="scraper-tests/1 (+https://example.org/tests)", delay=0.0)


def huge_robots(newline: str = "\n") -> str:
    """A robots.txt whose byte ROBOTS_MAX_BYTES falls just after "Disallow: /*" of
    "Disallow: /*private"; comment lines fill the room before it."""
    head = f"User-agent: *{newline}Disallow: /admin/{newline}"
    kept = "Disallow: /*"
    room = ROBOTS_MAX_BYTES - len(head) - len(kept)
    line = "# " + "x" * (100 - 2 - len(newline)) + newline  # 100 bytes
    lines, rest = divmod(room, len(line))
    assert rest > len(newline)  # the last comment line is not empty
    filler = line * lines + "#" * (rest - len(newline)) + newline
    text = head + filler + "Disallow: /*private" + newline
    text += f"Disallow: /efter-gransen/{newline}" * 100
    assert text.encode()[ROBOTS_MAX_BYTES - len(kept) : ROBOTS_MAX_BYTES] == kept.encode()
    return text


def test_the_partial_last_line_of_a_cut_robots_txt_is_dropped() -> None:
    body = huge_robots().encode()[:ROBOTS_MAX_BYTES]
    text = robots_text(body)
    assert text.endswith("#\n") and "Disallow: /*" not in text
    # A body within the limit is read whole, last line and all.
    assert robots_text(b"User-agent: *\nDisallow: /a") == "User-agent: *\nDisallow: /a"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
async def test_a_cut_robots_txt_blocks_nothing_it_did_not_say(newline: str) -> None:
    with FaultServer() as server:
        server.route("/robots.txt", Robots(huge_robots(newline)))
        async with Fetcher(SETTINGS) as fetcher:
            assert await fetcher.allowed(server.url("/nyheter/"))
            assert await fetcher.allowed(server.url("/privat/sida"))
            # What came before the cut still holds.
            assert not await fetcher.allowed(server.url("/admin/"))
