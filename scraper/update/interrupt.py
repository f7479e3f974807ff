"""Stop an update on SIGINT or SIGTERM between two transactions, and say so.

The handlers run on the event loop, never inside a write (every write is
synchronous), so cancelling the run there leaves no transaction half done;
``run_update`` then marks the run ``interrupted`` and raises ``Interrupted``.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["StopSignals", "stop_on_signals"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """The signals an update was asked to stop by; the first one cancels ``task``."""

    def __init__(self, task: asyncio.Task[Any] | None) -> None:
        self._task = task
        #: The first signal received while armed, None while there was none.
        self.received: int | None = None

    def receive(self, signum: int) -> None:
        if self.received is None and self._task is not None:
            self.received = signum
            self._task.cancel()

    def disarm(self) -> None:
        """The work is done: a signal from now on stops nothing (the run finishes as it is)."""
        self._task = None


@contextmanager
def stop_on_signals() -> Iterator[StopSignals]:
    """While inside, SIGINT and SIGTERM cancel the current task (see ``StopSignals``).

    Outside the main thread (where no handler can be set) signals keep their
    usual effect, and a signal the process was started ignoring stays ignored
    (as ``nohup`` asks). The previous handlers are back on the way out.
    """
    loop = asyncio.get_running_loop()
    stop = StopSignals(asyncio.current_task())
    previous: dict[int, Any] = {}
    for signum in SIGNALS:
        try:
            before = signal.getsignal(signum)
            if before == signal.SIG_IGN:
                continue
            loop.add_signal_handler(signum, stop.receive, signum)
        except (ValueError, RuntimeError, NotImplementedError):
            continue
        previous[signum] = before
    try:
        yield stop
    finally:
        for signum, before in previous.items():
            loop.remove_signal_handler(signum)
            if before is not None:
                signal.signal(signum, before)
