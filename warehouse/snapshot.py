"""A copy of the warehouse as one DuckDB file (`newswire export --format duckdb --out FILE`).

For a lake, a file of its current snapshot that any DuckDB client or script that expects a
newswire warehouse file can open (a laptop copy, an evaluation script); for a file warehouse,
a consistent copy while ingest goes on. The copy is a warehouse in its own right: its tables
are created by the migrations (with the primary keys a DuckDB file enforces), filled from
raw.*, core.* and meta.*, and the marts are copied as they are (views are not: `newswire
models --db FILE` rebuilds them).

The file is written beside FILE under a temporary name and renamed over it when complete, so
FILE is always either the previous copy or the new one. An existing FILE is replaced only if
it is such a copy (it has meta.snapshot).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.export import ExportTargetError
from warehouse.migrations import migrate

COPIED_SCHEMAS = ("raw", "core", "marts")


@dataclass(frozen=True, slots=True)
class TableCopy:
    schema: str
    table: str
    rows: int
    seconds: float


@dataclass(frozen=True, slots=True)
class SnapshotResult:
    out: Path
    tables: tuple[TableCopy, ...]
    bytes: int

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def check_snapshot_target(out: Path) -> None:
    """Refuse (ExportTargetError) an --out that exists and is not a previous copy."""
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_file():
        raise ExportTargetError(f"--out {out} exists and is not a file: choose a new path")
    try:
        with duckdb.connect(str(out), read_only=True) as con:
            found = con.execute("SELECT count(*) FROM information_schema.tables WHERE"
                                " table_schema = 'meta' AND table_name = 'snapshot'").fetchone()
    except duckdb.Error:
        found = None
    if not found or not found[0]:
        raise ExportTargetError(f"--out {out} exists and is not a newswire copy (no"
                                " meta.snapshot): choose a new path, or remove it yourself")


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_catalog = current_database() AND table_type = 'BASE TABLE'"
        " AND table_schema IN ('raw', 'core', 'marts') ORDER BY 1, 2").fetchall()


def export_duckdb(con: duckdb.DuckDBPyConnection, out: Path, *, source: str,
                  on_table: Callable[[int, int, TableCopy], None] | None = None
                  ) -> SnapshotResult:
    """Copy the warehouse `con` reads (core.* resolving in it) into the DuckDB file `out`,
    replacing a previous copy atomically."""
    check_snapshot_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    _remove(temp)
    try:
        with duckdb.connect(str(temp)) as target:
            migrate(target)  # the tables, with their keys, at the schema version of this code
            target.execute("CREATE SCHEMA IF NOT EXISTS marts")
            copies = _copy(con, target, on_table)
            target.execute("CREATE TABLE meta.snapshot (taken_at TIMESTAMPTZ, source VARCHAR)")
            target.execute("INSERT INTO meta.snapshot VALUES ($1, $2)",
                           [datetime.now(UTC), source])
            target.execute("CHECKPOINT")
        os.replace(temp, out)
    finally:
        _remove(temp)
    return SnapshotResult(out, tuple(copies), out.stat().st_size)


def _copy(con: duckdb.DuckDBPyConnection, target: duckdb.DuckDBPyConnection,
          on_table: Callable[[int, int, TableCopy], None] | None) -> list[TableCopy]:
    """Every table, streamed as Arrow record batches (a table never whole in memory), from
    one read transaction of `con`: one snapshot of the source."""
    copies: list[TableCopy] = []
    con.execute("BEGIN TRANSACTION")
    try:
        tables = _tables(con)
        for schema, table in tables:
            started = time.perf_counter()
            name = f'"{schema}"."{table}"'
            batches = con.execute(f"SELECT * FROM {name}").to_arrow_reader()  # noqa: F841
            if schema == "marts":
                target.execute(f"CREATE TABLE {name} AS SELECT * FROM batches")
            else:
                target.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batches")
            rows = target.execute(f"SELECT count(*) FROM {name}").fetchone()
            copy = TableCopy(schema, table, int(rows[0]) if rows else 0,
                             time.perf_counter() - started)
            copies.append(copy)
            if on_table is not None:
                on_table(len(copies), len(tables), copy)
    finally:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
    return copies


def _remove(path: Path) -> None:
    for each in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            each.unlink()
