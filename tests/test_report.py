"""`newswire report` on a real warehouse: records loaded with warehouse.loaders.load_batch,
marts built by the dbt project (warehouse.models_runner), read by warehouse/report_data.py,
written by flows/report.py.

`build_small_warehouse` is also used by test_status.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from flows.report import run_report, vega_javascript, write_report
from flows.settings import Settings, resolve_settings
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
from transforms.report.markup import NO_DATA
from warehouse.connection import open_reader, open_writer
from warehouse.loaders import load_batch, record_run
from warehouse.report_data import read_feed_health, read_feed_health_mart, read_report

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 1, 13, 12, 0, tzinfo=UTC)
RUN1 = datetime(2025, 1, 12, 10, 0, tzinfo=UTC)
RUN2 = datetime(2025, 1, 13, 10, 0, tzinfo=UTC)
HOSTILE_TITLE = "<script>alert(1)</script> Talks & more"
HOSTILE_SPEAKER = "<b>a spokesperson</b>"

ENTITIES = {
    "xi": Entity("ent-xi", "Xi Jinping", "PERSON"),
    "li": Entity("ent-li", "Li Qiang", "PERSON"),
    "un": Entity("ent-un", "United Nations", "ORG"),
    "china": Entity("ent-cn-gpe", "China", "GPE", "CN"),
    "chinese": Entity("ent-cn-norp", "Chinese", "NORP", "CN"),
    "kz": Entity("ent-kz-gpe", "Kazakhstan", "GPE", "KZ"),
    "kazakh": Entity("ent-kz-norp", "Kazakh", "NORP", "KZ"),
    "astana": Entity("ent-astana", "Astana", "GPE", None, "KZ"),
}

# article: (published_at, feeds, title, mentions, quotes [(entity key or None, speaker, text)],
#           text fixes)
ARTICLES = {
    "a1": (datetime(2025, 1, 10, 8, tzinfo=UTC), ["xinhua-world"], "Xi meets UN chief",
           ["xi", "xi", "china", "chinese", "un"],
           [("xi", "Xi Jinping", "China is ready to work with the United Nations")],
           ("end_mark",)),
    "a2": (datetime(2025, 1, 11, 8, tzinfo=UTC), ["xinhua-world", "xinhua-china"],
           "Li visits Kazakhstan", ["xi", "li", "china", "kz", "kazakh"],
           [("li", "Li Qiang", "the two sides should deepen cooperation"),
            (None, HOSTILE_SPEAKER, "the visit was a success for both countries")],
           ("mojibake", "end_mark")),
    "a3": (datetime(2025, 1, 12, 8, tzinfo=UTC), ["xinhua-china"], HOSTILE_TITLE,
           ["li", "un", "un", "astana"],
           [("xi", "Xi Jinping", "multilateralism is the right path for the world")], ()),
    # No publication time: its day is the day it was first seen (RUN1: 2025-01-12).
    "a4": (None, ["xinhua-world"], "Undated item", ["china"], [], ()),
    # Outside a 7-day window.
    "a5": (datetime(2024, 6, 1, 8, tzinfo=UTC), ["xinhua-world"], "Old story",
           ["xi", "xi", "xi", "xi", "xi"],
           [("xi", "Xi Jinping", "an old statement from last summer")], ()),
}


def _records() -> tuple[list[Article], list[FeedItem], list[Enrichment], list[FetchResult]]:
    articles, items, enrichments, fetches = [], [], [], []
    for aid, (published, feeds, title, mentions, quotes, fixes) in ARTICLES.items():
        url = f"https://english.news.cn/{aid}/c.html"
        words = [ENTITIES[key].name for key in mentions] + [q[2] for q in quotes]
        body = ". ".join(words) + "."
        articles.append(Article(aid, url, url, "Xinhua", title, published, "BEIJING", "huaxia",
                                (), body, len(body.split()), "en", f"h-{aid}", fixes,
                                entities_model="en_core_web_sm-3.8.0"))
        items += [FeedItem(feed, url, url, aid, f"{feed}-{aid}", title, published)
                  for feed in feeds]
        found, cursor, ments, quos = {}, 0, [], []
        for key in mentions:
            entity = ENTITIES[key]
            found[entity.entity_id] = entity
            ments.append(EntityMention(aid, entity.entity_id, entity.name, cursor,
                                       cursor + len(entity.name)))
            cursor += len(entity.name) + 2
        for key, speaker, text in quotes:
            eid = ENTITIES[key].entity_id if key else None
            if key:
                found[eid] = ENTITIES[key]
            quos.append(Quote(aid, eid, speaker, text, cursor, cursor + len(text)))
            cursor += len(text) + 2
        enrichments.append(Enrichment(aid, tuple(found.values()), tuple(ments), tuple(quos)))
        fetches.append(FetchResult(url, "page", RUN1, 200, content_sha256=f"s-{aid}",
                                   feed_name=feeds[0], item_published_at=published))
    fetches += [
        FetchResult("https://english.news.cn/rss/worldrss.xml", "feed", RUN1, 200,
                    content_sha256="fw", feed_name="xinhua-world", etag='"w1"'),
        FetchResult("https://english.news.cn/rss/chinarss.xml", "feed", RUN1, 200,
                    content_sha256="fc", feed_name="xinhua-china"),
        FetchResult("https://english.news.cn/missing/c.html", "page", RUN1, 404,
                    error="HTTP 404 Not Found", feed_name="xinhua-china"),
    ]
    return articles, items, enrichments, fetches


def build_small_warehouse(db: Path) -> None:
    """Two runs: RUN1 loads five articles (one page 404s), RUN2 gets a 304 and a timeout."""
    articles, items, enrichments, fetches = _records()
    with open_writer(db) as con:
        record_run(con, EtlRun("run-1", "ingest", RUN1, None, "running"))
        load_batch(con, run_id="run-1", seen_at=RUN1, fetches=fetches, articles=articles,
                   feed_items=items, enrichments=enrichments)
        record_run(con, EtlRun("run-1", "ingest", RUN1, RUN1 + timedelta(seconds=42), "partial",
                               feeds_ok=2, articles_new=5, pages_failed=1))
        record_run(con, EtlRun("run-2", "ingest", RUN2, None, "running"))
        load_batch(con, run_id="run-2", seen_at=RUN2, fetches=[
            FetchResult("https://english.news.cn/rss/worldrss.xml", "feed", RUN2, 304,
                        feed_name="xinhua-world"),
            FetchResult("https://english.news.cn/rss/chinarss.xml", "feed", RUN2, None,
                        error="timeout: read timed out after 30 s", feed_name="xinhua-china"),
            FetchResult("https://english.news.cn/robots.txt", "robots", RUN2, 404,
                        error="HTTP 404"),  # no robots.txt: not a failure worth listing
            FetchResult("https://english.news.cn/sitemap.xml", "sitemap", RUN2, 200,
                        content_sha256="sm"),
        ])
        record_run(con, EtlRun("run-2", "ingest", RUN2, RUN2 + timedelta(seconds=3), "partial",
                               feeds_ok=1, feeds_failed=1))


def _settings(tmp: Path, db: Path) -> Settings:
    return resolve_settings(db=db, feeds=tmp / "feeds.toml", data_dir=tmp / "data", env={})


@pytest.fixture(scope="module")
def modelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small warehouse with its marts built by the dbt project."""
    from warehouse.models_runner import build_models

    db = tmp_path_factory.mktemp("report-warehouse") / "w.duckdb"
    build_small_warehouse(db)
    build_models(db)
    return db


