"""Loads into a DuckLake keep the file warehouse's semantics without its keys: upserts by MERGE
(a rerun adds nothing, a changed body bumps the version), whole batches or nothing, and a
commit that conflicts with another writer is retried whole. Plus what --db accepts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.test_loaders import T0, article, counts, enrichment, fetch, item
from warehouse import loaders
from warehouse.connection import WarehouseMissing, open_reader, open_writer
from warehouse.loaders import load_batch
from warehouse.location import LAKE_ALIAS, LocationError, Warehouse, parse_warehouse
from warehouse.migrations import LAKE_BASELINE, applied_versions, available_migrations


@pytest.fixture(params=["file", "lake"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    if request.param == "file":
        return Warehouse(path=tmp_path / "w.duckdb")
    return parse_warehouse(f"ducklake:{tmp_path / 'meta.ducklake'}", str(tmp_path / "data"))


def test_a_rerun_adds_nothing_and_a_changed_body_bumps_the_version(target: Warehouse) -> None:
    with open_writer(target) as con:
        load_batch(con, run_id="r1", seen_at=T0, fetches=[fetch(1), fetch(2)],
                   articles=[article(1), article(2)], feed_items=[item(1), item(2)])
        first = counts(con)
        again = load_batch(con, run_id="r2", seen_at=T0, articles=[article(1), article(2)],
                           feed_items=[item(1), item(2)])
        changed = load_batch(con, run_id="r3", seen_at=T0, articles=[article(1, "New body.")])
        assert counts(con)["core.fact_article"] == first["core.fact_article"] == 2
        assert counts(con)["core.fact_feed_item"] == 2
        versions = dict(con.execute(
            "SELECT article_id, version FROM core.fact_article").fetchall())
    assert (again.new, again.unchanged) == (0, 2)
    assert changed.updated == 1
    assert versions == {"id1": 2, "id2": 1}


def test_enrichments_are_replaced_per_article_and_entities_kept_once(target: Warehouse) -> None:
    with open_writer(target) as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1), article(2)],
                   enrichments=[enrichment(1, ("Xi Jinping",)),
                                enrichment(2, ("Xi Jinping", "Li Qiang"))])
        load_batch(con, run_id="r2", seen_at=T0, articles=[article(1)],
                   enrichments=[enrichment(1, ("Li Qiang",))])
        entities = con.execute("SELECT name, count(*) FROM core.dim_entity GROUP BY name"
                               " ORDER BY name").fetchall()
        mentions = con.execute("SELECT article_id, count(*) FROM core.fact_entity_mention"
                               " GROUP BY ALL ORDER BY ALL").fetchall()
    assert entities == [("Li Qiang", 1), ("Xi Jinping", 1)]
    assert mentions == [("id1", 1), ("id2", 2)]


def test_a_failing_batch_leaves_nothing_behind(target: Warehouse) -> None:
    bad = replace(article(2), content_hash=None)  # type: ignore[arg-type]  # NOT NULL in both
    with open_writer(target) as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
        with pytest.raises(duckdb.Error):
            load_batch(con, run_id="r2", seen_at=T0, fetches=[fetch(2)],
                       articles=[article(3), bad], feed_items=[item(3)])
        assert counts(con) == {"core.fact_article": 1, "core.fact_feed_item": 0,
                               "raw.fetch_log": 0}


def _lake(tmp_path: Path) -> Warehouse:
    return parse_warehouse(f"ducklake:{tmp_path / 'meta.ducklake'}", str(tmp_path / "data"))


def _another_writer_commits_first(monkeypatch: pytest.MonkeyPatch,
                                  con: duckdb.DuckDBPyConnection, times: int) -> list[int]:
    """The next `times` loads: as each reaches its last step, another connection (a second
    writer outside the lock) commits a change to a row the load is updating."""
    other = con.cursor()
    other.execute(f"USE {LAKE_ALIAS}")
    left = [times]
    replace_enrichments = loaders._replace_enrichments

    def interleaved(*args: Any) -> None:
        if left[0]:
            left[0] -= 1
            other.execute("UPDATE core.fact_article SET title = title || '.'"
                          " WHERE article_id = 'id1'")
        replace_enrichments(*args)

    monkeypatch.setattr(loaders, "_replace_enrichments", interleaved)
    monkeypatch.setattr(loaders, "CONFLICT_PAUSE_S", 0.0)
    return left


def test_a_conflicting_commit_is_retried_whole(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with open_writer(_lake(tmp_path)) as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
        left = _another_writer_commits_first(monkeypatch, con, times=2)
        result = load_batch(con, run_id="r2", seen_at=T0, fetches=[fetch(2)],
                            articles=[article(1, "New body."), article(2)],
                            feed_items=[item(2)])
        assert left == [0]
        assert (result.new, result.updated) == (1, 1)
        assert counts(con) == {"core.fact_article": 2, "core.fact_feed_item": 1,
                               "raw.fetch_log": 1}
        assert con.execute("SELECT version FROM core.fact_article WHERE article_id = 'id1'"
                           ).fetchone() == (2,)


def test_conflicts_past_the_last_attempt_raise(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with open_writer(_lake(tmp_path)) as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
        _another_writer_commits_first(monkeypatch, con, times=loaders.CONFLICT_ATTEMPTS)
        with pytest.raises(duckdb.TransactionException, match="onflict"):
            load_batch(con, run_id="r2", seen_at=T0, articles=[article(1, "New body.")])
        assert con.execute("SELECT version FROM core.fact_article").fetchall() == [(1,)]


def test_a_new_lake_is_created_by_its_baseline_recorded_as_every_version_it_covers(
        tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    with open_writer(lake) as con:
        done = applied_versions(con)
    with open_writer(lake) as con:  # opening again applies nothing
        assert con.execute("SELECT count(*) FROM meta.schema_migrations").fetchone() == (
            len(done),)
    assert done == {m.version for m in available_migrations()}
    assert set(range(1, LAKE_BASELINE + 1)) <= done
    assert (tmp_path / "data").is_dir()


def test_the_lake_baseline_builds_the_file_migrations_columns(tmp_path: Path) -> None:
    columns = ("SELECT table_schema, table_name, column_name, data_type, is_nullable"
               " FROM information_schema.columns WHERE table_catalog = current_database()"
               " AND table_schema IN ('raw', 'core') ORDER BY ALL")
    with open_writer(tmp_path / "w.duckdb") as con:
        in_file = con.execute(columns).fetchall()
    with open_writer(_lake(tmp_path)) as con:
        in_lake = con.execute(columns).fetchall()
    assert in_lake == in_file


def test_a_reader_of_a_lake_nobody_loaded_says_there_is_none(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing, match="no warehouse at ducklake:"), \
            open_reader(_lake(tmp_path)):
        pass


@pytest.mark.parametrize(("db", "kind", "catalog"), [
    ("ducklake:/lakes/meta.ducklake", "duckdb", "/lakes/meta.ducklake"),
    ("ducklake:sqlite:/lakes/meta.sqlite", "sqlite", "/lakes/meta.sqlite"),
    ("ducklake:postgres:dbname=lake host=db.internal", "postgres",
     "dbname=lake host=db.internal"),
])
def test_db_names_a_lake_by_its_catalog(db: str, kind: str, catalog: str) -> None:
    lake = parse_warehouse(db, "s3://bucket/news")
    assert (lake.catalog_kind, lake.catalog, lake.lake_data) == (kind, catalog,
                                                                 "s3://bucket/news/")
    assert lake.spec == db
    assert lake.is_lake and lake.path is None


def test_a_path_is_a_duckdb_file_and_a_password_is_never_printed() -> None:
    assert parse_warehouse("data/w.duckdb", "/ignored").path == Path("data/w.duckdb")
    lake = parse_warehouse("ducklake:postgres:dbname=lake password=s3cret host=h")
    assert "s3cret" not in str(lake)
    assert "s3cret" in lake.spec
    assert lake.local_file is None


@pytest.mark.parametrize(("db", "data"), [("ducklake:", None), ("ducklake:postgres:", None),
                                          ("ducklake:/x.ducklake", "ftp://host/dir"), ("", None)])
def test_bad_lake_values_are_refused(db: str, data: str | None) -> None:
    with pytest.raises(LocationError):
        parse_warehouse(db, data)


def test_an_s3_lake_without_credentials_is_a_config_error() -> None:
    from flows.settings import ConfigError, resolve_settings

    env = {"NEWSWIRE_LAKE_DATA": "s3://news/lake"}
    with pytest.raises(ConfigError, match="AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        resolve_settings(db="ducklake:/x/meta.ducklake", env=env)
    settings = resolve_settings(db="ducklake:/x/meta.ducklake", env={
        **env, "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"})
    assert settings.warehouse.lake_data == "s3://news/lake/"


def test_maintenance_merges_small_files_and_expires_old_snapshots(tmp_path: Path) -> None:
    from datetime import timedelta

    from warehouse.lake_maintenance import maintain_lake

    with open_writer(_lake(tmp_path)) as con:
        for batch in range(6):
            load_batch(con, run_id=f"r{batch}", seen_at=T0,
                       articles=[article(n) for n in range(batch * 20, batch * 20 + 20)])
        kept = maintain_lake(con)  # the default keeps a week: nothing is that old
        assert kept.files_after < kept.files_before
        assert (kept.snapshots_expired, kept.files_deleted) == (0, 0)
        done = maintain_lake(con, timedelta(0))
        assert done.snapshots_expired > 0 and done.files_deleted > 0
        assert con.execute("SELECT count(*) FROM core.fact_article").fetchone() == (120,)
    assert len(list((tmp_path / "data").rglob("*.parquet"))) == done.files_after
