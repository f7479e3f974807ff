"""What site a URL is on: its host (IPv6 literals, ports), domain and address kind (pure).

Every stage that takes a host from a URL asks here, so that ``[::1]:8080``,
``X.SE.:80`` and ``http://x.se:99999/`` mean the same thing everywhere (the
last one: no URL at all). Two URLs are on one *site* when their registrable
domains and their ports match; a port is the scheme's default (80 for http,
443 for https) unless one is written, so ``http://x.se/`` and
``https://www.x.se/`` are one site (the common upgrade to https) while
``http://127.0.0.1:8001/`` and ``http://127.0.0.1:8002/`` are two.

``is_internal_host`` tells loopback, private, link-local and other
non-public addresses (IP literals in any spelling a resolver accepts, and
the ``localhost`` names), for the rule that a public site may not redirect
the crawler into the machine's own network. No name is resolved here.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Origin",
    "host_and_port",
    "is_internal_host",
    "parse_origin",
    "registrable_domain",
    "same_host",
    "same_site",
    "site_key",
    "url_host",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Two-level public suffixes we know of (no public suffix list): "x.co.uk".
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac"})
#: What inet_aton (and so the resolver) reads as an IPv4 address: "127.1", "2130706433", "0x7f.1".
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Origin:
    """Scheme, host and port of a URL, normalised."""

    #: "http" or "https".
    scheme: str
    #: Lower case, without IPv6 brackets or a trailing dot.
    host: str
    #: The port written in the URL when it is not the scheme's default, else None.
    port: int | None

    @property
    def netloc(self) -> str:
        """``host``, ``host:port`` or ``[v6]:port``, as written in a URL."""
        return host_and_port(self.host, self.port)

    @property
    def site(self) -> tuple[str, int | None]:
        """What two URLs share when they are on one site: registrable domain and port."""
        return (registrable_domain(self.host), self.port)


def parse_origin(url: str) -> Origin | None:
    """The origin of an http(s) URL; None for anything else, a bad port or a bad IPv6 literal."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = parts.hostname
    except ValueError:  # "http://[::1", "http://x.se:99999/", "http://x.se:abc/"
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    host = host.lower().rstrip(".")
    if not host or any(c in host for c in " /\\@[]"):
        return None
    if ":" in host:
        try:
            host = str(ipaddress.IPv6Address(host.split("%", 1)[0]))
        except ValueError:
            return None
    return Origin(scheme, host, None if port in (None, _DEFAULT_PORTS[scheme]) else port)


def url_host(url: str) -> str:
    """The host of a URL in lower case, without brackets; "" when it has none."""
    origin = parse_origin(url)
    return origin.host if origin else ""


def host_and_port(host: str, port: int | None) -> str:
    """ "x.se", "x.se:8080" or "[::1]:8080": a host (and port) as a URL writes it."""
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def registrable_domain(url_or_host: str) -> str:
    """The registrable domain ("vastervik.se") of a URL or of a host name.

    Approximation without the public suffix list: the last two labels, three
    under a known two-level suffix ("x.co.uk"). IP addresses (IPv6 with or
    without brackets) and single-label hosts come back whole; "" when there
    is no host.
    """
    if "//" in url_or_host:
        host = url_host(url_or_host)
    else:
        host = url_or_host.strip().lower().rstrip(".")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
    if not host:
        return host
    address = _ip(host)
    if address is not None:
        return str(address)
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def site_key(url: str) -> tuple[str, int | None] | None:
    """The site of a URL (registrable domain, port), None when it is no http(s) URL."""
    origin = parse_origin(url)
    return origin.site if origin else None


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on one site: the same registrable domain and port."""
    a, b = site_key(url), site_key(other)
    return a is not None and a == b


def same_host(url: str, other: str) -> bool:
    """True when both URLs are on one host (a leading "www." aside) and port:
    stricter than ``same_site``, for links (a release link to another
    subdomain is no release of this listing)."""
    a, b = parse_origin(url), parse_origin(other)
    if a is None or b is None:
        return False
    return (a.host.removeprefix("www."), a.port) == (b.host.removeprefix("www."), b.port)


def is_internal_host(host: str) -> bool:
    """True for a host that is not a public address: loopback, private, link-local,
    unspecified, reserved or multicast IP literals (IPv4-mapped ones included, in
    any spelling the resolver reads: "127.1", "2130706433"), and "localhost" names."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _ip(host)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None