@pytest.fixture(scope="module")
def data(modelled: Path):
    with open_reader(modelled) as con:
        return read_report(con, days=7, now=NOW)


def test_the_windows_end_on_the_newest_article_day_and_on_now(data) -> None:
    w = data.window
    assert (w.start, w.end, w.newest_article_day) == (date(2025, 1, 6), date(2025, 1, 12),
                                                      date(2025, 1, 12))
    # Requests and runs: the 7 UTC days ending on now's day, as the marts count them.
    assert (w.ops_start, w.ops_end) == (datetime(2025, 1, 7, tzinfo=UTC), NOW)
    assert data.missing_marts == ()
    assert data.articles == 4  # a5 is older than the window


def test_volume_per_feed_and_day(data) -> None:
    got = {(v.day.isoformat(), v.feed_name): v.articles for v in data.feed_volume}
    assert got == {("2025-01-10", "xinhua-world"): 1, ("2025-01-11", "xinhua-world"): 1,
                   ("2025-01-11", "xinhua-china"): 1, ("2025-01-12", "xinhua-china"): 1,
                   ("2025-01-12", "xinhua-world"): 1}


def test_top_entities_count_only_the_window(data) -> None:
    assert [(e.name, e.mentions, e.articles) for e in data.people] == [
        ("Xi Jinping", 3, 2), ("Li Qiang", 2, 2)]
    assert [(e.name, e.mentions, e.articles) for e in data.organisations] == [
        ("United Nations", 3, 2)]


