"""Extraction: one release page's HTML -> a clean ``records.Release`` (pure).

Takes the page's HTML, its URL and, optionally, the ``records.SiteTemplate``
learned from the site's other pages; gives the title, kind, dates, lead,
body, images, attachments and language, or raises ``ExtractError`` with the
URL and the reason (and never any other exception, whatever the markup:
tests/test_extract_robustness.py fuzzes it). ``release`` is the entry point,
built on ``blocks`` (one walk over the page), ``boilerplate`` (generic
evidence of site furniture), ``template`` (what one site repeats across its
pages), ``page_head``, ``headline``, ``release_dates``, ``media``,
``class_hints`` and ``selectors`` (the evidence as named constants).

Pure: never imports fetching, discovery, storage, the update run or serving,
and never reads the clock or the network.
"""

from .release import EXTRACTOR_VERSION, body_text, extract_release
from .template import learn_template

__all__ = ["EXTRACTOR_VERSION", "body_text", "extract_release", "learn_template"]
