"""Export the core tables and the marts as hive-partitioned Parquet (`newswire export`).

Layout of OUT: one folder per table, named after the table (OUT/fact_article/,
OUT/fact_entity_mention/, ..., OUT/stories/), plus a manifest OUT/_newswire_export.json.
fact_article is partitioned by the UTC month of publication (OUT/fact_article/month=2025-03/);
articles without a publication time go to month=__HIVE_DEFAULT_PARTITION__, the Hive spelling
of NULL, which DuckDB, pyarrow, pandas, Polars and Spark all read back as a NULL month. Every
BASE TABLE of schemas core and marts is exported; views (staging.*) and raw.* are not.

Atomic overwrite: OUT is a symbolic link to one complete export, kept in a hidden folder
beside it (.OUT.newswire-export/<export id>/). A run writes a new export there, flushes it to
disk, then points OUT at it with one rename(2) of a new link over the old one, and only then
deletes the export it replaced. rename(2) is atomic, so:
- a crash (kill -9, power loss) before the rename leaves OUT on the previous, untouched
  export; the next run deletes the unfinished one (under a lock, so never another run's);
- a crash after it leaves OUT on the new, complete export (the old one is deleted next run);
- every resolution of OUT gives exactly one complete export. Files are named after their
  export (part-<export id>-<n>.parquet), so a reader that listed OUT before a swap and opens
  a file after it gets "file not found", never a file of the other export; files it already
  opened stay readable after the deletion (POSIX keeps unlinked open files).
Swapping a real directory instead would need two renames (OUT away, the new one in), with a
moment where OUT does not exist and a crash there losing it; Linux's RENAME_EXCHANGE would
avoid that but exists only on some filesystems and has no Python API.

The export takes an open connection on which core.* and marts.* resolve (a warehouse file
opened read-only with file access allowed, or a lake attached as the default catalog), and
reads every table in one transaction: one consistent snapshot.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.sql_text import sql_string

EXPORTED_SCHEMAS = ("core", "marts")
MANIFEST_NAME = "_newswire_export.json"
# table -> (partition column, its SQL over the table's columns)
PARTITIONS = {"fact_article": ("month", "strftime(timezone('UTC', published_at), '%Y-%m')")}
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # how Hive, Spark, DuckDB and pyarrow spell NULL
_EXPORT_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}")


class ExportTargetError(ValueError):
    """--out names something that is not a previous export: exit 2, nothing written."""


class ExportError(RuntimeError):
    """The export cannot be made (nothing to export, a name clash, another export running)."""


@dataclass(frozen=True, slots=True)
class TableExport:
    """One exported table: where it came from and what was written."""

    schema: str
    table: str
    rows: int
    files: int
    bytes: int
    seconds: float
    partition_by: str | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    out: Path
    export_id: str
    tables: tuple[TableExport, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def files(self) -> int:
        return sum(t.files for t in self.tables)

    @property
    def bytes(self) -> int:
        return sum(t.bytes for t in self.tables)


# (tables done, tables in all, the table just written)
ProgressCallback = Callable[[int, int, TableExport], None]


def store_dir(out: Path) -> Path:
    """The hidden folder beside `out` that holds the export `out` links to."""
    return out.parent / f".{out.name}.newswire-export"


def _normalised(out: Path) -> Path:
    # abspath, not resolve(): resolving would follow `out` itself when it is our link.
    return Path(os.path.abspath(out))


def _current_export_id(out: Path) -> str | None:
    """The export `out` links to, or None when `out` is not a link of ours."""
    if not out.is_symlink():
        return None
    parts = Path(os.readlink(out)).parts
    if (len(parts) == 2 and parts[0] == store_dir(out).name
            and _EXPORT_ID.fullmatch(parts[1])):
        return parts[1]
    return None


def check_target(out: Path) -> None:
    """Raise ExportTargetError unless `out` is free: missing, an empty directory, or a
    previous export. Never anything else, so an export never replaces a user's files."""
    out = _normalised(out)
    if out.name in ("", ".", ".."):
        raise ExportTargetError(f"--out {out} must name a directory")
    if _current_export_id(out) is not None:
        return
    if out.is_symlink():
        raise ExportTargetError(f"--out {out} is a symbolic link that newswire export did not "
                                "make; choose another path")
    if out.is_dir():
        if any(out.iterdir()):
            raise ExportTargetError(f"--out {out} is a non-empty directory that newswire export "
                                    "did not make; choose another path or empty it")
        return
    if out.exists():
        raise ExportTargetError(f"--out {out} exists and is not a directory")
    store = store_dir(out)
    if store.exists() and not store.is_dir():
        raise ExportTargetError(f"{store} (where the export is kept) exists and is not a "
                                "directory")


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every BASE TABLE of core and marts in the connection's default
    catalog. ExportError when there are none or when two share a name (they would share a
    folder)."""
    rows = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_catalog = current_database() AND table_type = 'BASE TABLE'"
        " AND list_contains(?, table_schema) ORDER BY table_schema, table_name",
        [list(EXPORTED_SCHEMAS)]).fetchall()
    if not any(schema == "core" for schema, _ in rows):
        raise ExportError("the warehouse has no core tables: nothing to export")
    seen: dict[str, str] = {}
    for schema, table in rows:
        if table in seen:
            raise ExportError(f"{seen[table]}.{table} and {schema}.{table} would both be "
                              f"exported to {table}/: rename one of them")
        seen[table] = schema
    return [(str(s), str(t)) for s, t in rows]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog ="
        " current_database() AND table_schema = ? AND table_name = ?",
        [schema, table]).fetchall()]


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, folder: Path,
                export_id: str) -> tuple[int, str | None]:
    """Write one table into `folder` (which must not exist); returns (rows, partition
    column)."""
    relation = f"{_ident(schema)}.{_ident(table)}"
    partition = PARTITIONS.get(table) if schema == "core" else None
    if partition is None:
        folder.mkdir()
        target = folder / f"part-{export_id}-0.parquet"
        (rows,) = con.execute(
            f"COPY (SELECT * FROM {relation}) TO {sql_string(str(target))} (FORMAT parquet)"
        ).fetchone() or (0,)
        return int(rows), None
    column, expression = partition
    if column in _columns(con, schema, table):
        raise ExportError(f"{schema}.{table} already has a column {column!r}, the name of its "
                          "partition column in the export")
    # DuckDB writes a NULL partition value as month=__HIVE_DEFAULT_PARTITION__ and leaves the
    # partition column out of the files (it is in the folder names).
    (rows,) = con.execute(
        f"COPY (SELECT *, {expression} AS {_ident(column)} FROM {relation})"
        f" TO {sql_string(str(folder))}"
        f" (FORMAT parquet, PARTITION_BY ({_ident(column)}),"
        f" FILENAME_PATTERN {sql_string(f'part-{export_id}-{{i}}')})"
    ).fetchone() or (0,)
    if not rows:
        # COPY writes no file for no rows; readers need one to know the columns (a glob that
        # matches nothing is an error in DuckDB and Spark).
        empty = folder / f"{column}={HIVE_NULL}" / f"part-{export_id}-0.parquet"
        empty.parent.mkdir(parents=True)
        con.execute(f"COPY (SELECT * FROM {relation} LIMIT 0) TO {sql_string(str(empty))}"
                    " (FORMAT parquet)")
    return int(rows), column


def _files_and_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*.parquet") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _fsync_tree(root: Path) -> None:
    """Flush every file and folder under `root` (and root) to disk, so that the swap never
    publishes an export a power loss could leave half-written."""
    for folder, _, names in os.walk(root):
        for name in names:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _store_lock(store: Path, out: Path) -> Iterator[None]:
    """One export to `out` at a time: the debris cleaning of one run must not take another
    run's export in the making for a crashed one."""
    fd = os.open(store / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"another `newswire export` to {out} is running") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _remove_debris(store: Path, keep: str | None) -> None:
    """Delete what crashed or replaced runs left in the store: every export but `keep`, and
    unfinished links. Only names this module makes are touched."""
    for entry in store.iterdir():
        if entry.name == keep or not _EXPORT_ID.fullmatch(entry.name.removesuffix(".link")):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _new_export_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def _write_manifest(folder: Path, export_id: str, tables: list[TableExport]) -> None:
    manifest = {
        "export_id": export_id,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": "parquet",
        "tables": {t.table: {k: v for k, v in asdict(t).items() if k not in ("table",
                                                                              "seconds")}
                   for t in tables},
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n",
                                        encoding="utf-8")


