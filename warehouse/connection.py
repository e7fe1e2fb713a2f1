"""Opening the warehouse: one serialised writer, any number of read-only readers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb

from warehouse.migrations import migrate
from warehouse.writer_lock import writer_lock


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be opened: missing file, or locked for longer than allowed."""


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text


@contextmanager
def open_writer(
    db_path: Path,
    *,
    lock_timeout_s: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    lock_held: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection, held under the writer lock, with the schema migrated.

    Hold it only for the duration of a load: readers in other processes are locked out while
    it is open. `lock_held`: the caller already holds the writer lock (taking it again from
    the same process would wait for itself).
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = (nullcontext() if lock_held
            else writer_lock(db_path, timeout_s=lock_timeout_s, on_wait=on_wait))
    with lock:
        con = _connect_retrying(db_path, read_only=False, timeout_s=lock_timeout_s, on_wait=on_wait)
        try:
            # Bulk loads on one connection checkpoint once, on close, instead of every 16 MB
            # of WAL: the commit-time checkpoints cost about 40% of a large load.
            con.execute("SET checkpoint_threshold = '1GB'")
            migrate(con)
            yield con
        finally:
            con.close()


def _connect_retrying(
    db_path: Path, *, read_only: bool, timeout_s: float, on_wait: Callable[[str], None] | None
) -> duckdb.DuckDBPyConnection:
    # A reader outside our lock (an evaluation script, a BI tool) can hold DuckDB's own file
    # lock briefly.
    deadline = time.monotonic() + timeout_s
    told = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                raise WarehouseUnavailable(f"cannot open {db_path}: {exc}") from exc
            if not told and on_wait is not None:
                on_wait(f"warehouse {db_path} is busy; waiting up to {timeout_s:.0f} s")
                told = True
            time.sleep(0.2)


@contextmanager
def open_reader(
    db_path: Path,
    *,
    timeout_s: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
    external_access: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection that cannot modify the warehouse, attach files or read the disk.

    `external_access`: allow files to be read and written (COPY ... TO), for `newswire export`
    only; never for user SQL. The warehouse itself stays read-only either way.
    """
    if not db_path.is_file():
        raise WarehouseUnavailable(
            f"no warehouse at {db_path}: run `newswire ingest` (or `newswire demo`) first"
        )
    con = _connect_retrying(db_path, read_only=True, timeout_s=timeout_s, on_wait=on_wait)
    try:
        if not external_access:
            con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()


class QueryRejected(ValueError):
    """A query the read-only interface will not run (a write, bad SQL): exit 2."""


def run_readonly_query(
    db_path: Path, sql: str, *, timeout_s: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run user SQL on a read-only connection; returns (column names, rows)."""
    with open_reader(db_path, timeout_s=timeout_s, on_wait=on_wait) as con:
        try:
            cursor = con.execute(sql)
        except (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException,
                duckdb.PermissionException, duckdb.InvalidInputException) as exc:
            message = str(exc)
            if "read-only" in message or "read only" in message:
                message = f"the warehouse is opened read-only; this query would modify it ({exc})"
            raise QueryRejected(message) from None
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
