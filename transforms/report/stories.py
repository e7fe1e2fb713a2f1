"""The report's "Top stories" section: the largest stories of the article window as a table.
Pure; every warehouse string goes through `table`, which escapes it."""

from __future__ import annotations

from datetime import datetime

from transforms.report.data import ReportData
from transforms.report.markup import Html, empty, fmt_int, fmt_time, shorten, table

HEADLINE_CHARS = 140


def stories_table(data: ReportData) -> Html:
    """The stories of `data` (largest first), or what the window lacks: articles at all, or
    a story told by more than one article."""
    if not data.stories:
        if data.articles == 0:
            return empty()
        return empty("No story of this window was told by more than one article.")
    rows = [(_headline(s.headline, s.story_id), fmt_int(s.articles), fmt_int(s.feeds),
             fmt_int(s.sources), _when(s.first_published_at), _when(s.last_published_at))
            for s in data.stories]
    which = f"The {len(rows)} largest stories" if len(rows) > 1 else "The largest story"
    caption = (f"{which} with articles in the window, most articles first, then most sources. "
               "An article, its near-duplicates, its updates under a new URL and its "
               "syndicated copies are one story; the counts are over all of its articles. "
               "Source: marts.stories.")
    return table(("Headline", "Articles", "Feeds", "Sources", "First published",
                  "Last published"), rows, numeric=[1, 2, 3], caption=caption)


def _headline(headline: str | None, story_id: str) -> str:
    return shorten(headline, HEADLINE_CHARS) or f"(no headline; story {story_id})"


def _when(t: datetime | None) -> str:
    return "unknown" if t is None else fmt_time(t)  # no article of the story gave a time
