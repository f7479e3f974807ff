"""scraper.sites: a URL's host, port and site, with IPv6 literals and ports, everywhere."""

from __future__ import annotations

import ipaddress

import pytest

from scraper.config import parse_config
from scraper.discover.urls import normalize_url
from scraper.discover.urls import same_site as same_listing_site
from scraper.errors import ConfigError
from scraper.extract.release import extract_release
from scraper.sites import (
    Origin,
    host_and_port,
    is_internal_host,
    parse_origin,
    registrable_domain,
    same_host,
    same_site,
)
from scraper.update.sources_file import bare_host

#: ::ffff:127.0.0.1 as this Python writes it (3.13 changed the spelling).
MAPPED = str(ipaddress.IPv6Address("::ffff:127.0.0.1"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Vastervik.SE./a", Origin("https", "www.vastervik.se", None)),
        ("http://x.se:80/", Origin("http", "x.se", None)),
        ("https://x.se:443/", Origin("https", "x.se", None)),
        ("http://x.se:443/", Origin("http", "x.se", 443)),
        ("http://127.0.0.1:8001/x", Origin("http", "127.0.0.1", 8001)),
        ("http://[::1]:8080/x", Origin("http", "::1", 8080)),
        ("http://[::FFFF:127.0.0.1]:18808/x/", Origin("http", MAPPED, 18808)),
        ("http://[0:0::1]/", Origin("http", "::1", None)),
        ("http://x.se:99999/", None),
        ("http://x.se:abc/", None),
        ("http://[::1/x/", None),
        ("http://[nonsense]/x/", None),
        ("ftp://x.se/", None),
        ("mailto:a@x.se", None),
        ("/relative/path", None),
        ("", None),
    ],
)
def test_parse_origin(url: str, expected: Origin | None) -> None:
    assert parse_origin(url) == expected


def test_netloc_brackets_an_ipv6_literal() -> None:
    assert host_and_port("::1", 8080) == "[::1]:8080"
    assert host_and_port("::1", None) == "[::1]"
    assert host_and_port("x.se", None) == "x.se"
    assert parse_origin("http://[::1]:8080/")
    assert parse_origin("http://[::1]:8080/").netloc == "[::1]:8080"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Before issue 13 the first three raised httpx.InvalidURL ("http://::1" has no brackets).
        ("::1", "::1"),
        ("::ffff:127.0.0.1", MAPPED),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("http://[::1]:8080/a", "::1"),
        ("https://www.vastervik.se/nyheter/", "vastervik.se"),
        ("press.x.co.uk", "x.co.uk"),
        ("http://127.0.0.1:8080/a", "127.0.0.1"),
        ("http://x.se:99999/", ""),
    ],
)
def test_registrable_domain_takes_ipv6_literals(value: str, expected: str) -> None:
    assert registrable_domain(value) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # The upgrade to https on the default ports stays on the site, www or not.
        ("http://x.se/a", "https://www.x.se/b", True),
        ("http://x.se:80/a", "https://x.se/b", True),
        ("https://press.x.se/a", "https://www.x.se/", True),
        # Another port is another site, on an IP literal as on a name.
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a", False),
        ("http://x.se/a", "http://x.se:8080/a", False),
        ("http://x.se:8080/a", "https://x.se:8080/a", True),
        ("http://127.0.0.1:8001/a", "http://[::ffff:127.0.0.1]:8001/a", False),
        ("http://127.0.0.1:8001/a", "http://x.se:99999/", False),
        ("https://x.se/", "https://y.se/", False),
    ],
)
def test_same_site_is_domain_and_port(a: str, b: str, expected: bool) -> None:
    assert same_site(a, b) is expected
    assert same_site(b, a) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("http://x.se/a", "https://www.x.se/b", True),
        ("https://press.x.se/a", "https://www.x.se/", False),
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a", False),
        ("http://[::1]:8001/a", "http://[0::1]:8001/b", True),
        ("http://x.se:80/", "http://x.se/", True),
        ("http://[::1/a", "http://[::1/a", False),
    ],
)
def test_same_host_for_links_and_canonicals(a: str, b: str, expected: bool) -> None:
    assert same_host(a, b) is expected
    assert same_listing_site(a, b) is expected


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "0", "0.0.0.0", "10.1.2.3",
        "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "[::1]",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "fc00::1", "::", "224.0.0.1",
        "localhost", "LOCALHOST.", "intranet.localhost",
    ],
)  # fmt: skip
def test_internal_hosts(host: str) -> None:
    assert is_internal_host(host)


@pytest.mark.parametrize(
    "host", ["www.vastervik.se", "8.8.8.8", "2001:4860:4860::8888", "localhost.se", "127.se"]
)
def test_public_hosts(host: str) -> None:
    assert not is_internal_host(host)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        # Before issue 13: "http://::1:8080/a" (brackets lost) and a ValueError (bad port).
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
        ("http://[::1]:80/a", "http://[::1]/a"),
        ("http://x.se:99999/a", None),
        ("http://x.se:abc/a", None),
    ],
)
def test_normalize_url_keeps_ipv6_literals_and_drops_bad_ports(
    href: str, expected: str | None
) -> None:
    assert normalize_url(href, "http://x.se/") == expected


def test_a_canonical_link_to_another_port_is_another_sites() -> None:
    html = """<html lang="sv"><head><title>Badplatsen rustas</title>
    <link rel="canonical" href="http://127.0.0.1:9999/nyheter/badplats/"></head><body><main>
    <h1>Badplatsen rustas</h1><p>Publicerad 2025-03-08</p>
    <p>Kommunen rustar badplatsen vid sjön under våren och sommaren.</p></main></body></html>"""
    release = extract_release(html, "http://127.0.0.1:8001/nyheter/badplats/")
    assert release.canonical_url == "http://127.0.0.1:8001/nyheter/badplats/"


@pytest.mark.parametrize("url", ["http://x.se:99999/nyheter/", "http://[::1/nyheter/"])
def test_config_refuses_a_url_with_a_bad_port_or_ipv6_literal(url: str) -> None:
    text = f'[[source]]\nid = "x"\nname = "X"\nurl = "{url}"\n'
    with pytest.raises(ConfigError, match="not an http"):
        parse_config(text, path="s.toml")


def test_bare_host_of_ipv6_and_broken_urls() -> None:
    assert bare_host("http://[::1]:8080/a") == "::1"
    assert bare_host("www.vastervik.se") == "vastervik.se"
    assert bare_host("http://[::1/") == ""
