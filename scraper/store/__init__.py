"""The archive database: the only package that writes SQL.

archive.py     Archive: opening, schema, the update lock (combines the rest)
schema.py      tables, columns, keys and indexes as data
crawlstate.py  runs, request log, sources, frontier, HTTP validators, robots.txt
pages.py       raw pages (immutable, bodies stored once) and site templates
releases.py    releases, revisions, URLs, media, history events
media.py       archived images and attachments (bytes once per content, linked to releases)
migrations.py  changes of shape to data of older archives, made once when opened
reports.py     per-source health, counts, storage figures
discoveries.py what source discovery found per home page
healing.py     sources whose listing stopped working: signs, proposals, switches
findings.py    what a run found wrong with a source without failing it (traps, budgets)
cleaning.py    clean text at the door: control characters out, field lengths bounded
search.py      the Swedish full-text index: layout, triggers, migration, upkeep
words.py       Swedish tokens, stems and folding for the index (pure)
query_language.py  the search box's language to FTS5 MATCH, without recursion (pure)
finder.py      bounded search: candidates, ranking, keyset paging, counts, facets
bm25_cost.py   what bm25 would read for a MATCH, estimated without reading it
excerpts.py    excerpts with the matching words marked, for the rows shown (pure)

Takes and gives records (``Release``, ``Page``, ``SiteTemplate``, ``RobotsTxt``,
...) and plain rows; never imports fetching, discovery, extraction, the update
run or serving.
"""

from scraper.timestamps import utc_now

from .archive import Archive
from .releases import SaveOutcome

__all__ = ["Archive", "SaveOutcome", "utc_now"]
