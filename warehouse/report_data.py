"""Read what `newswire report` and `newswire status` show, on a read-only connection.

The report reads the marts and nothing else: every rule it relies on (the article day, what a
failed request is, how speakers and countries are grouped, what a co-mention is) is written
once, in the dbt models (warehouse/dbt/), and the report only sums a mart's days over its
window. Marts keyed by day: daily_articles, daily_feed_articles (volume), entity_daily (top
people and organisations), country_daily (countries), entity_pairs_daily (co-mentions),
quotes_by_speaker_daily and speaker_quotes (speakers and their quotes; quotes_by_speaker for
all-time counts), data_quality (text fixes, requests, runs), feed_health_daily (feed health)
and failed_requests; etl_runs lists the runs, stories the top stories
(warehouse/report_stories.py). A mart that is missing (the models were never
built, or were built by an older newswire) makes the report say so: run `newswire models`.

`newswire status` must answer at once and before any model is built, so it reads core.* and
raw.* itself; its feed health is tested to equal marts.feed_health_daily's
(tests/test_report.py).

Every query is parameterised; the only identifiers spliced into SQL are this module's own.
Timestamps are converted to UTC in SQL (whatever the session time zone) and come back as
aware datetimes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from transforms.report.data import (
    CoMention,
    CountryCount,
    EntityCount,
    FailedFetch,
    FeedHealth,
    FeedVolume,
    QuoteSample,
    ReportData,
    ReportWindow,
    RequestDay,
    RunSummary,
    Speaker,
    StatusData,
    TextFixDay,
)
from warehouse.connection import open_reader
from warehouse.report_stories import read_top_stories

TOP_ENTITIES = 15
CO_MENTION_ENTITIES = 12
TOP_SPEAKERS = 10
SAMPLES_PER_SPEAKER = 2
FAILED_FETCHES_SHOWN = 25
RECENT_RUNS = 10

# The marts the report reads (warehouse/dbt/models/marts/).
MARTS = ("daily_articles", "daily_feed_articles", "entity_daily", "country_daily",
         "entity_pairs_daily", "quotes_by_speaker_daily", "quotes_by_speaker", "speaker_quotes",
         "data_quality", "failed_requests", "feed_health_daily", "etl_runs", "stories")

_ENTITY_TYPES_FOR_CO_MENTIONS = ["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"]


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC timestamp from SQL (timezone('UTC', ts)) as an aware datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(column: str) -> str:
    return f"timezone('UTC', {column})"


def newest_article_day(con: duckdb.DuckDBPyConnection, today: date) -> date | None:
    """The newest article day that is not after `today` (None: no article at all)."""
    row = con.execute("SELECT max(day) FROM marts.daily_articles WHERE day <= $today",
                      {"today": today}).fetchone()
    return row[0] if row else None


def _window(days: int, now: datetime, end: date | None, newest: date | None) -> ReportWindow:
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    now = now.astimezone(UTC)
    last = end or newest or now.date()
    ops_first_day = now.date() - timedelta(days=days - 1)
    return ReportWindow(days=days, start=last - timedelta(days=days - 1), end=last,
                        ops_start=datetime.combine(ops_first_day, time(0), UTC), ops_end=now,
                        newest_article_day=newest)


def report_window(con: duckdb.DuckDBPyConnection, *, days: int, now: datetime,
                  end: date | None = None) -> ReportWindow:
    """The article window (the `days` days ending on `end`, else on the newest article day)
    and the operations window (the `days` UTC days ending on now's day, up to now: the marts
    count requests and runs per UTC day)."""
    return _window(days, now, end, newest_article_day(con, now.astimezone(UTC).date()))


def _article_days(w: ReportWindow) -> dict[str, date]:
    return {"start": w.start, "end": w.end}


def _ops_days(w: ReportWindow) -> dict[str, date]:
    return {"start": w.ops_start.date(), "end": w.ops_end.date()}


# ---------------------------------------------------------------------------------- volume


def read_feed_volume(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> list[FeedVolume]:
    rows = con.execute(
        "SELECT day, feed_name, articles FROM marts.daily_feed_articles"
        " WHERE day BETWEEN $start AND $end ORDER BY day, feed_name",
        _article_days(w),
    ).fetchall()
    return [FeedVolume(day, feed, int(n)) for day, feed, n in rows]


def read_article_total(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> int:
    row = con.execute(
        "SELECT coalesce(sum(articles), 0) FROM marts.daily_articles"
        " WHERE day BETWEEN $start AND $end",
        _article_days(w),
    ).fetchone()
    return int(row[0]) if row else 0


# -------------------------------------------------------------------------------- entities


def read_top_entities(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, types: Iterable[str], limit: int
) -> list[EntityCount]:
    """The entities of these types most mentioned in the window (marts.entity_daily)."""
    rows = con.execute(
        "SELECT entity_id, name, type, sum(mentions) AS mentions, sum(articles) AS articles"
        " FROM marts.entity_daily"
        " WHERE day BETWEEN $start AND $end AND list_contains($types, type)"
        " GROUP BY entity_id, name, type"
        " ORDER BY mentions DESC, articles DESC, name, entity_id LIMIT $limit",
        {**_article_days(w), "types": list(types), "limit": limit},
    ).fetchall()
    return [EntityCount(eid, name, etype, int(m), int(a)) for eid, name, etype, m, a in rows]


def read_top_countries(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, limit: int
) -> list[CountryCount]:
    """Countries most mentioned in the window, by name or demonym ('China' and 'Chinese' are
    both CN), from marts.country_daily (where an article naming both counts once)."""
    rows = con.execute(
        "SELECT country_code, max(country_name), sum(mentions) AS mentions, sum(articles)"
        " FROM marts.country_daily WHERE day BETWEEN $start AND $end"
        " GROUP BY country_code ORDER BY mentions DESC, country_code LIMIT $limit",
        {**_article_days(w), "limit": limit},
    ).fetchall()
    return [CountryCount(code, name or _country_name(code), int(m), int(a))
            for code, name, m, a in rows]


def _country_name(code: str) -> str:
    """A name for a country only ever mentioned by its demonym (no GPE entity has its code)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return code if country is None else (getattr(country, "common_name", None) or country.name)


