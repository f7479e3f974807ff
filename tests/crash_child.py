"""Updates that are SIGKILLed just before their Nth SQL statement (tests/test_crash_points.py).

Run as ``python tests/crash_child.py``: the process imports the scraper once,
then reads one JSON job a line from stdin, ``{"db", "sources", "kill_at",
"trace_file"}``, forks a child that runs the update (SIGKILLed before statement
``kill_at``; 0 never), and answers one line: ``killed``, ``ok`` or ``failed``.
This process has no threads, so forking it is safe (forking pytest, whose
fixture servers run in threads, is not), and no job pays for the imports.
With ``trace_file`` the child writes the first word of every statement it ran.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path

from scraper.records import Config, Settings, Source
from scraper.store import Archive
from scraper.update.crawl import update


def run_update(
    db: str, sources: list[dict[str, str]], kill_at: int, trace_file: str | None
) -> None:
    config = Config(
        path="<crash test>",
        settings=Settings(delay=0.0),
        sources=tuple(
            Source(id=s["id"], name=s["name"], url=s["url"], delay=0.0, verified=True)
            for s in sources
        ),
    )
    statements: list[str] = []

    def trace(sql: str) -> None:
        statements.append(sql.split(None, 1)[0].upper() if sql.strip() else "")
        if len(statements) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    archive = Archive(db)
    archive.db.conn.set_trace_callback(trace)
    archive.lock()
    update(config, archive)
    archive.close()
    if trace_file:
        Path(trace_file).write_text("\n".join(statements), encoding="utf-8")


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                run_update(job["db"], job["sources"], job["kill_at"], job.get("trace_file"))
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            answer = "killed"
        else:
            answer = "ok" if os.WEXITSTATUS(status) == 0 else "failed"
        print(answer, flush=True)


if __name__ == "__main__":
    main()
