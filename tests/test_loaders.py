from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from transforms.records import (
    Article,
    Enrichment,
    Entity,
    EntityMention,
    EtlRun,
    FeedItem,
    FeedProblem,
    FetchResult,
    Quote,
)
from warehouse.connection import QueryRejected, open_writer, run_readonly_query
from warehouse.loaders import load_batch, record_run
from warehouse.migrations import available_migrations

T0 = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def article(n: int, body: str = "Body text.") -> Article:
    return Article(
        article_id=f"id{n}", canonical_url=f"http://a.test/{n}.html", url=f"http://a.test/{n}.html",
        source_name="Xinhua", title=f"Title {n}", published_at=T0, dateline_place="BEIJING",
        editor="huaxia", photo_credits=("Li Ming",), body=body, word_count=len(body.split()),
        language="en", content_hash=f"h-{body}", text_fixes=("end_mark",))


def item(n: int, feed: str = "f") -> FeedItem:
    return FeedItem(feed_name=feed, url=f"http://a.test/{n}.html",
                    canonical_url=f"http://a.test/{n}.html", article_id=f"id{n}", guid=f"g{n}",
                    published_at=T0)


def fetch(n: int) -> FetchResult:
    return FetchResult(url=f"http://a.test/{n}.html", kind="page", fetched_at=T0, http_status=200,
                       body=b"x", content_sha256="abc", feed_name="f")


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("core.fact_article", "core.fact_feed_item", "raw.fetch_log")}


def test_migrations_apply_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        first = con.execute("SELECT count(*) FROM meta.schema_migrations").fetchone()[0]
    with open_writer(db) as con:
        again = con.execute("SELECT count(*) FROM meta.schema_migrations").fetchone()[0]
    assert first == again == len(available_migrations())


def test_reloading_a_batch_adds_no_rows_and_counts_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    batch = dict(run_id="r1", seen_at=T0, fetches=[fetch(1), fetch(2)],
                 articles=[article(1), article(2)], feed_items=[item(1), item(2), item(2, "g")])
    with open_writer(db) as con:
        first = load_batch(con, **batch)
        before = counts(con)
        second = load_batch(con, **{**batch, "fetches": [], "seen_at": T0 + timedelta(hours=1)})
        after = counts(con)
        row = con.execute("SELECT version, first_seen_at, last_seen_at, photo_credits "
                          "FROM core.fact_article WHERE article_id = 'id1'").fetchone()
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)
    assert before == after == {"core.fact_article": 2, "core.fact_feed_item": 3,
                               "raw.fetch_log": 2}
    assert row[0] == 1 and row[1] == T0 and row[2] == T0 + timedelta(hours=1)
    assert row[3] == ["Li Ming"]


def test_a_changed_body_bumps_the_version(tmp_path: Path) -> None:
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
        result = load_batch(con, run_id="r2", seen_at=T0, articles=[article(1, "New body.")])
        version, body = con.execute(
            "SELECT version, body FROM core.fact_article").fetchone()
    assert result.updated == 1 and version == 2 and body == "New body."


def test_a_failing_batch_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = replace(article(2), content_hash=None)  # violates NOT NULL inside the transaction
    with open_writer(tmp_path / "w.duckdb") as con:
        with pytest.raises(duckdb.Error):
            load_batch(con, run_id="r1", seen_at=T0,
                       fetches=[replace(fetch(1), kind="feed", problems=(
                           FeedProblem("encoding", "declared utf-8, read as windows-1252"),))],
                       articles=[article(1), broken], feed_items=[item(1)])
        assert counts(con) == {"core.fact_article": 0, "core.fact_feed_item": 0,
                               "raw.fetch_log": 0}
        assert con.execute("SELECT count(*) FROM raw.feed_problem").fetchone() == (0,)


def test_feed_problems_load_with_their_fetch(tmp_path: Path) -> None:
    problem = FeedProblem("malformed", "SAXParseException: not well-formed; read as far as it "
                          "goes (3 items)")
    feed = replace(fetch(1), kind="feed", feed_name="f", problems=(problem,))
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, fetches=[feed, fetch(2)])
        rows = con.execute("SELECT run_id, feed_name, url, fetched_at, kind, detail, items"
                           " FROM raw.feed_problem").fetchall()
    assert rows == [("r1", "f", feed.url, feed.fetched_at, "malformed", problem.detail, 0)]


def test_record_run_upserts(tmp_path: Path) -> None:
    with open_writer(tmp_path / "w.duckdb") as con:
        record_run(con, EtlRun("r1", "ingest", T0, None, "running"))
        record_run(con, EtlRun("r1", "ingest", T0, T0, "partial", 1, 1, 5, 0, 0, 1))
        rows = con.execute("SELECT status, feeds_failed, articles_new FROM core.etl_run").fetchall()
    assert rows == [("partial", 1, 5)]


