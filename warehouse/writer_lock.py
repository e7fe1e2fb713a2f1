"""One writer at a time: an advisory file lock beside the warehouse file.

DuckDB refuses a second writing process outright; the lock turns that refusal into an orderly
wait, so a backfill started during a scheduled ingest queues instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(TimeoutError):
    """The warehouse stayed locked by another process for longer than the allowed wait."""


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(
    db_path: Path,
    *,
    timeout_s: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    poll_s: float = 0.1,
) -> Iterator[None]:
    """Hold the exclusive writer lock of `db_path` for the duration of the block."""
    path = lock_path_for(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"warehouse {db_path} is still locked by another writer after "
                        f"{timeout_s:.0f} s (lock file {path})"
                    ) from None
                if not told and on_wait is not None:
                    on_wait(f"waiting for the warehouse writer lock ({path})")
                    told = True
                time.sleep(poll_s)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
