"""The warehouse as a DuckLake, end to end: the bundled sample site ingested into a lake (a
local DuckDB catalog with its data in a directory; a PostgreSQL catalog with its data on S3)
gives the same core tables and marts as into a DuckDB file; reruns add nothing; two ingests
at once into the PostgreSQL lake keep every row of both; `query` reads a lake read-only;
`export` writes it out whole."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from benchmarks.warehouse_diff import diff
from flows.cli import main
from tests.sample_site import served_sample_site
from tests.services import S3, Postgres
from tests.test_export import base_tables, checksum, export_checksums
from warehouse.connection import open_reader

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

ROOT = Path(__file__).resolve().parents[1]
COUNTED = ("core.fact_article", "core.fact_entity_mention", "core.fact_quote",
           "core.fact_feed_item", "core.dim_entity", "core.dim_story", "core.story_match")
# The keys a DuckDB file enforces and a lake does not.
KEYS = (("core.fact_article", "article_id"), ("core.fact_article", "canonical_url"),
        ("core.dim_entity", "entity_id"), ("core.dim_story", "story_id"),
        ("core.fact_feed_item", "feed_name, article_id"), ("core.story_match", "article_id"),
        ("core.fact_quote", "article_id, start_char, end_char"),
        ("core.fact_entity_mention", "article_id, start_char, end_char"))


def _args(site: dict, db: str, *command: str) -> list[str]:
    return [*command, "--db", db, "--feeds", str(site["feeds"]),
            "--data-dir", str(site["root"] / f"data-{abs(hash(db))}")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("lake")
    with served_sample_site(root) as (_, feeds):
        yield {"root": root, "feeds": feeds}


@pytest.fixture(scope="module")
def loaded(site: dict, postgres: Postgres, s3: S3) -> dict:
    """The site ingested, then modelled, into a DuckDB file, a local lake and a PostgreSQL
    lake on S3; each lake with the environment its commands need."""
    lakes = {
        "local": (f"ducklake:{site['root'] / 'catalog.ducklake'}",
                  {"NEWSWIRE_LAKE_DATA": str(site["root"] / "lake-data")}),
        "postgres": (f"ducklake:postgres:{postgres.fresh_database('lake_e2e')}",
                     {"NEWSWIRE_LAKE_DATA": f"s3://{s3.bucket}/e2e/", **s3.aws_env()}),
    }
    file_db = str(site["root"] / "file.duckdb")
    assert main(_args(site, file_db, "ingest")) == 0
    assert main(_args(site, file_db, "models")) == 0
    for db, env in lakes.values():
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            assert main(_args(site, db, "ingest")) == 0
            assert main(_args(site, db, "models")) == 0
    return {**site, "file": file_db, "lakes": lakes, "postgres": postgres, "s3": s3}


@pytest.fixture(params=["local", "postgres"])
def lake(request: pytest.FixtureRequest, loaded: dict, monkeypatch: pytest.MonkeyPatch) -> str:
    """A loaded lake's --db, with its environment set for the test."""
    db, env = loaded["lakes"][request.param]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return db


def _counts(db: str) -> dict[str, int]:
    with open_reader(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in COUNTED}


def test_a_lake_holds_what_a_file_holds(loaded: dict, lake: str) -> None:
    with open_reader(loaded["file"]) as file_con, open_reader(lake) as lake_con:
        digests, problems = diff(file_con, lake_con)
    assert problems == []
    names = {d.name for d in digests}
    assert {"core.fact_article", "core.fact_entity_mention", "core.fact_quote",
            "marts.daily_articles", "marts.stories", "marts.top_entities_7d"} <= names
    assert next(d.rows for d in digests if d.name == "core.fact_article") >= 10


def test_each_lake_keeps_its_data_files_where_it_was_told(loaded: dict) -> None:
    assert list((loaded["root"] / "lake-data").rglob("*.parquet"))
    assert not list((loaded["root"]).glob("catalog.ducklake.files"))
    import boto3

    s3 = loaded["s3"]
    client = boto3.client("s3", endpoint_url=s3.endpoint_url, region_name=s3.region,
                          aws_access_key_id=s3.key_id, aws_secret_access_key=s3.secret)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=s3.bucket, Prefix="e2e/")
            .get("Contents", [])]
    assert any(k.endswith(".parquet") for k in keys)


def test_a_rerun_into_the_lake_adds_nothing(loaded: dict, lake: str) -> None:
    before = _counts(lake)
    assert main(_args(loaded, lake, "ingest")) == 0
    assert _counts(lake) == before


