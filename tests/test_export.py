"""`newswire export`: the core tables and marts of a warehouse loaded by the real loaders and
built by the real models, written as Parquet and read back by DuckDB and pyarrow; reruns,
crashes and refusals."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from flows.cli import main
from tests.test_models import (
    FAILURES_AT,
    SPECS,
    Spec,
    build_records,
    load_fixture,
    load_specs,
)
from warehouse.connection import open_reader, open_writer
from warehouse.export import (
    HIVE_NULL,
    MANIFEST_NAME,
    ExportError,
    ExportResult,
    ExportTargetError,
    ProgressCallback,
    TableExport,
    export_parquet,
    store_dir,
)
from warehouse.loaders import load_batch

REPO = Path(__file__).resolve().parents[1]
PLUS_8 = timezone(timedelta(hours=8))
# Beyond the models fixture's March 2025: 1 Feb 01:00 in Beijing is still January in UTC.
MORE_SPECS = [
    Spec(20, datetime(2025, 2, 1, 1, 0, tzinfo=PLUS_8), ["xi", "china"],
         [("xi", "Xi Jinping", "A January quote.")]),
    Spec(21, datetime(2025, 2, 14, 9, 0, tzinfo=UTC), ["guterres", "un"],
         authors=("Liu Fang",)),
]
MORE_SEEN_AT = datetime(2025, 3, 10, 13, 0, tzinfo=UTC)
APRIL_SEEN_AT = datetime(2025, 4, 2, 8, 0, tzinfo=UTC)
# The months of fact_article in the fixture; the undated article is in the NULL partition.
MONTH_FOLDERS = {"month=2025-01", "month=2025-02", "month=2025-03", f"month={HIVE_NULL}"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The models' hand-made warehouse plus two earlier months, with its marts built."""
    from warehouse.models_runner import build_models

    root = tmp_path_factory.mktemp("export")
    db = root / "w.duckdb"
    load_fixture(db, failures_at=FAILURES_AT)
    load_specs(db, MORE_SPECS, seen_at=MORE_SEEN_AT, run_id="run-more")
    build_models(db, artifacts_dir=root / "dbt")
    return db


def copy_of(db: Path, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(db, to / db.name))


def base_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_schema IN ('core', 'marts') AND table_type = 'BASE TABLE'"
        " ORDER BY 1, 2").fetchall()


def parquet_select(out: Path, table: str) -> str:
    # The month column is the partition, not a column of the warehouse table.
    columns = "* EXCLUDE (month)" if table == "fact_article" else "*"
    return (f"SELECT {columns} FROM read_parquet('{out}/{table}/**/*.parquet',"
            " hive_partitioning = true)")


