"""`newswire models --rebuild-stories` on a warehouse whose articles were loaded before stories
existed: every article placed again, progress shown, then the models built."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.story_texts import T0, as_article, demo_texts, shortened, syndicated
from warehouse.connection import open_writer
from warehouse.loaders import load_batch

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


def test_rebuild_stories_places_every_article_and_builds_the_models(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    texts = demo_texts()
    with open_writer(db) as con:
        load_batch(con, run_id="r1", seen_at=T0, articles=[
            *(as_article(t) for t in texts[:4]), as_article(shortened(texts[0], "s0")),
            as_article(syndicated(texts[1], "c1"), source="Asia Daily News")])
        # what migration 0009 leaves of articles loaded before it
        con.execute("UPDATE core.fact_article SET story_id = article_id")
        con.execute("DELETE FROM core.story_match")
        con.execute("DELETE FROM core.dim_story")
        con.execute("INSERT INTO core.dim_story SELECT article_id, first_seen_at, published_at,"
                    " title, 1 FROM core.fact_article")

    code = main(["models", "--rebuild-stories", "--db", str(db),
                 "--data-dir", str(tmp_path / "data")])

    assert code == 0
    err = capsys.readouterr().err
    assert "stories rebuilt: 6 articles in 4 stories, 2 articles changed story, " \
           "6 signatures computed" in err
    with duckdb.connect(str(db), read_only=True) as con:
        stories = dict(con.execute("SELECT article_id, story_id FROM core.fact_article"
                                   ).fetchall())
        mart = con.execute("SELECT articles, sources FROM marts.stories WHERE story_id = ?",
                           [texts[1].article_id]).fetchone()
    assert stories["s0"] == texts[0].article_id and stories["c1"] == texts[1].article_id
    assert mart == (2, 2)
