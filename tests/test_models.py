"""The SQL models (warehouse/dbt/) on a small warehouse loaded through the real loaders.

dbt costs seconds per invocation, so one module-scoped fixture runs the whole story once and
the tests read what it recorded:
  1. build on fresh data (build_models);
  2. build again with nothing changed (through the `models` flow, as `newswire models` does);
  3. add a day and move an article to another day, build again (incremental entity_daily);
  4. load a mention of an unknown entity: build_models must fail naming the test; then the
     CLI entry point (run_models) must exit 1 with that test on stderr.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from tests.story_fixture import assign_stories
from transforms.records import (
    Article,
    Enrichment,
    Entity,
    EntityMention,
    EtlRun,
    FeedItem,
    FetchResult,
    Quote,
)
from warehouse.connection import open_writer
from warehouse.loaders import load_batch, record_run
from warehouse.writer_lock import LockTimeout, writer_lock

# --- a small, hand-made warehouse (also used by tests/test_cookbook.py) ------------------

ENTITIES = {
    "xi": Entity("ent-xi", "Xi Jinping", "PERSON"),
    "tokayev": Entity("ent-tokayev", "Kassym-Jomart Tokayev", "PERSON"),
    "guterres": Entity("ent-guterres", "Antonio Guterres", "PERSON"),
    "li": Entity("ent-li", "Li Qiang", "PERSON"),
    "china": Entity("ent-china", "China", "GPE", "CN"),
    "kazakhstan": Entity("ent-kazakhstan", "Kazakhstan", "GPE", "KZ"),
    "us": Entity("ent-us", "United States", "GPE", "US"),
    "un": Entity("ent-un", "United Nations", "ORG"),
    "sco": Entity("ent-sco", "Shanghai Cooperation Organization", "ORG"),
    "chinese": Entity("ent-chinese", "Chinese", "NORP", "CN"),
    "astana": Entity("ent-astana", "Astana", "GPE", located_in="KZ"),
}
BEIJING = timezone(timedelta(hours=8))
EN_MODEL = "en_core_web_sm-3.8.0"  # every article here was read by the English model
LOADED_AT = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    """One article: its publication time, the entities it mentions (in order) and its quotes
    as (speaker key or None, speaker text or None, quote)."""

    n: int
    published_at: datetime | None
    mentions: Sequence[str]
    quotes: Sequence[tuple[str | None, str | None, str]] = ()
    feed: str = "xinhua-world"
    source: str = "Xinhua"
    fixes: tuple[str, ...] = ("end_mark",)
    extra: dict = field(default_factory=dict)
    authors: tuple[str, ...] = ()
    is_free: bool | None = None


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


# Days (UTC): Mar 1 two articles, Mar 2 one (it moves to Mar 5 in step 3), Mar 3, Mar 4 two,
# Mar 5 one published on Mar 6 Beijing time, Mar 6, 7, 8, Mar 9 one without publication time
# (its day comes from first_seen_at), Mar 10 two.
SPECS = [
    Spec(1, _at(1), ["xi", "kazakhstan", "tokayev", "xi", "china"],
         [("xi", "Xi Jinping", "We will deepen cooperation."),
          ("tokayev", "Kassym-Jomart Tokayev", "Kazakhstan welcomes the visit.")]),
    Spec(2, _at(1, 15), ["xi", "sco", "china", "chinese"],
         [("xi", "Xi Jinping", "The SCO matters.")], feed="xinhua-china"),
    Spec(3, _at(2), ["guterres", "un", "china"],
         [("guterres", "Antonio Guterres", "Multilateralism is essential.")]),
    Spec(4, _at(3), ["li", "china", "us"], [("li", "Li Qiang", "Trade benefits both.")],
         feed="xinhua-china", fixes=("mojibake", "end_mark")),
    Spec(5, _at(4), ["xi", "us", "china"], [(None, "A spokesperson", "No comment.")]),
    Spec(6, _at(4, 18), ["tokayev", "kazakhstan", "sco"], [], source="China Daily",
         fixes=()),
    Spec(7, datetime(2025, 3, 6, 1, 0, tzinfo=BEIJING), ["xi", "li", "china"],
         [("li", "Li Qiang", "Growth is steady.")], fixes=("caption", "end_mark")),
    Spec(8, _at(6), ["guterres", "un", "kazakhstan"],
         [("guterres", "Antonio Guterres", "Central Asia is key.")],
         fixes=("end_mark", "byline"), authors=("Liu Fang", "Chen Bo"), is_free=False),
    Spec(9, _at(7), ["xi", "guterres", "un", "china"],
         [("xi", "Xi Jinping", "China supports the UN."),
          ("guterres", "Antonio Guterres", "Thank you, China.")]),
    Spec(10, _at(8), ["tokayev", "xi", "kazakhstan", "china"],
         [("tokayev", "Kassym-Jomart Tokayev", "Our ties are strong.")], feed="xinhua-china"),
    Spec(11, None, ["li", "china", "chinese"], [(None, None, "It was said.")]),
    Spec(12, _at(10), ["xi", "tokayev", "sco", "kazakhstan", "china"],
         [("xi", "Xi Jinping", "The summit succeeded."),
          ("tokayev", "Kassym-Jomart Tokayev", "We agree.")]),
    Spec(13, _at(10, 20), ["guterres", "us", "un", "astana"],
         [("guterres", "Antonio Guterres", "Peace first.")], feed="xinhua-china"),
]
NO_DATE_SEEN_AT = datetime(2025, 3, 9, 8, 0, tzinfo=UTC)  # first_seen_at of article 11


def article_id(n: int) -> str:
    return f"art{n:04d}"


# Stories (articles by number, the first starts it): 1-2 of two feeds, 5-7 of two sources;
# every other article is a story of its own.
STORIES = {article_id(g[0]): [article_id(n) for n in g] for g in ((1, 2), (5, 6, 7))}


def build_records(spec: Spec) -> tuple[Article, FeedItem, Enrichment]:
    """The article, its feed item and its enrichment, with offsets that index its body."""
    parts: list[str] = [f"BEIJING, March 1 (Xinhua) -- Report {spec.n}."]
    mentions: list[EntityMention] = []
    quotes: list[Quote] = []
    aid = article_id(spec.n)
    offset = len(parts[0]) + 1
    for key in spec.mentions:
        entity = ENTITIES[key]
        sentence = f"{entity.name} was mentioned."
        mentions.append(EntityMention(aid, entity.entity_id, entity.name, offset,
                                      offset + len(entity.name)))
        parts.append(sentence)
        offset += len(sentence) + 1
    for key, speaker, text in spec.quotes:
        sentence = f'"{text}" {speaker or "someone"} said.'
        quotes.append(Quote(aid, ENTITIES[key].entity_id if key else None, speaker, text,
                            offset + 1, offset + 1 + len(text)))
        parts.append(sentence)
        offset += len(sentence) + 1
    body = " ".join(parts)
    url = f"https://english.news.cn/2025/{spec.n}/c.html"
    article = Article(
        article_id=aid, canonical_url=url, url=url, source_name=spec.source,
        title=f"Report {spec.n}", published_at=spec.published_at, dateline_place="BEIJING",
        editor="huaxia", photo_credits=(), body=body, word_count=len(body.split()),
        language="en", content_hash=f"hash-{spec.n}-{len(body)}", text_fixes=spec.fixes,
        entities_model=EN_MODEL, authors=spec.authors, is_free=spec.is_free)
    item = FeedItem(feed_name=spec.feed, url=url, canonical_url=url, article_id=aid,
                    guid=url, title=article.title, published_at=spec.published_at)
    entities = tuple({ENTITIES[k].entity_id: ENTITIES[k] for k in spec.mentions}.values())
    return article, item, Enrichment(aid, entities, tuple(mentions), tuple(quotes))


def page_fetch(url: str, at: datetime, *, status: int | None = 200, error: str | None = None,
               feed: str = "xinhua-world", kind: str = "page") -> FetchResult:
    return FetchResult(url=url, kind=kind, fetched_at=at, http_status=status,
                       content_type="text/html" if status == 200 else None,
                       content_sha256="0" * 64 if status == 200 else None, error=error,
                       feed_name=feed)


def load_specs(db: Path, specs: Sequence[Spec], *, seen_at: datetime, run_id: str,
               extra_fetches: Sequence[FetchResult] = ()) -> None:
    records = [build_records(s) for s in specs]
    fetches = [page_fetch(a.url, seen_at, feed=i.feed_name) for a, i, _ in records]
    with open_writer(db) as con:
        load_batch(con, run_id=run_id, seen_at=seen_at, fetches=[*fetches, *extra_fetches],
                   articles=[a for a, _, _ in records], feed_items=[i for _, i, _ in records],
                   enrichments=[e for _, _, e in records])
        assign_stories(con, STORIES)
        failed = sum(1 for f in extra_fetches if not f.succeeded and f.kind == "page")
        record_run(con, EtlRun(run_id, "ingest", seen_at, seen_at + timedelta(minutes=1),
                               "partial" if failed else "success", feeds_ok=2,
                               articles_new=len(records), pages_failed=failed))


def load_fixture(db: Path, *, failures_at: datetime) -> None:
    """The hand-made warehouse: SPECS, plus a failed feed and two failed pages at
    `failures_at` (the cookbook asks about the last 24 hours, so it passes a recent time)."""
    dated = [s for s in SPECS if s.published_at is not None]
    undated = [s for s in SPECS if s.published_at is None]
    load_specs(db, undated, seen_at=NO_DATE_SEEN_AT, run_id="run-1")
    failures = [
        page_fetch("https://english.news.cn/broken/1.html", failures_at, status=404,
                   error="HTTP 404"),
        page_fetch("https://english.news.cn/broken/2.html", failures_at, status=None,
                   error="timeout after 30 s", feed="xinhua-china"),
        page_fetch("https://english.news.cn/rss/broken.xml", failures_at, status=500,
                   error="HTTP 500", kind="feed"),
        page_fetch("https://english.news.cn/rss/worldrss.xml", failures_at, status=304,
                   kind="feed"),
    ]
    load_specs(db, dated, seen_at=LOADED_AT, run_id="run-2", extra_fetches=failures)


# --- the story, run once ------------------------------------------------------------------

MARTS = {
    "daily_articles": ["day", "source_name", "articles"],
    "entity_daily": ["day", "entity_id", "name", "type", "mentions", "articles"],
    "top_entities_7d": ["entity_id", "name", "type", "mentions", "articles", "rank"],
    "entity_pairs": ["entity_a", "entity_b", "articles"],
    "quotes_by_speaker": ["speaker_entity_id", "speaker", "quotes", "articles",
                          "last_quoted_at"],
    "data_quality": ["day", "articles", "text_fixes", "pages_failed"],
    # What the report reads (warehouse/report_data.py), keyed by day so it can sum a window.
    "country_daily": ["day", "country_code", "country_name", "mentions", "articles"],
    "entity_pairs_daily": ["day", "entity_a", "entity_b", "articles"],
    "speaker_quotes": ["article_id", "start_char", "day", "speaker_entity_id", "speaker",
                       "quote"],
    "quotes_by_speaker_daily": ["day", "speaker_entity_id", "speaker", "quotes", "articles"],
    "feed_health_daily": ["day", "feed_name", "requests", "ok", "not_modified", "failed",
                          "last_error", "items", "pages_failed", "problems"],
    "failed_requests": ["fetched_at", "day", "kind", "feed_name", "url", "http_status",
                        "error"],
    "etl_runs": ["run_id", "started_at", "status", "pages_failed"],
    "stories": ["story_id", "headline", "first_published_at", "last_published_at", "articles",
                "feeds", "sources"],
}
BOOKKEEPING = {"built_at"}  # per-row build time: changes when a row's content does
STEP3_LOADED_AT = datetime(2025, 3, 11, 9, 0, tzinfo=UTC)
FAILURES_AT = datetime(2025, 3, 10, 11, 0, tzinfo=UTC)


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table and view of schemas marts and staging, sorted, without bookkeeping
    columns."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        relations = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema IN ('marts', 'staging') ORDER BY 1, 2").fetchall()
        for schema, name in relations:
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ?"
                " AND table_name = ? ORDER BY ordinal_position", [schema, name]).fetchall()
                    if c not in BOOKKEEPING]
            rows = con.execute(f'SELECT {", ".join(cols)} FROM "{schema}"."{name}"').fetchall()
            out[f"{schema}.{name}"] = sorted(rows, key=repr)
    return out


def query(db: Path, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@dataclass
class Story:
    db: Path
    data_dir: Path
    first: object = None
    first_stdout: str = ""
    snap1: dict = field(default_factory=dict)
    built1: dict = field(default_factory=dict)
    flow_code: int | None = None
    snap2: dict = field(default_factory=dict)
    built2: dict = field(default_factory=dict)
    third: object = None
    snap3: dict = field(default_factory=dict)
    expected3: dict = field(default_factory=dict)
    built3: dict = field(default_factory=dict)
    broken_error: Exception | None = None
    snap4: dict = field(default_factory=dict)
    cli_code: int | None = None
    cli_stderr: str = ""


def recompute(db: Path) -> dict[str, list[tuple]]:
    """entity_daily and entity_pairs straight from the core tables."""
    day = "cast(timezone('UTC', coalesce(a.published_at, a.first_seen_at)) as date)"
    return {
        "entity_daily": sorted(query(db, f"""
            SELECT {day} AS day, m.entity_id, count(*), count(DISTINCT m.article_id)
            FROM core.fact_entity_mention m JOIN core.fact_article a USING (article_id)
            GROUP BY ALL""")),
        "entity_pairs": sorted(query(db, """
            WITH ae AS (SELECT DISTINCT article_id, entity_id FROM core.fact_entity_mention)
            SELECT a.entity_id, b.entity_id, count(*) FROM ae a JOIN ae b
              ON a.article_id = b.article_id AND a.entity_id < b.entity_id GROUP BY ALL""")),
    }


def built_at_by_day(db: Path) -> dict[date, set[datetime]]:
    out: dict[date, set[datetime]] = {}
    for day, built in query(db, "SELECT DISTINCT day, built_at FROM marts.entity_daily"):
        out.setdefault(day, set()).add(built)
    return out


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Story:
    from flows.models import artifacts_dir, run_models
    from flows.settings import resolve_settings
    from warehouse.models_runner import ModelsBuildError, build_models

    root = tmp_path_factory.mktemp("models")
    s = Story(db=root / "w.duckdb", data_dir=root / "data")
    settings = resolve_settings(db=s.db, data_dir=s.data_dir, env={})
    artifacts = artifacts_dir(settings)  # shared by every build: dbt's partial parse cache
    load_fixture(s.db, failures_at=FAILURES_AT)

    # 1. First build, directly; dbt must print nothing.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        s.first = build_models(s.db, artifacts_dir=artifacts)
    s.first_stdout = out.getvalue()
    s.snap1, s.built1 = snapshot(s.db), built_at_by_day(s.db)

    # 2. Nothing changed; through the flow, as `newswire models` runs it.
    s.flow_code = run_models(settings)
    s.snap2, s.built2 = snapshot(s.db), built_at_by_day(s.db)

    # 3. A new day (Mar 11), and article 3 moves from Mar 2 (its only article) to Mar 5.
    load_specs(s.db, [Spec(14, _at(11), ["xi", "guterres", "china"],
                           [("xi", "Xi Jinping", "A new day.")])],
               seen_at=STEP3_LOADED_AT, run_id="run-3")
    moved, _, _ = build_records(SPECS[2])
    with open_writer(s.db) as con:
        load_batch(con, run_id="run-3b", seen_at=STEP3_LOADED_AT,
                   articles=[replace(moved, published_at=_at(5, 12))])
    s.third = build_models(s.db, artifacts_dir=artifacts)
    s.snap3, s.built3 = snapshot(s.db), built_at_by_day(s.db)
    s.expected3 = recompute(s.db)

    # 4. A mention of an entity that is not in dim_entity, and a story the loaders miscounted.
    orphan = EntityMention(article_id(1), "ent-nobody", "Nobody", 0, 7)
    with open_writer(s.db) as con:
        load_batch(con, run_id="run-4", seen_at=STEP3_LOADED_AT, enrichments=[
            Enrichment(article_id(1), (), (*build_records(SPECS[0])[2].mentions, orphan),
                       build_records(SPECS[0])[2].quotes)])
        con.execute("UPDATE core.dim_story SET articles = 4 WHERE story_id = 'art0005'")
    try:
        build_models(s.db, artifacts_dir=artifacts)
    except ModelsBuildError as exc:
        s.broken_error = exc
    s.snap4 = snapshot(s.db)
    err = io.StringIO()
    s.cli_code = run_models(settings, err=err)
    s.cli_stderr = err.getvalue()
    return s


# --- what the story must show ---------------------------------------------------------------

def test_every_contract_mart_exists_with_its_columns(story: Story) -> None:
    rows = query(story.db, "SELECT table_name, column_name, data_type, table_schema"
                           " FROM information_schema.columns WHERE table_schema = 'marts'")
    columns: dict[str, dict[str, str]] = {}
    for table, column, data_type, _ in rows:
        columns.setdefault(table, {})[column] = data_type
    for mart, wanted in MARTS.items():
        assert mart in columns, f"marts.{mart} missing"
        assert set(wanted) <= set(columns[mart]), (mart, sorted(columns[mart]))
    assert columns["entity_daily"]["day"] == "DATE"
    assert columns["entity_daily"]["mentions"] == "BIGINT"
    assert columns["quotes_by_speaker"]["last_quoted_at"] == "TIMESTAMP WITH TIME ZONE"
    # The schema is exactly `marts` (and `staging`), never dbt's `main_marts`.
    schemas = {r[0] for r in query(story.db, "SELECT DISTINCT table_schema"
                                             " FROM information_schema.tables")}
    assert {"marts", "staging"} <= schemas and not any(s.startswith("main_") for s in schemas)
    kinds = dict(query(story.db, "SELECT table_schema || '.' || table_name, table_type"
                                 " FROM information_schema.tables"
                                 " WHERE table_schema IN ('marts', 'staging')"))
    assert all(kind == "BASE TABLE" for name, kind in kinds.items() if name.startswith("marts."))
    assert all(kind == "VIEW" for name, kind in kinds.items() if name.startswith("staging."))


def test_the_first_build_builds_everything_and_its_tests_pass(story: Story) -> None:
    result = story.first
    assert result.ok and not result.tests_failed
    assert {f"marts.{m}" for m in MARTS} <= set(result.models_built)
    assert len(result.tests_passed) >= 30
    names = " ".join(result.tests_passed)
    for kind in ("relationships_stg_entity_mentions_entity_id", "unique_stg_articles_article_id",
                 "accepted_values_stg_entities_type", "unique_combination_of_columns_entity_daily"):
        assert kind in names
    assert story.first_stdout == ""  # quiet: dbt's chatter goes to its log file
    assert result.log_path.is_file() and result.log_path.stat().st_size > 0
    assert not result.log_path.is_relative_to(Path(__file__).resolve().parents[1])


def test_views_do_not_name_the_database_file(story: Story) -> None:
    # DuckDB names the catalog after the file: a view saying "w"."core"... would break once
    # the warehouse is copied or renamed.
    for (sql,) in query(story.db, "SELECT sql FROM duckdb_views() WHERE schema_name = 'staging'"):
        assert '"w".' not in sql and " w.core" not in sql, sql


def test_day_is_the_utc_date_of_published_at_else_first_seen_at(story: Story) -> None:
    # Article 7 is Mar 6 in Beijing, Mar 5 in UTC; article 11 has no date: first seen Mar 9.
    first = {(r[0], r[1]): r[2] for r in story.snap1["marts.daily_articles"]}
    assert first[(date(2025, 3, 5), "Xinhua")] == 1
    assert first[(date(2025, 3, 9), "Xinhua")] == 1
    assert first[(date(2025, 3, 4), "China Daily")] == 1
    assert sum(first.values()) == len(SPECS)


def test_marts_agree_with_the_core_tables(story: Story) -> None:
    """entity_daily (after the incremental step 3) and entity_pairs, recomputed from core.*."""
    got_daily = sorted((r[0], r[1], r[4], r[5]) for r in story.snap3["marts.entity_daily"])
    assert got_daily == story.expected3["entity_daily"]
    assert sorted(story.snap3["marts.entity_pairs"]) == story.expected3["entity_pairs"]
    quotes = {r[1]: (r[3], r[4]) for r in story.snap3["marts.quotes_by_speaker"]}
    # Xi is quoted in articles 1, 2, 9, 12 and 14 (step 3); Guterres in 3, 8, 9 and 13.
    assert quotes["Xi Jinping"] == (5, 5)
    assert quotes["Antonio Guterres"] == (4, 4)
    assert quotes["A spokesperson"] == (1, 1)
    assert None not in quotes  # a quote without any speaker is not counted


def test_top_entities_7d_ranks_the_latest_week_of_data(story: Story) -> None:
    rows = story.snap1["marts.top_entities_7d"]
    cols = ["entity_id", "name", "type", "mentions", "articles", "rank", "type_rank",
            "window_start", "window_end"]
    top = sorted((dict(zip(cols, r, strict=True)) for r in rows), key=lambda r: r["rank"])
    assert {r["window_end"] for r in top} == {date(2025, 3, 10)}
    assert {r["window_start"] for r in top} == {date(2025, 3, 4)}
    assert [r["rank"] for r in top] == list(range(1, len(top) + 1))
    # Mar 4..10: China in articles 5, 7, 9, 10, 11, 12 -> 6 mentions, ranked first.
    assert (top[0]["name"], top[0]["mentions"], top[0]["articles"]) == ("China", 6, 6)
    person = next(r for r in top if r["type"] == "PERSON" and r["type_rank"] == 1)
    assert person["name"] == "Xi Jinping"  # articles 5, 7, 9, 10, 12


def test_data_quality_counts_fixes_and_failures(story: Story) -> None:
    with duckdb.connect(str(story.db), read_only=True) as con:
        cur = con.execute("SELECT * FROM marts.data_quality WHERE day = DATE '2025-03-10'")
        names = [d[0] for d in cur.description]
        row = dict(zip(names, cur.fetchone(), strict=True))
        total = con.execute("SELECT sum(articles), sum(fix_mojibake), sum(fix_caption),"
                            " sum(articles_without_published_at), sum(fix_byline),"
                            " sum(fix_other) FROM marts.data_quality").fetchone()
    assert row["pages_failed"] == 2 and row["feeds_failed"] == 1
    assert row["feeds_not_modified"] == 1 and row["feeds_fetched"] == 2
    assert row["pages_fetched"] == 12 + 2  # the 12 dated articles' pages, 2 failed pages
    assert row["articles"] == 2 and row["fix_end_mark"] == 2
    assert total == (len(SPECS) + 1, 1, 1, 1, 1, 0)


def test_staged_articles_carry_authors_and_is_free(story: Story) -> None:
    rows = query(story.db, "SELECT article_id, authors, is_free FROM staging.stg_articles"
                           " WHERE len(authors) > 0 OR is_free IS NOT NULL")
    assert rows == [(article_id(8), ["Liu Fang", "Chen Bo"], False)]
    assert query(story.db, "SELECT count(*) FROM staging.stg_articles WHERE authors IS NULL"
                           " OR is_free IS NOT NULL") == [(1,)]


def test_stories_recount_articles_feeds_and_sources(story: Story) -> None:
    cols = ["story_id", "headline", "first_published_at", "last_published_at", "first_day",
            "last_day", "articles", "feeds", "sources"]
    rows = {r[0]: dict(zip(cols, r, strict=True)) for r in story.snap1["marts.stories"]}
    assert len(rows) == len(SPECS) - 3 and sum(r["articles"] for r in rows.values()) == 13
    pair, trio, undated = rows["art0001"], rows["art0005"], rows["art0011"]
    assert (pair["headline"], pair["articles"], pair["feeds"], pair["sources"]) == (
        "Report 1", 2, 2, 1)
    assert (pair["first_published_at"], pair["last_published_at"]) == (_at(1), _at(1, 15))
    assert (trio["articles"], trio["feeds"], trio["sources"]) == (3, 1, 2)
    assert (trio["first_day"], trio["last_day"]) == (date(2025, 3, 4), date(2025, 3, 5))
    assert trio["last_published_at"] == datetime(2025, 3, 5, 17, 0, tzinfo=UTC)
    assert undated["first_published_at"] is None and undated["first_day"] == date(2025, 3, 9)
    assert "agrees_with_stories_articles" in " ".join(story.first.tests_passed)
    staged = query(story.db, "SELECT article_id FROM staging.stg_articles"
                             " WHERE story_id = 'art0005' ORDER BY 1")
    assert staged == [("art0005",), ("art0006",), ("art0007",)]


def test_a_second_build_changes_nothing(story: Story) -> None:
    assert story.flow_code == 0
    assert story.snap2.keys() == story.snap1.keys()
    for name in story.snap1:
        assert len(story.snap2[name]) == len(story.snap1[name]), name
        assert story.snap2[name] == story.snap1[name], name
    # The lookback days were recomputed to the same content, so even built_at stayed.
    assert story.built2 == story.built1


def test_entity_daily_is_incremental_by_day(story: Story) -> None:
    first, second, third = story.built1, story.built2, story.built3
    (built_at_3,) = {b for bs in third.values() for b in bs} - {
        b for bs in (*first.values(), *second.values()) for b in bs}
    # History, and lookback days that came out the same (Mar 9-10), keep their build time.
    for day in (1, 3, 4, 6, 7, 8, 9, 10):
        assert third[date(2025, 3, day)] == first[date(2025, 3, day)], day
    # The new day is built now; on the day the moved article went to, its entities' rows.
    assert third[date(2025, 3, 11)] == {built_at_3}
    assert built_at_3 in third[date(2025, 3, 5)] and len(third[date(2025, 3, 5)]) == 2
    # Mar 2 lost its only article: its rows are gone.
    assert date(2025, 3, 2) not in third and date(2025, 3, 2) in first
    result = story.third
    assert result.ok and "marts.entity_daily" in result.models_built


def test_a_broken_row_fails_the_build_naming_the_test(story: Story) -> None:
    from warehouse.models_runner import ModelsBuildError

    error = story.broken_error
    assert isinstance(error, ModelsBuildError)
    message = str(error)
    assert "relationships_stg_entity_mentions_entity_id__entity_id__ref_stg_entities_" in message
    assert "staging.stg_entity_mentions" in message and "1 failing row" in message
    failed = error.failed_tests
    assert sorted(t.model for t in failed) == ["marts.stories", "staging.stg_entity_mentions"]
    # marts.stories recounts 3 articles where the loaders' core.dim_story says 4.
    assert re.search(r"agrees_with_stories_articles\S* on marts\.stories: 1 failing row",
                     message)
    # The marts that depend on the bad data were not rebuilt: they still hold step 3's rows.
    assert "marts.entity_daily" in error.result.models_skipped
    assert story.snap4["marts.entity_daily"] == story.snap3["marts.entity_daily"]
    # And the CLI entry point says the same on stderr, with exit code 1.
    assert story.cli_code == 1
    assert re.search(r"relationships_stg_entity_mentions_entity_id\S* on "
                     r"staging\.stg_entity_mentions: 1 failing row", story.cli_stderr)


def test_the_build_waits_for_the_writer_lock(tmp_path: Path) -> None:
    from warehouse.models_runner import build_models

    db = tmp_path / "w.duckdb"
    waits: list[str] = []
    with writer_lock(db), pytest.raises(LockTimeout):
        build_models(db, lock_timeout_s=0.3, on_wait=waits.append)
    assert waits and "lock" in waits[0]