def read_co_mentions(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, entity_ids: list[str]
) -> list[CoMention]:
    """Articles of the window mentioning both entities, for every pair of the given ones
    (marts.entity_pairs_daily summed over the window's days)."""
    if len(entity_ids) < 2:
        return []
    rows = con.execute(
        "SELECT entity_a, entity_b, sum(articles) AS articles FROM marts.entity_pairs_daily"
        " WHERE day BETWEEN $start AND $end"
        "   AND list_contains($ids, entity_a) AND list_contains($ids, entity_b)"
        " GROUP BY entity_a, entity_b ORDER BY articles DESC, entity_a, entity_b",
        {**_article_days(w), "ids": entity_ids},
    ).fetchall()
    return [CoMention(a, b, int(n)) for a, b, n in rows]


# -------------------------------------------------------------------------------- speakers


def read_speakers(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, limit: int, samples: int
) -> list[Speaker]:
    """The most quoted speakers of the window (marts.quotes_by_speaker_daily), their all-time
    counts (marts.quotes_by_speaker) and their newest quotes (marts.speaker_quotes), longer
    quotes first."""
    rows = con.execute(
        "WITH top AS ("
        "  SELECT speaker_entity_id, speaker, any_value(speaker_type) AS speaker_type,"
        "    sum(quotes) AS quotes, sum(articles) AS articles,"
        "    max(last_quoted_at) AS last_quoted_at"
        "  FROM marts.quotes_by_speaker_daily WHERE day BETWEEN $start AND $end"
        "  GROUP BY speaker_entity_id, speaker"
        "  ORDER BY quotes DESC, articles DESC, speaker LIMIT $limit)"
        " SELECT t.speaker_entity_id, t.speaker, t.speaker_type, t.quotes, t.articles,"
        f"   {_ts('t.last_quoted_at')}, s.quotes AS all_time"
        " FROM top AS t LEFT JOIN marts.quotes_by_speaker AS s"
        "   ON s.speaker_entity_id IS NOT DISTINCT FROM t.speaker_entity_id"
        "   AND s.speaker = t.speaker"
        " ORDER BY t.quotes DESC, t.articles DESC, t.speaker",
        {**_article_days(w), "limit": limit},
    ).fetchall()
    if not rows:
        return []
    sample_rows = con.execute(
        "SELECT speaker_entity_id, speaker, quote, title, canonical_url,"
        f"  {_ts('quoted_at')}"
        " FROM marts.speaker_quotes"
        " WHERE day BETWEEN $start AND $end"
        "   AND list_contains($speakers, coalesce(speaker_entity_id, '') || chr(31) || speaker)"
        " QUALIFY row_number() OVER (PARTITION BY speaker_entity_id, speaker"
        "   ORDER BY length(quote) >= 40 DESC, quoted_at DESC, article_id, start_char) <= $n"
        " ORDER BY speaker, quoted_at DESC, article_id, start_char",
        {**_article_days(w), "n": samples,
         "speakers": [f"{eid or ''}\x1f{name}" for eid, name, *_ in rows]},
    ).fetchall()
    by_speaker: dict[tuple[str | None, str], list[QuoteSample]] = {}
    for eid, name, quote, title, url, at in sample_rows:
        by_speaker.setdefault((eid, name), []).append(QuoteSample(quote, title, url, _utc(at)))
    return [
        Speaker(eid, name, stype, int(quotes), int(articles), _utc(last),
                None if all_time is None else int(all_time),
                tuple(by_speaker.get((eid, name), ())))
        for eid, name, stype, quotes, articles, last, all_time in rows
    ]


