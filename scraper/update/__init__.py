"""The update run: the stages put together, as ``scraper update`` runs them.

Takes a ``records.Config`` and an archive; fetches each source's listings,
feeds and sitemaps (``walk``), fetches and extracts the releases they show
(``crawl``), stores them, and gives a ``RunReport``. ``reprocess`` re-extracts
stored pages offline; ``status`` is the operator's per-source report.
``find`` discovers where an organisation publishes, from its home page
(``discovery_run`` is ``scraper discover``; ``sources_file`` writes what it
found into the sources file).

The one stage that may import fetching, discovery, extraction and storage;
never imports serving or the command line.
"""

from .crawl import RunReport, run_update, update
from .find import discover_sources
from .reprocess import reprocess

__all__ = ["RunReport", "discover_sources", "reprocess", "run_update", "update"]
