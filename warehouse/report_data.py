"""Read what `newswire report` and `newswire status` show, on a read-only connection.

Built from the marts where a mart answers the question for the report's window:
daily_feed_articles and daily_articles (volume), entity_daily (top people, organisations and
countries), data_quality (text fixes, requests, runs per day), quotes_by_speaker (all-time
quote counts). Where the marts hold only all-time figures (entity_pairs, quotes_by_speaker) the
window's co-mentions and quotes come from the core facts, restricted to the window's articles
first; feed health comes from raw.fetch_log, as does the list of failed requests.

Every query is parameterised; the only identifiers spliced into SQL are mart column names read
from the catalog and checked against [a-z0-9_]. Timestamps are converted to UTC in SQL
(whatever the session time zone) and come back as aware datetimes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
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

TOP_ENTITIES = 15
CO_MENTION_ENTITIES = 12
TOP_SPEAKERS = 10
SAMPLES_PER_SPEAKER = 2
FAILED_FETCHES_SHOWN = 25
RECENT_RUNS = 10

MARTS = ("daily_articles", "daily_feed_articles", "entity_daily", "data_quality",
         "quotes_by_speaker")

# The article day, as the marts define it (warehouse/dbt/macros/days.sql).
_ARTICLE_DAY = "cast(timezone('UTC', coalesce(a.published_at, a.first_seen_at)) as date)"
# A request failed: an error, or no 2xx/304 status (as staging.stg_fetch_log says).
_FAILED = ("(error IS NOT NULL OR http_status IS NULL"
           " OR NOT (http_status BETWEEN 200 AND 299 OR http_status = 304))")
_NOT_MODIFIED = "(error IS NULL AND http_status = 304)"
_ENTITY_TYPES_FOR_CO_MENTIONS = ["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"]


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC timestamp from SQL (timezone('UTC', ts)) as an aware datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(column: str) -> str:
    return f"timezone('UTC', {column})"


def _present_marts(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
    ).fetchall()
    return {name for (name,) in rows}


def _mart_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'marts' AND table_name = $t ORDER BY ordinal_position",
        {"t": table},
    ).fetchall()
    return [name for (name,) in rows]


def newest_article_day(con: duckdb.DuckDBPyConnection, today: date, *,
                       use_mart: bool = True) -> date | None:
    """The newest article day that is not after `today` (None: no article at all)."""
    if use_mart:
        row = con.execute("SELECT max(day) FROM marts.daily_articles WHERE day <= $today",
                          {"today": today}).fetchone()
    else:
        row = con.execute(f"SELECT max({_ARTICLE_DAY}) FROM core.fact_article AS a"
                          f" WHERE {_ARTICLE_DAY} <= $today", {"today": today}).fetchone()
    return row[0] if row else None


def report_window(con: duckdb.DuckDBPyConnection, *, days: int, now: datetime,
                  end: date | None = None, use_mart: bool = True) -> ReportWindow:
    """The article window (the `days` days ending on `end`, else on the newest article day)
    and the operations window (the `days` days up to `now`)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    now = now.astimezone(UTC)
    newest = newest_article_day(con, now.date(), use_mart=use_mart)
    last = end or newest or now.date()
    return ReportWindow(days=days, start=last - timedelta(days=days - 1), end=last,
                        ops_start=now - timedelta(days=days), ops_end=now,
                        newest_article_day=newest)


# ---------------------------------------------------------------------------------- volume