def test_countries_join_names_and_demonyms_and_count_articles_once(data) -> None:
    assert [(c.country_code, c.name, c.mentions, c.articles) for c in data.countries] == [
        ("CN", "China", 4, 3), ("KZ", "Kazakhstan", 2, 1)]  # Astana is no KZ mention


def test_co_mentions_among_the_top_entities(data) -> None:
    names = {e.entity_id: e.name for e in data.co_entities}
    pairs = {frozenset((names[p.entity_a], names[p.entity_b])): p.articles
             for p in data.co_mentions}
    assert pairs[frozenset(("Xi Jinping", "China"))] == 2
    assert pairs[frozenset(("Li Qiang", "United Nations"))] == 1
    assert frozenset(("Xi Jinping", "Astana")) not in pairs
    assert all(p.entity_a < p.entity_b for p in data.co_mentions)


def test_speakers_with_window_counts_all_time_counts_and_samples(data) -> None:
    by_name = {s.speaker: s for s in data.speakers}
    xi = by_name["Xi Jinping"]
    assert (xi.quotes, xi.articles, xi.quotes_all_time) == (2, 2, 3)
    assert {q.quote for q in xi.samples} == {
        "China is ready to work with the United Nations",
        "multilateralism is the right path for the world"}
    assert by_name[HOSTILE_SPEAKER].speaker_entity_id is None
    assert data.speakers[0].speaker == "Xi Jinping"


def test_data_quality_and_requests(data) -> None:
    fixes = {d.day.isoformat(): dict(d.fixes) for d in data.text_fixes}
    assert fixes["2025-01-10"]["end_mark"] == 1
    assert fixes["2025-01-11"]["mojibake"] == 1
    requests = {r.day.isoformat(): r for r in data.requests}
    assert requests["2025-01-12"].pages_failed == 1
    assert requests["2025-01-13"].feeds_not_modified == 1
    assert requests["2025-01-13"].feeds_failed == 1
    assert requests["2025-01-13"].sitemaps_fetched == 1
    assert data.failed_fetches_total == 2  # not the robots.txt 404
    assert [f.kind for f in data.failed_fetches] == ["feed", "page"]  # newest first


def test_feed_health_from_the_mart(data) -> None:
    feeds = {f.feed_name: f for f in data.feeds}
    world, china = feeds["xinhua-world"], feeds["xinhua-china"]
    assert (world.requests, world.ok, world.not_modified, world.failed) == (2, 1, 1, 0)
    assert world.not_modified_rate == 0.5 and world.last_success_at == RUN2
    assert china.last_success_at == RUN1 and china.last_error_at == RUN2
    assert china.last_error.startswith("timeout") and china.pages_failed == 1
    assert (world.items_all_time, china.items_all_time) == (4, 2)
    assert [r.run_id for r in data.runs] == ["run-2", "run-1"]


# --- the report is the marts, read: every number equals what the marts hold -------------------


