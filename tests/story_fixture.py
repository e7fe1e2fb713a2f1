"""Stories set by hand on a test warehouse, so that tests of what reads stories (the marts,
the report, the cookbook) do not depend on how the loaders match articles to stories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb


def assign_stories(con: duckdb.DuckDBPyConnection,
                   stories: Mapping[str, Sequence[str]]) -> None:
    """Put the articles of each story (story_id -> its article ids, the story's first article
    included) in that story, every other article without one in a story of its own, and
    rewrite core.dim_story from core.fact_article, as the loaders keep it."""
    con.execute("UPDATE core.fact_article SET story_id = article_id WHERE story_id IS NULL")
    for story_id, article_ids in stories.items():
        con.execute("UPDATE core.fact_article SET story_id = $story"
                    " WHERE list_contains($ids, article_id)",
                    {"story": story_id, "ids": list(article_ids)})
    con.execute("DELETE FROM core.dim_story")
    con.execute(
        "INSERT INTO core.dim_story (story_id, first_seen_at, first_published_at, headline,"
        "  articles)"
        " SELECT story_id, min(first_seen_at), min(published_at),"
        "   arg_min(title, (coalesce(published_at, first_seen_at), article_id)), count(*)"
        " FROM core.fact_article GROUP BY story_id")
