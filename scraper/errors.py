"""The scraper's exceptions.

    ScraperError
     ├── ConfigError     a sources file is malformed (file, line, field)
     ├── FetchError      a request failed for good (URL, status, reason)
     │    └── RobotsDisallowed   robots.txt forbids the URL
     ├── ExtractError    a page holds no release we can extract (URL, reason)
     ├── StorageError    the database cannot be written or read
     │    └── LockedError     another update holds the database
     ├── Interrupted     SIGINT or SIGTERM stopped an update (the run is marked interrupted)
     └── PortInUseError  ``scraper serve`` cannot bind its port

Every exception the library raises on purpose is a ScraperError, so a caller
can catch them all with one clause; the CLI turns them into messages.
"""

from __future__ import annotations

import signal


class ScraperError(Exception):
    """Base of every error the scraper raises on purpose."""


class ConfigError(ScraperError):
    """A sources file is missing, unreadable or malformed."""

    def __init__(
        self, message: str, *, path: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        where = path if line is None else f"{path}:{line}"
        if field:
            where = f"{where}: field '{field}'"
        super().__init__(f"{where}: {message}")


class FetchError(ScraperError):
    """A request failed for good, after any retries."""

    def __init__(
        self,
        message: str,
        *,
        url: str,
        status: int | None = None,
        attempts: int = 1,
        elapsed: float = 0.0,
    ) -> None:
        self.url = url
        self.status = status
        self.reason = message
        self.attempts = attempts
        self.elapsed = elapsed
        label = f" (HTTP {status})" if status else ""
        super().__init__(f"{url}: {message}{label}")


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids our user agent to fetch the URL."""


class ExtractError(ScraperError):
    """A page could not be turned into a release."""

    def __init__(self, message: str, *, url: str, selector: str | None = None) -> None:
        self.url = url
        self.reason = message
        self.selector = selector
        super().__init__(f"{url}: {message}")


class StorageError(ScraperError):
    """The archive database cannot be written or read."""


class LockedError(StorageError):
    """Another update is running against the same database."""


class Interrupted(ScraperError):
    """A signal stopped an update; what was stored stays, the run is marked interrupted."""

    def __init__(self, signum: int, *, run_id: int | None = None, done: int = 0) -> None:
        self.signum = signum
        self.run_id = run_id
        #: Sources finished before the signal came.
        self.done = done
        name = _signal_name(signum)
        run = f"run {run_id}" if run_id is not None else "the run"
        super().__init__(f"interrupted by {name}: {run} marked interrupted")


class PortInUseError(ScraperError):
    """The address ``scraper serve`` was asked to listen on is taken."""

    def __init__(self, *, host: str, port: int) -> None:
        self.host = host
        self.port = port
        super().__init__(f"port {port} is in use on {host}: choose another with --port")


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
