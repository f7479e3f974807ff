"""What the operator reads when hosts cannot be reached: the network down, a
refused connection, a host that accepts and never answers."""

from __future__ import annotations

import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import SITES

from scraper.cli import cli
from scraper.demo.sites import SiteServer, load_site_info
from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update
from scraper.update.network import network_verdict

AGENT = "scraper-tests/1 (+https://example.org/tests)"
OFFLINE = "network unreachable: no host answered ({}) — is this machine online?"


class SilentHost:
    """A TCP server on 127.0.0.1 (port 0) that accepts connections and never answers."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self._stopping = threading.Event()
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._connections.append(connection)  # held open, never read, never answered

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        for connection in self._connections:
            connection.close()
        self._sock.close()


@pytest.fixture
def silent_host() -> Iterator[SilentHost]:
    server = SilentHost()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def refusing_host() -> Iterator[str]:
    """A port on 127.0.0.1 that is bound but not listening: every connection is refused.

    Held for the test, so that nobody else can start listening there meanwhile.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with SiteServer(load_site_info(SITES / "haverby")) as server:
        yield server


def source_of(server: SiteServer) -> Source:
    return Source(id=server.info.id, name=server.info.name, url=server.listing_url, delay=0.0)


# -- the network is down


def dns_fails(request: httpx.Request) -> httpx.Response:
    cause = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    error = httpx.ConnectError(str(cause))
    error.__cause__ = cause
    raise error


def test_with_no_network_the_run_says_so_once_and_every_source_failed(tmp_path: Path) -> None:
    sources = (
        Source(id="vastervik", name="Västerviks kommun", url="https://www.vastervik.se/press/"),
        Source(id="vastervik-nyheter", name="Västerviks kommun", url="https://www.vastervik.se/n/"),
        Source(id="kalmar", name="Kalmar kommun", url="https://kalmar.se/nyheter/"),
    )
    config = Config(
        path="sources.toml",
        settings=Settings(user_agent=AGENT, retries=2, retry_backoff=0.01),
        sources=sources,
    )
    with Archive(tmp_path / "a.db") as archive:
        report = update(config, archive, transport=httpx.MockTransport(dns_fails))
        statuses = [row[0] for row in archive.db.execute("SELECT status FROM runs")]
        errors = [row[0] for row in archive.db.execute("SELECT last_error FROM sources")]
    assert report.network_error == OFFLINE.format("2 hosts, DNS failed for all")
    assert report.status == "offline" and statuses == ["offline"]
    assert [r.failed for r in report.sources] == [1, 1, 1]
    assert all("cannot resolve host" in e and "(DNS)" in e for e in errors)
    assert not any("robots" in e for e in errors)


def test_offline_run_prints_one_line_and_exits_5(tmp_path: Path, refusing_host: str) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[settings]\nuser_agent = "{AGENT}"\nretries = 1\n'
        f'[[source]]\nid = "a"\nname = "A"\nurl = "http://{refusing_host}/a/"\n'
        f'[[source]]\nid = "b"\nname = "B"\nurl = "http://{refusing_host}/b/"\n',
        encoding="utf-8",
    )
    db = tmp_path / "a.db"
    result = CliRunner().invoke(cli, ["update", "--db", str(db), "--sources", str(sources)])
    assert result.exit_code == 5, result.output
    assert result.stderr.strip() == OFFLINE.format("1 host, connection refused by all")
    lines = result.stdout.splitlines()
    assert lines[-2].split() == ["total", "0", "0", "0", "0", "0", "0", "2", "0"]
    assert lines[-1] == "run 1 offline: 2 of 2 sources failed"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("offline",)]


def test_one_host_down_is_that_hosts_failure_not_the_network(
    tmp_path: Path, refusing_host: str, site: SiteServer
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[settings]\nuser_agent = "{AGENT}"\nretries = 1\n'
        f'[[source]]\nid = "borta"\nname = "Borta"\nurl = "http://{refusing_host}/nyheter/"\n'
        f'[[source]]\nid = "{site.info.id}"\nname = "{site.info.name}"\n'
        f'url = "{site.listing_url}"\ndelay = 0\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["update", "--db", str(tmp_path / "a.db"), "--sources", str(sources)]
    )
    assert result.exit_code == 1, result.output
    assert "network unreachable" not in result.output
    assert result.stderr.strip() == (
        f"FAILED borta: http://{refusing_host}/nyheter/: connection refused by {refusing_host}"
    )
    assert result.stdout.splitlines()[-1] == "run 1 failed: 1 of 2 sources failed"


@pytest.mark.parametrize(
    ("unreachable", "verdict"),
    [
        ({"a": "DNS", "b": "DNS"}, "2 hosts, DNS failed for all"),
        (
            {"a": "DNS", "b": "connection refused", "c": "DNS"},
            "3 hosts: DNS failed for 2, connection refused by 1",
        ),
    ],
)
def test_network_verdict_names_how_the_hosts_failed(
    unreachable: dict[str, str], verdict: str
) -> None:
    asked = dict.fromkeys(unreachable, 2)
    assert network_verdict(asked, unreachable) == OFFLINE.format(verdict)


def test_no_verdict_when_one_host_answered_or_none_was_asked() -> None:
    assert network_verdict({"a": 1, "b": 3}, {"a": "DNS"}) is None
    assert network_verdict({}, {}) is None
    assert network_verdict({"a": 0}, {}) is None


# -- a host that accepts connections and never answers


def test_a_silent_host_is_given_up_within_its_budget_and_the_run_goes_on(
    tmp_path: Path, silent_host: SilentHost, site: SiteServer
) -> None:
    settings = Settings(
        user_agent=AGENT,
        delay=0.0,
        retries=10,  # without the budget: ten read timeouts, for robots.txt alone
        retry_backoff=0.01,
        connect_timeout=1.0,
        read_timeout=0.2,
        total_timeout=1.0,
        host_time_budget=0.5,
        concurrency=1,  # one source after the other: the run must move on
    )
    silent = Source(id="tyst", name="Tysta kommun", url=f"http://{silent_host.host}/nyheter/")
    config = Config(path="sources.toml", settings=settings, sources=(silent, source_of(site)))
    with Archive(tmp_path / "a.db") as archive:
        report = update(config, archive)
        logged = archive.db.execute(
            "SELECT purpose, error FROM fetches WHERE url LIKE ? ORDER BY id",
            [f"http://{silent_host.host}/%"],
        ).fetchall()
    # The last attempt either timed out on read or was cut where the budget ended.
    reason = re.compile(
        rf"no answer from {re.escape(silent_host.host)} in 0\.5 s \(timed out( \(read\))?\): "
        r"host given up for this run \(host_time_budget\)"
    )
    by_id = {r.source: r for r in report.sources}
    error = by_id["tyst"].error or ""
    assert error.startswith(f"{silent.url}: ") and reason.fullmatch(error.split(": ", 1)[1])
    assert [purpose for purpose, _ in logged] == ["robots", "listing"]
    assert all(reason.fullmatch(message) for _, message in logged)
    assert by_id[site.info.id].ok and by_id[site.info.id].new == site.info.releases
    assert report.network_error is None and report.status == "failed"
