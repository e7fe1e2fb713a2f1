"""Keeping a DuckLake small: every load adds Parquet files and a snapshot, and every models
build rewrites the marts, so without maintenance a lake's files and catalog grow with every
run. DuckLake's own functions do the work: small files of a table are merged, snapshots older
than the retention expire (time travel reaches back that far), and the files no snapshot
needs any more are deleted once they are older than the retention too (a reader that
started on an old snapshot keeps its files for as long)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import duckdb

from warehouse.location import LAKE_ALIAS

DEFAULT_RETENTION = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class LakeMaintenance:
    files_before: int
    files_after: int
    snapshots_expired: int
    files_deleted: int


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _data_files(con: duckdb.DuckDBPyConnection) -> int:
    return _count(con, f"SELECT coalesce(sum(file_count), 0) FROM ducklake_table_info"
                       f"('{LAKE_ALIAS}')")


def maintain_lake(con: duckdb.DuckDBPyConnection,
                  retention: timedelta = DEFAULT_RETENTION) -> LakeMaintenance:
    """Merge small files, expire old snapshots and delete the files they alone used. `con` is
    a writer's connection with the lake attached as LAKE_ALIAS."""
    before = _data_files(con)
    con.execute(f"CALL ducklake_merge_adjacent_files('{LAKE_ALIAS}')")
    cutoff = {"cutoff": f"{int(retention.total_seconds())} seconds"}
    expired = len(con.execute(
        f"CALL ducklake_expire_snapshots('{LAKE_ALIAS}',"
        " older_than => now() - CAST($cutoff AS INTERVAL))", cutoff).fetchall())
    deleted = len(con.execute(
        f"CALL ducklake_cleanup_old_files('{LAKE_ALIAS}',"
        " older_than => now() - CAST($cutoff AS INTERVAL))", cutoff).fetchall())
    return LakeMaintenance(before, _data_files(con), expired, deleted)
