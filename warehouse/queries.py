"""Read queries the flows need to decide what to fetch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import duckdb
import pyarrow as pa


def known_articles(
    con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]
) -> dict[str, datetime | None]:
    """For each given article id already loaded: the newest item date any feed gave it."""
    ids = pa.table({"article_id": pa.array(sorted(set(article_ids)), pa.string())})  # noqa: F841
    rows = con.execute(
        "SELECT a.article_id, max(fi.item_published_at)"
        " FROM ids JOIN core.fact_article a USING (article_id)"
        " LEFT JOIN core.fact_feed_item fi USING (article_id)"
        " GROUP BY a.article_id"
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
    wanted = pa.table({"url": pa.array(sorted(set(urls)), pa.string())})  # noqa: F841
    rows = con.execute(
        "SELECT url, etag, last_modified"
        " FROM raw.fetch_log JOIN core.etl_run USING (run_id) JOIN wanted USING (url)"
        " WHERE kind = 'feed' AND http_status = 200 AND error IS NULL"
        "   AND (etag IS NOT NULL OR last_modified IS NOT NULL)"
        "   AND status IN ('success', 'partial')"
        " QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1"
    ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows}