def test_readonly_query_cannot_modify(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
    for sql in ("DELETE FROM core.fact_article", "DROP TABLE core.fact_article",
                "ATTACH 'other.duckdb' AS o", "COPY core.fact_article TO 'x.csv'",
                "SET enable_external_access = true"):
        with pytest.raises(QueryRejected):
            run_readonly_query(db, sql)
    columns, rows = run_readonly_query(db, "SELECT count(*) AS n FROM core.fact_article")
    assert columns == ["n"] and rows == [(1,)]


def enrichment(n: int, people: tuple[str, ...]) -> Enrichment:
    entities = tuple(Entity(f"e-{p}", p, "PERSON") for p in people)
    mentions = tuple(EntityMention(f"id{n}", e.entity_id, e.name, i * 10, i * 10 + len(e.name))
                     for i, e in enumerate(entities))
    quotes = (Quote(f"id{n}", entities[0].entity_id, entities[0].name, "We agree.", 0, 9),)
    return Enrichment(f"id{n}", entities, mentions, quotes)


def test_enrichments_replace_per_article_and_share_entities(tmp_path: Path) -> None:
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1), article(2)],
                   enrichments=[enrichment(1, ("Li Ming", "Ana Costa")),
                                enrichment(2, ("Li Ming",))])
        load_batch(con, run_id="r2", seen_at=T0, articles=[article(1, "Changed.")],
                   enrichments=[enrichment(1, ("Ana Costa",))])
        entities = con.execute("SELECT count(*) FROM core.dim_entity").fetchone()[0]
        mentions = con.execute("SELECT article_id, entity_id FROM core.fact_entity_mention "
                               "ORDER BY 1, 2").fetchall()
        quotes = con.execute("SELECT article_id, speaker FROM core.fact_quote "
                             "ORDER BY 1").fetchall()
    assert entities == 2
    assert mentions == [("id1", "e-Ana Costa"), ("id2", "e-Li Ming")]
    assert quotes == [("id1", "Ana Costa"), ("id2", "Li Ming")]


def test_the_entity_model_is_recorded_and_follows_the_latest_load(tmp_path: Path) -> None:
    english = replace(article(1), entities_model="en_core_web_sm-3.8.0")
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[english, article(2)],
                   enrichments=[enrichment(1, ("Li Ming",)), enrichment(2, ("Ana Costa",))])
        first = con.execute("SELECT article_id, entities_model FROM core.fact_article"
                            " ORDER BY 1").fetchall()
        # The page now reads as Spanish: no model ran, and its old mentions go.
        spanish = replace(english, language="es", entities_model=None)
        load_batch(con, run_id="r2", seen_at=T0, articles=[spanish],
                   enrichments=[Enrichment("id1", (), (), ())])
        second = con.execute("SELECT language, entities_model FROM core.fact_article"
                             " WHERE article_id = 'id1'").fetchone()
        mentions = con.execute("SELECT DISTINCT article_id FROM core.fact_entity_mention"
                               ).fetchall()
    assert first == [("id1", "en_core_web_sm-3.8.0"), ("id2", None)]
    assert second == ("es", None)
    assert mentions == [("id2",)]


def test_authors_and_is_free_land_and_a_rerun_adds_nothing(tmp_path: Path) -> None:
    paywalled = replace(article(1), authors=("Liu Fang", "Chen Bo"), is_free=False)
    free, unknown = replace(article(2), is_free=True), article(3)
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[paywalled, free, unknown])
        again = load_batch(con, run_id="r2", seen_at=T0 + timedelta(hours=1),
                           articles=[paywalled, free, unknown])
        rows = con.execute("SELECT article_id, authors, is_free, version FROM core.fact_article"
                           " ORDER BY article_id").fetchall()
    assert rows == [("id1", ["Liu Fang", "Chen Bo"], False, 1), ("id2", [], True, 1),
                    ("id3", [], None, 1)]
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_new_authors_alone_update_the_row_without_a_new_version(tmp_path: Path) -> None:
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
        result = load_batch(con, run_id="r2", seen_at=T0,
                            articles=[replace(article(1), authors=("Li Ming",), is_free=False)])
        row = con.execute("SELECT authors, is_free, version FROM core.fact_article").fetchone()
    assert row == (["Li Ming"], False, 1)
    assert (result.updated, result.unchanged) == (0, 1)


def _warehouse_before(db: Path, version: int) -> None:
    """A warehouse as the release before migration `version` left it, with one article."""
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA meta")
        con.execute("CREATE TABLE meta.schema_migrations (version INTEGER PRIMARY KEY,"
                    " name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        for m in available_migrations():
            if m.version < version:
                con.execute(m.sql)
                con.execute("INSERT INTO meta.schema_migrations (version, name) VALUES (?, ?)",
                            [m.version, m.name])
        con.execute("INSERT INTO core.fact_article (article_id, canonical_url, url,"
                    " photo_credits, body, word_count, content_hash, text_fixes, first_seen_at,"
                    " last_seen_at) VALUES ('old', 'http://a.test/old', 'http://a.test/old',"
                    " [], 'Old.', 1, 'h', [], ?, ?)", [T0, T0])


def test_migration_8_marks_earlier_articles_unrecorded(tmp_path: Path) -> None:
    _warehouse_before(tmp_path / "w.duckdb", 8)
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article(1)])
        rows = con.execute("SELECT article_id, entities_model FROM core.fact_article"
                           " ORDER BY 1").fetchall()
    assert rows == [("id1", None), ("old", "unrecorded")]


def test_rows_loaded_before_migration_7_keep_null_authors(tmp_path: Path) -> None:
    _warehouse_before(tmp_path / "w.duckdb", 7)
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[replace(article(1), is_free=True)])
        rows = con.execute("SELECT article_id, authors, is_free FROM core.fact_article"
                           " ORDER BY article_id").fetchall()
    assert rows == [("id1", [], True), ("old", None, None)]