def test_query_reads_the_lake_and_refuses_writes(loaded: dict, lake: str) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(_args(loaded, lake, "query", "--format", "csv",
                          "SELECT count(*) AS n FROM core.fact_article"))
    assert code == 0
    assert out.getvalue().splitlines()[1] == str(_counts(lake)["core.fact_article"])
    assert main(_args(loaded, lake, "query", "DELETE FROM core.fact_article")) == 2
    assert main(_args(loaded, lake, "query", "SELECT * FROM read_csv('/etc/passwd')")) == 2
    assert _counts(lake)["core.fact_article"] > 0


def test_query_on_a_lake_that_was_never_loaded_says_so(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    db = f"ducklake:{tmp_path / 'empty.ducklake'}"
    assert main(["query", "--db", db, "SELECT 1"]) == 1
    assert "no warehouse at" in capsys.readouterr().err


def test_an_export_of_the_lake_round_trips(loaded: dict, lake: str) -> None:
    out = loaded["root"] / f"export-{abs(hash(lake))}"
    assert main(_args(loaded, lake, "export", "--format", "parquet", "--out", str(out))) == 0
    with open_reader(lake) as con:
        tables = base_tables(con)
        expected = {t: checksum(con, f"SELECT * FROM {s}.{t}") for s, t in tables}
    assert len(expected) >= 20
    assert export_checksums(out, [t for _, t in tables]) == expected


def _duplicates(db: str) -> dict[str, int]:
    """Per (table, key): how many key values occur more than once."""
    with open_reader(db) as con:
        return {f"{table} ({key})": con.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL"
            " HAVING count(*) > 1)").fetchone()[0]  # type: ignore[index]
            for table, key in KEYS}


def test_two_ingests_at_once_into_the_postgres_lake_keep_every_row(
        loaded: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes, one feed each, into one lake at the same time: together they load what
    one ingest of both feeds loads into a file, with no key twice."""
    postgres, s3 = loaded["postgres"], loaded["s3"]
    db = f"ducklake:postgres:{postgres.fresh_database('lake_concurrent')}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSWIRE_"))}
    env.update(DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               NEWSWIRE_POLITENESS_DELAY="0", NEWSWIRE_WORKERS="1",
               NEWSWIRE_LAKE_DATA=f"s3://{s3.bucket}/concurrent/", **s3.aws_env())
    runs = []
    for feed in ("world", "china"):
        command = [sys.executable, "-m", "flows.cli", "ingest", "--feed", feed, "--db", db,
                   "--feeds", str(loaded["feeds"]), "--data-dir", str(tmp_path / feed)]
        runs.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**env, "PREFECT_HOME": str(tmp_path / f"p-{feed}")}))
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-3000:]
    for key, value in env.items():
        if key.startswith(("AWS_", "NEWSWIRE_LAKE")):
            monkeypatch.setenv(key, value)
    assert main(_args(loaded, db, "models")) == 0
    assert set(_duplicates(db).values()) == {0}
    with open_reader(loaded["file"]) as file_con, open_reader(db) as lake_con:
        _, problems = diff(file_con, lake_con)
        runs_done = lake_con.execute("SELECT flow_name, status, feeds_ok FROM core.etl_run"
                                     " ORDER BY ALL").fetchall()
    # Two runs of one feed each, where the file had one run of two: the runs, and the
    # requests per day of data_quality (each run asks each host for robots.txt), differ.
    assert runs_done == [("ingest", "success", 1), ("ingest", "success", 1)]
    assert [p for p in problems if not p.startswith(
        ("core.etl_run", "marts.etl_runs", "marts.data_quality"))] == []


def test_query_on_a_postgres_catalog_with_no_lake_yet_says_so(
        postgres: Postgres, capsys: pytest.CaptureFixture) -> None:
    db = f"ducklake:postgres:{postgres.fresh_database('lake_never_loaded')}"
    assert main(["query", "--db", db, "SELECT 1"]) == 1
    assert "no warehouse at ducklake:postgres:" in capsys.readouterr().err


def _search(site: dict, db: str, words: str) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(_args(site, db, "search", words, "--format", "json", "--limit", "5")) == 0
    return json.loads(out.getvalue())


def test_search_on_a_lake_ranks_as_on_a_file(loaded: dict, lake: str) -> None:
    """`newswire models` built each warehouse's search index; the same words find the same
    articles in the same order."""
    on_file = _search(loaded, loaded["file"], "president talks")
    assert on_file
    on_lake = _search(loaded, lake, "president talks")
    assert [(h["article_id"], h["title"], h["snippet"]) for h in on_lake] == [
        (h["article_id"], h["title"], h["snippet"]) for h in on_file]