def read_feed_volume(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> list[FeedVolume]:
    rows = con.execute(
        "SELECT day, feed_name, articles FROM marts.daily_feed_articles"
        " WHERE day BETWEEN $start AND $end ORDER BY day, feed_name",
        {"start": w.start, "end": w.end},
    ).fetchall()
    return [FeedVolume(day, feed, int(n)) for day, feed, n in rows]


def read_article_total(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> int:
    row = con.execute(
        "SELECT coalesce(sum(articles), 0) FROM marts.daily_articles"
        " WHERE day BETWEEN $start AND $end",
        {"start": w.start, "end": w.end},
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
        {"start": w.start, "end": w.end, "types": list(types), "limit": limit},
    ).fetchall()
    return [EntityCount(eid, name, etype, int(m), int(a)) for eid, name, etype, m, a in rows]


def _window_articles_cte() -> str:
    return (f"window_articles AS (SELECT a.article_id FROM core.fact_article AS a"
            f" WHERE {_ARTICLE_DAY} BETWEEN $start AND $end)")


def read_top_countries(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, limit: int
) -> list[CountryCount]:
    """Countries most mentioned in the window, by name or demonym ('China' and 'Chinese' are
    both CN). Mentions come from marts.entity_daily; distinct articles from the core facts,
    since an article naming both 'China' and 'Chinese' is one article, not two."""
    rows = con.execute(
        "WITH mentioned AS ("
        "  SELECT e.country_code, sum(d.mentions) AS mentions"
        "  FROM marts.entity_daily AS d JOIN core.dim_entity AS e USING (entity_id)"
        "  WHERE d.day BETWEEN $start AND $end AND e.country_code IS NOT NULL"
        "  GROUP BY e.country_code"
        "  ORDER BY mentions DESC, e.country_code LIMIT $limit),"
        f" {_window_articles_cte()},"
        " articles AS ("
        "  SELECT e.country_code, count(DISTINCT m.article_id) AS articles"
        "  FROM core.fact_entity_mention AS m"
        "  JOIN window_articles USING (article_id)"
        "  JOIN core.dim_entity AS e USING (entity_id)"
        "  WHERE e.country_code IN (SELECT country_code FROM mentioned)"
        "  GROUP BY e.country_code),"
        " names AS ("
        "  SELECT country_code, min(name) AS name FROM core.dim_entity"
        "  WHERE type = 'GPE' AND country_code IN (SELECT country_code FROM mentioned)"
        "  GROUP BY country_code)"
        " SELECT m.country_code, n.name, m.mentions, coalesce(a.articles, 0)"
        " FROM mentioned AS m LEFT JOIN articles AS a USING (country_code)"
        " LEFT JOIN names AS n USING (country_code)"
        " ORDER BY m.mentions DESC, m.country_code",
        {"start": w.start, "end": w.end, "limit": limit},
    ).fetchall()
    return [CountryCount(code, name or _country_name(code), int(m), int(a))
            for code, name, m, a in rows]


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return code if country is None else (getattr(country, "common_name", None) or country.name)


def read_co_mentions(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, entity_ids: list[str]
) -> list[CoMention]:
    """Articles of the window mentioning both entities, for every pair of the given ones.

    marts.entity_pairs counts all time; the window's pairs of a dozen entities are cheap to
    count from the window's articles."""
    if len(entity_ids) < 2:
        return []
    rows = con.execute(
        f"WITH {_window_articles_cte()},"
        " hits AS ("
        "  SELECT DISTINCT m.article_id, m.entity_id FROM core.fact_entity_mention AS m"
        "  JOIN window_articles USING (article_id)"
        "  WHERE list_contains($ids, m.entity_id))"
        " SELECT x.entity_id, y.entity_id, count(*) AS articles"
        " FROM hits AS x JOIN hits AS y"
        "   ON x.article_id = y.article_id AND x.entity_id < y.entity_id"
        " GROUP BY x.entity_id, y.entity_id ORDER BY articles DESC, 1, 2",
        {"start": w.start, "end": w.end, "ids": entity_ids},
    ).fetchall()
    return [CoMention(a, b, int(n)) for a, b, n in rows]


# -------------------------------------------------------------------------------- speakers


def read_speakers(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, limit: int, samples: int, *,
    with_mart: bool = True,
) -> list[Speaker]:
    """The most quoted speakers of the window (grouped as marts.quotes_by_speaker groups
    them: by entity when resolved, else by the speaker text), with their newest quotes."""
    all_time = ("(SELECT quotes FROM marts.quotes_by_speaker AS s"
                "  WHERE s.speaker_entity_id IS NOT DISTINCT FROM t.speaker_entity_id"
                "    AND s.speaker = t.speaker LIMIT 1)") if with_mart else "NULL"
    rows = con.execute(
        "WITH quotes AS ("
        "  SELECT q.article_id, q.speaker_entity_id, coalesce(e.name, q.speaker) AS speaker,"
        "    e.type AS speaker_type, q.quote, q.start_char, a.title, a.canonical_url,"
        "    coalesce(a.published_at, a.first_seen_at) AS quoted_at"
        "  FROM core.fact_quote AS q JOIN core.fact_article AS a USING (article_id)"
        "  LEFT JOIN core.dim_entity AS e ON e.entity_id = q.speaker_entity_id"
        f"  WHERE {_ARTICLE_DAY} BETWEEN $start AND $end"
        "    AND (q.speaker_entity_id IS NOT NULL OR q.speaker IS NOT NULL)),"
        " top AS ("
        "  SELECT speaker_entity_id, speaker, any_value(speaker_type) AS speaker_type,"
        "    count(*) AS quotes, count(DISTINCT article_id) AS articles,"
        f"    max({_ts('quoted_at')}) AS last_quoted_at"
        "  FROM quotes GROUP BY speaker_entity_id, speaker"
        "  ORDER BY quotes DESC, articles DESC, speaker LIMIT $limit)"
        " SELECT t.speaker_entity_id, t.speaker, t.speaker_type, t.quotes, t.articles,"
        f"   t.last_quoted_at, {all_time} AS all_time"
        " FROM top AS t ORDER BY t.quotes DESC, t.articles DESC, t.speaker",
        {"start": w.start, "end": w.end, "limit": limit},
    ).fetchall()
    if not rows:
        return []
    sample_rows = con.execute(
        "WITH quotes AS ("
        "  SELECT q.speaker_entity_id, coalesce(e.name, q.speaker) AS speaker, q.quote,"
        "    a.title, a.canonical_url, q.start_char, q.article_id,"
        "    coalesce(a.published_at, a.first_seen_at) AS quoted_at"
        "  FROM core.fact_quote AS q JOIN core.fact_article AS a USING (article_id)"
        "  LEFT JOIN core.dim_entity AS e ON e.entity_id = q.speaker_entity_id"
        f"  WHERE {_ARTICLE_DAY} BETWEEN $start AND $end"
        "    AND (q.speaker_entity_id IS NOT NULL OR q.speaker IS NOT NULL))"
        " SELECT speaker_entity_id, speaker, quote, title, canonical_url,"
        f"   {_ts('quoted_at')}"
        " FROM quotes"
        " WHERE list_contains($speakers, coalesce(speaker_entity_id, '') || chr(31) || speaker)"
        " QUALIFY row_number() OVER (PARTITION BY speaker_entity_id, speaker"
        "   ORDER BY length(quote) >= 40 DESC, quoted_at DESC, article_id, start_char) <= $n"
        " ORDER BY speaker, quoted_at DESC",
        {"start": w.start, "end": w.end, "n": samples,
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

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def read_text_fixes(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> list[TextFixDay]:
    """Per article day of the window: articles, and articles per kind of text fix
    (the mart's fix_<kind> columns, whatever kinds the dbt project lists)."""
    kinds = [c for c in _mart_columns(con, "data_quality")
             if c.startswith("fix_") and _IDENT.match(c)]
    fix_sql = "".join(f', "{c}"' for c in kinds)
    rows = con.execute(
        f"SELECT day, articles, articles_with_fixes{fix_sql} FROM marts.data_quality"
        " WHERE day BETWEEN $start AND $end AND articles > 0 ORDER BY day",
        {"start": w.start, "end": w.end},
    ).fetchall()
    names = [c.removeprefix("fix_") for c in kinds]
    return [TextFixDay(day, int(n), int(fixed),
                       tuple((k, int(v)) for k, v in zip(names, rest, strict=True)))
            for day, n, fixed, *rest in rows]


def read_request_days(con: duckdb.DuckDBPyConnection, w: ReportWindow) -> list[RequestDay]:
    """Per UTC day of the operations window: requests and runs (marts.data_quality)."""
    columns = set(_mart_columns(con, "data_quality"))
    has_sitemaps = {"sitemaps_fetched", "sitemaps_failed"} <= columns
    sitemaps = "sitemaps_fetched, sitemaps_failed" if has_sitemaps else "0, 0"
    any_request = ("pages_fetched + feeds_fetched + runs"
                   + (" + sitemaps_fetched" if has_sitemaps else ""))
    rows = con.execute(
        "SELECT day, pages_fetched, pages_failed, feeds_fetched, feeds_failed,"
        f"  feeds_not_modified, runs, runs_partial, runs_failed, {sitemaps}"
        " FROM marts.data_quality WHERE day BETWEEN $start AND $end"
        f"   AND ({any_request}) > 0 ORDER BY day",
        {"start": w.ops_start.date(), "end": w.ops_end.date()},
    ).fetchall()
    return [RequestDay(day, *(int(v) for v in rest)) for day, *rest in rows]


def read_failed_fetches(
    con: duckdb.DuckDBPyConnection, since: datetime, until: datetime, limit: int
) -> tuple[list[FailedFetch], int]:
    """Failed feed, page and sitemap requests in [since, until), newest first, and how many
    in all (robots.txt requests are left out: a site without one answers 404)."""
    params = {"since": since, "until": until}
    where = (f"WHERE kind IN ('feed', 'page', 'sitemap') AND {_FAILED}"
             " AND fetched_at >= $since AND fetched_at < $until")
    total = con.execute(f"SELECT count(*) FROM raw.fetch_log {where}", params).fetchone()
    rows = con.execute(
        f"SELECT {_ts('fetched_at')}, kind, feed_name, url, http_status, error"
        f" FROM raw.fetch_log {where} ORDER BY fetched_at DESC, url LIMIT $limit",
        {**params, "limit": limit},
    ).fetchall()
    return ([FailedFetch(_utc(at), kind, feed, url, status, error)  # type: ignore[arg-type]
             for at, kind, feed, url, status, error in rows],
            int(total[0]) if total else 0)


# ------------------------------------------------------------------------------ feed health


def read_feed_health(
    con: duckdb.DuckDBPyConnection, since: datetime, until: datetime
) -> list[FeedHealth]:
    """Per feed (raw.fetch_log kind 'feed'): last success and last error (all time), and
    requests, 304s, failures, new items and failed pages in [since, until)."""
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
        "  GROUP BY feed_name)"
        " SELECT f.feed, f.url, f.last_success_at, f.last_error_at, f.last_error, f.requests,"
        "   f.ok, f.not_modified, f.failed, coalesce(i.items, 0),"
        "   coalesce(i.items_all_time, 0), coalesce(p.pages_failed, 0)"
        " FROM per_feed AS f LEFT JOIN items AS i USING (feed) LEFT JOIN pages AS p USING (feed)"
        " ORDER BY f.feed",
        {"since": since, "until": until},
    ).fetchall()
    return [
        FeedHealth(feed, url, _utc(ok_at), _utc(err_at), err, int(req), int(ok), int(nm),
                   int(failed), int(items), int(items_all), int(pages))
        for feed, url, ok_at, err_at, err, req, ok, nm, failed, items, items_all, pages in rows
    ]


def read_runs(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[list[RunSummary], int]:
    """The newest runs of core.etl_run, newest first, and how many runs there are."""
    total = con.execute("SELECT count(*) FROM core.etl_run").fetchone()
    rows = con.execute(
        f"SELECT run_id, flow_name, {_ts('started_at')}, {_ts('finished_at')}, status,"
        "  feeds_ok, feeds_failed, articles_new, articles_updated, articles_unchanged,"
        "  pages_failed FROM core.etl_run ORDER BY started_at DESC, run_id LIMIT $limit",
        {"limit": limit},
    ).fetchall()
    return ([RunSummary(rid, flow, _utc(start), _utc(end), status,  # type: ignore[arg-type]
                        *(int(v) for v in counts))
             for rid, flow, start, end, status, *counts in rows],
            int(total[0]) if total else 0)


# ----------------------------------------------------------------------------------- report


def read_report(
    con: duckdb.DuckDBPyConnection, *, days: int, now: datetime, end: date | None = None,
) -> ReportData:
    """Everything the report shows, for the `days`-day windows (see transforms.report.data)."""
    now = now.astimezone(UTC)
    present = _present_marts(con)
    missing = tuple(m for m in MARTS if m not in present)
    has = present.__contains__
    w = report_window(con, days=days, now=now, end=end, use_mart=has("daily_articles"))

    people = read_top_entities(con, w, ["PERSON"], TOP_ENTITIES) if has("entity_daily") else []
    orgs = read_top_entities(con, w, ["ORG"], TOP_ENTITIES) if has("entity_daily") else []
    countries = read_top_countries(con, w, TOP_ENTITIES) if has("entity_daily") else []
    co_entities = (read_top_entities(con, w, _ENTITY_TYPES_FOR_CO_MENTIONS, CO_MENTION_ENTITIES)
                   if has("entity_daily") else [])
    failed, failed_total = read_failed_fetches(con, w.ops_start, w.ops_end, FAILED_FETCHES_SHOWN)
    runs, _ = read_runs(con, RECENT_RUNS)
    built_at = None
    if has("entity_daily") and "built_at" in _mart_columns(con, "entity_daily"):
        row = con.execute(f"SELECT max({_ts('built_at')}) FROM marts.entity_daily").fetchone()
        built_at = _utc(row[0]) if row else None
    return ReportData(
        generated_at=now,
        window=w,
        missing_marts=missing,
        marts_built_at=built_at,
        articles=read_article_total(con, w) if has("daily_articles") else 0,
        feed_volume=tuple(read_feed_volume(con, w)) if has("daily_feed_articles") else (),
        people=tuple(people),
        organisations=tuple(orgs),
        countries=tuple(countries),
        co_entities=tuple(co_entities),
        co_mentions=tuple(read_co_mentions(con, w, [e.entity_id for e in co_entities])),
        speakers=tuple(read_speakers(con, w, TOP_SPEAKERS, SAMPLES_PER_SPEAKER,
                                     with_mart=has("quotes_by_speaker"))),
        text_fixes=tuple(read_text_fixes(con, w)) if has("data_quality") else (),
        requests=tuple(read_request_days(con, w)) if has("data_quality") else (),
        failed_fetches=tuple(failed),
        failed_fetches_total=failed_total,
        feeds=tuple(read_feed_health(con, w.ops_start, w.ops_end)),
        runs=tuple(runs),
    )


def load_report_data(
    db_path: Path, *, days: int, now: datetime, end: date | None = None,
    timeout_s: float = 60.0, on_wait: Callable[[str], None] | None = None,
) -> ReportData:
    """`read_report` on a read-only connection to the warehouse file."""
    with open_reader(db_path, timeout_s=timeout_s, on_wait=on_wait) as con:
        return read_report(con, days=days, now=now, end=end)


# ----------------------------------------------------------------------------------- status


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