def _mart(con, name: str, where: str = "", params: dict | None = None) -> list[dict]:
    cursor = con.execute(f"SELECT * FROM marts.{name} {where}", params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _sum_by(rows: list[dict], key, *values: str) -> dict:
    out: dict = {}
    for r in rows:
        k = key(r)
        acc = out.setdefault(k, dict.fromkeys(values, 0))
        for v in values:
            acc[v] += r[v]
    return out


def _marts_only_copy(src: Path, dst: Path) -> None:
    """A warehouse file holding the schema marts of `src` and nothing else."""
    import duckdb

    with duckdb.connect(str(dst)) as con:
        con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
        con.execute("CREATE SCHEMA marts")
        names = con.execute("SELECT table_name FROM information_schema.tables"
                            " WHERE table_catalog = 'src' AND table_schema = 'marts'").fetchall()
        for (name,) in names:
            con.execute(f'CREATE TABLE marts."{name}" AS SELECT * FROM src.marts."{name}"')


def test_the_report_reads_nothing_but_the_marts(data, modelled: Path, tmp_path: Path) -> None:
    only_marts = tmp_path / "marts-only.duckdb"
    _marts_only_copy(modelled, only_marts)
    with open_reader(only_marts) as con:
        assert read_report(con, days=7, now=NOW) == data


def test_the_reports_numbers_are_the_marts_numbers(data, modelled: Path) -> None:
    w = data.window
    days = {"start": w.start, "end": w.end}
    ops = {"start": w.ops_start.date(), "end": w.ops_end.date()}
    in_days = "WHERE day BETWEEN $start AND $end"
    with open_reader(modelled) as con:
        daily_articles = _mart(con, "daily_articles", in_days, days)
        feed_articles = _mart(con, "daily_feed_articles", in_days, days)
        entity_daily = _mart(con, "entity_daily", in_days, days)
        country_daily = _mart(con, "country_daily", in_days, days)
        pairs_daily = _mart(con, "entity_pairs_daily", in_days, days)
        speaker_daily = _mart(con, "quotes_by_speaker_daily", in_days, days)
        speaker_all = _mart(con, "quotes_by_speaker")
        speaker_quotes = _mart(con, "speaker_quotes", in_days, days)
        quality = _mart(con, "data_quality")
        failed = _mart(con, "failed_requests", in_days, ops)
        feed_health = _mart(con, "feed_health_daily")
        runs = _mart(con, "etl_runs")

    # Totals and volume.
    assert data.articles == sum(r["articles"] for r in daily_articles) == 4
    assert {(v.day, v.feed_name): v.articles for v in data.feed_volume} == {
        (r["day"], r["feed_name"]): r["articles"] for r in feed_articles}

    # Top entities: entity_daily summed over the window.
    entities = _sum_by(entity_daily, lambda r: (r["entity_id"], r["name"], r["type"]),
                       "mentions", "articles")
    for shown, etype in ((data.people, "PERSON"), (data.organisations, "ORG")):
        expected = sorted(((k, v) for k, v in entities.items() if k[2] == etype),
                          key=lambda kv: (-kv[1]["mentions"], -kv[1]["articles"], kv[0][1]))
        assert [(e.entity_id, e.name, e.mentions, e.articles) for e in shown] == [
            (k[0], k[1], v["mentions"], v["articles"]) for k, v in expected]

    # Countries: country_daily summed over the window.
    countries = _sum_by(country_daily, lambda r: (r["country_code"], r["country_name"]),
                        "mentions", "articles")
    assert {(c.country_code, c.name, c.mentions, c.articles) for c in data.countries} == {
        (code, name, v["mentions"], v["articles"]) for (code, name), v in countries.items()}

    # Co-mentions: entity_pairs_daily summed over the window, among the entities shown.
    shown_ids = {e.entity_id for e in data.co_entities}
    pairs = _sum_by([r for r in pairs_daily if {r["entity_a"], r["entity_b"]} <= shown_ids],
                    lambda r: (r["entity_a"], r["entity_b"]), "articles")
    assert {(p.entity_a, p.entity_b): p.articles for p in data.co_mentions} == {
        k: v["articles"] for k, v in pairs.items()}
    assert data.co_mentions

    # Speakers: quotes_by_speaker_daily summed over the window, all time from
    # quotes_by_speaker, samples from speaker_quotes.
    speakers = _sum_by(speaker_daily, lambda r: (r["speaker_entity_id"], r["speaker"]),
                       "quotes", "articles")
    all_time = {(r["speaker_entity_id"], r["speaker"]): r["quotes"] for r in speaker_all}
    assert {(s.speaker_entity_id, s.speaker): (s.quotes, s.articles, s.quotes_all_time)
            for s in data.speakers} == {
        k: (v["quotes"], v["articles"], all_time[k]) for k, v in speakers.items()}
    quotes = {(r["speaker_entity_id"], r["speaker"], r["quote"]) for r in speaker_quotes}
    samples = {(s.speaker_entity_id, s.speaker, q.quote) for s in data.speakers
               for q in s.samples}
    assert samples == quotes  # two samples per speaker at most; none has more here

    # Data quality: the mart's days, as they are.
    by_day = {r["day"]: r for r in quality}
    for d in data.text_fixes:
        row = by_day[d.day]
        assert (d.articles, d.articles_with_fixes) == (row["articles"],
                                                       row["articles_with_fixes"])
        assert dict(d.fixes) == {k.removeprefix("fix_"): v for k, v in row.items()
                                 if k.startswith("fix_")}
    assert [d.day for d in data.text_fixes] == sorted(
        day for day, r in by_day.items() if w.start <= day <= w.end and r["articles"])
    request_columns = ("pages_fetched", "pages_failed", "feeds_fetched", "feeds_failed",
                       "feeds_not_modified", "runs", "runs_partial", "runs_failed",
                       "sitemaps_fetched", "sitemaps_failed")
    assert [(r.day, *(getattr(r, c) for c in request_columns)) for r in data.requests] == [
        (day, *(row[c] for c in request_columns)) for day, row in sorted(by_day.items())
        if ops["start"] <= day <= ops["end"]
        and row["pages_fetched"] + row["feeds_fetched"] + row["sitemaps_fetched"] + row["runs"]]

    # Failed requests: the mart's rows of the window; and as many as data_quality counts.
    assert data.failed_fetches_total == len(failed) == sum(
        r.pages_failed + r.feeds_failed + r.sitemaps_failed for r in data.requests)
    assert [(f.fetched_at, f.url) for f in data.failed_fetches] == sorted(
        ((r["fetched_at"], r["url"]) for r in failed), reverse=True)

    # Feed health: feed_health_daily's counts summed over the window, its newest times.
    window_rows = [r for r in feed_health if ops["start"] <= r["day"] <= ops["end"]]
    counts = _sum_by(window_rows, lambda r: r["feed_name"], "requests", "ok", "not_modified",
                     "failed", "items", "pages_failed", "problems")
    for f in data.feeds:
        rows = [r for r in feed_health if r["feed_name"] == f.feed_name]
        c = counts[f.feed_name]
        assert (f.requests, f.ok, f.not_modified, f.failed, f.items, f.pages_failed,
                f.problems) == (c["requests"], c["ok"], c["not_modified"], c["failed"],
                                c["items"], c["pages_failed"], c["problems"])
        assert f.items_all_time == sum(r["items"] for r in rows)
        assert f.last_success_at == max((r["last_success_at"] for r in rows
                                         if r["last_success_at"]), default=None)
        assert f.last_error_at == max((r["last_error_at"] for r in rows
                                       if r["last_error_at"]), default=None)
    assert {f.feed_name for f in data.feeds} == {
        r["feed_name"] for r in feed_health if r["requests"]}

    # Runs: the mart's, newest first.
    assert [r.run_id for r in data.runs] == [
        r["run_id"] for r in sorted(runs, key=lambda r: r["started_at"], reverse=True)]
    assert data.marts_built_at is not None


def test_a_missing_mart_is_named_and_nothing_is_read(modelled: Path, tmp_path: Path) -> None:
    """A warehouse whose marts were built by an older newswire (one mart missing): the report
    names it and says to run `newswire models` first, and shows nothing half-read."""
    import duckdb

    older = tmp_path / "older.duckdb"
    _marts_only_copy(modelled, older)
    with duckdb.connect(str(older)) as con:
        con.execute("DROP TABLE marts.feed_health_daily")
    with open_reader(older) as con:
        stale = read_report(con, days=7, now=NOW)
    assert stale.missing_marts == ("feed_health_daily",)
    assert (stale.articles, stale.feed_volume, stale.feeds, stale.runs) == (0, (), (), ())
    from transforms.report.html import render_report

    document = render_report(stale, vega_js="")
    assert "marts.feed_health_daily not built yet: run `newswire models`" in document
    assert 'class="banner"' in document and 'class="chart"' not in document


# --- status and the feed-health mart: one rule for a failed request -------------------------

DAY1, DAY2, OLD = (datetime(2025, 1, 8, 9, tzinfo=UTC), datetime(2025, 1, 9, 9, tzinfo=UTC),
                   datetime(2024, 12, 20, 9, tzinfo=UTC))
WORLD, CHINA = ("https://english.news.cn/rss/worldrss.xml",
                "https://english.news.cn/rss/chinarss.xml")
NAMELESS = "https://other.test/rss"


def _odd_requests() -> list[FetchResult]:
    """Every kind of outcome the rule tells apart, over days in and out of the window."""
    minute = timedelta(minutes=1)
    return [
        FetchResult(WORLD, "feed", DAY1, 200, error="not a feed: <html>", feed_name="xinhua-world"),
        FetchResult(CHINA, "feed", DAY1, 204, feed_name="xinhua-china"),
        FetchResult(NAMELESS, "feed", DAY1, 301),  # no feed name: the URL is the feed
        FetchResult(NAMELESS, "feed", DAY1 + minute, 200,
                    problems=(FeedProblem("malformed", "unclosed tag at line 3"),)),
        FetchResult("https://english.news.cn/sitemap.xml", "sitemap", DAY1, 500),
        FetchResult("https://english.news.cn/gone/c.html", "page", DAY1, 503,
                    feed_name="xinhua-world"),
        FetchResult(WORLD, "feed", DAY2, 299, feed_name="xinhua-world"),
        FetchResult(WORLD, "feed", DAY2 + minute, 300, feed_name="xinhua-world"),
        FetchResult(CHINA, "feed", DAY2, 304, error="body unreadable", feed_name="xinhua-china"),
        FetchResult(CHINA, "feed", DAY2 + minute, 304, feed_name="xinhua-china",
                    problems=(FeedProblem("no_link", "1 item skipped, no link: item 2", 1),)),
        FetchResult(CHINA, "feed", DAY2 + 2 * minute, 199, feed_name="xinhua-china"),
        FetchResult(WORLD, "feed", OLD, 500, error="HTTP 500", feed_name="xinhua-world"),
        FetchResult(WORLD, "feed", OLD + minute, None, feed_name="xinhua-world"),
    ]


@pytest.fixture(scope="module")
def odd_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from warehouse.models_runner import build_models

    db = tmp_path_factory.mktemp("odd-warehouse") / "w.duckdb"
    build_small_warehouse(db)
    with open_writer(db) as con:
        load_batch(con, run_id="run-odd", seen_at=DAY2, fetches=_odd_requests())
    build_models(db)
    return db


@pytest.mark.parametrize(("first", "last"), [
    (date(2025, 1, 7), date(2025, 1, 13)),  # the report's window on NOW
    (date(2025, 1, 9), date(2025, 1, 9)),
    (date(2024, 1, 1), date(2025, 12, 31)),  # all time
])
def test_status_and_the_feed_health_mart_agree(odd_warehouse: Path, first: date,
                                               last: date) -> None:
    """`newswire status` reads raw.fetch_log (it must work before the models are built); the
    report reads marts.feed_health_daily. Over whole UTC days they must agree, field by
    field: one rule for what failed, what was not modified, what a feed's last error is."""
    since = datetime.combine(first, datetime.min.time(), UTC)
    until = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)
    with open_reader(odd_warehouse) as con:
        from_raw = read_feed_health(con, since, until)
        from_mart = read_feed_health_mart(con, first, last)
    assert from_raw == from_mart
    feeds = {f.feed_name: f for f in from_mart}
    assert set(feeds) == {"xinhua-world", "xinhua-china", NAMELESS}
    if first == date(2025, 1, 7):
        world, china, nameless = feeds["xinhua-world"], feeds["xinhua-china"], feeds[NAMELESS]
        assert (world.requests, world.ok, world.not_modified, world.failed) == (5, 2, 1, 2)
        assert world.last_error == "HTTP 300" and world.pages_failed == 1
        assert (china.requests, china.ok, china.not_modified, china.failed) == (6, 2, 1, 3)
        assert china.last_error.startswith("timeout") and china.problems == 1
        assert (nameless.failed, nameless.last_error, nameless.problems) == (1, "HTTP 301", 1)