def export_parquet(con: duckdb.DuckDBPyConnection, out: Path, *,
                   on_table: ProgressCallback | None = None) -> ExportResult:
    """Export every core and marts table into `out` as Parquet, replacing the previous export
    there atomically (see the module docstring). ExportTargetError when `out` is not free
    (check_target); ExportError when there is nothing to export, two tables share a name, or
    another export to `out` is running."""
    out = _normalised(out)
    check_target(out)
    tables = exported_tables(con)
    store = store_dir(out)
    store.mkdir(parents=True, exist_ok=True)
    with _store_lock(store, out):
        check_target(out)  # again, under the lock: another run may have changed `out`
        previous = _current_export_id(out)
        _remove_debris(store, keep=previous)
        export_id = _new_export_id()
        staging = store / export_id
        staging.mkdir()
        try:
            written = _write_tables(con, tables, staging, export_id, on_table)
            _write_manifest(staging, export_id, written)
            _fsync_tree(staging)
            _publish(out, store, export_id)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if previous is not None:
            shutil.rmtree(store / previous, ignore_errors=True)
    return ExportResult(out=out, export_id=export_id, tables=tuple(written))


def _write_tables(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]],
                  staging: Path, export_id: str,
                  on_table: ProgressCallback | None) -> list[TableExport]:
    written: list[TableExport] = []
    # One transaction: every table from the same snapshot, even if a writer commits meanwhile
    # (a lake's writers do not wait for readers).
    con.execute("BEGIN TRANSACTION")
    try:
        for schema, table in tables:
            started = time.monotonic()
            folder = staging / table
            rows, partition_by = _copy_table(con, schema, table, folder, export_id)
            files, size = _files_and_bytes(folder)
            done = TableExport(schema=schema, table=table, rows=rows, files=files, bytes=size,
                               seconds=time.monotonic() - started, partition_by=partition_by)
            written.append(done)
            if on_table is not None:
                on_table(len(written), len(tables), done)
    finally:
        con.execute("ROLLBACK")  # nothing was written to the warehouse
    return written


def _publish(out: Path, store: Path, export_id: str) -> None:
    """Point `out` at the export in one rename(2) of a new link over the old one."""
    link = store / f"{export_id}.link"
    # Relative, so the export survives moving the folder that holds `out` and its store.
    os.symlink(os.path.join(store.name, export_id), link)
    try:
        if out.is_dir() and not out.is_symlink():
            out.rmdir()  # the empty directory check_target allowed: nothing to keep
        os.replace(link, out)
    except BaseException:
        link.unlink(missing_ok=True)
        raise
    _fsync_dir(out.parent)
