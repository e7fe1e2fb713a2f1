"""DuckLake on the real services: a PostgreSQL catalog with data on S3 (moto), and a local
catalog file with a data directory. What these tests pin down about DuckLake 1.5.5:

- the lake written by one process is read by another;
- two writers appending to one table collide on the catalog's next snapshot id, and DuckLake
  retries that by itself (ducklake_max_retry_count, default 10): no error reaches the caller;
- a real conflict (one transaction deletes from a table another has inserted into since) is
  NOT retried: it surfaces as a TransactionException and the caller must redo the transaction;
- a catalog in a local DuckDB file admits one process at a time: another process, even a
  READ_ONLY reader, cannot attach while a writer is attached (a SQLite catalog file can);
- there are no PRIMARY KEY/UNIQUE constraints: two concurrent upserts (MERGE) of one new key
  both commit, and the key is there twice;
- a READ_ONLY reader neither waits for a writer's commit nor sees it before it ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import duckdb
import psycopg
import pytest

from tests.services import S3, Postgres
from warehouse.extensions import load_extensions
from warehouse.lake_storage import configure_lake_storage

ROOT = Path(__file__).resolve().parents[1]

# A second process: attach the lake read-only and print the table's count and sum.
READ_BACK = """
import os, sys, duckdb
from warehouse.extensions import load_extensions
from warehouse.lake_storage import configure_lake_storage
catalog, data = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
load_extensions(con, "ducklake", "postgres", "sqlite", "httpfs")
configure_lake_storage(con, data, os.environ)
con.execute(f"ATTACH '{catalog}' AS lake (DATA_PATH '{data}', READ_ONLY)")
print(list(con.execute("SELECT count(*), sum(n) FROM lake.t").fetchone()))
"""

# A writer process: `rounds` autocommitted inserts, alternating one row (inlined into the
# catalog) and 100 rows (a Parquet file); prints its time and the errors it caught.
INSERT_MANY = """
import json, os, sys, time, duckdb
from warehouse.extensions import load_extensions
from warehouse.lake_storage import configure_lake_storage
catalog, data, who, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
load_extensions(con, "ducklake", "postgres", "httpfs")
configure_lake_storage(con, data, os.environ)
con.execute(f"ATTACH '{catalog}' AS lake (DATA_PATH '{data}')")
print("ready", flush=True)
sys.stdin.readline()
errors, started = [], time.monotonic()
for i in range(rounds):
    rows = 1 if i % 2 else 100
    try:
        con.execute(f"INSERT INTO lake.t SELECT '{who}', {i}, r FROM range({rows}) t(r)")
    except duckdb.Error as e:
        errors.append(f"{type(e).__name__}: {e}")
print(json.dumps({"seconds": time.monotonic() - started, "errors": errors}))
"""

# A writer process whose single insert commits when told to.
INSERT_ONCE = """
import json, os, sys, time, duckdb
from warehouse.extensions import load_extensions
from warehouse.lake_storage import configure_lake_storage
catalog, data = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
load_extensions(con, "ducklake", "postgres", "httpfs")
configure_lake_storage(con, data, os.environ)
con.execute(f"ATTACH '{catalog}' AS lake (DATA_PATH '{data}')")
con.execute("BEGIN")
con.execute("INSERT INTO lake.t SELECT 'w', 0, r FROM range(100000) t(r)")
print("ready", flush=True)
sys.stdin.readline()
started = time.time()
con.execute("COMMIT")
print(json.dumps({"commit_start": started, "commit_end": time.time()}))
"""


def _lake(catalog: str, data: str, env: dict[str, str], *,
          read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A new DuckDB instance attached to the lake as `lake` (like another process)."""
    con = duckdb.connect()
    load_extensions(con, "ducklake", "postgres", "sqlite", "httpfs")
    configure_lake_storage(con, data, env)
    mode = ", READ_ONLY" if read_only else ""
    con.execute(f"ATTACH '{catalog}' AS lake (DATA_PATH '{data}'{mode})")
    return con


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


