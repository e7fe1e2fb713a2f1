"""Every ```sql block of docs/COOKBOOK.md runs, read-only as `newswire query` runs it, on a
small warehouse built by the real loaders and models; a few are checked for their answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_models import load_fixture
from warehouse.connection import run_readonly_query

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "COOKBOOK.md"
_BLOCK = re.compile(r"^### (?P<title>.+?)\n.*?^```sql\n(?P<sql>.*?)^```", re.M | re.S)


def cookbook_queries() -> dict[str, str]:
    text = COOKBOOK.read_text(encoding="utf-8")
    found = {m["title"].strip(): m["sql"] for m in _BLOCK.finditer(text)}
    assert len(found) == text.count("```sql"), "every ```sql block needs its own ### title"
    return found


QUERIES = cookbook_queries()
Rows = list[dict[str, object]]


def _names(rows: Rows, column: str = "name") -> list[object]:
    return [r[column] for r in rows]


def _top_people(rows: Rows) -> None:
    assert rows[0]["name"] == "Xi Jinping" and rows[0]["rank"] == 1
    assert {r["window_end"] for r in rows} == {datetime(2025, 3, 10).date()}


def _with_x(rows: Rows) -> None:
    names = _names(rows)
    assert "Xi Jinping" not in names
    assert {"China", "Kassym-Jomart Tokayev", "Kazakhstan"} <= set(names)
    assert rows[0]["name"] == "China"  # in every article that mentions Xi


def _trend(rows: Rows) -> None:
    assert len(rows) == 30
    assert rows[-1]["day"] == datetime(2025, 3, 10).date()
    # Xi: twice in article 1, once in 2, 5, 7, 9, 10 and 12.
    assert sum(r["mentions"] for r in rows) == 8
    assert sum(r["articles"] for r in rows) == 7


def _country(rows: Rows) -> None:
    # Kazakhstan in articles 1, 6, 8, 10 and 12; Astana, a city in Kazakhstan, in 13.
    assert sorted(r["title"] for r in rows) == sorted(
        f"Report {n}" for n in (1, 6, 8, 10, 12, 13))
    assert next(r for r in rows if r["title"] == "Report 13")["as_named"] == "Astana"


def _quoted_most(rows: Rows) -> None:
    assert {r["speaker"] for r in rows[:2]} == {"Xi Jinping", "Antonio Guterres"}
    assert rows[0]["quotes"] == 4


def _what_x_said(rows: Rows) -> None:
    assert len(rows) == 4 and rows[0]["quote"] == "The summit succeeded."


def _failed_pages(rows: Rows) -> None:
    assert len(rows) == 2
    assert {r["error"] for r in rows} == {"HTTP 404", "timeout after 30 s"}


def _volume_by_feed(rows: Rows) -> None:
    assert {r["feed_name"] for r in rows} == {"xinhua-world", "xinhua-china"}
    assert sum(r["articles"] for r in rows) > 0


def _by_writer(rows: Rows) -> None:
    assert [(r["title"], r["authors"], r["is_free"]) for r in rows] == [
        ("Report 8", ["Liu Fang", "Chen Bo"], False)]


def _largest_stories(rows: Rows) -> None:
    # Mar 4..10: the story of articles 5-7 (two sources); the 1-2 story is of Mar 1.
    assert (rows[0]["headline"], rows[0]["articles"], rows[0]["sources"]) == ("Report 5", 3, 2)
    assert "Report 1" not in _names(rows, "headline")
    assert all(r["articles"] == 1 for r in rows[1:])


def _many_sources(rows: Rows) -> None:
    assert [(r["headline"], r["sources"], r["source_names"]) for r in rows] == [
        ("Report 5", 2, ["China Daily", "Xinhua"])]


def _quality(rows: Rows) -> None:
    assert rows and all(r["articles"] >= 0 for r in rows)


CHECKS: dict[str, Callable[[Rows], None]] = {
    "Top people this week": _top_people,
    "Who is mentioned with X (all time)": _with_x,
    "Who is mentioned with X in the last 30 days": _with_x,
    "Entity trend over 30 days (one row per day, zero on days without mentions)": _trend,
    "Articles mentioning a country": _country,
    "Who is quoted most": _quoted_most,
    "What X said, latest first": _what_x_said,
    "Failed pages in the last 24 hours": _failed_pages,
    "Daily volume by feed, last 14 days": _volume_by_feed,
    "Articles by a writer": _by_writer,
    "Data quality, last 7 days": _quality,
    "Largest stories of the week": _largest_stories,
    "Stories carried by more than one source": _many_sources,
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from warehouse.models_runner import build_models

    root = tmp_path_factory.mktemp("cookbook")
    db = root / "w.duckdb"
    # The failed pages are an hour old, so "the last 24 hours" finds them.
    load_fixture(db, failures_at=datetime.now(UTC) - timedelta(hours=1))
    build_models(db, artifacts_dir=root / "dbt")
    return db


def test_the_cookbook_has_the_questions_analysts_ask() -> None:
    assert len(QUERIES) >= 15
    assert set(CHECKS) <= set(QUERIES), set(CHECKS) - set(QUERIES)


@pytest.mark.parametrize("title", list(QUERIES))
def test_cookbook_query_runs(warehouse: Path, title: str) -> None:
    columns, rows = run_readonly_query(warehouse, QUERIES[title])
    assert columns
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    check = CHECKS.get(title)
    if check is not None:
        check(records)
