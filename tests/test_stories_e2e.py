"""End to end: stories through the real pipeline. A generated story corpus (updates, shortened
versions, syndicated copies on another site, unrelated stories of the same topic) is served on
loopback as Xinhua pages and as another site's pages (benchmarks/story_site.py), ingested with
`newswire ingest`, and the story ids the loaders gave are scored against the corpus groups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from benchmarks.story_corpus import KINDS, CorpusArticle, generate
from benchmarks.story_eval import score
from benchmarks.story_site import CHROME_MARKS, StorySite, corpus_id, feeds_toml, render_site
from flows.cli import main
from flows.site_server import SiteServer

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

STORIES, SEED = 12, 3
LOAD_ARTICLES = 8  # articles per load transaction (31 pages: several loads a run)
PRECISION_MIN, RECALL_MIN = 0.98, 0.95


def _story_ids(db: Path) -> dict[str, str | None]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT article_id, story_id FROM core.fact_article").fetchall())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Three ingests, then `newswire models`: the agency's feeds alone (the syndicated copies
    must then join stories of an earlier run, from the signatures stored in the warehouse),
    every feed, every feed again. A few articles per load transaction, so that articles also
    meet stories of earlier loads of the same run."""
    import flows.pages as pages

    root = tmp_path_factory.mktemp("stories-e2e")
    corpus = generate(STORIES, SEED)
    site = render_site(corpus, root / "site")
    agency, syndication = SiteServer(site.agency_dir), SiteServer(site.syndication_dir)
    common = ["--db", str(root / "w.duckdb"), "--data-dir", str(root / "data")]
    codes, ids = [], []
    with agency.running(), syndication.running(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "LOAD_ARTICLES", LOAD_ARTICLES)
        patch.setenv("NEWSWIRE_WORKERS", "1")  # 31 pages: a second worker costs more than it saves
        for name, sites in (("agency", ("agency",)), ("all", ("agency", "syndication"))):
            (root / f"{name}.toml").write_text(
                feeds_toml(site, agency.base_url, syndication.base_url, sites),
                encoding="utf-8")
        for name in ("agency", "all", "all"):
            codes.append(main(["ingest", *common, "--feeds", str(root / f"{name}.toml")]))
            ids.append(_story_ids(root / "w.duckdb"))
    codes.append(main(["models", *common]))
    yield {"db": root / "w.duckdb", "corpus": corpus, "site": site, "codes": codes,
           "ids": ids}


def _loaded(db: Path, site: StorySite) -> dict[str, tuple[str, str | None]]:
    """corpus article_id -> (warehouse article_id, story_id)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT canonical_url, article_id, story_id "
                           "FROM core.fact_article").fetchall()
    out = {}
    for url, article_id, story_id in rows:
        cid = corpus_id(url, site)
        assert cid is not None, f"a loaded article that is no corpus page: {url}"
        out[cid] = (article_id, story_id)
    return out


def test_every_page_is_loaded_with_a_story(run: dict) -> None:
    assert run["codes"] == [0, 0, 0, 0]
    corpus: list[CorpusArticle] = run["corpus"]
    assert {a.kind for a in corpus} == set(KINDS)  # the corpus has every variant kind
    loaded = _loaded(run["db"], run["site"])
    assert set(loaded) == {a.article_id for a in corpus}
    assert [cid for cid, (_, story) in loaded.items() if story is None] == []


def test_stories_match_the_corpus_groups(run: dict) -> None:
    corpus: list[CorpusArticle] = run["corpus"]
    loaded = _loaded(run["db"], run["site"])
    report = score(corpus, {cid: str(story) for cid, (_, story) in loaded.items()})
    missed = [(k.kind, k.found, k.articles) for k in report.kinds
              if k.recall is not None and k.found != k.articles]
    assert report.precision >= PRECISION_MIN, (report.precision, missed)
    assert report.recall >= RECALL_MIN, (report.recall, missed)
    # A story is named after its first article, which belongs to it.
    story_of = dict(loaded.values())
    assert {s for s in story_of.values() if story_of.get(s) != s} == set()


def test_a_story_is_named_after_its_original(run: dict) -> None:
    # Feeds list the newest first; pages are processed oldest first, so the original starts
    # the story before its updates and copies, and its headline is the story's.
    corpus: list[CorpusArticle] = run["corpus"]
    loaded = _loaded(run["db"], run["site"])
    originals = {a.group: a for a in corpus if a.kind == "original"}
    named_after = {a.group: loaded[a.article_id][1] for a in corpus if a.group in originals}
    assert {g: story for g, story in named_after.items()
            if story != loaded[originals[g].article_id][0]} == {}
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        headlines = dict(con.execute("SELECT story_id, headline FROM core.dim_story").fetchall())
    assert {loaded[a.article_id][0]: a.title for a in originals.values()} == {
        loaded[a.article_id][0]: headlines[loaded[a.article_id][0]] for a in originals.values()}


def test_no_page_chrome_reaches_a_body(run: dict) -> None:
    # Shared chrome would make the leads of a site's pages alike (the lead rule joins on
    # them): the syndicated copies must come out as their text alone.
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        bodies = [r[0] for r in con.execute("SELECT body FROM core.fact_article").fetchall()]
    assert [m for m in CHROME_MARKS if any(m in b for b in bodies)] == []


def test_dim_story_agrees_with_the_articles(run: dict) -> None:
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        dim = con.execute("SELECT story_id, articles, first_published_at, first_seen_at, "
                          "headline FROM core.dim_story ORDER BY story_id").fetchall()
        facts = con.execute(
            "SELECT story_id, count(*), min(published_at), min(first_seen_at),"
            "       arg_min(title, (coalesce(published_at, first_seen_at), article_id))"
            " FROM core.fact_article GROUP BY story_id ORDER BY story_id").fetchall()
        kinds = con.execute(
            "SELECT count(*) FILTER (WHERE (m.match_kind = 'first')"
            "                              <> (f.story_id = f.article_id)),"
            "       count(*) FILTER (WHERE m.article_id IS NULL)"
            " FROM core.fact_article f LEFT JOIN core.story_match m USING (article_id)"
        ).fetchone()
    assert dim == facts
    assert len(dim) < len(run["ids"][-1])  # some articles share a story
    assert kinds == (0, 0)  # each article's match says whether it started its story


def test_later_ingests_change_no_story(run: dict) -> None:
    agency_only, everything, again = run["ids"]
    syndicated = {a.article_id for a in run["corpus"] if a.kind == "syndicated"}
    assert len(everything) - len(agency_only) == len(syndicated) > 0
    assert {k: everything[k] for k in agency_only} == agency_only
    assert again == everything
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        loads = con.execute("SELECT count(DISTINCT first_seen_at) FROM core.fact_article"
                            ).fetchone()[0]
    assert loads >= 3  # the first run's articles came in several loads, the second's later


def test_marts_stories_agree_when_built(run: dict) -> None:
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        exists = con.execute("SELECT count(*) FROM information_schema.tables "
                             "WHERE table_schema = 'marts' AND table_name = 'stories'"
                             ).fetchone()[0]
        if not exists:
            pytest.skip("marts.stories is not built by this version of the models")
        mart = con.execute("SELECT story_id, articles FROM marts.stories ORDER BY 1").fetchall()
        facts = con.execute("SELECT story_id, count(*) FROM core.fact_article "
                            "GROUP BY 1 ORDER BY 1").fetchall()
    assert mart == facts
