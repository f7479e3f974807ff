"""Extractor adapters for ../shared/extraction-benchmark/evaluate.py.

Each adapter is ``f(html, url) -> str``, as ``evaluate.py -e bench.adapters:NAME`` expects.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def trafilatura_fast(html: str, url: str) -> str:
    """trafilatura with the settings the benchmark's baseline table uses (fast=True)."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, fast=True) or ""


trafilatura_fast.version = _version_of("trafilatura")  # type: ignore[attr-defined]