def checksum(con: duckdb.DuckDBPyConnection, select: str) -> tuple[int, int]:
    """(rows, sum of the hash of each whole row): independent of row order, covers every
    column, and counts a duplicated row twice (a XOR would cancel it)."""
    rows, total = con.execute(
        f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM ({select}) t").fetchone()
    return int(rows), int(total)


def column_types(con: duckdb.DuckDBPyConnection, select: str) -> list[tuple[str, str]]:
    return [(name, str(kind)) for name, kind, *_ in con.execute(f"DESCRIBE {select}")
            .fetchall()]


def warehouse_checksums(db: Path) -> dict[str, tuple[int, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: checksum(con, f"SELECT * FROM {s}.{t}") for s, t in base_tables(con)}


def export_checksums(out: Path, tables: list[str]) -> dict[str, tuple[int, int]]:
    with duckdb.connect() as con:
        return {t: checksum(con, parquet_select(out, t)) for t in tables}


def export(db: Path, out: Path, *, on_table: ProgressCallback | None = None) -> ExportResult:
    with open_reader(db, external_access=True) as con:
        return export_parquet(con, out, on_table=on_table)


def parquet_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.parquet"))


# --- round trip ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(warehouse: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, ExportResult, list[tuple[int, int, TableExport]]]:
    out = tmp_path_factory.mktemp("exported") / "out"
    progress: list[tuple[int, int, TableExport]] = []
    result = export(warehouse, out, on_table=lambda *a: progress.append(a))
    return out, result, progress


def test_every_table_round_trips_with_the_same_rows_checksums_and_types(
        warehouse: Path, exported: tuple[Path, ExportResult, list]) -> None:
    out, result, _ = exported
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = base_tables(con)
        expected = {t: (checksum(con, f"SELECT * FROM {s}.{t}"),
                        column_types(con, f"SELECT * FROM {s}.{t}")) for s, t in tables}
    assert {s for s, _ in tables} == {"core", "marts"}
    assert {"fact_article", "fact_entity_mention", "stories", "entity_daily"} <= set(expected)
    # One folder per table, named after it; no view (staging), nothing of raw or meta.
    assert {p.name for p in out.iterdir() if p.is_dir()} == set(expected)
    assert not {"fetch_log", "stg_articles", "schema_migrations"} & {p.name for p in
                                                                     out.iterdir()}
    with duckdb.connect() as con:
        for table, (sums, types) in expected.items():
            assert checksum(con, parquet_select(out, table)) == sums, table
            assert column_types(con, parquet_select(out, table)) == types, table
    assert expected["fact_article"][0][0] == len(SPECS) + len(MORE_SPECS)
    types = dict(expected["fact_article"][1])
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["authors"] == "VARCHAR[]"
    # The result says what was written.
    assert [(t.schema, t.table) for t in result.tables] == tables
    for t in result.tables:
        files = list((out / t.table).rglob("*.parquet"))
        assert (t.rows, t.files, t.bytes) == (expected[t.table][0][0], len(files),
                                              sum(f.stat().st_size for f in files)), t
    assert result.rows == sum(rows for (rows, _), _ in expected.values())


def test_articles_are_partitioned_by_utc_publication_month(
        warehouse: Path, exported: tuple[Path, ExportResult, list]) -> None:
    out, result, _ = exported
    folders = {p.name for p in (out / "fact_article").iterdir()}
    assert folders == MONTH_FOLDERS
    assert next(t for t in result.tables if t.table == "fact_article").partition_by == "month"
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'Asia/Shanghai'")  # the month is UTC whatever the session
        wrong = con.execute(
            f"SELECT article_id, month FROM read_parquet('{out}/fact_article/**/*.parquet',"
            " hive_partitioning = true) WHERE month IS DISTINCT FROM"
            " strftime(timezone('UTC', published_at), '%Y-%m')").fetchall()
        assert wrong == []
        january = con.execute(
            f"SELECT article_id FROM read_parquet('{out}/fact_article/month=2025-01/*.parquet')"
        ).fetchall()
        assert january == [("art0020",)]  # published 1 Feb in Beijing, 31 Jan in UTC
        undated = con.execute(
            f"SELECT article_id, month FROM read_parquet('{out}/fact_article/**/*.parquet',"
            " hive_partitioning = true) WHERE published_at IS NULL").fetchall()
        assert undated == [("art0011", None)]
        # The partition column is in the folder names only, not in the files.
        one = next((out / "fact_article" / "month=2025-03").glob("*.parquet"))
        assert "month" not in [c for (c, *_) in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{one}', hive_partitioning = false)")
            .fetchall()]


def test_pyarrow_reads_the_same_counts_as_pandas_polars_and_spark_users_would(
        warehouse: Path, exported: tuple[Path, ExportResult, list]) -> None:
    out, _, _ = exported
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {s}.{t}").fetchone()[0]
                  for s, t in base_tables(con)}
        undated = con.execute("SELECT count(*) FROM core.fact_article"
                              " WHERE published_at IS NULL").fetchone()[0]
    for table, rows in counts.items():
        dataset = ds.dataset(out / table, format="parquet", partitioning="hive")
        assert dataset.count_rows() == rows, table
    articles = ds.dataset(out / "fact_article", format="parquet",
                          partitioning="hive").to_table()
    assert articles.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert articles.schema.field("authors").type == pa.list_(pa.string())
    assert articles.filter(ds.field("month").is_null()).num_rows == undated == 1
    assert articles.filter(ds.field("month") == "2025-02").num_rows == 1
    authors = articles.filter(ds.field("article_id") == "art0008").column("authors")
    assert authors.to_pylist() == [["Liu Fang", "Chen Bo"]]


def test_progress_is_reported_once_per_table_in_order(
        exported: tuple[Path, ExportResult, list]) -> None:
    out, result, progress = exported
    assert [done for done, _, _ in progress] == list(range(1, len(result.tables) + 1))
    assert {total for _, total, _ in progress} == {len(result.tables)}
    assert tuple(t for _, _, t in progress) == result.tables
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["export_id"] == result.export_id
    assert manifest["tables"]["fact_article"]["rows"] == len(SPECS) + len(MORE_SPECS)


def test_an_empty_warehouse_exports_readable_empty_tables(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    with open_writer(db):
        pass  # migrated: the core tables, no rows, no marts
    out = tmp_path / "out"
    result = export(db, out)
    assert {t.schema for t in result.tables} == {"core"} and result.rows == 0
    with duckdb.connect() as con:
        for t in result.tables:
            assert checksum(con, parquet_select(out, t.table)) == (0, 0), t.table
        assert "published_at" in dict(column_types(con, parquet_select(out, "fact_article")))


# --- overwriting ----------------------------------------------------------------------------

def test_a_rerun_replaces_the_whole_export_and_leaves_nothing_stale(
        warehouse: Path, tmp_path: Path) -> None:
    db = copy_of(warehouse, tmp_path / "db")
    out = tmp_path / "out"
    first = export(db, out)
    old_files = parquet_files(out)
    # A new month, and an article moved from March to April: March's file must change.
    load_specs(db, [Spec(30, datetime(2025, 4, 1, 6, 0, tzinfo=UTC), ["xi", "china"])],
               seen_at=APRIL_SEEN_AT, run_id="run-april")
    moved, _, _ = build_records(SPECS[3])
    with open_writer(db) as con:
        load_batch(con, run_id="run-move", seen_at=APRIL_SEEN_AT,
                   articles=[replace(moved, published_at=datetime(2025, 4, 3, tzinfo=UTC))])
    second = export(db, out)
    assert second.export_id != first.export_id
    expected = warehouse_checksums(db)
    assert export_checksums(out, list(expected)) == expected
    assert {p.name for p in (out / "fact_article").iterdir()} == MONTH_FOLDERS | {
        "month=2025-04"}
    new_files = parquet_files(out)
    assert all(second.export_id in p.name for p in new_files)
    assert not {p.name for p in old_files} & {p.name for p in new_files}
    # The store beside `out` holds the new export only (and the lock file).
    assert sorted(p.name for p in store_dir(out).iterdir()) == [".lock", second.export_id]
    assert os.readlink(out) == f"{store_dir(out).name}/{second.export_id}"


CRASHING_EXPORT = """
import sys, time
from pathlib import Path
from warehouse.connection import open_reader
from warehouse.export import export_parquet

db, out, marker = (Path(a) for a in sys.argv[1:4])

def pause(done, total, table):
    if done == 5:  # some tables written, others not yet
        marker.write_text(table.table)
        time.sleep(600)

with open_reader(db, external_access=True) as con:
    export_parquet(con, out, on_table=pause)
"""


def test_a_crash_mid_export_leaves_the_previous_export_intact(
        warehouse: Path, tmp_path: Path) -> None:
    db = copy_of(warehouse, tmp_path / "db")
    out = tmp_path / "out"
    first = export(db, out)
    tables = [t.table for t in first.tables]
    before = export_checksums(out, tables)
    load_specs(db, [Spec(31, datetime(2025, 4, 5, tzinfo=UTC), ["un"])],
               seen_at=APRIL_SEEN_AT, run_id="run-more-april")

    marker = tmp_path / "paused"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CRASHING_EXPORT, str(db), str(out),
                              str(marker)], env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the export ended before it was killed"
            assert time.monotonic() < deadline, "the export never reached its fifth table"
            time.sleep(0.05)
        # Half an export is on disk beside the previous one.
        debris = [p for p in store_dir(out).iterdir() if p.name not in (".lock",
                                                                         first.export_id)]
        assert len(debris) == 1 and (debris[0] / tables[0]).is_dir()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()

    assert os.readlink(out) == f"{store_dir(out).name}/{first.export_id}"
    assert export_checksums(out, tables) == before
    assert not (out / "fact_article" / "month=2025-04").exists()

    second = export(db, out)
    expected = warehouse_checksums(db)
    assert export_checksums(out, list(expected)) == expected
    assert expected["fact_article"][0] == before["fact_article"][0] + 1
    assert sorted(p.name for p in store_dir(out).iterdir()) == [".lock", second.export_id]


def test_an_export_already_running_to_the_same_directory_is_an_error(
        warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = export(warehouse, out)
    fd = os.open(store_dir(out) / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(ExportError, match="another `newswire export`"):
            export(warehouse, out)
    finally:
        os.close(fd)
    assert sorted(p.name for p in store_dir(out).iterdir()) == [".lock", first.export_id]


# --- refusals and errors --------------------------------------------------------------------

def test_views_and_other_schemas_are_not_exported(tmp_path: Path) -> None:
    db = tmp_path / "views.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA core; CREATE SCHEMA marts; CREATE SCHEMA raw;"
                    " CREATE TABLE core.t AS SELECT 1 AS a; CREATE VIEW core.v AS SELECT 2 AS b;"
                    " CREATE VIEW marts.w AS SELECT 3 AS c; CREATE TABLE raw.r (d INTEGER)")
    out = tmp_path / "out"
    assert [t.table for t in export(db, out).tables] == ["t"]
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "t"]


def test_two_tables_of_the_same_name_are_an_error_not_an_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "clash.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA core; CREATE SCHEMA marts;"
                    " CREATE TABLE core.things (a INTEGER); CREATE TABLE marts.things (b INTEGER);"
                    " CREATE TABLE core.other (c INTEGER)")
    out = tmp_path / "out"
    with pytest.raises(ExportError, match=r"core\.things and marts\.things"):
        export(db, out)
    assert not out.exists() and not store_dir(out).exists()


