"""Opening the warehouse: one serialised writer, any number of read-only readers.

A DuckDB file is opened directly. A DuckLake is attached to an in-memory DuckDB as `lake` and
made the default catalog (`USE lake`), so core.*, raw.* and marts.* resolve alike in both and
the same SQL runs on either. A lake reader attaches READ_ONLY: it reads the snapshot current
when its query starts and never waits for a writer (a lake's writers commit new files and a
new snapshot in the catalog; they lock nothing readers need), except that a catalog kept in
a local DuckDB file admits one process at a time, so its readers wait like a file's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

import duckdb

from warehouse.extensions import load_extensions
from warehouse.lake_storage import S3CredentialsMissing, configure_lake_storage
from warehouse.location import LAKE_ALIAS, Warehouse, WarehouseTarget, as_warehouse
from warehouse.migrations import applied_versions, migrate
from warehouse.sql_text import sql_string
from warehouse.writer_lock import writer_lock


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be opened: missing file, or locked for longer than allowed."""


class WarehouseMissing(WarehouseUnavailable):
    """There is no warehouse there yet: nothing was ever loaded into it."""


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text


def _is_newer_format(exc: duckdb.Error) -> bool:
    return "created with an newer version" in str(exc) or "newer version of duckdb" in str(exc)


def _newer_format_message(warehouse: Warehouse, exc: duckdb.Error) -> str:
    return (f"cannot open {warehouse}: it was written by a newer DuckDB than this newswire's "
            f"{duckdb.__version__}. Rebuild it from the raw landing zone "
            "(`newswire backfill --source raw --start ... --end ...` into a new --db), or "
            "convert it: docs/USER_GUIDE.md, 'Warehouses written by DuckDB 2.x'. "
            f"({str(exc).splitlines()[0]})")


@contextmanager
def open_writer(
    target: WarehouseTarget,
    *,
    lock_timeout_s: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    lock_held: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection, held under the writer lock, with the schema migrated.

    Hold it only for the duration of a load: readers in other processes of a DuckDB file are
    locked out while it is open. `lock_held`: the caller already holds the writer lock
    (taking it again from the same process would wait for itself).
    """
    warehouse = as_warehouse(target)
    local = warehouse.local_file
    if local is not None:
        local.parent.mkdir(parents=True, exist_ok=True)
    lock = (nullcontext() if lock_held
            else writer_lock(warehouse, timeout_s=lock_timeout_s, on_wait=on_wait))
    with lock:
        con = _connect_retrying(warehouse, read_only=False, timeout_s=lock_timeout_s,
                                on_wait=on_wait)
        try:
            if not warehouse.is_lake:
                # Bulk loads on one connection checkpoint once, on close, instead of every
                # 16 MB of WAL: the commit-time checkpoints cost about 40% of a large load.
                con.execute("SET checkpoint_threshold = '1GB'")
            migrate(con, lake=warehouse.is_lake)
            yield con
        finally:
            con.close()


def _connect(warehouse: Warehouse, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    if warehouse.path is not None:
        return duckdb.connect(str(warehouse.path), read_only=read_only)
    con = duckdb.connect()
    try:
        load_extensions(con, *lake_extensions(warehouse))
        data = warehouse.lake_data
        options = ["READ_ONLY"] if read_only else []
        if data is not None and not read_only:
            options.append("DATA_PATH " + sql_string(data))
        clause = f" ({', '.join(options)})" if options else ""
        con.execute(f"ATTACH {sql_string(warehouse.attach_target())} AS {LAKE_ALIAS}{clause}")
        con.execute(f"USE {LAKE_ALIAS}")
        # The catalog knows where the data is, whatever NEWSWIRE_LAKE_DATA says (or if unset).
        stored = lake_data_path(con)
        configure_lake_storage(con, stored or data or "", os.environ)
    except S3CredentialsMissing as exc:
        con.close()
        raise WarehouseUnavailable(f"cannot open {warehouse}: {exc}") from None
    except BaseException:
        con.close()
        raise
    return con


def lake_data_path(con: duckdb.DuckDBPyConnection) -> str | None:
    """Where the attached lake keeps its data files (its catalog's record of it)."""
    row = con.execute(f"SELECT value FROM ducklake_options('{LAKE_ALIAS}')"
                      " WHERE option_name = 'data_path'").fetchone()
    return str(row[0]) if row and row[0] else None


def lake_extensions(warehouse: Warehouse) -> tuple[str, ...]:
    """The DuckDB extensions a connection to `warehouse` needs."""
    if not warehouse.is_lake:
        return ()
    needed = ["ducklake"]
    if warehouse.catalog_kind in ("postgres", "sqlite"):
        needed.append(str(warehouse.catalog_kind))
    if (warehouse.lake_data or "").startswith("s3://"):
        needed.append("httpfs")
    return tuple(needed)


def _connect_retrying(
    warehouse: Warehouse, *, read_only: bool, timeout_s: float,
    on_wait: Callable[[str], None] | None
) -> duckdb.DuckDBPyConnection:
    # A reader outside our lock (an evaluation script, a BI tool) can hold DuckDB's own file
    # lock briefly; so can any process with a lake's DuckDB-file catalog attached.
    deadline = time.monotonic() + timeout_s
    told = False
    while True:
        try:
            return _connect(warehouse, read_only=read_only)
        except duckdb.IOException as exc:
            if _is_newer_format(exc):
                raise WarehouseUnavailable(_newer_format_message(warehouse, exc)) from exc
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                raise WarehouseUnavailable(f"cannot open {warehouse}: {exc}") from exc
            if not told and on_wait is not None:
                on_wait(f"warehouse {warehouse} is busy; waiting up to {timeout_s:.0f} s")
                told = True
            time.sleep(0.2)
        except duckdb.Error as exc:
            if not warehouse.is_lake:
                raise
            if read_only and "creating a new DuckLake is explicitly disabled" in str(exc):
                raise WarehouseMissing(
                    f"no warehouse at {warehouse}: run `newswire ingest` first") from exc
            raise WarehouseUnavailable(f"cannot open {warehouse}: {exc}") from exc


@contextmanager
def open_reader(
    target: WarehouseTarget,
    *,
    timeout_s: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
    external_access: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection that cannot modify the warehouse, attach files or read the disk.

    `external_access`: allow files to be read and written (COPY ... TO), for `newswire export`
    only; never for user SQL. The warehouse itself stays read-only either way.
    """
    warehouse = as_warehouse(target)
    missing = (f"no warehouse at {warehouse}: run `newswire ingest` (or `newswire demo`) "
               "first")
    if not warehouse.exists():
        raise WarehouseMissing(missing)
    con = _connect_retrying(warehouse, read_only=True, timeout_s=timeout_s, on_wait=on_wait)
    try:
        if warehouse.is_lake and not applied_versions(con):
            raise WarehouseMissing(missing)
        if not external_access:
            data_path = lake_data_path(con) if warehouse.is_lake else None
            if data_path:
                # The lake's own data files stay readable once the disk is closed to queries.
                con.execute("SET allowed_directories = $dirs", {"dirs": [data_path]})
            con.execute("SET enable_external_access = false")
        # DuckDB draws a progress bar on stdout for a query over 2 s, terminal or not: it
        # would land in `newswire query`'s CSV or JSON.
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()


class QueryRejected(ValueError):
    """A query the read-only interface will not run (a write, bad SQL): exit 2."""


def run_readonly_query(
    target: WarehouseTarget, sql: str, *, timeout_s: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run user SQL on a read-only connection; returns (column names, rows)."""
    with open_reader(target, timeout_s=timeout_s, on_wait=on_wait) as con:
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
