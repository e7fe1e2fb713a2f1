"""`newswire status`: recent runs and feed health printed from the warehouse."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from flows.settings import resolve_settings
from flows.status import print_status
from tests.test_report import NOW, RUN2, build_small_warehouse
from transforms.records import FeedProblem, FetchResult
from transforms.report.data import FeedHealth
from transforms.report.status import merge_configured, plain
from warehouse.connection import open_writer
from warehouse.loaders import load_batch

EVIL_FEED = "[red]evil[/red]\x1b[2Jfeed"


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    build_small_warehouse(db)
    with open_writer(db) as con:  # a feed whose name and error carry markup and escapes
        load_batch(con, run_id="run-x", seen_at=RUN2, fetches=[
            FetchResult("http://evil.test/rss", "feed", RUN2 + timedelta(minutes=1), 500,
                        error="HTTP 500 [bold]boom[/bold]\x1b]8;;http://x\x07",
                        feed_name=EVIL_FEED)])
    return db


def _status(tmp_path: Path, db: Path, feeds_toml: str | None = None) -> tuple[int, str]:
    feeds = tmp_path / "feeds.toml"
    if feeds_toml is not None:
        feeds.write_text(feeds_toml, encoding="utf-8")
    settings = resolve_settings(db=db, feeds=feeds, data_dir=tmp_path / "data", env={})
    out = io.StringIO()
    code = print_status(settings, out, now=NOW)
    return code, out.getvalue()


FEEDS_TOML = """
[[feed]]
name = "xinhua-world"
url = "https://english.news.cn/rss/worldrss.xml"
profile = "xinhua"

[[feed]]
name = "xinhua-sports"
url = "https://english.news.cn/rss/sportsrss.xml"
profile = "xinhua"
enabled = false
"""


def test_status_shows_runs_and_feed_health(tmp_path: Path, warehouse: Path) -> None:
    code, text = _status(tmp_path, warehouse, FEEDS_TOML)
    assert code == 0
    assert "Recent runs (2 of 2" in text
    assert "2025-01-13 10:00" in text and "2025-01-12 10:00" in text
    assert "partial" in text and "42.0 s" in text
    lines = {line.split("│")[1].strip(): line for line in text.splitlines()
             if line.startswith("│") and line.split("│")[1].strip()}
    world = lines["xinhua-world"]
    assert "2025-01-13 10:00 (2 h ago)" in world and "50%" in world and "none" in world
    china = lines["xinhua-china (not in feeds file)"]
    assert "timeout: read timed out" in china
    assert "never" in lines["xinhua-sports"]  # configured (even disabled), never fetched
    assert "5 articles, the newest dated 2025-01-12 10:00 UTC" in text


def test_warehouse_text_is_printed_literally(tmp_path: Path, warehouse: Path) -> None:
    _, text = _status(tmp_path, warehouse)
    assert "\x1b" not in text and "\x07" not in text
    assert "[red]evil[/red]" in text  # markup shown, not interpreted
    assert "[bold]boom[/bold]" in text


def test_status_without_a_feeds_file_shows_what_the_warehouse_knows(
        tmp_path: Path, warehouse: Path) -> None:
    code, text = _status(tmp_path, warehouse)
    assert code == 0 and "xinhua-china" in text and "not in feeds file" not in text


def test_status_of_a_missing_or_empty_warehouse(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _status(tmp_path, tmp_path / "absent.duckdb")
    assert code == 1 and text == ""
    assert "no warehouse at" in capsys.readouterr().err
    with open_writer(tmp_path / "empty.duckdb"):
        pass
    code, text = _status(tmp_path, tmp_path / "empty.duckdb")
    assert code == 0 and "No run recorded yet" in text and "0 articles" in text


def test_merge_configured_and_plain() -> None:
    seen = FeedHealth("a", "http://a", None, None, None, 1, 1, 0, 0, 0, 0, 0)
    rows = merge_configured([seen], [("b", "http://b"), ("a", "http://a")])
    assert [(r.feed_name, r.configured) for r in rows] == [("a", True), ("b", True)]
    assert merge_configured([seen], None) == [seen]
    assert plain("a\x1b[2Jb\nc\td") == "a [2Jb c d"


def test_status_shows_feed_problems(tmp_path: Path, warehouse: Path) -> None:
    with open_writer(warehouse) as con:
        load_batch(con, run_id="run-p", seen_at=RUN2, fetches=[
            FetchResult("https://english.news.cn/rss/worldrss.xml", "feed",
                        RUN2 + timedelta(minutes=5), 200, feed_name="xinhua-world",
                        problems=(FeedProblem("content_type", "served as 'text/html', not an "
                                                              "XML type"),
                                  FeedProblem("no_link", "2 items skipped, no link: item 3, 9",
                                              2)))])
    _, text = _status(tmp_path, warehouse)
    world = next(line for line in text.splitlines() if "xinhua-world" in line)
    assert "2; 2025-01-13 10:05: " in world
    assert any(kind in world for kind in ("content_type", "no_link"))
    china = next(line for line in text.splitlines() if "xinhua-china" in line)
    assert china.rstrip("│ ").endswith("none")