# ---------------------------------------------------------------------------- data quality


def read_text_fixes(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> list[TextFixDay]:
    """Per article day of the window: articles, and articles per kind of text fix (the
    mart's fix_<kind> columns, one per kind the dbt project lists, in its order)."""
    cursor = con.execute(
        "SELECT * FROM marts.data_quality WHERE day BETWEEN $start AND $end AND articles > 0"
        " ORDER BY day",
        _article_days(w),
    )
    names = [d[0] for d in cursor.description]
    kinds = [(i, name.removeprefix("fix_")) for i, name in enumerate(names)
             if name.startswith("fix_")]
    day, articles, fixed = (names.index(c) for c in ("day", "articles", "articles_with_fixes"))
    return [TextFixDay(row[day], int(row[articles]), int(row[fixed]),
                       tuple((kind, int(row[i])) for i, kind in kinds))
            for row in cursor.fetchall()]


def read_request_days(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> list[RequestDay]:
    """Per UTC day of the operations window: requests and runs (marts.data_quality)."""
    rows = con.execute(
        "SELECT day, pages_fetched, pages_failed, feeds_fetched, feeds_failed,"
        "  feeds_not_modified, runs, runs_partial, runs_failed, sitemaps_fetched,"
        "  sitemaps_failed"
        " FROM marts.data_quality WHERE day BETWEEN $start AND $end"
        "   AND pages_fetched + feeds_fetched + sitemaps_fetched + runs > 0 ORDER BY day",
        _ops_days(w),
    ).fetchall()
    return [RequestDay(day, *(int(v) for v in rest)) for day, *rest in rows]


def read_failed_requests(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, limit: int
) -> tuple[list[FailedFetch], int]:
    """Failed feed, page and sitemap requests of the operations window's days, newest
    first, and how many in all (marts.failed_requests)."""
    total = con.execute(
        "SELECT count(*) FROM marts.failed_requests WHERE day BETWEEN $start AND $end",
        _ops_days(w),
    ).fetchone()
    rows = con.execute(
        f"SELECT {_ts('fetched_at')}, kind, feed_name, url, http_status, error"
        " FROM marts.failed_requests WHERE day BETWEEN $start AND $end"
        " ORDER BY fetched_at DESC, url LIMIT $limit",
        {**_ops_days(w), "limit": limit},
    ).fetchall()
    return ([FailedFetch(_utc(at), kind, feed, url, status, error)  # type: ignore[arg-type]
             for at, kind, feed, url, status, error in rows],
            int(total[0]) if total else 0)


# ------------------------------------------------------------------------------ feed health


def _feed_health(rows: list[tuple]) -> list[FeedHealth]:
    """FeedHealth from rows of (feed, url, last success, last error, its text, requests, ok,
    not modified, failed, items, items of all time, pages failed, problems, the newest
    problem, its time): the shape both feed-health queries (mart and status) return."""
    return [
        FeedHealth(feed, url, _utc(ok_at), _utc(err_at), err, int(req), int(ok), int(nm),
                   int(failed), int(items), int(items_all), int(pages), problems=int(problems),
                   last_problem=last_problem, last_problem_at=_utc(problem_at))
        for (feed, url, ok_at, err_at, err, req, ok, nm, failed, items, items_all, pages,
             problems, last_problem, problem_at) in rows
    ]


def read_feed_health_mart(
    con: duckdb.DuckDBPyConnection, first_day: date, last_day: date
) -> list[FeedHealth]:
    """Per feed that was ever requested (marts.feed_health_daily): the newest success, error
    and problem over all days, its items over all days, and its counts over the days
    first_day..last_day."""
    rows = con.execute(
        "SELECT feed_name, arg_max(url, last_request_at),"
        f"  {_ts('max(last_success_at)')}, {_ts('max(last_error_at)')},"
        "  arg_max(last_error, last_error_at),"
        "  coalesce(sum(requests) FILTER (WHERE in_window), 0),"
        "  coalesce(sum(ok) FILTER (WHERE in_window), 0),"
        "  coalesce(sum(not_modified) FILTER (WHERE in_window), 0),"
        "  coalesce(sum(failed) FILTER (WHERE in_window), 0),"
        "  coalesce(sum(items) FILTER (WHERE in_window), 0), sum(items),"
        "  coalesce(sum(pages_failed) FILTER (WHERE in_window), 0),"
        "  coalesce(sum(problems) FILTER (WHERE in_window), 0),"
        f"  arg_max(last_problem, last_problem_at), {_ts('max(last_problem_at)')}"
        " FROM (SELECT *, day BETWEEN $start AND $end AS in_window"
        "       FROM marts.feed_health_daily)"
        " GROUP BY feed_name HAVING max(last_request_at) IS NOT NULL ORDER BY feed_name",
        {"start": first_day, "end": last_day},
    ).fetchall()
    return _feed_health(rows)


def _newest_runs(con: duckdb.DuckDBPyConnection, table: str, limit: int) -> list[RunSummary]:
    """The newest `limit` runs of `table` (marts.etl_runs or core.etl_run: the same columns),
    newest first."""
    rows = con.execute(
        f"SELECT run_id, flow_name, {_ts('started_at')}, {_ts('finished_at')}, status,"
        "  feeds_ok, feeds_failed, articles_new, articles_updated, articles_unchanged,"
        f"  pages_failed FROM {table} ORDER BY started_at DESC, run_id LIMIT $limit",
        {"limit": limit},
    ).fetchall()
    return [RunSummary(rid, flow, _utc(start), _utc(end), status,  # type: ignore[arg-type]
                       *(int(v) for v in counts))
            for rid, flow, start, end, status, *counts in rows]


def read_recent_runs(con: duckdb.DuckDBPyConnection, limit: int) -> list[RunSummary]:
    """The newest runs of marts.etl_runs, newest first."""
    return _newest_runs(con, "marts.etl_runs", limit)


# ----------------------------------------------------------------------------------- report


def _marts_built_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    row = con.execute(f"SELECT max({_ts('built_at')}) FROM marts.entity_daily").fetchone()
    return _utc(row[0]) if row else None


def _read_marts(con: duckdb.DuckDBPyConnection, *, days: int, now: datetime,
                end: date | None) -> ReportData:
    w = report_window(con, days=days, now=now, end=end)
    co_entities = read_top_entities(con, w, _ENTITY_TYPES_FOR_CO_MENTIONS, CO_MENTION_ENTITIES)
    failed, failed_total = read_failed_requests(con, w, FAILED_FETCHES_SHOWN)
    return ReportData(
        generated_at=now,
        window=w,
        missing_marts=(),
        marts_built_at=_marts_built_at(con),
        articles=read_article_total(con, w),
        feed_volume=tuple(read_feed_volume(con, w)),
        people=tuple(read_top_entities(con, w, ["PERSON"], TOP_ENTITIES)),
        organisations=tuple(read_top_entities(con, w, ["ORG"], TOP_ENTITIES)),
        countries=tuple(read_top_countries(con, w, TOP_ENTITIES)),
        co_entities=tuple(co_entities),
        co_mentions=tuple(read_co_mentions(con, w, [e.entity_id for e in co_entities])),
        speakers=tuple(read_speakers(con, w, TOP_SPEAKERS, SAMPLES_PER_SPEAKER)),
        text_fixes=tuple(read_text_fixes(con, w)),
        requests=tuple(read_request_days(con, w)),
        failed_fetches=tuple(failed),
        failed_fetches_total=failed_total,
        feeds=tuple(read_feed_health_mart(con, w.ops_start.date(), w.ops_end.date())),
        runs=tuple(read_recent_runs(con, RECENT_RUNS)),
        stories=tuple(read_top_stories(con, w)),
    )


def _absent_marts(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The marts of MARTS that the warehouse does not have: only to name them when the
    report could not be read."""
    rows = con.execute("SELECT table_name FROM information_schema.tables"
                       " WHERE table_schema = 'marts'").fetchall()
    present = {name for (name,) in rows}
    return tuple(m for m in MARTS if m not in present)


def read_report(
    con: duckdb.DuckDBPyConnection, *, days: int, now: datetime, end: date | None = None,
) -> ReportData:
    """Everything the report shows, for the `days`-day windows (see transforms.report.data).

    When a mart is missing (the models were never built) or lacks a column (built by an older
    newswire), the report holds no data and names the marts (all of them when each exists):
    `newswire models` builds them."""
    now = now.astimezone(UTC)
    try:
        return _read_marts(con, days=days, now=now, end=end)
    except (duckdb.CatalogException, duckdb.BinderException):
        missing = _absent_marts(con) or MARTS
    return ReportData(
        generated_at=now, window=_window(days, now, end, None), missing_marts=missing,
        marts_built_at=None, articles=0, feed_volume=(), people=(), organisations=(),
        countries=(), co_entities=(), co_mentions=(), speakers=(), text_fixes=(),
        requests=(), failed_fetches=(), failed_fetches_total=0, feeds=(), runs=())


def load_report_data(
    db_path: Path, *, days: int, now: datetime, end: date | None = None,
    timeout_s: float = 60.0, on_wait: Callable[[str], None] | None = None,
) -> ReportData:
    """`read_report` on a read-only connection to the warehouse file."""
    with open_reader(db_path, timeout_s=timeout_s, on_wait=on_wait) as con:
        return read_report(con, days=days, now=now, end=end)


# ----------------------------------------------------------------------------------- status
#
# `newswire status` reads core.* and raw.* (no model needed). Its rule for a failed request is
# staging.stg_fetch_log's (and so marts.feed_health_daily's): tests/test_report.py checks that
# status and the mart give the same feed health on the same warehouse.

_FAILED = ("(error IS NOT NULL OR http_status IS NULL"
           " OR NOT (http_status BETWEEN 200 AND 299 OR http_status = 304))")
_NOT_MODIFIED = "(error IS NULL AND http_status = 304)"


def read_feed_health(
    con: duckdb.DuckDBPyConnection, since: datetime, until: datetime
) -> list[FeedHealth]:
    """Per feed (raw.fetch_log kind 'feed'): last success and last error (all time), and
    requests, 304s, failures, new items, failed pages and feed problems in [since, until).
    What marts.feed_health_daily holds per day, read from raw.* and core.* for status."""
    rows = con.execute(
        "WITH feeds AS ("
        "  SELECT coalesce(feed_name, url) AS feed, url, fetched_at, http_status, error,"
        f"    {_FAILED} AS failed, {_NOT_MODIFIED} AS not_modified,"
        "    fetched_at >= $since AND fetched_at < $until AS in_window"
        "  FROM raw.fetch_log WHERE kind = 'feed'),"
        " per_feed AS ("
        "  SELECT feed, arg_max(url, fetched_at) AS url,"
        f"   max({_ts('fetched_at')}) FILTER (WHERE NOT failed) AS last_success_at,"
        f"   max({_ts('fetched_at')}) FILTER (WHERE failed) AS last_error_at,"
        "    arg_max(coalesce(error, 'HTTP ' || coalesce(CAST(http_status AS VARCHAR), '?')),"
        "            fetched_at) FILTER (WHERE failed) AS last_error,"
        "    count(*) FILTER (WHERE in_window) AS requests,"
        "    count(*) FILTER (WHERE in_window AND NOT failed AND NOT not_modified) AS ok,"
        "    count(*) FILTER (WHERE in_window AND not_modified) AS not_modified,"
        "    count(*) FILTER (WHERE in_window AND failed) AS failed"
        "  FROM feeds GROUP BY feed),"
        " items AS ("
        "  SELECT feed_name AS feed, count(*) AS items_all_time,"
        "    count(*) FILTER (WHERE seen_at >= $since AND seen_at < $until) AS items"
        "  FROM core.fact_feed_item GROUP BY feed_name),"
        " pages AS ("
        "  SELECT feed_name AS feed, count(*) AS pages_failed FROM raw.fetch_log"
        f"  WHERE kind = 'page' AND {_FAILED} AND fetched_at >= $since AND fetched_at < $until"
        "  GROUP BY feed_name),"
        " problems AS ("
        "  SELECT coalesce(feed_name, url) AS feed,"
        "    count(*) FILTER (WHERE fetched_at >= $since AND fetched_at < $until) AS problems,"
        "    arg_max(kind || ': ' || detail, fetched_at) AS last_problem,"
        f"   max({_ts('fetched_at')}) AS last_problem_at"
        "  FROM raw.feed_problem GROUP BY 1)"
        " SELECT f.feed, f.url, f.last_success_at, f.last_error_at, f.last_error, f.requests,"
        "   f.ok, f.not_modified, f.failed, coalesce(i.items, 0),"
        "   coalesce(i.items_all_time, 0), coalesce(p.pages_failed, 0),"
        "   coalesce(q.problems, 0), q.last_problem, q.last_problem_at"
        " FROM per_feed AS f LEFT JOIN items AS i USING (feed) LEFT JOIN pages AS p USING (feed)"
        "   LEFT JOIN problems AS q USING (feed)"
        " ORDER BY f.feed",
        {"since": since, "until": until},
    ).fetchall()
    return _feed_health(rows)


def read_runs(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[list[RunSummary], int]:
    """The newest runs of core.etl_run, newest first, and how many runs there are
    (for status; the report reads marts.etl_runs)."""
    total = con.execute("SELECT count(*) FROM core.etl_run").fetchone()
    return _newest_runs(con, "core.etl_run", limit), int(total[0]) if total else 0


def read_status(
    con: duckdb.DuckDBPyConnection, *, now: datetime, days: int = 7, runs: int = RECENT_RUNS,
) -> StatusData:
    now = now.astimezone(UTC)
    since = now - timedelta(days=days)
    recent, total = read_runs(con, runs)
    row = con.execute(
        f"SELECT count(*), max({_ts('coalesce(published_at, first_seen_at)')})"
        " FROM core.fact_article"
    ).fetchone()
    articles, newest = (int(row[0]), _utc(row[1])) if row else (0, None)
    return StatusData(generated_at=now, since=since, runs=tuple(recent), runs_total=total,
                      feeds=tuple(read_feed_health(con, since, now)),
                      articles_total=articles, newest_article_at=newest)


def load_status_data(
    db_path: Path, *, now: datetime, days: int = 7, runs: int = RECENT_RUNS,
    timeout_s: float = 60.0, on_wait: Callable[[str], None] | None = None,
) -> StatusData:
    with open_reader(db_path, timeout_s=timeout_s, on_wait=on_wait) as con:
        return read_status(con, now=now, days=days, runs=runs)
