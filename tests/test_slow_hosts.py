"""A host that answers slowly between good answers is given up (issue 13).

Good answers in between used to reset the count: a host slow on every other
page was never left. Now slow or missing answers are counted over the host's
last ``host_slow_window`` attempts. Durations are fake time (``FakeTime``,
advanced by the server) or tiny real delays against a low ``slow_answer``;
the assertions are on counts and outcomes, never on durations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from faultserver import Exchange, FakeTime, FaultServer, Respond, Slow, Truncated

from scraper.config import parse_config
from scraper.errors import ConfigError, FetchError
from scraper.fetch.client import Fetcher
from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update

AGENT = "scraper-tests/1 (+https://example.org/tests)"
PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><article><h1>{title}</h1><p class="datum">Publicerad 2025-03-{day:02d}</p>
<p>Kommunen informerar om {title} och vad det betyder för invånarna i kommunen under året.</p>
<p>Mer information kommer att publiceras här när arbetet har kommit längre.</p>
</article></main></body></html>"""


class SlowThenCut:
    """Keeps the client waiting ``seconds`` of fake time, then sends a body cut short:
    an answer, but a failed and slow one (a trickle stopped by the total timeout)."""

    def __init__(self, time: FakeTime, seconds: float) -> None:
        self.time, self.seconds = time, seconds

    def __call__(self, ex: Exchange) -> None:
        self.time.advance(self.seconds)
        Truncated()(ex)


async def test_slow_every_other_page_gives_the_host_up_at_the_default_settings() -> None:
    """Default settings: every slow page is retried 4 times at 60 s each, as a
    trickling page stopped by the 60 s total timeout is."""
    time = FakeTime()
    with FaultServer() as server:
        pages = [f"/nyheter/{n}" for n in range(1, 17)]
        for n, path in enumerate(pages, start=1):
            slow = n % 2 == 0
            server.route(path, SlowThenCut(time, 60.0) if slow else Respond(200, "<p>ok</p>"))
        outcomes = []
        async with Fetcher(
            Settings(user_agent=AGENT), sleep=time.sleep, clock=time.clock
        ) as fetcher:
            for path in pages:
                try:
                    await fetcher.fetch(server.url(path))
                    outcomes.append("ok")
                except FetchError as exc:
                    outcomes.append(exc.reason)
            assert fetcher.given_up_hosts == {server.host}
        # Page 2 fails after its 4 slow attempts, page 3 answers at once, and the
        # first slow attempt of page 4 is the fifth slow answer of the last ten.
        page_requests = server.count() - server.count("/robots.txt")
        assert page_requests == 1 + 4 + 1 + 1
        assert outcomes[:3] == ["ok", outcomes[1], "ok"] and "truncated" in outcomes[1]
        assert all("host_slow_limit" in reason for reason in outcomes[4:]), outcomes


async def test_one_slow_page_among_fast_ones_is_no_reason_to_leave() -> None:
    time = FakeTime()
    with FaultServer() as server:
        server.route("/slow", SlowThenCut(time, 60.0))
        server.route("/fast", Respond(200, "<p>ok</p>"))
        async with Fetcher(
            Settings(user_agent=AGENT), sleep=time.sleep, clock=time.clock
        ) as fetcher:
            with pytest.raises(FetchError, match="truncated"):
                await fetcher.fetch(server.url("/slow"))  # 4 slow attempts of 10
            for _ in range(20):
                await fetcher.fetch(server.url("/fast"))
            assert not fetcher.given_up_hosts


def test_update_leaves_a_host_slow_on_every_other_page(tmp_path: Path) -> None:
    """A real server answering every other release 0.5 s late, with slow_answer
    set to 0.25 s: the update gives the host up instead of fetching it all."""
    slugs = [f"sida-{n}" for n in range(1, 15)]
    with FaultServer() as server:
        items = "".join(
            f'<li class="news-item"><a href="/nyheter/{s}/">Nyhet {s}</a> '
            f"<span>2025-03-{i + 1:02d}</span></li>"
            for i, s in enumerate(slugs)
        )
        server.route("/nyheter/", Respond(200, f'<main><ul class="news-list">{items}</ul></main>'))
        for i, slug in enumerate(slugs):
            page = Respond(200, PAGE.format(title=f"Nyhet {slug}", day=i + 1))
            server.route(f"/nyheter/{slug}/", Slow(0.5, page) if i % 2 else page)
        settings = Settings(user_agent=AGENT, delay=0.0, slow_answer=0.25)
        source = Source(id="seg", name="Segby kommun", url=server.url("/nyheter/"), delay=0.0)
        with Archive(tmp_path / "a.db") as archive:
            update(Config(path="<test>", settings=settings, sources=(source,)), archive)
            given_up = [
                row["url"]
                for row in archive.db.query(
                    "select url from fetches where purpose = 'release' and error like ?",
                    ["%host_slow_limit%"],
                )
            ]
        release_requests = sum(server.count(f"/nyheter/{s}/") for s in slugs)
    # Five slow answers among the last ten give the host up: at most ten of the
    # fourteen pages were asked for (fewer if a fast answer came late too).
    assert release_requests <= 10
    assert len(given_up) == len(slugs) - release_requests


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("slow_answer = 0", "more than 0"),
        ("host_slow_window = 0", "more than 0"),
        ("host_slow_limit = 11", r"at most host_slow_window \(10\)"),
        ("host_slow_limit = -1", "0 or more"),
    ],
)
def test_slow_host_settings_are_checked(line: str, words: str) -> None:
    text = f'[settings]\n{line}\n\n[[source]]\nid = "a"\nname = "A"\nurl = "https://a.se/"\n'
    with pytest.raises(ConfigError, match=words):
        parse_config(text, path="s.toml")


def test_slow_host_settings_are_read() -> None:
    text = (
        "[settings]\nslow_answer = 5\nhost_slow_window = 20\nhost_slow_limit = 8\n\n"
        '[[source]]\nid = "a"\nname = "A"\nurl = "https://a.se/"\n'
    )
    settings = parse_config(text, path="s.toml").settings
    assert (settings.slow_answer, settings.host_slow_window, settings.host_slow_limit) == (
        5.0,
        20,
        8,
    )
