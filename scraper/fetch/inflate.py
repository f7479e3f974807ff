"""Content-Encoding decoding under a size cap.

``read_body`` reads a response's stream and feeds it to an ``Inflater`` chunk
by chunk, so that a small compressed body never expands past the cap in
memory; the rest is pure (bytes in, bytes out).
"""

from __future__ import annotations

import zlib

import httpx

__all__ = ["BodyError", "Inflater", "cap_body", "read_body", "too_large"]


class BodyError(Exception):
    """A body that cannot be read as sent; ``retryable`` when another attempt may do better."""

    def __init__(self, reason: str, *, retryable: bool = True, host_fault: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        #: False when the host did nothing wrong (a body over our own cap).
        self.host_fault = host_fault


class Inflater:
    """Content-Encoding decoder that never produces more than it is asked for.

    Raises ``BodyError`` for a coding it does not know, a corrupt stream and
    (``finish``) a truncated one.
    """

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._fed = False
        self._produced = False
        #: Input taken while "deflate" produced nothing yet: replayed if it turns
        #: out to be raw deflate (no zlib header).
        self._unproven = b""
        if coding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._obj = zlib.decompressobj()
        elif coding in ("", "identity"):
            self._obj = None
        else:
            raise BodyError(f"unsupported Content-Encoding {coding!r}", retryable=False)

    def feed(self, data: bytes, max_length: int) -> bytes:
        """Return at most ``max_length`` bytes decoded from ``data``."""
        if self._obj is None:
            return data[:max_length] if max_length > 0 else data
        self._fed = self._fed or bool(data)
        if self.coding == "deflate" and not self._produced:
            self._unproven += data
        try:
            out = self._obj.decompress(data, max_length)
            # gzip allows several members one after the other (RFC 1952, 2.2).
            while (
                self.coding in ("gzip", "x-gzip")
                and self._obj.eof
                and self._obj.unused_data
                and len(out) < max_length
            ):
                rest = self._obj.unused_data
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
                out += self._obj.decompress(rest, max_length - len(out))
        except zlib.error as exc:
            if self.coding == "deflate" and not self._produced:
                # Some servers send raw deflate without the zlib header: start
                # again from the first byte with a raw decoder.
                self.coding = "raw deflate"
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                replay, self._unproven = self._unproven, b""
                return self.feed(replay, max_length)
            raise BodyError(f"undecodable {self.coding} body: {exc}", retryable=False) from exc
        if out:
            self._produced = True
            self._unproven = b""
        return out

    def finish(self) -> None:
        """Raise ``BodyError`` when the compressed stream stopped short of its end."""
        if self._obj is not None and self._fed and not self._obj.eof:
            raise BodyError(f"truncated body (incomplete {self.coding} stream)")


def cap_body(content: bytes, *, limit: int, cut: bool) -> bytes:
    """Return ``content`` if it fits in ``limit`` bytes, else its first ``limit`` (``cut``).

    Raises ``BodyError`` (not retryable, not the host's fault) when it does not
    fit and may not be cut.
    """
    if len(content) <= limit:
        return content
    if cut:
        return content[:limit]
    raise too_large(limit)


def too_large(limit: int, detail: str = "") -> BodyError:
    """The error for a body over ``limit`` bytes."""
    return BodyError(f"body larger than {limit} bytes{detail}", retryable=False, host_fault=False)


async def read_body(response: httpx.Response, *, limit: int, cut: bool) -> bytes:
    """Stream the body, decompressing it, up to ``limit`` bytes.

    Over the limit: a non-retryable failure, or (``cut``) the first ``limit`` bytes.
    """
    declared = response.headers.get("content-length", "")
    if not cut and declared.isdigit() and int(declared) > limit:
        raise too_large(limit, f" (Content-Length {declared})")
    if response.is_stream_consumed:
        # Transports may hand over a response already read and decoded
        # (httpx.MockTransport does): only the cap is left to apply.
        return cap_body(response.content, limit=limit, cut=cut)
    inflater = Inflater(response.headers.get("content-encoding", "").strip().lower())
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        # Asking for one byte more than fits: getting it all means "too large",
        # and short of that zlib has consumed the whole chunk.
        out = inflater.feed(chunk, limit - size + 1)
        parts.append(out)
        size += len(out)
        if size > limit:
            return cap_body(b"".join(parts), limit=limit, cut=cut)
    inflater.finish()
    return b"".join(parts)
