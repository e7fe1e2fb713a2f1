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
