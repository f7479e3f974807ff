"""The update run: the stages put together, as ``scraper update`` runs them.

Takes a ``records.Config`` and an archive; fetches each source's listings,
feeds and sitemaps (``walk``), fetches and extracts the releases they show
(``crawl``), stores them, and gives a ``RunReport``. ``reprocess`` re-extracts
stored pages offline; ``status`` is the operator's per-source report.

The one stage that may import fetching, discovery, extraction and storage;
never imports serving or the command line.
"""

from .crawl import RunReport, run_update, update
from .reprocess import reprocess

__all__ = ["RunReport", "reprocess", "run_update", "update"]
