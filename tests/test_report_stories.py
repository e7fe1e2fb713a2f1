"""The report's "Top stories" section: read from marts.stories on a real warehouse (the small
warehouse of test_report.py, with stories set by hand), and rendered, escaped."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.story_fixture import assign_stories
from tests.test_report import HOSTILE_TITLE, NOW, build_small_warehouse
from tests.test_report_render import (
    FAKE_JS,
    HOSTILE_SCRIPT,
    empty_report_data,
    sample_report_data,
)
from transforms.report.html import render_report
from transforms.report.markup import NO_DATA, esc
from warehouse.connection import open_reader, open_writer
from warehouse.report_data import read_report
from warehouse.report_stories import read_top_stories

# a1 (2025-01-10) and a2 (01-11) are one story; a3 (01-12, the hostile title) and the undated
# a4 (first seen 01-12, here from another source) another; a5 (2024-06-01) is alone.
STORIES = {"a1": ["a1", "a2"], "a3": ["a3", "a4"]}


def _section(document: str, anchor: str = "stories") -> str:
    return document.split(f'<section id="{anchor}">', 1)[1].split("</section>", 1)[0]


@pytest.fixture(scope="module")
def modelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from warehouse.models_runner import build_models

    db = tmp_path_factory.mktemp("report-stories") / "w.duckdb"
    build_small_warehouse(db)
    with open_writer(db) as con:
        con.execute("UPDATE core.fact_article SET source_name = 'China Daily'"
                    " WHERE article_id = 'a4'")
        assign_stories(con, STORIES)
    build_models(db)
    return db


def test_the_largest_stories_of_the_window_by_articles_then_sources(modelled: Path) -> None:
    with open_reader(modelled) as con:
        data = read_report(con, days=7, now=NOW)
        rows = con.execute("SELECT story_id, headline, articles, feeds, sources,"
                           " first_published_at, last_published_at FROM marts.stories"
                           " WHERE articles >= 2").fetchall()
    got = [(s.story_id, s.headline, s.articles, s.feeds, s.sources, s.first_published_at,
            s.last_published_at) for s in data.stories]
    # Both have two articles; a3's has two sources, a1's one. a5 is a story of one article.
    assert got == [
        ("a3", HOSTILE_TITLE, 2, 2, 2, datetime(2025, 1, 12, 8, tzinfo=UTC),
         datetime(2025, 1, 12, 8, tzinfo=UTC)),
        ("a1", "Xi meets UN chief", 2, 2, 1, datetime(2025, 1, 10, 8, tzinfo=UTC),
         datetime(2025, 1, 11, 8, tzinfo=UTC))]
    assert sorted(got) == sorted(rows)  # the mart's own numbers


def test_a_story_is_in_the_window_when_its_article_days_meet_it(modelled: Path) -> None:
    with open_reader(modelled) as con:
        first_day = read_report(con, days=1, now=NOW, end=date(2025, 1, 10))
        second_day = read_report(con, days=1, now=NOW, end=date(2025, 1, 11))
        old = read_report(con, days=7, now=NOW, end=date(2024, 6, 3))
        window = first_day.window
        with pytest.raises(ValueError, match="limit"):
            read_top_stories(con, window, 0)
    assert [s.story_id for s in first_day.stories] == ["a1"]
    assert [s.story_id for s in second_day.stories] == ["a1"]
    assert old.articles == 1 and old.stories == ()  # a5 alone is no story to show
    assert "more than one article" in _section(render_report(old, vega_js=FAKE_JS))


def test_the_report_shows_the_stories_escaped(modelled: Path) -> None:
    with open_reader(modelled) as con:
        document = render_report(read_report(con, days=7, now=NOW), vega_js=FAKE_JS)
    section = _section(document)
    assert HOSTILE_TITLE not in document and esc(HOSTILE_TITLE) in section
    assert section.index(esc(HOSTILE_TITLE)) < section.index("Xi meets UN chief")
    assert "Source: marts.stories." in section and '<a href="#stories">' in document


def test_the_section_renders_counts_and_unknown_times() -> None:
    section = _section(render_report(sample_report_data(), vega_js=FAKE_JS))
    assert HOSTILE_SCRIPT not in section and esc(HOSTILE_SCRIPT) in section
    assert section.index("Summit opens in Astana") < section.index(esc(HOSTILE_SCRIPT))
    assert "<td class=num>4</td><td class=num>2</td><td class=num>3</td>" in section
    assert "2025-01-11 12:00 UTC" in section and "unknown" in section


def test_an_empty_or_missing_stories_mart_says_so() -> None:
    assert NO_DATA in _section(render_report(empty_report_data(), vega_js=FAKE_JS))
    no_story = replace(empty_report_data(), articles=3)
    assert "No story of this window was told by more than one article." in _section(
        render_report(no_story, vega_js=FAKE_JS))
    missing = render_report(empty_report_data(missing_marts=("stories",)), vega_js=FAKE_JS)
    assert "marts.stories not built yet: run `newswire models`" in _section(missing)
