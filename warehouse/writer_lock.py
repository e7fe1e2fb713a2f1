"""One writer at a time: an advisory file lock beside the warehouse file (or beside a lake's
local catalog file), or, for a lake whose catalog is PostgreSQL, an advisory lock in that
database (warehouse/catalog_lock.py), which writers on every machine share.

DuckDB refuses a second writing process outright; the lock turns that refusal into an orderly
wait, so a backfill started during a scheduled ingest queues instead of failing. A lake would
take two writers at once, but it enforces no keys: two loads merging the same entity or
article at the same time would both insert it. Loads are short (the fetching, parsing and
entity work of a run happen outside the lock), so writers queue for the lock only while the
other commits.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.location import WarehouseTarget, as_warehouse


class LockTimeout(TimeoutError):
    """The warehouse stayed locked by another process for longer than the allowed wait."""


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(
    target: WarehouseTarget,
    *,
    timeout_s: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    poll_s: float = 0.1,
) -> Iterator[None]:
    """Hold the exclusive writer lock of the warehouse for the duration of the block."""
    warehouse = as_warehouse(target)
    dsn = warehouse.postgres_dsn
    if dsn is not None:
        # Imported here: catalog_lock needs this module's LockTimeout, and a file warehouse
        # never needs psycopg.
        from warehouse.catalog_lock import catalog_writer_lock

        with catalog_writer_lock(dsn, timeout_s=timeout_s, on_wait=on_wait, poll_s=poll_s):
            yield
        return
    local = warehouse.local_file
    assert local is not None  # a file, or a lake's local catalog file
    with _file_lock(local, timeout_s=timeout_s, on_wait=on_wait, poll_s=poll_s):
        yield


@contextmanager
def _file_lock(db_path: Path, *, timeout_s: float, on_wait: Callable[[str], None] | None,
               poll_s: float) -> Iterator[None]:
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
