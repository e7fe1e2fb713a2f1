"""The report's top stories, read from marts.stories (see warehouse/report_data.py for how
the report reads the marts and what its windows are).

A story belongs to the article window when its article days (first_day..last_day) meet it;
the counts shown are the mart's, over all the story's articles. A story of one article is no
story to show: only stories of two articles or more are read.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from transforms.report.data import ReportWindow, TopStory

TOP_STORIES = 10


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC timestamp from SQL (timezone('UTC', ts)) as an aware datetime."""
    return None if value is None else value.replace(tzinfo=UTC)


def read_top_stories(
    con: duckdb.DuckDBPyConnection, w: ReportWindow, limit: int = TOP_STORIES
) -> list[TopStory]:
    """The largest stories of the window: most articles, then most sources, then most feeds;
    the newest first among equals."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    rows = con.execute(
        "SELECT story_id, headline, articles, feeds, sources,"
        "  timezone('UTC', first_published_at), timezone('UTC', last_published_at)"
        " FROM marts.stories"
        " WHERE first_day <= $end AND last_day >= $start AND articles >= 2"
        " ORDER BY articles DESC, sources DESC, feeds DESC, last_day DESC,"
        "   last_published_at DESC NULLS LAST, story_id LIMIT $limit",
        {"start": w.start, "end": w.end, "limit": limit},
    ).fetchall()
    return [TopStory(sid, headline, int(articles), int(feeds), int(sources), _utc(first),
                     _utc(last))
            for sid, headline, articles, feeds, sources, first, last in rows]
