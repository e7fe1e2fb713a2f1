"""Backfill end to end: raw replay restores deleted rows exactly; sitemaps find a window."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.site_server import SiteServer, demo_site_dir
from tests.sample_site import sample_feeds_toml

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

SNAPSHOT = ("SELECT article_id, canonical_url, title, published_at, body, content_hash, "
            "photo_credits, editor, dateline_place FROM core.fact_article ORDER BY article_id")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path | str]]:
    root = tmp_path_factory.mktemp("backfill")
    site_dir = root / "site"
    shutil.copytree(demo_site_dir(), site_dir)
    server = SiteServer(site_dir)
    with server.running():
        (site_dir / "robots.txt").write_text(f"User-agent: *\nSitemap: {server.base_url}"
                                             "/sitemap_index.xml\n", encoding="utf-8")
        feeds = root / "feeds.toml"
        feeds.write_text(sample_feeds_toml(server.base_url), encoding="utf-8")
        paths = {"db": root / "w.duckdb", "feeds": feeds, "data": root / "data",
                 "site": site_dir, "base": server.base_url}
        assert main(_args(paths, "ingest")) == 0
        yield paths


@pytest.fixture()
def warehouse(ingested: dict[str, Path | str], tmp_path: Path) -> dict[str, Path | str]:
    """A copy of the ingested warehouse and landing zone for one test, which may delete,
    prune and replay as it likes: no test depends on what another did, or on their order."""
    root = tmp_path / "copy"
    root.mkdir()
    shutil.copy2(ingested["db"], root / "w.duckdb")
    shutil.copytree(ingested["data"], root / "data")
    return {**ingested, "db": root / "w.duckdb", "data": root / "data"}


def _args(paths: dict, *command: str) -> list[str]:
    return [*command, "--db", str(paths["db"]), "--feeds", str(paths["feeds"]),
            "--data-dir", str(paths["data"])]


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _delete_window(db: Path, start: str, end: str) -> int:
    with duckdb.connect(str(db)) as con:
        where = ("WHERE article_id IN (SELECT article_id FROM core.fact_article "
                 "WHERE published_at >= ?::TIMESTAMPTZ AND published_at < ?::TIMESTAMPTZ)")
        for table in ("core.fact_feed_item", "core.fact_entity_mention", "core.fact_quote"):
            con.execute(f"DELETE FROM {table} {where}", [start, end])
        return con.execute("DELETE FROM core.fact_article WHERE published_at >= ?::TIMESTAMPTZ "
                           "AND published_at < ?::TIMESTAMPTZ", [start, end]).fetchone()[0]


def test_raw_replay_restores_a_deleted_window_identically(warehouse: dict) -> None:
    db = warehouse["db"]
    before = _rows(db, SNAPSHOT)
    items_before = _rows(db, "SELECT feed_name, article_id, item_guid FROM core.fact_feed_item "
                             "ORDER BY ALL")
    deleted = _delete_window(db, "2024-01-01", "2025-01-01")
    assert 0 < deleted < len(before)
    assert main(_args(warehouse, "backfill", "--start", "2024-01-01", "--end", "2024-12-31")) == 0
    assert _rows(db, SNAPSHOT) == before
    assert _rows(db, "SELECT feed_name, article_id, item_guid FROM core.fact_feed_item "
                     "ORDER BY ALL") == items_before
    # Running it again changes nothing.
    assert main(_args(warehouse, "backfill", "--start", "2024-01-01", "--end", "2024-12-31")) == 0
    assert _rows(db, SNAPSHOT) == before


def test_raw_replay_says_what_it_cannot_replay(warehouse: dict, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pruned = tmp_path / "data"
    shutil.copytree(warehouse["data"], pruned)
    for landed in (pruned / "raw" / "page").rglob("*.gz"):
        landed.unlink()
    args = _args({**warehouse, "data": pruned}, "backfill", "--start", "2000-01-01",
                 "--end", "2099-12-31")
    assert main(args) == 3
    assert "cannot replay page" in capsys.readouterr().err


def test_bad_window_is_a_usage_error(warehouse: dict) -> None:
    assert main(_args(warehouse, "backfill", "--start", "2025-02-30", "--end", "2025-03-01")) == 2
    assert main(_args(warehouse, "backfill", "--start", "2025-03-02", "--end", "2025-03-01")) == 2


def test_sitemap_backfill_loads_the_windows_articles(warehouse: dict) -> None:
    base, site = warehouse["base"], warehouse["site"]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("c.html"))
    in_2025 = [p for p in pages if "/2025" in f"/{p}"]
    urls = "".join(f"<url><loc>{base}/{p}</loc></url>" for p in pages)
    (site / "sitemap_articles.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>", encoding="utf-8")
    (site / "sitemap_index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemap_articles.xml</loc></sitemap></sitemapindex>",
        encoding="utf-8")
    deleted = _delete_window(warehouse["db"], "2025-01-01", "2026-01-01")
    assert deleted == len(in_2025)
    assert main(_args(warehouse, "backfill", "--source", "sitemap", "--start", "2025-01-01",
                      "--end", "2025-12-31")) == 0
    restored = _rows(warehouse["db"], "SELECT count(*) FROM core.fact_article "
                                      "WHERE published_at >= '2025-01-01'")[0][0]
    assert restored == len(in_2025)
    without_item = _rows(warehouse["db"], (
        "SELECT count(*) FROM core.fact_article AS a WHERE NOT EXISTS ("
        " SELECT 1 FROM core.fact_feed_item AS i WHERE i.article_id = a.article_id)"))[0][0]
    assert without_item == 0  # backfilled articles count in the per-feed marts too


def test_prune_keeps_rows_and_backfill_names_what_is_gone(warehouse: dict, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    data = tmp_path / "data"
    shutil.copytree(warehouse["data"], data)
    # Age the landing zone: move every day partition back to 2020-01-01.
    for day_dir in [d for kind in (data / "raw").iterdir() for d in kind.iterdir()]:
        day_dir.rename(day_dir.with_name("2020-01-01"))
    before = _rows(warehouse["db"], SNAPSHOT)
    paths = {**warehouse, "data": data}
    assert main(_args(paths, "prune", "--raw-older-than", "90d")) == 0
    assert "days removed: 2020-01-01..2020-01-01" in capsys.readouterr().err
    assert not list((data / "raw").rglob("*.gz"))
    assert _rows(warehouse["db"], SNAPSHOT) == before
    assert main(_args(paths, "backfill", "--start", "2000-01-01", "--end", "2099-12-31")) == 3
    err = capsys.readouterr().err
    assert "their raw files are gone (pruned?)" in err and "cannot replay page" in err
    assert _rows(warehouse["db"], SNAPSHOT) == before


def test_prune_rejects_a_bad_age(warehouse: dict) -> None:
    assert main(_args(warehouse, "prune", "--raw-older-than", "ninety")) == 2


def test_two_ingests_at_the_same_moment_both_finish_without_duplicates(
        warehouse: dict, tmp_path: Path) -> None:
    """Two `newswire ingest` processes on one fresh warehouse: the writer lock serialises
    their loads, and keyed upserts keep one row per article."""
    db = tmp_path / "w.duckdb"
    args = [sys.executable, "-m", "flows.cli", "ingest", "--db", str(db), "--feeds",
            str(warehouse["feeds"]), "--data-dir", str(tmp_path / "data")]
    # Each process runs as a user would: its own temporary Prefect API, not the test harness.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    runs = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, env=env) for _ in range(2)]
    outcomes = [(run.wait(timeout=300), run.stderr.read() if run.stderr else "")
                for run in runs]
    assert [code for code, _ in outcomes] == [0, 0], [err[-2000:] for _, err in outcomes]
    counts = _rows(db, "SELECT count(*), count(DISTINCT article_id), "
                       "(SELECT count(*) FROM core.fact_feed_item), "
                       "(SELECT count(*) FROM (SELECT DISTINCT feed_name, article_id "
                       " FROM core.fact_feed_item)), "
                       "(SELECT count(*) FROM core.etl_run WHERE status = 'success') "
                       "FROM core.fact_article")[0]
    # compared with the sample site's own figures, not with the ingested warehouse
    expected = json.loads((demo_site_dir() / "EXPECTED.json").read_text(encoding="utf-8"))
    assert counts[0] == counts[1] == expected["distinct_articles"]
    assert counts[2] == counts[3] == sum(feed["items"] for feed in expected["feeds"])
    assert counts[4] == 2


def test_small_chunks_and_many_loads_give_the_same_rows(
    warehouse: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work split in many chunks over two workers, and several chunks per load, gives the rows
    that one chunk and one load gave."""
    import flows.pages as pages

    monkeypatch.setattr(pages, "MAX_CHUNK", 3)  # 12 pages: 4 chunks, 2 workers
    monkeypatch.setattr(pages, "MIN_CHUNK", 3)
    monkeypatch.setattr(pages, "LOAD_ARTICLES", 5)  # and several loads
    monkeypatch.setenv("NEWSWIRE_WORKERS", "2")
    queries = (SNAPSHOT,
               "SELECT * FROM core.fact_entity_mention ORDER BY ALL",
               "SELECT * FROM core.fact_quote ORDER BY ALL",
               "SELECT entity_id, name, type FROM core.dim_entity ORDER BY ALL")
    before = [_rows(warehouse["db"], q) for q in queries]
    assert len(before[0]) == 12 and len(before[1]) > 50
    with duckdb.connect(str(warehouse["db"])) as con:
        for table in ("fact_entity_mention", "fact_quote", "fact_feed_item", "fact_article"):
            con.execute(f"DELETE FROM core.{table}")
    assert main(_args(warehouse, "backfill", "--start", "2000-01-01", "--end", "2099-12-31")) == 0
    assert [_rows(warehouse["db"], q) for q in queries] == before
