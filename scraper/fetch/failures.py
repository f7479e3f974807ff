"""How a request failed, in the operator's words (DNS, refused, unreachable)."""

from __future__ import annotations

import errno
import socket

import httpx

from .pacing import AttemptFailed

__all__ = ["connection_failure", "describe"]


def describe(exc: BaseException) -> str:
    """The first non-empty message down the exception chain (httpx often has none)."""
    link: BaseException | None = exc
    while link is not None:
        if str(link):
            return str(link)
        link = link.__cause__ or link.__context__
    return type(exc).__name__


def connection_failure(exc: httpx.TransportError, host: str) -> AttemptFailed | None:
    """The failed attempt when no connection to ``host`` could be made, else None.

    Says what failed in the operator's words (DNS, refused, unreachable): with
    no network, every host fails this way, and that must not read like a
    problem of the sites (or of their robots.txt).
    """
    if not isinstance(exc, httpx.ConnectError):
        return None
    link: BaseException | None = exc
    while link is not None:
        if isinstance(link, socket.gaierror):
            # "No such name" is the resolver's answer, not a hiccup: not retried.
            definite = link.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
            return AttemptFailed(
                f"cannot resolve host {host} (DNS)", retryable=not definite, unreachable="DNS"
            )
        if isinstance(link, ConnectionRefusedError):
            return AttemptFailed(f"connection refused by {host}", unreachable="connection refused")
        if isinstance(link, OSError) and link.errno == errno.ENETUNREACH:
            return AttemptFailed(
                f"network unreachable (connecting to {host})", unreachable="network unreachable"
            )
        if isinstance(link, OSError) and link.errno == errno.EHOSTUNREACH:
            return AttemptFailed(f"no route to host {host}", unreachable="no route")
        link = link.__cause__ or link.__context__
    return AttemptFailed(
        f"cannot connect to {host}: {describe(exc)}", unreachable="connection failed"
    )
