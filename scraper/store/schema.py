"""The archive's schema as data: tables, columns, keys and indexes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlite_utils
from sqlite_utils.db import DescIndex

from scraper.registry import load_registry

from . import counts, index_terms, search
from .migrations import migrate

SCHEMA_VERSION = 4

#: The archive's tables: columns (name -> type), primary key, foreign keys.
#: New columns are added to an existing database on open; nothing is dropped.
TABLES: dict[str, dict[str, Any]] = {
    "sources": {
        "columns": {
            "id": str,
            "name": str,
            "url": str,
            "verified": int,
            "overridden": int,
            "feed_url": str,
            "last_run": str,
            "last_success": str,
            "last_failure": str,
            "last_error": str,
            "failing_since": str,
            "default_kind": str,
            "resume_url": str,
            "body_selector": str,
            "drop_selectors": str,
            "date_selector": str,
            "organisation": str,
            "listing_empty_runs": int,
            "proposed_url": str,
            "proposal": str,
            "proposed_at": str,
            "healed_from": str,
            "healed_url": str,
        },
        "pk": "id",
    },
    "source_events": {
        "columns": {"id": int, "source": str, "at": str, "event": str, "evidence": str},
        "pk": "id",
        "foreign_keys": [("source", "sources", "id")],
    },
    "organisations": {
        "columns": {
            "id": str,
            "kind": str,
            "name": str,
            "county_code": str,
            "county": str,
            "kommunkod": str,
            "org_number": str,
            "population": int,
            "population_year": int,
            "domain": str,
            "homepage": str,
        },
        "pk": "id",
    },
    "discoveries": {
        "columns": {
            "home": str,
            "organisation": str,
            "name": str,
            "final_home": str,
            "cms": str,
            "status": str,
            "source_url": str,
            "source_kind": str,
            "platform": str,
            "releases_seen": int,
            "requests": int,
            "error": str,
            "candidates": str,
            "discovered_at": str,
        },
        "pk": "home",
    },
    "pages": {
        "columns": {
            "id": int,
            "source": str,
            "url": str,
            "final_url": str,
            "status": int,
            "headers": str,
            "fetched_at": str,
            "body_hash": str,
            "encoding": str,
            "run_id": int,
        },
        "pk": "id",
    },
    "bodies": {
        "columns": {"hash": str, "size": int, "compression": str, "data": bytes},
        "pk": "hash",
    },
    "releases": {
        "columns": {
            "id": int,
            "source": str,
            "url": str,
            "title": str,
            "kind": str,
            "published": str,
            "published_time": str,
            "published_source": str,
            "updated": str,
            "updated_source": str,
            "lead": str,
            "body": str,
            "language": str,
            "year": int,
            "first_seen": str,
            "last_seen": str,
            "last_fetched": str,
            "content_hash": str,
            "version_seen": str,
            "changed_at": str,
            "removed_at": str,
            "removal_evidence": str,
            "last_listed": str,
            "extractor_version": str,
            "page_id": int,
            "redirect_away_since": str,
            "template_hash": str,
            "thin": int,
            #: Fields cut to their limit (store/cleaning.py), comma-separated; NULL: none.
            "cut": str,
        },
        "pk": "id",
        "foreign_keys": [("source", "sources", "id"), ("page_id", "pages", "id")],
    },
    "release_urls": {
        "columns": {"url": str, "release_id": int, "first_seen": str},
        "pk": "url",
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "images": {
        "columns": {"release_id": int, "position": int, "url": str, "alt": str, "caption": str},
        "pk": ("release_id", "position"),
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "attachments": {
        "columns": {"release_id": int, "position": int, "url": str, "title": str, "mime_type": str},
        "pk": ("release_id", "position"),
        "foreign_keys": [("release_id", "releases", "id")],
    },
    # Archived images and attachments: bytes stored once per distinct content
    # (scraper.store.media), linked to each release that shows them.
    "media": {
        "columns": {"sha256": str, "content_type": str, "size": int, "chunks": int},
        "pk": "sha256",
    },
    # A file's bytes in pieces of MEDIA_CHUNK: each piece a value the serving side's
    # connection limits allow (scraper.serve.safety.MAX_VALUE_BYTES).
    "media_chunks": {
        "columns": {"sha256": str, "seq": int, "data": bytes},
        "pk": ("sha256", "seq"),
        "foreign_keys": [("sha256", "media", "sha256")],
    },
    "release_media": {
        "columns": {
            "release_id": int,
            "url": str,
            "kind": str,
            "sha256": str,
            "status": str,
            "error": str,
            "attempts": int,
            "fetched_at": str,
        },
        "pk": ("release_id", "url"),
        "foreign_keys": [("release_id", "releases", "id"), ("sha256", "media", "sha256")],
    },
    "revisions": {
        "columns": {
            "id": int,
            "release_id": int,
            "title": str,
            "lead": str,
            "body": str,
            "published": str,
            "published_time": str,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "page_id": int,
            "diff": str,
        },
        "pk": "id",
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "events": {
        "columns": {"id": int, "release_id": int, "at": str, "event": str, "evidence": str},
        "pk": "id",
        "foreign_keys": [("release_id", "releases", "id")],
    },
    "frontier": {
        "columns": {
            "url": str,
            "source": str,
            "title": str,
            "published": str,
            "kind": str,
            "discovered_at": str,
            "attempts": int,
            "last_error": str,
        },
        "pk": "url",
    },
    "hints": {
        "columns": {
            "url": str,
            "source": str,
            "title": str,
            "published": str,
            "kind": str,
            "updated": str,
            "seen_at": str,
        },
        "pk": "url",
    },
    "http_cache": {
        "columns": {
            "url": str,
            "etag": str,
            "last_modified": str,
            "status": int,
            "fetched_at": str,
            "body_hash": str,
        },
        "pk": "url",
    },
    "robots": {
        "columns": {"url": str, "status": int, "text": str, "fetched_at": str},
        "pk": "url",
    },
    "site_templates": {
        "columns": {
            "source": str,
            "pages": int,
            "blocks": str,
            "threshold": float,
            "learned_at": str,
            #: 1: learned from a streaming run's first pages only (update/stream.py).
            "provisional": int,
        },
        "pk": "source",
    },
    # What a run found wrong with a source without failing it (a trap, a budget
    # reached): scraper status shows those of each source's last run.
    "findings": {
        "columns": {
            "id": int,
            "run_id": int,
            "source": str,
            "at": str,
            "kind": str,
            "detail": str,
        },
        "pk": "id",
    },
    "runs": {
        "columns": {
            "id": int,
            "started": str,
            "finished": str,
            "status": str,
            "options": str,
            "pid": int,
            "summary": str,
        },
        "pk": "id",
    },
    "fetches": {
        "columns": {
            "id": int,
            "run_id": int,
            "source": str,
            "url": str,
            "purpose": str,
            "status": int,
            "bytes": int,
            "elapsed": float,
            "attempts": int,
            "outcome": str,
            "error": str,
            "at": str,
        },
        "pk": "id",
        "foreign_keys": [("run_id", "runs", "id")],
    },
}

INDEXES: list[tuple[str, list[Any]]] = [
    ("releases", ["source"]),
    # Newest first with ties in id order, as Datasette 0.65 pages a table sorted by
    # published (its first page has no tie-break): with a plain index on published the
    # first page ran ties the other way and paging (next_url, .csv?_stream=on) lost rows.
    ("releases", [DescIndex("published"), "id"]),
    ("releases", ["removed_at"]),
    ("releases", ["changed_at"]),
    ("releases", ["page_id"]),
    # The facets (kind, year, language) and the per-municipality counts scan the
    # whole table without these: 2.9 s -> 0.17 s at 1,000,000 releases (bench/search.py).
    ("releases", ["kind"]),
    # Press invitations of the last weeks (the press_invitations query).
    ("releases", ["kind", "published"]),
    ("releases", ["year"]),
    ("releases", ["language"]),
    ("releases", ["source", "year", "kind", "removed_at"]),
    # A municipality's newest releases and its counts per month (scraper.serve.pages).
    ("releases", ["source", "published"]),
    ("pages", ["url"]),
    ("pages", ["source"]),
    ("revisions", ["release_id"]),
    ("events", ["release_id"]),
    ("fetches", ["run_id"]),
    ("fetches", ["source", "at"]),
    ("fetches", ["url"]),
    ("release_urls", ["release_id"]),
    ("release_media", ["url"]),
    ("release_media", ["sha256"]),
    ("frontier", ["source"]),
    ("findings", ["source", "run_id"]),
]

#: Views: derived, so dropped and made again whenever their SQL changes (they hold no data).
VIEWS: dict[str, str] = {
    # Where each municipality and region publishes, as far as discovery knows.
    "organisation_coverage": """
        SELECT o.id, o.kind, o.name, o.county, o.population,
          COALESCE(d.status, 'not discovered') AS status,
          d.source_url, d.source_kind, d.platform, d.cms, d.discovered_at,
          (SELECT COUNT(*) FROM sources s WHERE s.organisation = o.id) AS sources,
          (SELECT COUNT(*) FROM releases r JOIN sources s ON s.id = r.source
            WHERE s.organisation = o.id) AS releases
        FROM organisations o
        LEFT JOIN discoveries d ON d.home = (SELECT d2.home FROM discoveries d2
          WHERE d2.organisation = o.id ORDER BY d2.discovered_at DESC LIMIT 1)
    """,
    # Reconciliation: every release link a listing, feed or sitemap showed that
    # no archived release answers to, with the reason the archive has for it.
    "coverage_gaps": """
        SELECT h.source, h.url, h.title, h.published, h.seen_at AS listed_at,
          CASE
            WHEN q.url IS NOT NULL AND q.attempts > 0 THEN 'failed ' || q.attempts
              || ' time(s), tried again next run: ' || COALESCE(q.last_error, '?')
            WHEN q.url IS NOT NULL THEN 'waiting to be fetched'
            WHEN f.outcome IS NOT NULL THEN f.purpose || ' ' || f.outcome
              || COALESCE(': ' || f.error, '')
            ELSE 'listed, never fetched'
          END AS reason
        FROM hints h
        LEFT JOIN frontier q ON q.url = h.url
        LEFT JOIN fetches f ON f.id = (SELECT MAX(id) FROM fetches
          WHERE url = h.url AND purpose IN ('release', 'extract'))
        WHERE NOT EXISTS (SELECT 1 FROM release_urls u WHERE u.url = h.url)
    """,
}


def _fill_organisations(db: sqlite_utils.Database) -> None:
    """The registry's municipalities and regions, written when the table lacks any."""
    registry = load_registry()
    if db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == len(registry):
        return  # as shipped: opening the archive writes nothing
    db["organisations"].upsert_all([asdict(o) for o in registry], pk="id")


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns and indexes (never drops or alters one)."""
    with db.atomic():
        for name, table in TABLES.items():
            if db[name].exists():
                present = set(db[name].columns_dict)
                for column, kind in table["columns"].items():
                    if column not in present:
                        db[name].add_column(column, kind)
            else:
                db[name].create(
                    table["columns"],
                    pk=table["pk"],
                    foreign_keys=table.get("foreign_keys", []),
                )
        for name, columns in INDEXES:
            db[name].create_index(columns, if_not_exists=True)
        _fill_organisations(db)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            migrate(db, version=version)
        for name, sql in VIEWS.items():
            wanted = f"CREATE VIEW {name} AS {sql.strip()}"
            row = db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]
            ).fetchone()
            # Only when it changed: opening a current archive writes nothing, so it
            # never waits for the lock of an update that is writing.
            if row is None or row[0] != wanted:
                db.execute(f"DROP VIEW IF EXISTS {name}")
                db.execute(wanted)
    search.ensure_search_index(db)
    index_terms.ensure_terms(db)
    counts.ensure_counts(db)
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
