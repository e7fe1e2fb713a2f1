"""The warehouse as a DuckLake, end to end: the bundled sample site ingested into a lake gives
the same core tables and marts as into a DuckDB file; reruns add nothing; `query` reads it
read-only; `export` writes it out whole."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from benchmarks.warehouse_diff import diff
from flows.cli import main
from flows.site_server import SiteServer, demo_site_dir
from tests.sample_site import sample_feeds_toml
from tests.test_export import base_tables, checksum, export_checksums
from warehouse.connection import open_reader

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

COUNTED = ("core.fact_article", "core.fact_entity_mention", "core.fact_quote",
           "core.fact_feed_item", "core.dim_entity", "core.dim_story", "core.story_match")


def _args(site: dict, db: str, *command: str) -> list[str]:
    name = "lake" if db.startswith("ducklake:") else "file"
    return [*command, "--db", db, "--feeds", str(site["feeds"]),
            "--data-dir", str(site["root"] / f"data-{name}")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("lake")
    site_dir = root / "site"
    shutil.copytree(demo_site_dir(), site_dir)
    server = SiteServer(site_dir)
    with server.running():
        feeds = root / "feeds.toml"
        feeds.write_text(sample_feeds_toml(server.base_url), encoding="utf-8")
        yield {"root": root, "feeds": feeds}


@pytest.fixture(scope="module")
def loaded(site: dict) -> dict:
    """The site ingested, then modelled, into a DuckDB file and into a local lake."""
    file_db = str(site["root"] / "file.duckdb")
    lake_db = f"ducklake:{site['root'] / 'catalog.ducklake'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSWIRE_LAKE_DATA", str(site["root"] / "lake-data"))
        for db in (file_db, lake_db):
            assert main(_args(site, db, "ingest")) == 0
            assert main(_args(site, db, "models")) == 0
    return {**site, "file": file_db, "lake": lake_db}


def _counts(db: str) -> dict[str, int]:
    with open_reader(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in COUNTED}


def test_a_lake_holds_what_a_file_holds(loaded: dict) -> None:
    with open_reader(loaded["file"]) as file_con, open_reader(loaded["lake"]) as lake_con:
        digests, problems = diff(file_con, lake_con)
    assert problems == []
    names = {d.name for d in digests}
    assert {"core.fact_article", "core.fact_entity_mention", "core.fact_quote",
            "marts.daily_articles", "marts.stories", "marts.top_entities_7d"} <= names
    assert next(d.rows for d in digests if d.name == "core.fact_article") >= 10


def test_the_lake_keeps_its_data_files_where_it_was_told(loaded: dict) -> None:
    files = list((loaded["root"] / "lake-data").rglob("*.parquet"))
    assert files
    assert not list((loaded["root"]).glob("catalog.ducklake.files"))


def test_a_rerun_into_the_lake_adds_nothing(loaded: dict) -> None:
    before = _counts(loaded["lake"])
    assert main(_args(loaded, loaded["lake"], "ingest")) == 0
    assert _counts(loaded["lake"]) == before


def test_query_reads_the_lake_and_refuses_writes(loaded: dict) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(_args(loaded, loaded["lake"], "query", "--format", "csv",
                          "SELECT count(*) AS n FROM core.fact_article"))
    assert code == 0
    assert out.getvalue().splitlines()[1] == str(_counts(loaded["lake"])["core.fact_article"])
    assert main(_args(loaded, loaded["lake"], "query",
                      "DELETE FROM core.fact_article")) == 2
    assert _counts(loaded["lake"])["core.fact_article"] > 0


def test_query_on_a_lake_that_was_never_loaded_says_so(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    db = f"ducklake:{tmp_path / 'empty.ducklake'}"
    assert main(["query", "--db", db, "SELECT 1"]) == 1
    assert "no warehouse at" in capsys.readouterr().err


def test_an_export_of_the_lake_round_trips(loaded: dict) -> None:
    out = loaded["root"] / "export"
    assert main(_args(loaded, loaded["lake"], "export", "--format", "parquet",
                      "--out", str(out))) == 0
    with open_reader(loaded["lake"]) as con:
        tables = base_tables(con)
        expected = {t: checksum(con, f"SELECT * FROM {s}.{t}") for s, t in tables}
    assert len(expected) >= 20
    assert export_checksums(out, [t for _, t in tables]) == expected