def test_write_report_writes_a_complete_escaped_document(modelled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    assert write_report(_settings(tmp_path, modelled), out, 7, now=NOW) == out
    document = out.read_text(encoding="utf-8")
    assert document.startswith("<!DOCTYPE html>") and document.endswith("</html>\n")
    assert document.count('class="chart"') == 9
    assert NO_DATA not in document
    assert HOSTILE_TITLE not in document and "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert HOSTILE_SPEAKER not in document and "&lt;b&gt;a spokesperson&lt;/b&gt;" in document
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temporary left


def test_an_empty_window_says_no_data(modelled: Path, tmp_path: Path) -> None:
    out = write_report(_settings(tmp_path, modelled), tmp_path / "r.html", 7,
                       end=date(2020, 1, 1), now=NOW)
    document = out.read_text(encoding="utf-8")
    for section in ("volume", "entities", "co-mentions", "speakers"):
        body = document.split(f'<section id="{section}">', 1)[1].split("</section>", 1)[0]
        assert NO_DATA in body, section
    assert "Articles published 2019-12-26 to 2020-01-01" in document


def test_an_empty_warehouse_without_marts(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    with open_writer(db):
        pass
    out = write_report(_settings(tmp_path, db), tmp_path / "r.html", 7, now=NOW)
    document = out.read_text(encoding="utf-8")
    assert 'class="banner"' in document and "newswire models" in document
    assert 'class="chart"' not in document
    feeds = document.split('<section id="feeds">', 1)[1].split("</section>", 1)[0]
    assert "marts.feed_health_daily, marts.etl_runs not built yet: run `newswire models`" in feeds


def test_run_report_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = _settings(tmp_path, tmp_path / "absent.duckdb")
    assert run_report(settings, tmp_path / "r.html", 7) == 1
    assert "no warehouse at" in capsys.readouterr().err
    assert run_report(settings, tmp_path / "r.html", 0) == 2
    assert not (tmp_path / "r.html").exists()


def test_the_bundle_is_cached_and_a_bad_cache_is_rebuilt(tmp_path: Path) -> None:
    first = vega_javascript(tmp_path)
    (cached,) = tmp_path.iterdir()
    assert "window.vegaEmbed" in first and cached.read_text(encoding="utf-8") == first
    cached.write_text("truncated", encoding="utf-8")
    assert vega_javascript(tmp_path) == first


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_report_runs_as_a_command(modelled: Path, tmp_path_factory: pytest.TempPathFactory,
                                  cache: str) -> None:
    """As the command runs it: a fresh interpreter, imports included; 'cold' also bundles the
    Vega JavaScript into the data dir's cache, 'warm' reads it from there. How long each takes
    is measured by benchmarks/command_latency.py."""
    data_dir = tmp_path_factory.mktemp(f"report-command-{cache}")
    if cache == "warm":
        vega_javascript(data_dir / "cache")
    out = data_dir / f"report-{cache}.html"
    code = ("import sys; from pathlib import Path; from flows.report import run_report; "
            "from flows.settings import resolve_settings; "
            f"s = resolve_settings(db={str(modelled)!r}, data_dir={str(data_dir)!r}); "
            f"sys.exit(run_report(s, Path({str(out)!r}), 7))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 100_000
    assert len(list((data_dir / "cache").iterdir())) == 1  # the bundle, cached once


def _cli_has(command: str) -> bool:
    import argparse

    from flows.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return command in sub.choices


@pytest.mark.skipif(not _cli_has("report"), reason="`newswire report` not wired into flows/cli.py")
def test_cli_report(modelled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli import main

    out = tmp_path / "cli.html"
    assert main(["report", "--db", str(modelled), "--data-dir", str(tmp_path / "data"),
                 "--out", str(out), "--days", "7"]) == 0
    document = out.read_text(encoding="utf-8")
    assert 'id="chart-volume"' in document and 'id="chart-people"' in document
    assert "report written to" in capsys.readouterr().err
    assert main(["report", "--db", str(modelled), "--days", "0"]) == 2
    assert main(["report", "--db", str(tmp_path / "absent.duckdb")]) == 1


@pytest.mark.skipif(not _cli_has("status"), reason="`newswire status` not wired into flows/cli.py")
def test_cli_status(modelled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli import main

    assert main(["status", "--db", str(modelled), "--feeds", str(tmp_path / "none.toml")]) == 0
    text = capsys.readouterr().out
    assert "Recent runs (2 of 2" in text and "xinhua-world" in text
