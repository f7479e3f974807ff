"""Fetching: the only stage that touches the network.

Takes URLs (and the politeness settings of ``records.Settings``); gives
``records.Page`` (status, headers, decoded text, raw bytes) or raises
``FetchError`` / ``RobotsDisallowed``. Built on httpx: ``client`` (the
``Fetcher``), ``pacing`` (per-host gaps, retries, backoff), ``robots``,
``charset``, ``inflate`` (bounded decompression) and ``useragent``.

Never imports discovery, extraction, storage, the update run or serving: what
it must remember between runs (robots.txt answers) it hands back as records.
"""

from .client import (
    CONTACT_URL,
    Decoded,
    Fetcher,
    RequestRecord,
    RobotsTxt,
    decode_body,
    is_text_type,
    registrable_domain,
    user_agent,
)

__all__ = [
    "CONTACT_URL",
    "Decoded",
    "Fetcher",
    "RequestRecord",
    "RobotsTxt",
    "decode_body",
    "is_text_type",
    "registrable_domain",
    "user_agent",
]
