"""Whether a run reached the web at all: one verdict instead of a failure per source.

With no network every host fails the same way (DNS, refused connections);
twelve per-source failures that each blame a site would hide the one cause.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

__all__ = ["network_verdict"]

#: How the verdict phrases each way a connection fails (``Fetcher.unreachable_hosts``).
_FAILED = {
    "DNS": "DNS failed for {}",
    "connection refused": "connection refused by {}",
    "network unreachable": "network unreachable for {}",
    "no route": "no route to {}",
    "connect timeout": "connect timed out for {}",
}


def network_verdict(asked: Mapping[str, int], unreachable: Mapping[str, str]) -> str | None:
    """The one line that says the network is down, or None when some host answered.

    :param asked: requests sent per host in the run (``Fetcher.requests_by_host``).
    :param unreachable: hosts that never answered because no connection could be
        made, with how it failed (``Fetcher.unreachable_hosts``).

    Down means: the run asked some host, and no host it asked ever connected.
    """
    hosts = [host for host, requests in asked.items() if requests]
    if not hosts or any(host not in unreachable for host in hosts):
        return None
    kinds = Counter(unreachable[host] for host in hosts)
    count = f"{len(hosts)} host{'s' if len(hosts) != 1 else ''}"
    if len(kinds) == 1:
        (kind,) = kinds
        how = f"{count}, " + _FAILED.get(kind, kind + " for {}").format("all")
    else:
        parts = [_FAILED.get(kind, kind + " for {}").format(n) for kind, n in kinds.most_common()]
        how = f"{count}: " + ", ".join(parts)
    return f"network unreachable: no host answered ({how}) — is this machine online?"
