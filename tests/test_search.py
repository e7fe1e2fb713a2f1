"""`newswire search`: relevance on known articles (tests/search_fixture.py), the filters, the
output contract, and the index's life: built beside the warehouse, replaced atomically,
rebuilt by `newswire models`, read without touching the warehouse."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.search import run_search, search_index_path
from flows.settings import resolve_settings
from tests.search_fixture import SEEN_AT, STORIES, Story, load_stories
from warehouse.connection import open_reader, open_writer
from warehouse.search_index import (
    SearchQuery,
    SearchRejected,
    build_search_index,
    read_stats,
    search,
)

ROOT = Path(__file__).resolve().parents[1]


def build(db: Path) -> Path:
    with open_reader(db) as source:
        build_search_index(source, search_index_path(db), source_name=str(db))
    return search_index_path(db)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("search") / "warehouse.duckdb"
    load_stories(db)
    build(db)
    return db


def ids(db: Path, words: str, **filters: object) -> list[str]:
    query = SearchQuery(words, **filters)  # type: ignore[arg-type]
    return [hit.article_id for hit in search(search_index_path(db), query)]


def test_the_index_lives_beside_the_warehouse(warehouse: Path) -> None:
    assert search_index_path(Path("data/warehouse.duckdb")) == Path(
        "data/warehouse.search.duckdb")
    stats = read_stats(search_index_path(warehouse))
    assert stats.articles == len(STORIES) and stats.source == str(warehouse)
    assert stats.build_s > 0 and stats.built_at > SEEN_AT


def test_a_title_match_ranks_above_matches_in_the_body_only(warehouse: Path) -> None:
    # flood-body says 'flooding' three times, flood-title once, but in its title too.
    assert ids(warehouse, "flooding") == ["flood-title", "flood-body", "museum-undated"]


def test_a_stemmed_form_matches(warehouse: Path) -> None:
    # Neither 'negotiations' nor 'talk' is in the text: 'negotiators', 'negotiating', 'talks'.
    assert ids(warehouse, "negotiations") == ["trade-talks"]
    assert ids(warehouse, "talk") == ["trade-talks"]
    assert ids(warehouse, "Vaccines") == ["vaccine-old", "vaccine-new"]


def test_more_of_the_words_rank_higher(warehouse: Path) -> None:
    assert ids(warehouse, "malaria vaccine")[0] == "vaccine-new"


def test_dates_are_inclusive_utc_days_and_drop_undated_articles(warehouse: Path) -> None:
    # flood-title is published 2025-06-02 08:00 UTC, flood-body 2025-06-05 23:59 UTC.
    assert ids(warehouse, "flooding", since=date(2025, 6, 2), until=date(2025, 6, 2)) == [
        "flood-title"]
    assert ids(warehouse, "flooding", since=date(2025, 6, 3)) == ["flood-body"]
    assert ids(warehouse, "flooding", until=date(2025, 6, 5)) == ["flood-title", "flood-body"]
    assert ids(warehouse, "flooding", until=date(2025, 6, 4)) == ["flood-title"]


def test_the_feed_filter_keeps_articles_of_any_named_feed(warehouse: Path) -> None:
    assert ids(warehouse, "flooding", feeds=("business",)) == ["flood-body"]
    assert ids(warehouse, "flooding", feeds=("asia", "culture")) == [
        "flood-title", "museum-undated"]
    with pytest.raises(SearchRejected, match=r"nosuchfeed.*feeds: asia, business"):
        ids(warehouse, "flooding", feeds=("nosuchfeed",))


def test_the_entity_filter_matches_names_in_any_case(warehouse: Path) -> None:
    assert ids(warehouse, "flooding", entity="guangdong") == ["flood-title"]
    assert ids(warehouse, "vaccine", entity="WORLD HEALTH organization") == [
        "vaccine-old", "vaccine-new"]
    with pytest.raises(SearchRejected, match="no entity named 'Atlantis'"):
        ids(warehouse, "flooding", entity="Atlantis")


def test_filters_combine(warehouse: Path) -> None:
    assert ids(warehouse, "vaccine", entity="World Health Organization",
               since=date(2025, 1, 1), feeds=("world",)) == ["vaccine-new"]
    assert ids(warehouse, "vaccine", entity="World Health Organization",
               feeds=("asia",)) == ["vaccine-old"]
    assert ids(warehouse, "vaccine", entity="Guangdong") == []


def test_limit(warehouse: Path) -> None:
    assert ids(warehouse, "flooding", limit=1) == ["flood-title"]
    assert len(ids(warehouse, "flooding", limit=2)) == 2
    with pytest.raises(SearchRejected, match="at least 1"):
        ids(warehouse, "flooding", limit=0)


def test_unknown_words_stopwords_and_empty_queries(warehouse: Path) -> None:
    assert ids(warehouse, "zeppelin") == []
    assert ids(warehouse, "the of and") == []
    for empty in ("", "   ", "?!"):
        with pytest.raises(SearchRejected, match="nothing to search for"):
            ids(warehouse, empty)


def test_the_snippet_shows_the_query_words_where_they_are(warehouse: Path) -> None:
    hits = {h.article_id: h for h in search(search_index_path(warehouse),
                                            SearchQuery("flooding"))}
    assert "flooding" in hits["flood-body"].snippet
    # In vaccine-new, 'malaria' and 'vaccine' together only at the end of a long body.
    [hit] = search(search_index_path(warehouse), SearchQuery("distribution malaria", limit=1))
    assert hit.article_id == "vaccine-new"
    assert hit.snippet.startswith("\u2026") and "Distribution of the malaria vaccine" in \
        hit.snippet
    assert len(hit.snippet) <= 240


def test_json_rows_carry_exactly_the_contract_keys(warehouse: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    settings = resolve_settings(db=str(warehouse))
    code = run_search(settings, SearchQuery("negotiations"), "json", out=out, err=err)
    assert code == 0
    [row] = json.loads(out.getvalue())
    assert list(row) == ["article_id", "url", "title", "published_at", "score", "snippet"]
    assert row["article_id"] == "trade-talks"
    assert row["url"] == "https://news.example/trade-talks.html"
    assert row["title"] == "Trade negotiators meet in Geneva"
    assert datetime.fromisoformat(row["published_at"]) == datetime(2025, 5, 20, 17, 30,
                                                                   tzinfo=UTC)
    assert isinstance(row["score"], float) and row["score"] > 0
    assert "negotiating" in row["snippet"]


def test_no_match_says_so_and_prints_an_empty_result(warehouse: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run_search(resolve_settings(db=str(warehouse)), SearchQuery("zeppelin"), "csv",
                      out=out, err=err)
    assert code == 0
    assert out.getvalue().splitlines() == ["article_id,url,title,published_at,score,snippet"]
    assert "no article matches 'zeppelin'" in err.getvalue()


def test_rejected_queries_exit_2(warehouse: Path) -> None:
    err = io.StringIO()
    code = run_search(resolve_settings(db=str(warehouse)),
                      SearchQuery("flooding", entity="Atlantis"), "table", err=err)
    assert code == 2 and "no entity named 'Atlantis'" in err.getvalue()


def test_without_an_index_search_exits_2_and_says_how_to_build_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_stories(db)
    err = io.StringIO()
    code = run_search(resolve_settings(db=str(db)), SearchQuery("flooding"), "table", err=err)
    assert code == 2
    assert "run `newswire models`" in err.getvalue()


def test_search_answers_while_a_writer_holds_the_warehouse(warehouse: Path) -> None:
    out = io.StringIO()
    with open_writer(warehouse, lock_timeout_s=5):
        code = run_search(resolve_settings(db=str(warehouse)), SearchQuery("negotiations"),
                          "csv", out=out, err=io.StringIO())
    assert code == 0 and "trade-talks" in out.getvalue()


def test_a_rebuild_replaces_the_index_and_a_failed_one_keeps_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_stories(db, STORIES[:2])
    index = build(db)
    assert ids(db, "negotiations") == []
    load_stories(db, STORIES[2:3], run_id="r2")
    build(db)
    assert ids(db, "negotiations") == ["trade-talks"]
    with duckdb.connect() as empty, pytest.raises(duckdb.CatalogException):
        build_search_index(empty, index, source_name="nothing")  # no core.* here
    assert ids(db, "negotiations") == ["trade-talks"]
    assert sorted(p.name for p in tmp_path.iterdir() if "search" in p.name) == [
        "w.search.duckdb"]


@pytest.mark.e2e
@pytest.mark.usefixtures("prefect_harness")
def test_newswire_models_rebuilds_the_index_with_new_articles(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    load_stories(db)
    build(db)
    late = Story("flood-late", "Flood waters recede in Guangdong",
                 "Residents returned home on Sunday as the water level fell.",
                 datetime(2025, 6, 9, tzinfo=UTC), ("asia",), (("Guangdong", "GPE"),))
    load_stories(db, (late,), run_id="r2")
    assert "flood-late" not in ids(db, "flood")

    code = main(["models", "--db", str(db), "--data-dir", str(tmp_path / "data")])

    assert code == 0
    assert f"search index: {len(STORIES) + 1} articles in" in capsys.readouterr().err
    assert set(ids(db, "flood", entity="Guangdong")) == {"flood-title", "flood-late"}


@pytest.mark.e2e
def test_the_cli_searches_in_a_process_of_its_own(warehouse: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flows.cli", "search", "flooding", "--db", str(warehouse),
               "--feed", "world", "--feed", "business", "--since", "2025-06-01",
               "--limit", "5", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert [row["article_id"] for row in json.loads(done.stdout)] == [
        "flood-title", "flood-body"]
    missing = subprocess.run(
        [sys.executable, "-m", "flows.cli", "search", "flooding", "--db",
         str(tmp_path / "none.duckdb")], capture_output=True, text=True, env=env,
        timeout=120, check=False)
    assert missing.returncode == 2 and "newswire models" in missing.stderr
