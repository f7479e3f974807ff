"""scraper.fetch.inflate on its own: Content-Encoding decoding under a size cap, and the cap."""

from __future__ import annotations

import gzip
import zlib

import pytest

from scraper.fetch.inflate import BodyError, Inflater, cap_body, too_large

TEXT = ("<p>Västerviks kommun höjer avgiften för äldreomsorg.</p>\n" * 200).encode()
ROOM = 10 * len(TEXT)


def deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


ENCODED = {
    "gzip": gzip.compress(TEXT),
    "x-gzip": gzip.compress(TEXT),
    "deflate": zlib.compress(TEXT),  # RFC 9110 deflate: zlib-wrapped
}


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def inflate(coding: str, parts: list[bytes], room: int = ROOM) -> bytes:
    """Feed ``parts`` in turn as scraper.fetch does, then finish."""
    inflater = Inflater(coding)
    out = b"".join(inflater.feed(part, room) for part in parts)
    inflater.finish()
    return out


@pytest.mark.parametrize("coding", sorted(ENCODED))
@pytest.mark.parametrize("size", [2, 7, 1024, 1 << 20])
def test_compressed_body_decodes_in_any_chunking(coding: str, size: int) -> None:
    assert inflate(coding, chunks(ENCODED[coding], size)) == TEXT


# Chunks of 2 bytes and up: see test_raw_deflate_split_after_one_byte for 1.
@pytest.mark.parametrize("size", [2, 7, 1 << 20])
def test_raw_deflate_without_zlib_header_is_decoded(size: int) -> None:
    inflater = Inflater("deflate")
    out = b"".join(inflater.feed(part, ROOM) for part in chunks(deflate_raw(TEXT), size))
    inflater.finish()
    assert out == TEXT
    assert inflater.coding == "raw deflate"


def test_raw_deflate_split_after_one_byte() -> None:
    # The fallback to raw deflate replays every byte taken so far, not only the
    # current chunk (it used to decode the rest to garbage without an error).
    raw = deflate_raw(TEXT)
    assert inflate("deflate", [raw[:1], raw[1:]]) == TEXT


def test_multi_member_gzip_keeps_every_member() -> None:
    # RFC 1952 allows several members; they used to be dropped after the first.
    body = gzip.compress(TEXT[:100]) + gzip.compress(TEXT[100:])
    assert inflate("gzip", [body]) == TEXT


@pytest.mark.parametrize("coding", ["", "identity"])
def test_identity_passes_bytes_through(coding: str) -> None:
    raw = b"\x1f\x8b not gzip, just bytes \xff"
    assert inflate(coding, [raw[:5], raw[5:]]) == raw


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_empty_compressed_body_is_not_truncated(coding: str) -> None:
    # 304s and HEAD answers carry Content-Encoding but no body.
    assert inflate(coding, [b""]) == b""
    assert inflate(coding, []) == b""


@pytest.mark.parametrize("coding", ["br", "zstd", "compress", "gzip, gzip"])
def test_unsupported_coding_is_refused_for_good(coding: str) -> None:
    with pytest.raises(BodyError, match="unsupported Content-Encoding") as caught:
        Inflater(coding)
    assert not caught.value.retryable


# -- bombs and the cap


def test_bomb_yields_no_more_than_asked_for() -> None:
    bomb = gzip.compress(bytes(20_000_000))  # 20 MB of zeros in ~20 KB
    assert len(bomb) < 100_000
    inflater = Inflater("gzip")
    # scraper.fetch asks for one byte over the cap: getting it all means too large.
    out = inflater.feed(bomb, 1001)
    assert out == bytes(1001)


def test_chunked_bomb_stops_at_the_cap() -> None:
    limit = 50_000
    inflater = Inflater("gzip")
    produced = b""
    fed = 0
    for part in chunks(gzip.compress(bytes(20_000_000)), 512):
        fed += 1
        produced += inflater.feed(part, limit - len(produced) + 1)
        if len(produced) > limit:
            break
    assert len(produced) == limit + 1
    assert fed < 5  # stopped long before the ~40 chunks of the whole bomb
    with pytest.raises(BodyError, match="body larger than 50000 bytes") as caught:
        cap_body(produced, limit=limit, cut=False)
    assert (caught.value.retryable, caught.value.host_fault) == (False, False)
    assert cap_body(produced, limit=limit, cut=True) == bytes(limit)


@pytest.mark.parametrize("coding", sorted(ENCODED))
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.99])
def test_truncated_stream_raises_on_finish(coding: str, keep: float) -> None:
    body = ENCODED[coding]
    inflater = Inflater(coding)
    inflater.feed(body[: int(len(body) * keep)], ROOM)
    with pytest.raises(BodyError, match="truncated body") as caught:
        inflater.finish()
    # Another attempt may get the whole body; the host sent it short.
    assert (caught.value.retryable, caught.value.host_fault) == (True, True)


def test_truncated_raw_deflate_raises_on_finish() -> None:
    raw = deflate_raw(TEXT)
    inflater = Inflater("deflate")
    inflater.feed(raw[: len(raw) // 2], ROOM)
    with pytest.raises(BodyError, match=r"incomplete raw deflate stream"):
        inflater.finish()


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_corrupt_stream_is_refused_for_good(coding: str) -> None:
    with pytest.raises(BodyError, match="undecodable") as caught:
        Inflater(coding).feed(b"<html>plain text labelled as compressed</html>", ROOM)
    assert not caught.value.retryable


def test_corruption_after_output_is_not_retried_as_raw_deflate() -> None:
    body = zlib.compress(TEXT)
    body = body[:-4] + bytes(4)  # wrong Adler-32
    inflater = Inflater("deflate")
    with pytest.raises(BodyError, match="undecodable deflate body.*incorrect data check"):
        for part in chunks(body, 64):
            inflater.feed(part, ROOM)


@pytest.mark.parametrize("size", [0, 9, 10])
def test_cap_body_returns_what_fits(size: int) -> None:
    assert cap_body(b"x" * size, limit=10, cut=False) == b"x" * size


def test_cap_body_cuts_or_refuses_what_does_not_fit() -> None:
    assert cap_body(b"0123456789AB", limit=10, cut=True) == b"0123456789"
    with pytest.raises(BodyError, match="^body larger than 10 bytes$"):
        cap_body(b"0123456789AB", limit=10, cut=False)


def test_too_large_is_our_limit_not_the_hosts_fault() -> None:
    error = too_large(100, " (Content-Length 5000)")
    assert error.reason == "body larger than 100 bytes (Content-Length 5000)"
    assert (error.retryable, error.host_fault) == (False, False)
