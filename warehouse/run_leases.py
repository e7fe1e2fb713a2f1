"""Which runs are alive: a run holds an advisory lock on its own lease file while it runs.

core.etl_run says 'running' from a run's start to its end; a run killed in between (SIGKILL,
out of memory, power loss) never writes its end. The kernel releases a dead process's file
locks, so a later run can tell a live run (its lease is locked) from a dead one (unlocked or
missing) and mark the dead one 'crashed'. Lease files live beside the warehouse, in
`<warehouse>.runs/`, one per running run (beside a lake's catalog file for a local lake).
A lake whose catalog is PostgreSQL keeps its leases there instead (warehouse/catalog_lock.py),
so that a run on another machine is seen alive.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse.location import WarehouseTarget, as_warehouse


def lease_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".runs")


@contextmanager
def run_lease(target: WarehouseTarget, run_id: str) -> Iterator[None]:
    """Hold the lease of `run_id` for the duration of the block."""
    warehouse = as_warehouse(target)
    if warehouse.postgres_dsn is not None:
        from warehouse.catalog_lock import catalog_run_lease

        with catalog_run_lease(warehouse.postgres_dsn, run_id):
            yield
        return
    assert warehouse.local_file is not None
    directory = lease_dir(warehouse.local_file)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / run_id
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new run id: nobody else holds it
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_alive(target: WarehouseTarget, run_id: str) -> bool:
    """True while the process running `run_id` holds its lease. A dead run's leftover lease
    file is removed."""
    warehouse = as_warehouse(target)
    if warehouse.postgres_dsn is not None:
        from warehouse.catalog_lock import catalog_run_is_alive

        return catalog_run_is_alive(warehouse.postgres_dsn, run_id)
    assert warehouse.local_file is not None
    path = lease_dir(warehouse.local_file) / run_id
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
