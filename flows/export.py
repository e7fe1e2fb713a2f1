"""`newswire export`: the core tables and the marts as hive-partitioned Parquet in a
directory (warehouse/export.py), or the whole warehouse as one DuckDB file
(warehouse/snapshot.py); either is replaced atomically on every run.

No Prefect: an export is one read-only pass over the warehouse. Progress (one line per table)
and the summary go to stderr.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from flows.exit_codes import ExitCode
from flows.settings import Settings
from warehouse.connection import WarehouseUnavailable, open_reader
from warehouse.export import (
    ExportError,
    ExportResult,
    ExportTargetError,
    TableExport,
    check_target,
    export_parquet,
)
from warehouse.snapshot import SnapshotResult, TableCopy, check_snapshot_target, export_duckdb

FORMATS = ("parquet", "duckdb")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    size = n / 1024
    for unit in ("KiB", "MiB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def _progress(done: int, total: int, table: TableExport) -> None:
    partitioned = f", by {table.partition_by}" if table.partition_by else ""
    print(f"newswire: [{done}/{total}] {table.schema}.{table.table}: {table.rows} rows, "
          f"{table.files} file{'s' if table.files != 1 else ''}{partitioned}, "
          f"{_size(table.bytes)} ({table.seconds:.1f} s)", file=sys.stderr)


def _copied(done: int, total: int, table: TableCopy) -> None:
    print(f"newswire: [{done}/{total}] {table.schema}.{table.table}: {table.rows} rows "
          f"({table.seconds:.1f} s)", file=sys.stderr)


def _export(settings: Settings, output_format: str, out: Path) -> ExportResult | SnapshotResult:
    def waiting(message: str) -> None:
        print(f"newswire: {message}", file=sys.stderr)

    with open_reader(settings.warehouse, timeout_s=settings.lock_timeout_s, on_wait=waiting,
                     external_access=True) as con:
        if output_format == "duckdb":
            return export_duckdb(con, out, source=str(settings.warehouse), on_table=_copied)
        return export_parquet(con, out, on_table=_progress)


def run_export(settings: Settings, output_format: str, out: Path) -> int:
    """The CLI command: 0 exported, 2 bad --format or --out (nothing written), 1 no warehouse
    or another failure."""
    if output_format not in FORMATS:
        print(f"newswire: --format {output_format!r} is not supported; "
              f"choose from {', '.join(FORMATS)}", file=sys.stderr)
        return ExitCode.USAGE
    started = time.monotonic()
    try:
        # before the warehouse is opened: a refusal writes nothing
        (check_snapshot_target if output_format == "duckdb" else check_target)(out)
        result = _export(settings, output_format, out)
    except ExportTargetError as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except (WarehouseUnavailable, ExportError) as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    files = f"{result.files} files, " if isinstance(result, ExportResult) else ""
    print(f"newswire: exported {len(result.tables)} tables, {result.rows} rows, "
          f"{files}{_size(result.bytes)} to {result.out} "
          f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return ExitCode.OK
