"""End to end: a feed with a French, a Spanish and an English page (none declares its
language) on loopback, through `newswire ingest` and `newswire models`."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.site_server import SiteServer
from transforms.entities import french

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness"),
              pytest.mark.skipif(importlib.util.find_spec(french.MODEL) is None,
                                 reason=f"the French model is not installed ({french.MODEL}:"
                                        " pip install -e '.[fr]' or '.[dev]')")]
PAGES = Path(__file__).parent / "fixtures" / "pages"
ITEMS = {  # path on the site -> (fixture page, pubDate)
    "/fr/20250312/c.html": ("xinhua_2021_fr.html", "Wed, 12 Mar 2025 18:20:05 +0800"),
    "/es/20250312/c.html": ("xinhua_2021_es.html", "Wed, 12 Mar 2025 19:05:40 +0800"),
    "/en/20250312/c.html": ("xinhua_2017.htm", "Wed, 12 Mar 2025 20:00:00 +0800"),
}


def _feed() -> str:
    items = "".join(f"<item><title>t</title><link>{{{{BASE}}}}{path}</link>"
                    f"<guid>{{{{BASE}}}}{path}</guid><pubDate>{date}</pubDate></item>"
                    for path, (_, date) in ITEMS.items())
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Mixed</title><link>{{{{BASE}}}}/</link><description>d</description>"
            f"{items}</channel></rss>")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    root = tmp_path_factory.mktemp("site")
    (root / "rss").mkdir()
    (root / "rss" / "mixed.xml").write_text(_feed(), encoding="utf-8")
    for path, (fixture, _) in ITEMS.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True)
        shutil.copy(PAGES / fixture, target)
    server = SiteServer(root)
    with server.running():
        yield server


@pytest.fixture(scope="module")
def warehouse(site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e-lang")
    feeds = root / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "mixed"\nurl = "{site.base_url}/rss/mixed.xml"\n'
                     'profile = "xinhua"\n', encoding="utf-8")
    common = ["--db", str(root / "w.duckdb"), "--data-dir", str(root / "data")]
    assert main(["ingest", *common, "--feeds", str(feeds)]) == 0
    assert main(["models", *common]) == 0
    return root / "w.duckdb"


def test_each_article_is_read_by_the_model_of_its_language(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT split_part(url, '/', 4), language, entities_model,"
            "       (SELECT count(*) FROM core.fact_entity_mention m"
            "         WHERE m.article_id = a.article_id)"
            " FROM core.fact_article a ORDER BY 1").fetchall()
        french_countries = con.execute(
            "SELECT DISTINCT e.country_code FROM core.fact_entity_mention m"
            " JOIN core.dim_entity e USING (entity_id) JOIN core.fact_article a USING (article_id)"
            " WHERE a.language = 'fr' AND e.country_code IS NOT NULL ORDER BY 1").fetchall()
    (en, en_lang, en_model, en_mentions), (es, *spanish), (fr, *fr_row) = rows
    assert (en, es, fr) == ("en", "es", "fr")
    assert en_lang == "en" and en_model.startswith("en_core_web_sm") and en_mentions > 0
    assert spanish == ["es", None, 0]
    assert fr_row[:2] == ["fr", "fr_core_news_sm-3.8.0"] and fr_row[2] > 5
    assert french_countries == [("CN",), ("KZ",), ("TR",), ("US",)]


def test_data_quality_counts_the_skipped_spanish_article(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        total = con.execute("SELECT sum(articles), sum(articles_without_entities),"
                            " sum(entities_skipped_language) FROM marts.data_quality").fetchone()
        day = con.execute("SELECT articles, entities_skipped_language FROM marts.data_quality"
                          " WHERE day = DATE '2025-03-12'").fetchone()
    assert total == (3, 1, 1)
    assert day == (2, 1)  # the French and the Spanish article
