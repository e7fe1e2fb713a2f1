"""`newswire export --format duckdb`: the whole warehouse (a file's, or a lake's current
snapshot) as one DuckDB file, a warehouse in its own right, replaced atomically."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from benchmarks.warehouse_diff import diff
from flows.cli import main
from tests.test_export import copy_of, warehouse  # noqa: F401  (the module fixture)
from warehouse.connection import open_reader, open_writer
from warehouse.export import ExportTargetError
from warehouse.snapshot import check_snapshot_target

RAW = "SELECT * FROM raw.fetch_log ORDER BY ALL"


def _rows(db: Path | str, sql: str) -> list[tuple]:
    with open_reader(db) as con:
        return con.execute(sql).fetchall()


def test_a_copy_holds_every_table_of_the_warehouse(warehouse: Path,  # noqa: F811
                                                   tmp_path: Path) -> None:
    out = tmp_path / "copy.duckdb"
    assert main(["export", "--db", str(warehouse), "--format", "duckdb",
                 "--out", str(out)]) == 0
    with open_reader(warehouse) as source, open_reader(out) as copy:
        digests, problems = diff(source, copy)
    assert problems == []
    assert {"core.fact_article", "marts.stories", "marts.daily_articles"} <= {
        d.name for d in digests}
    assert _rows(out, RAW) == _rows(warehouse, RAW)
    # a warehouse in its own right: its keys are enforced, and it opens for writing
    with open_writer(out) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO core.fact_article SELECT * FROM core.fact_article LIMIT 1")


def test_a_lake_is_copied_from_its_current_snapshot(warehouse: Path,  # noqa: F811
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    lake = f"ducklake:{tmp_path / 'meta.ducklake'}"
    monkeypatch.setenv("NEWSWIRE_LAKE_DATA", str(tmp_path / "data"))
    with open_reader(warehouse) as source, open_writer(lake) as con:
        for (schema, table) in source.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
                " WHERE table_schema IN ('raw', 'core') AND table_type = 'BASE TABLE'"
                " AND table_name <> 'schema_migrations'").fetchall():
            rows = source.execute(f"SELECT * FROM {schema}.{table}").arrow()  # noqa: F841
            con.execute(f"INSERT INTO {schema}.{table} BY NAME SELECT * FROM rows")
    out = tmp_path / "lake.duckdb"
    assert main(["export", "--db", lake, "--format", "duckdb", "--out", str(out)]) == 0
    assert _rows(out, RAW) == _rows(warehouse, RAW)
    assert _rows(out, "SELECT * FROM core.fact_article ORDER BY ALL") == _rows(
        warehouse, "SELECT * FROM core.fact_article ORDER BY ALL")
    assert _rows(out, "SELECT source FROM meta.snapshot") == [(lake,)]


def test_a_rerun_replaces_the_copy_and_leaves_no_temporary_file(warehouse: Path,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    db = copy_of(warehouse, tmp_path / "w")
    out = tmp_path / "copy.duckdb"
    assert main(["export", "--db", str(db), "--format", "duckdb", "--out", str(out)]) == 0
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM core.fact_quote")
    assert main(["export", "--db", str(db), "--format", "duckdb", "--out", str(out)]) == 0
    assert _rows(out, "SELECT count(*) FROM core.fact_quote") == [(0,)]
    assert sorted(os.listdir(tmp_path)) == ["copy.duckdb", "w"]


def test_a_file_that_is_not_a_copy_is_never_replaced(warehouse: Path,  # noqa: F811
                                                     tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(theirs)) as con:
        con.execute("CREATE TABLE keep AS SELECT 1 AS x")
    with pytest.raises(ExportTargetError, match="not a newswire copy"):
        check_snapshot_target(theirs)
    assert main(["export", "--db", str(warehouse), "--format", "duckdb",
                 "--out", str(theirs)]) == 2
    assert main(["export", "--db", str(warehouse), "--format", "duckdb",
                 "--out", str(tmp_path)]) == 2
    with duckdb.connect(str(theirs), read_only=True) as con:
        assert con.execute("SELECT x FROM keep").fetchall() == [(1,)]
