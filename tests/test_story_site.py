"""The story corpus rendered as loopback sites (benchmarks/story_site.py) reads back, page by
page, through the site profiles as the corpus wrote it: a failure here, not a story score in
the end-to-end test, says that extraction changed a text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.story_corpus import CorpusArticle, generate
from benchmarks.story_site import AGENCY, StorySite, feeds_toml, render_site
from transforms.article import build_article
from transforms.records import Article

BASE = "http://127.0.0.1:8"
FETCHED = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CorpusArticle], StorySite]:
    corpus = generate(12, 3)
    return corpus, render_site(corpus, tmp_path_factory.mktemp("story-site"))


def _read(site: StorySite, path: str, article: CorpusArticle) -> Article:
    agency = article.source_name == AGENCY
    root = site.agency_dir if agency else site.syndication_dir
    body = (root / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", BASE.encode())
    return build_article(item_url=BASE + path, canonical_url=BASE + path,
                         article_id=article.article_id, body=body,
                         content_type="text/html; charset=utf-8",
                         profile="xinhua" if agency else "generic", fetched_at=FETCHED)


def test_each_page_reads_back_as_the_corpus_article(
        site: tuple[list[CorpusArticle], StorySite]) -> None:
    corpus, rendered = site
    by_id = {a.article_id: a for a in corpus}
    assert sorted(rendered.paths.values()) == sorted(by_id)
    problems = []
    for path, article_id in rendered.paths.items():
        want = by_id[article_id]
        got = _read(rendered, path, want)
        paragraphs = got.body.split("\n\n")
        # The cleaning moves the dateline ('BEIJING, Jan. 5 (Xinhua) -- ') out of the text.
        same_text = len(paragraphs) == len(want.paragraphs) and all(
            p == w or w.endswith(" -- " + p) for p, w in zip(paragraphs, want.paragraphs,
                                                             strict=True))
        checks = {"title": (got.title, want.title),
                  "published_at": (got.published_at, want.published_at.replace(microsecond=0)),
                  "text": (same_text, True)}
        problems += [f"{want.kind} {path} {k}: got {g!r}, want {w!r}"
                     for k, (g, w) in checks.items() if g != w]
    assert not problems, "\n".join(problems)


def test_both_sites_and_every_feed_are_rendered(
        site: tuple[list[CorpusArticle], StorySite]) -> None:
    corpus, rendered = site
    assert {f.name for f in rendered.feeds} == {a.feed for a in corpus}
    assert {f.profile for f in rendered.feeds} == {"xinhua", "generic"}
    # Both Xinhua layouts are served.
    agency_paths = [p for p, a in rendered.paths.items()
                    if next(c for c in corpus if c.article_id == a).source_name == AGENCY]
    assert any(p.endswith(".htm") for p in agency_paths)
    assert any(p.endswith("/c.html") for p in agency_paths)
    for feed in rendered.feeds:
        root = rendered.agency_dir if feed.site == "agency" else rendered.syndication_dir
        assert (root / feed.path.lstrip("/")).is_file()
    only_agency = feeds_toml(rendered, "http://a", "http://s", ("agency",))
    assert "http://s/" not in only_agency and 'profile = "generic"' not in only_agency


def test_render_site_rejects_a_feed_on_both_sites(tmp_path: Path) -> None:
    corpus = generate(12, 3)
    syndicated = next(a for a in corpus if a.kind == "syndicated")
    mixed = [*corpus, CorpusArticle(**{**syndicated.__dict__, "article_id": "x" * 16,
                                       "feed": corpus[0].feed})]
    with pytest.raises(ValueError, match="both sites"):
        render_site(mixed, tmp_path)
