"""Changes of shape to data already in an archive, made once when it is opened.

Each runs inside ``ensure_schema``'s transaction, so an archive is migrated
whole or not at all, and only while ``PRAGMA user_version`` is below the
version that brought it: opening a current archive writes nothing.
"""

from __future__ import annotations

import sqlite_utils

from . import search

__all__ = ["migrate", "split_published"]

#: ``user_version`` from which ``published`` holds a date only (schema version 2).
PUBLISHED_SPLIT = 2
#: ``user_version`` from which the index's tags hold the title's stems (schema version 3).
TITLE_TAGS = 3
#: ``user_version`` from which the index's tags hold pairs of common words (schema version 4).
PAIR_TAGS = 4


def split_published(value: str | None) -> tuple[str | None, str | None]:
    """(``published``, ``published_time``) of a publication date as extracted.

    ``published`` is the day (``YYYY-MM-DD``); ``published_time`` the whole
    date and time as the page gave it (``YYYY-MM-DDTHH:MM``, with seconds and
    an offset when the page's metadata carries one), None for a date alone.
    """
    if not value:
        return None, None
    value = value.strip()
    if len(value) > 10 and value[10] in "T ":
        return value[:10], value[:10] + "T" + value[11:]
    return value[:10], None


def migrate(db: sqlite_utils.Database, *, version: int) -> None:
    """Bring data written under schema ``version`` to the current shape."""
    if version < PUBLISHED_SPLIT:
        # One shape for published: the day, with the time (when the page gave
        # one) in published_time; releases and their earlier versions alike.
        for table in ("releases", "revisions"):
            db.execute(
                f"UPDATE {table} SET published_time = substr(published, 1, 10) || 'T' || "
                "substr(published, 12), published = substr(published, 1, 10) "
                "WHERE length(published) > 10"
            )
        # Replaced by idx_releases_published_id (see schema.INDEXES).
        db.execute("DROP INDEX IF EXISTS idx_releases_published")
    if version < PAIR_TAGS and db[search.STEMS_TABLE].exists():
        # The title's stems (3: the ranking of common queries walks them) and
        # pairs of adjacent common words (4: a phrase of them is one posting
        # list) became tags: every release's tags again, then ensure_schema
        # rebuilds the index once.
        search.retag_all(db)
