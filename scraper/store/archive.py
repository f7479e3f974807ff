"""The archive database, opened for reading and writing.

Every write that belongs together happens in one transaction
(``Database.atomic()``), so a run killed at any point leaves a consistent
database. Nothing is ever deleted: an edited release keeps its earlier
versions in ``revisions``, a release that left the site is marked
``removed_at``, raw pages are immutable and stored once per distinct body.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from scraper.errors import LockedError, StorageError

from .crawlstate import CrawlState
from .discoveries import DiscoveryStore
from .findings import FindingStore
from .healing import HealingStore
from .media import MediaStore
from .pages import PageStore
from .releases import ReleaseStore
from .reports import Reports
from .schema import ensure_schema


class Archive(
    CrawlState,
    PageStore,
    ReleaseStore,
    Reports,
    DiscoveryStore,
    HealingStore,
    FindingStore,
    MediaStore,
):
    """An archive database opened for reading and writing.

    :param path: the SQLite file; created with the full schema when missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL never corrupts, and a killed process
            # loses nothing (the OS has the pages); only a power cut may lose
            # the last commits. It saves an fsync per transaction.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=10000")
            self.db.execute("PRAGMA foreign_keys=ON")
            ensure_schema(self.db)
        except Exception as exc:  # sqlite3.DatabaseError: not a database, disk full ...
            raise StorageError(f"{self.path}: cannot open the archive: {exc}") from exc
        self._lock_file: Any = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes into one transaction (nested: a savepoint).

        What the update run writes for one step (a listing page's entries and
        the walk's resume point; a fetched page and its frontier entry) either
        all lands or none of it does, however the process dies.
        """
        with self.db.atomic():
            yield

    # -- locking

    def lock(self) -> None:
        """Take the update lock of this database, or raise LockedError at once.

        The lock is the database's, not its name's: it sits beside the real
        file (symbolic links resolved), so two names of one database cannot
        both update it. A database file with several hard links is refused:
        nothing tells its names apart, and SQLite keeps its journal and WAL
        under the name it was opened by, so two names are two unsafe databases.
        """
        real = Path(os.path.realpath(self.path))
        links = real.stat().st_nlink if real.exists() else 1
        if links > 1:
            raise LockedError(
                f"{self.path}: cannot lock a database file with {links} hard links (SQLite keeps "
                "one safe under one name only): copy it instead of linking it"
            )
        lock_path = real.with_name(real.name + ".lock")
        handle = open(lock_path, "a+")  # noqa: SIM115 - held until unlock()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise LockedError(
                f"{self.path}: another update is running (lock held by pid {holder or '?'})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle

    def unlock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def close(self) -> None:
        self.unlock()
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