def test_refuses_what_it_did_not_make(warehouse: Path, tmp_path: Path) -> None:
    users = tmp_path / "mine"
    users.mkdir()
    (users / "notes.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "file.parquet"
    a_file.write_bytes(b"not an export")
    a_link = tmp_path / "link"
    a_link.symlink_to(users)
    for target in (users, a_file, a_link):
        with open_reader(warehouse, external_access=True) as con, \
                pytest.raises(ExportTargetError):
            export_parquet(con, target)
        assert not store_dir(target).exists()
    assert (users / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert a_file.read_bytes() == b"not an export"


def test_cli_refusals_exit_2_and_write_nothing(warehouse: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    users = tmp_path / "mine"
    users.mkdir()
    (users / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["export", "--db", str(warehouse), "--out", str(users)]) == 2
    assert "non-empty directory that newswire export did not make" in capsys.readouterr().err
    assert [p.name for p in users.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    # A bad --out is a usage error even without a warehouse: checked before it is opened.
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(users)]) == 2
    assert "non-empty directory" in capsys.readouterr().err

    out = tmp_path / "out"
    assert main(["export", "--db", str(warehouse), "--format", "csv", "--out", str(out)]) == 2
    assert "invalid choice: 'csv'" in capsys.readouterr().err
    assert main(["export", "--db", str(warehouse)]) == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_an_empty_directory_becomes_the_export(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = export(warehouse, out)
    assert out.is_symlink() and (out / "fact_article").is_dir()
    assert (out / MANIFEST_NAME).is_file() and result.out == out


def test_only_the_export_reader_may_write_files(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.parquet"
    copy = f"COPY (SELECT 1 AS a) TO '{target}' (FORMAT parquet)"
    with open_reader(warehouse) as con, pytest.raises(duckdb.PermissionException):
        con.execute(copy)
    assert not target.exists()
    with open_reader(warehouse, external_access=True) as con:
        con.execute(copy)
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("DELETE FROM core.fact_article")
        with pytest.raises(duckdb.InvalidInputException):
            con.execute("SET enable_external_access = false")  # configuration stays locked
    assert target.is_file()


# --- end to end through the command line ---------------------------------------------------

def test_cli_export_end_to_end(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "newswire"
    # A session time zone east of UTC: the month must still be the UTC one.
    env = {**os.environ, "PYTHONPATH": str(REPO), "TZ": "Asia/Shanghai"}
    env.pop("NEWSWIRE_DB", None)
    for _ in range(2):  # the second run replaces the first
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "export", "--format", "parquet",
             "--db", str(warehouse), "--out", str(out)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    expected = warehouse_checksums(warehouse)
    progress = [line for line in lines if line.startswith("newswire: [")]
    assert len(progress) == len(expected)
    assert progress[0].startswith(f"newswire: [1/{len(expected)}] core.dim_entity: ")
    assert any("core.fact_article: " in line and "by month" in line for line in progress)
    total_rows = sum(rows for rows, _ in expected.values())
    assert lines[-1].startswith(f"newswire: exported {len(expected)} tables, {total_rows} rows")
    assert str(out) in lines[-1] and done.stdout == ""
    assert export_checksums(out, list(expected)) == expected
    assert len(list(store_dir(out).iterdir())) == 2  # the export and the lock file
    january = ds.dataset(out / "fact_article" / "month=2025-01", format="parquet").to_table()
    assert january.column("article_id").to_pylist() == ["art0020"]
