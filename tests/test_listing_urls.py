"""Listing URLs: normalisation of hrefs."""

from __future__ import annotations

import pytest

from scraper.discover.urls import normalize_url


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/a/b/#top", "https://x.se/a/b/"),
        ("c?x=1&y=2#f", "https://x.se/nyheter/c?x=1&y=2"),
        ("HTTPS://X.SE:443/A", "https://x.se/A"),
        ("http://x.se:8080/a", "http://x.se:8080/a"),
        ("  /a  ", "https://x.se/a"),
        ("mailto:a@x.se", None),
        ("tel:+4612345", None),
        ("javascript:void(0)", None),
        ("", None),
        ("ftp://x.se/a", None),
    ],
)
def test_normalize_url(href: str, expected: str | None) -> None:
    assert normalize_url(href, "https://x.se/nyheter/") == expected
