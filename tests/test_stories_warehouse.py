"""Stories in the warehouse: the loaders place new articles, keep core.dim_story, never move an
article that has a story; a rebuild places everything again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb

from tests.story_texts import (
    T0,
    as_article,
    demo_texts,
    shortened,
    syndicated,
    updated,
    with_body,
)
from warehouse.connection import open_writer
from warehouse.loaders import load_batch
from warehouse.stories import rebuild_stories


def stories(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT article_id, story_id FROM core.fact_article").fetchall())


def dim_story(con: duckdb.DuckDBPyConnection) -> set[tuple[object, ...]]:
    return set(con.execute("SELECT story_id, first_seen_at, first_published_at, headline,"
                           " articles FROM core.dim_story").fetchall())


def dim_story_recomputed(con: duckdb.DuckDBPyConnection) -> set[tuple[object, ...]]:
    """core.dim_story as its definition says, worked out here from the articles."""
    by_story: dict[str, list[tuple]] = {}
    for row in con.execute("SELECT story_id, article_id, title, published_at, first_seen_at"
                           " FROM core.fact_article").fetchall():
        by_story.setdefault(row[0], []).append(row)
    expected = set()
    for story_id, rows in by_story.items():
        earliest = min(rows, key=lambda r: (r[3] or r[4], r[1]))
        published = [r[3] for r in rows if r[3] is not None]
        expected.add((story_id, min(r[4] for r in rows), min(published, default=None),
                      earliest[2], len(rows)))
    return expected


def test_every_loaded_article_has_a_story_and_versions_share_it(tmp_path: Path) -> None:
    texts = demo_texts()
    first = [as_article(t) for t in texts]
    versions = [as_article(shortened(texts[0], "short0")),
                as_article(updated(texts[1], "update1")),
                as_article(syndicated(texts[2], "copy2"), source="Asia Daily News")]
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=first)
        load_batch(con, run_id="r2", seen_at=T0 + timedelta(hours=1), articles=versions)
        got = stories(con)
        assert None not in got.values()
        assert got["short0"] == texts[0].article_id
        assert got["update1"] == texts[1].article_id
        assert got["copy2"] == texts[2].article_id
        assert len(set(got.values())) == len(texts)
        assert dim_story(con) == dim_story_recomputed(con)
        row = con.execute("SELECT headline, articles FROM core.dim_story WHERE story_id = ?",
                          [texts[2].article_id]).fetchone()
        assert row == (texts[2].title, 2)
        kinds = dict(con.execute("SELECT article_id, match_kind FROM core.story_match"
                                 " WHERE matched_article_id IS NOT NULL").fetchall())
        assert set(kinds) == {"short0", "update1", "copy2"}


def test_versions_in_one_batch_join_each_other(tmp_path: Path) -> None:
    text = demo_texts()[4]
    batch = [as_article(text), as_article(updated(text, "u")), as_article(shortened(text, "s"))]
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=batch)
        assert set(stories(con).values()) == {text.article_id}


def test_story_ids_never_change_on_a_rerun_or_a_new_body(tmp_path: Path) -> None:
    texts = demo_texts()
    batch = [as_article(t) for t in texts[:4]] + [as_article(updated(texts[0], "u0"))]
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=batch)
        before = stories(con)
        load_batch(con, run_id="r2", seen_at=T0 + timedelta(hours=1), articles=batch)
        assert stories(con) == before
        # version + 1 with a body of another article altogether: still its own story
        changed = with_body(batch[1], texts[3].body)
        load_batch(con, run_id="r3", seen_at=T0 + timedelta(hours=2), articles=[changed])
        assert stories(con) == before
        assert con.execute("SELECT version FROM core.fact_article WHERE article_id = ?",
                           [changed.article_id]).fetchone() == (2,)
        assert dim_story(con) == dim_story_recomputed(con)


def test_a_batch_spanning_years_matches_each_article_within_its_own_days(
        tmp_path: Path) -> None:
    texts = demo_texts()
    old = [as_article(t) for t in texts[:3]]
    years_later = as_article(updated(texts[0], "later", later=timedelta(days=900)))
    near = as_article(updated(texts[1], "near"))
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=old)
        load_batch(con, run_id="r2", seen_at=T0, articles=[years_later, near])
        got = stories(con)
    assert got["later"] == "later" and got["near"] == texts[1].article_id


def test_rebuild_places_articles_loaded_before_stories_existed(tmp_path: Path) -> None:
    texts = demo_texts()
    batch = [as_article(t) for t in texts[:3]]
    versions = [as_article(shortened(texts[0], "s0")), as_article(syndicated(texts[1], "c1"))]
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=batch + versions)
        incremental = stories(con)
        # what migration 0009 leaves behind: every article its own story, no signatures
        con.execute("UPDATE core.fact_article SET story_id = article_id")
        con.execute("DELETE FROM core.story_match")
        con.execute("DELETE FROM core.dim_story")
        con.execute("INSERT INTO core.dim_story SELECT article_id, first_seen_at, published_at,"
                    " title, 1 FROM core.fact_article")
        result = rebuild_stories(con)
        assert (result.articles, result.signatures_computed, result.stories) == (5, 5, 3)
        assert result.changed == 2
        assert stories(con) == incremental
        assert dim_story(con) == dim_story_recomputed(con)
        again = rebuild_stories(con)
        assert (again.signatures_computed, again.changed) == (0, 0)


def test_migration_gives_older_articles_stories_of_their_own(tmp_path: Path) -> None:
    from warehouse.migrations import available_migrations

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE SCHEMA meta")
    con.execute("CREATE TABLE meta.schema_migrations (version INTEGER PRIMARY KEY,"
                " name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
    for m in available_migrations():
        if m.version < 9:
            con.execute(m.sql)
            con.execute("INSERT INTO meta.schema_migrations (version, name) VALUES (?, ?)",
                        [m.version, m.name])
    con.execute("INSERT INTO core.fact_article (article_id, canonical_url, url, title, body,"
                " word_count, content_hash, photo_credits, text_fixes, first_seen_at,"
                " last_seen_at, published_at) VALUES ('a1', 'u1', 'u1', 'T', 'B', 1, 'h', [], [],"
                " ?, ?, ?)", [T0, T0, T0])
    con.close()
    with open_writer(tmp_path / "w.duckdb") as con:
        assert stories(con) == {"a1": "a1"}
        assert dim_story(con) == {("a1", T0, T0, "T", 1)}


def test_the_pool_is_the_neighbourhood_of_each_article_not_the_span_of_the_batch() -> None:
    from transforms.stories.matching import WINDOW
    from warehouse.stories import spans_around

    far = T0 + timedelta(days=900)
    near = T0 + timedelta(days=2)
    assert spans_around([far, T0, near]) == [(T0 - WINDOW, near + WINDOW),
                                              (far - WINDOW, far + WINDOW)]
    assert spans_around([]) == []


def test_an_article_from_before_stories_fetched_again_keeps_its_own_story(
        tmp_path: Path) -> None:
    texts = demo_texts()
    article = as_article(texts[0])
    with open_writer(tmp_path / "w.duckdb") as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[article])
        con.execute("DELETE FROM core.story_match")  # as migration 0009 leaves it
        load_batch(con, run_id="r2", seen_at=T0 + timedelta(hours=1),
                   articles=[with_body(article, texts[0].body + "\n\nA new last paragraph.")])
        row = con.execute("SELECT match_kind, matched_article_id, scheme FROM core.story_match"
                          ).fetchall()
        assert stories(con) == {article.article_id: article.article_id}
    from transforms.stories import SCHEME

    assert row == [("before_stories", None, SCHEME)]
