"""Read queries the flows need to decide what to fetch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import duckdb

from transforms.records import FetchResult


def known_articles(
    con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]
) -> dict[str, datetime | None]:
    """For each given article id already loaded: the newest item date any feed gave it."""
    # Parameters, not a scan of a Python object: read-only connections disable those.
    rows = con.execute(
        "SELECT a.article_id, max(fi.item_published_at)"
        " FROM (SELECT unnest($ids) AS article_id) ids JOIN core.fact_article a USING (article_id)"
        " LEFT JOIN core.fact_feed_item fi USING (article_id)"
        " GROUP BY a.article_id",
        {"ids": sorted(set(article_ids))},
    ).fetchall()
    return {article_id: newest for article_id, newest in rows}


def table_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table in the raw, core and marts schemas, keyed 'schema.table'."""
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_schema IN ('raw', 'core', 'marts') AND table_type = 'BASE TABLE'"
        " ORDER BY 1, 2"
    ).fetchall()
    counts = {}
    for schema, table in tables:
        row = con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()
        counts[f"{schema}.{table}"] = row[0] if row else 0
    return counts


def feed_validators(
    con: duckdb.DuckDBPyConnection, urls: Iterable[str]
) -> dict[str, tuple[str | None, str | None]]:
    """ETag and Last-Modified of each feed's latest good fetch, for a conditional GET.

    Only fetches of runs that finished count: a run that crashed may not have loaded the
    pages its feed listed, so its validators must not make the next run skip that feed.
    """
    rows = con.execute(
        "SELECT url, etag, last_modified"
        " FROM raw.fetch_log JOIN core.etl_run USING (run_id)"
        "  JOIN (SELECT unnest($urls) AS url) wanted USING (url)"
        " WHERE kind = 'feed' AND http_status = 200 AND error IS NULL"
        "   AND (etag IS NOT NULL OR last_modified IS NOT NULL)"
        "   AND status IN ('success', 'partial')"
        " QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1",
        {"urls": sorted(set(urls))},
    ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows}


def landed_fetches(
    con: duckdb.DuckDBPyConnection,
    start: datetime,
    end: datetime,
    feed_names: Iterable[str] | None = None,
) -> list[FetchResult]:
    """Landed bodies to replay for the window [start, end), oldest first.

    Pages: fetched (or, from a web archive, captured) in the window, or linked by a feed item
    dated in it; the latest body of each URL that loaded (what the warehouse holds after
    those runs), else the latest. A page from an archive is read back from there.
    Feeds: every distinct body fetched in the window or by the runs that fetched those pages,
    since their items carry the feed's titles and dates.
    """
    names = sorted(set(feed_names)) if feed_names else None
    columns = ("url, kind, fetched_at, http_status, content_type, etag, last_modified,"
               " content_sha256, feed_name, final_url, item_published_at, archive, archive_offset")
    landed = ("http_status BETWEEN 200 AND 299 AND content_sha256 IS NOT NULL"
              " AND ($names IS NULL OR list_contains($names, feed_name))")
    rows = con.execute(
        f"WITH pages AS ("
        f"  SELECT run_id, {columns} FROM raw.fetch_log"
        f"  WHERE kind = 'page' AND {landed}"
        f"    AND ((fetched_at >= $start AND fetched_at < $end)"
        f"      OR (item_published_at >= $start AND item_published_at < $end))"
        f"  QUALIFY row_number() OVER (PARTITION BY url"
        f"    ORDER BY (error IS NULL) DESC, fetched_at DESC) = 1),"
        f" feeds AS ("
        f"  SELECT {columns} FROM raw.fetch_log"
        f"  WHERE kind = 'feed' AND {landed}"
        f"    AND ((fetched_at >= $start AND fetched_at < $end)"
        f"      OR run_id IN (SELECT run_id FROM pages))"
        f"  QUALIFY row_number() OVER (PARTITION BY url, content_sha256"
        f"    ORDER BY fetched_at DESC) = 1)"
        f" SELECT {columns} FROM feeds UNION ALL SELECT {columns} FROM pages"
        f" ORDER BY fetched_at, url",
        {"start": start, "end": end, "names": names},
    ).fetchall()
    return [
        FetchResult(url=url, kind=kind, fetched_at=fetched_at, http_status=status,
                    content_type=ctype, etag=etag, last_modified=modified,
                    content_sha256=sha, feed_name=feed, final_url=final, item_published_at=item,
                    archive=archive, archive_offset=offset)
        for (url, kind, fetched_at, status, ctype, etag, modified, sha, feed, final, item,
             archive, offset) in rows
    ]


def running_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of the runs core.etl_run still shows as running."""
    return [row[0] for row in con.execute(
        "SELECT run_id FROM core.etl_run WHERE status = 'running' ORDER BY started_at"
    ).fetchall()]
