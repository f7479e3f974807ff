"""Stable host names for locally served sites, as ``curl --resolve`` gives them.

The saved sites are served on 127.0.0.1 with a port the kernel picks, a new
one every time. Crawled at those addresses, every run would archive them as
new sites. ``LocalHostsTransport`` lets the crawler ask for them by stable
names instead (``http://www.vastervik.test/...``, or the real-looking names of
a discovery scenario such as ``https://www.mynewsdesk.com/...``): it sends
each request to the local server of its host, over plain HTTP, with the
``Host`` header and every URL the crawler sees unchanged. A host with no local
server fails as an unknown host does on the web (a connection error).
"""

from __future__ import annotations

import socket

import httpx

__all__ = ["LocalHostsTransport"]


class LocalHostsTransport(httpx.AsyncBaseTransport):
    """Routes requests for each host name to ``(address, port)`` on this machine.

    :param hosts: host name (as in the URL, lower case) -> (address, port).
    """

    def __init__(self, hosts: dict[str, tuple[str, int]]) -> None:
        self.hosts = {name.lower(): target for name, target in hosts.items()}
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self.hosts.get(request.url.host.lower())
        if target is None:
            # As the resolver answers for a name that does not exist.
            unknown = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            raise httpx.ConnectError(
                f"[Errno -2] Name or service not known: {request.url.host}", request=request
            ) from unknown
        address, port = target
        local = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host=address, port=port),
            headers=request.headers,  # Host: the stable name, as the site would see it
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self._inner.handle_async_request(local)

    async def aclose(self) -> None:
        await self._inner.aclose()