@pytest.fixture()
def pg_lake(postgres: Postgres, s3: S3) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(catalog, data path, environment) of a new lake: PostgreSQL catalog, data on S3."""
    name = f"lake_{uuid.uuid4().hex[:12]}"
    catalog = f"ducklake:postgres:{postgres.fresh_database(name)}"
    data = f"s3://{s3.bucket}/{name}/"
    env = {**os.environ, **s3.aws_env()}
    con = _lake(catalog, data, env)
    con.execute("CREATE TABLE lake.t (who VARCHAR, i INTEGER, n BIGINT)")
    con.close()
    yield catalog, data, env


def _read_back(catalog: str, data: str, env: dict[str, str]) -> list[int]:
    done = subprocess.run([sys.executable, "-c", READ_BACK, catalog, data], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_postgres_catalog_with_s3_data_is_read_by_another_process(
        pg_lake: tuple[str, str, dict[str, str]], s3: S3) -> None:
    catalog, data, env = pg_lake
    con = _lake(catalog, data, env)
    con.execute("INSERT INTO lake.t SELECT 'a', 1, r FROM range(1000) t(r)")  # a Parquet file
    con.execute("INSERT INTO lake.t VALUES ('b', 2, 5)")  # few rows: inlined in the catalog
    con.close()
    assert _read_back(catalog, data, env) == [1001, 499505]
    bucket_prefix = data.removeprefix(f"s3://{s3.bucket}/")
    client = boto3.client("s3", endpoint_url=s3.endpoint_url, aws_access_key_id=s3.key_id,
                          aws_secret_access_key=s3.secret, region_name=s3.region)
    listed = client.list_objects_v2(Bucket=s3.bucket, Prefix=bucket_prefix)
    keys = [o["Key"] for o in listed.get("Contents", [])]
    assert len(keys) == 1 and keys[0].endswith(".parquet"), keys


def test_a_local_catalog_with_a_data_directory(tmp_path: Path) -> None:
    catalog, data = f"ducklake:{tmp_path / 'meta.ducklake'}", f"{tmp_path / 'data'}/"
    env = dict(os.environ)
    con = _lake(catalog, data, env)
    con.execute("CREATE TABLE lake.t (who VARCHAR, i INTEGER, n BIGINT)")
    con.execute("INSERT INTO lake.t SELECT 'a', 1, r FROM range(1000) t(r)")
    con.close()
    assert _read_back(catalog, data, env) == [1000, 499500]
    assert [p.suffix for p in (tmp_path / "data").rglob("*") if p.is_file()] == [".parquet"]


@pytest.mark.parametrize(("catalog_file", "readable"), [
    ("meta.ducklake", False),  # a DuckDB file: one process at a time, readers included
    ("sqlite:meta.sqlite", True),
])
def test_which_local_catalog_another_process_reads_during_a_write(
        tmp_path: Path, catalog_file: str, readable: bool) -> None:
    prefix, _, name = catalog_file.rpartition(":")
    catalog = f"ducklake:{prefix + ':' if prefix else ''}{tmp_path / name}"
    data, env = f"{tmp_path / 'data'}/", dict(os.environ)
    writer = _lake(catalog, data, env)
    writer.execute("CREATE TABLE lake.t (who VARCHAR, i INTEGER, n BIGINT)")
    writer.execute("INSERT INTO lake.t SELECT 'a', 1, r FROM range(1000) t(r)")
    writer.execute("BEGIN")
    writer.execute("INSERT INTO lake.t VALUES ('b', 2, 5)")
    done = subprocess.run([sys.executable, "-c", READ_BACK, catalog, data], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    writer.execute("COMMIT")
    if readable:
        assert json.loads(done.stdout) == [1000, 499500], done.stderr
    else:
        assert done.returncode != 0 and "Could not set lock on file" in done.stderr


def test_two_writer_processes_append_concurrently_without_errors(
        pg_lake: tuple[str, str, dict[str, str]]) -> None:
    catalog, data, env = pg_lake
    rounds = 40
    writers = {who: _python(INSERT_MANY, catalog, data, who, str(rounds), env=env)
               for who in ("a", "b")}
    results = {}
    try:
        for proc in writers.values():
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        for proc in writers.values():  # both start together
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for who, proc in writers.items():
            out, _ = proc.communicate(timeout=300)
            assert proc.returncode == 0
            results[who] = json.loads(out)
    finally:
        for proc in writers.values():
            if proc.poll() is None:
                proc.kill()
    print(f"\ntwo writers x {rounds} commits: " + ", ".join(
        f"{who} {r['seconds']:.2f} s, {len(r['errors'])} errors" for who, r in results.items()))
    assert all(r["errors"] == [] for r in results.values()), results
    con = _lake(catalog, data, env, read_only=True)
    per_writer = con.execute("SELECT who, count(*), count(DISTINCT (i, n)) FROM lake.t"
                             " GROUP BY who ORDER BY who").fetchall()
    expected = rounds // 2 * 100 + rounds // 2
    assert per_writer == [("a", expected, expected), ("b", expected, expected)]


def test_duckdb_retries_a_snapshot_id_collision_itself(
        pg_lake: tuple[str, str, dict[str, str]]) -> None:
    catalog, data, env = pg_lake
    first, second = _lake(catalog, data, env), _lake(catalog, data, env)
    for retries, expect_error in ((0, True), (10, False)):
        first.execute(f"SET ducklake_max_retry_count = {retries}")
        first.execute("BEGIN")
        first.execute(f"INSERT INTO lake.t VALUES ('first', {retries}, 1)")
        second.execute(f"INSERT INTO lake.t VALUES ('second', {retries}, 1)")  # takes the id
        if expect_error:
            with pytest.raises(duckdb.TransactionException, match="ducklake_snapshot_pkey"):
                first.execute("COMMIT")
        else:
            first.execute("COMMIT")
    rows = first.execute("SELECT who, i FROM lake.t ORDER BY who, i").fetchall()
    assert rows == [("first", 10), ("second", 0), ("second", 10)]


def test_a_delete_after_another_writers_insert_is_a_conflict_not_retried(
        pg_lake: tuple[str, str, dict[str, str]]) -> None:
    catalog, data, env = pg_lake
    first, second = _lake(catalog, data, env), _lake(catalog, data, env)
    first.execute("INSERT INTO lake.t VALUES ('first', 1, 1)")
    first.execute("BEGIN")
    first.execute("DELETE FROM lake.t WHERE who = 'first'")  # a replace, as an upsert does
    first.execute("INSERT INTO lake.t VALUES ('first', 1, 2)")
    second.execute("INSERT INTO lake.t VALUES ('second', 1, 1)")
    with pytest.raises(duckdb.TransactionException, match="Transaction conflict"):
        first.execute("COMMIT")
    # Redone from the start, the same transaction goes through.
    first.execute("BEGIN")
    first.execute("DELETE FROM lake.t WHERE who = 'first'")
    first.execute("INSERT INTO lake.t VALUES ('first', 1, 2)")
    first.execute("COMMIT")
    rows = second.execute("SELECT who, n FROM lake.t ORDER BY who").fetchall()
    assert rows == [("first", 2), ("second", 1)]


def test_two_upserts_of_one_new_key_both_commit_and_duplicate_it(
        pg_lake: tuple[str, str, dict[str, str]]) -> None:
    """No PRIMARY KEY/UNIQUE in DuckLake, and two inserts never conflict: concurrent writers
    that may meet the same key must be serialized (catalog_lock) or deduplicate later."""
    catalog, data, env = pg_lake
    first, second = _lake(catalog, data, env), _lake(catalog, data, env)
    upsert = ("MERGE INTO lake.t USING (SELECT 'k' AS who, 1 AS i, {} AS n) s"
              " ON t.who = s.who AND t.i = s.i WHEN MATCHED THEN UPDATE SET n = s.n"
              " WHEN NOT MATCHED THEN INSERT VALUES (s.who, s.i, s.n)")
    first.execute("BEGIN")
    first.execute(upsert.format(1))
    second.execute(upsert.format(2))
    first.execute("COMMIT")
    assert second.execute("SELECT n FROM lake.t ORDER BY n").fetchall() == [(1,), (2,)]


def test_a_reader_does_not_wait_for_a_writer_inside_its_commit(
        pg_lake: tuple[str, str, dict[str, str]], postgres: Postgres) -> None:
    catalog, data, env = pg_lake
    hold_s = 3.0
    seed = _lake(catalog, data, env)
    seed.execute("INSERT INTO lake.t SELECT 'seed', 0, r FROM range(1000) t(r)")
    seed.close()
    # The catalog transaction of the writer's commit ends by recording its changes; a
    # trigger there keeps that transaction open, with all its rows written, for hold_s.
    with psycopg.connect(catalog.removeprefix("ducklake:postgres:"), autocommit=True) as pg:
        pg.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS"
                   f" $$ BEGIN PERFORM pg_sleep({hold_s}); RETURN NEW; END $$")
        pg.execute("CREATE TRIGGER slow_commit AFTER INSERT ON ducklake_snapshot_changes"
                   " FOR EACH ROW EXECUTE FUNCTION slow_commit()")
    reader = _lake(catalog, data, env, read_only=True)
    fresh_readers = [duckdb.connect() for _ in range(3)]  # ready to attach
    for fresh in fresh_readers:
        load_extensions(fresh, "ducklake", "postgres", "httpfs")
        configure_lake_storage(fresh, data, env)
    writer = _python(INSERT_ONCE, catalog, data, env=env)
    reads: list[tuple[float, float, int]] = []  # (start, seconds, count)
    attaches: list[float] = []
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline() == "ready\n"
        writer.stdin.write("go\n")
        writer.stdin.flush()
        while writer.poll() is None:
            started = time.time()
            count = reader.execute("SELECT count(*) FROM lake.t").fetchone()
            assert count is not None
            reads.append((started, time.time() - started, count[0]))
            if fresh_readers:  # a new reader, as `newswire query` is
                fresh = fresh_readers.pop()
                started = time.time()
                fresh.execute(f"ATTACH '{catalog}' AS lake (DATA_PATH '{data}', READ_ONLY)")
                fresh.execute("SELECT count(*) FROM lake.t").fetchone()
                attaches.append(time.time() - started)
                fresh.close()
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    commit = json.loads(out)
    commit_s = commit["commit_end"] - commit["commit_start"]
    inside = [r for r in reads
              if commit["commit_start"] <= r[0] and r[0] + r[1] <= commit["commit_end"]]
    print(f"\ncommit held {commit_s:.2f} s; {len(inside)} reads inside it, longest"
          f" {max((r[1] for r in inside), default=0) * 1000:.0f} ms, counts"
          f" {sorted({r[2] for r in inside})}; new readers attached and counted in"
          f" {', '.join(f'{a * 1000:.0f}' for a in attaches)} ms")
    assert commit_s >= hold_s
    assert len(inside) >= 5
    assert all(r[2] == 1000 for r in inside)  # the snapshot before the commit
    assert max(r[1] for r in inside) < hold_s / 3
    assert max(attaches) < hold_s / 3
    assert reader.execute("SELECT count(*) FROM lake.t").fetchone() == (101000,)
