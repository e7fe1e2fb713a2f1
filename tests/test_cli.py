"""CLI behaviour that needs no Prefect run: usage and config errors, read-only query."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.cli import main
from flows.settings import resolve_settings
from transforms.records import Article
from warehouse.connection import open_writer
from warehouse.loaders import load_batch


def test_precedence_is_flag_then_env_then_default() -> None:
    env = {"NEWSWIRE_DB": "/env/w.duckdb", "NEWSWIRE_DATA_DIR": "/env/data"}
    s = resolve_settings(db="/flag/w.duckdb", env=env)
    assert s.warehouse.path == Path("/flag/w.duckdb")
    assert s.data_dir == Path("/env/data")
    assert s.feeds_path == Path("feeds.toml")
    assert s.raw_dir == Path("/env/data/raw")


@pytest.mark.parametrize("feeds_text", [
    '[[feed]]\nname = "x"\nurl = "ftp://host/feed"\nprofile = "xinhua"\n',
    '[[feed]]\nname = "x"\nurl = "http://host/feed"\nprofile = "xinhua"\nbogus = 1\n',
    'not toml at all [[[',
])
def test_config_errors_exit_2_and_write_nothing(tmp_path: Path, feeds_text: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(feeds_text, encoding="utf-8")
    code = main(["ingest", "--feeds", str(feeds), "--db", str(tmp_path / "w.duckdb"),
                 "--data-dir", str(tmp_path / "data")])
    assert code == 2
    assert "configuration error" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists() and not (tmp_path / "data").exists()


def test_unknown_feed_name_and_missing_file_exit_2(tmp_path: Path) -> None:
    assert main(["ingest", "--feeds", str(tmp_path / "none.toml")]) == 2
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "a"\nurl = "http://h/f"\nprofile = "xinhua"\n')
    assert main(["ingest", "--feeds", str(feeds), "--feed", "b"]) == 2


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query"]) == 2
    assert "the following arguments are required: sql" in capsys.readouterr().err
    assert main(["backfill", "--start", "2025-02-30", "--end", "2025-03-01"]) == 2
    assert "'2025-02-30' is not a date" in capsys.readouterr().err


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    art = Article("id1", "http://a/1", "http://a/1", "Xinhua", "A title", datetime(2025, 1, 1,
                  tzinfo=UTC), "BEIJING", None, (), "Body.", 1, "en", "h", ())
    with open_writer(db) as con:
        load_batch(con, run_id="r", seen_at=datetime(2025, 1, 1, tzinfo=UTC), articles=[art])
    return db


def test_query_formats(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT article_id, title FROM core.fact_article"
    assert main(["query", sql, "--db", str(warehouse), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"article_id": "id1", "title": "A title"}]
    assert main(["query", sql, "--db", str(warehouse), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["article_id,title", "id1,A title"]
    assert main(["query", sql, "--db", str(warehouse)]) == 0
    assert "A title" in capsys.readouterr().out


def test_query_cannot_delete(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "DELETE FROM core.fact_article", "--db", str(warehouse)]) == 2
    assert "read-only" in capsys.readouterr().err
    main(["query", "SELECT count(*) AS n FROM core.fact_article", "--db", str(warehouse),
          "--format", "csv"])
    assert capsys.readouterr().out.splitlines() == ["n", "1"]


def test_query_without_a_warehouse_says_so(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no warehouse" in capsys.readouterr().err
