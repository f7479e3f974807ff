"""Serving: the archive in Datasette, read-only.

Takes an archive database; gives a Datasette app (``app``) with the archive's
titles, descriptions and canned queries (``metadata``), its plugin
(``plugin``: the Swedish search function, Atom feeds, the release page),
templates and static files; the archived files and stored raw pages, served
safely (``archived``, ``rawpage``). The plugin is also the ``datasette`` entry
point, so a plain ``datasette archive.db`` gets it, and with it the archive's
metadata and templates (``plain``).

Reads the database through Datasette and the search functions of
``scraper.store.search``; never imports fetching, discovery, extraction or the
update run.
"""
