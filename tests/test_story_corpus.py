"""The generated story-clustering corpus and its pairwise scorer (benchmarks/story_*.py)."""

from __future__ import annotations

import random
import re
import types
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks import story_phrases as ph
from benchmarks.story_corpus import (
    KIND_RATES,
    START,
    CorpusArticle,
    generate,
    read_jsonl,
    rewrite_paragraph,
    synthetic_stream,
    to_json,
)
from benchmarks.story_eval import (
    evaluate,
    format_report,
    load_matcher,
    load_order,
    overlap,
    same_title,
    score,
    shingles,
)

STORIES = 100
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+, [A-Z][a-z]+ \d{1,2} \(Xinhua\) -- [A-Z\"]")
ENTITIES = ph.PERSONS + ph.ORGS + sorted({country for _, country, _ in ph.PLACES})


@pytest.fixture(scope="module")
def corpus() -> list[CorpusArticle]:
    return generate(STORIES, seed=5)


def _originals(corpus: list[CorpusArticle]) -> dict[str, CorpusArticle]:
    return {a.article_id: a for a in corpus if a.kind == "original"}


def _of(corpus: list[CorpusArticle], kind: str) -> list[CorpusArticle]:
    return [a for a in corpus if a.kind == kind]


def _jaccard(a: str, b: str) -> float:
    x, y = shingles(a, 5), shingles(b, 5)
    return len(x & y) / len(x | y)


def test_same_seed_same_corpus(corpus: list[CorpusArticle]) -> None:
    assert generate(STORIES, seed=5) == corpus
    assert [a.body for a in generate(STORIES, seed=6)] != [a.body for a in corpus]


def test_every_kind_in_its_proportion(corpus: list[CorpusArticle]) -> None:
    counts = Counter(a.kind for a in corpus)
    assert counts == {"original": STORIES} | {k: round(r * STORIES) for k, r in KIND_RATES.items()}
    originals = _originals(corpus)
    for article in corpus:
        if article.kind == "original":
            assert article.derived_from is None
        elif article.kind == "unrelated_same_topic":
            assert article.group != originals[article.derived_from].group
        else:
            assert article.group == originals[article.derived_from].group
    unrelated_groups = Counter(a.group for a in _of(corpus, "unrelated_same_topic"))
    assert set(unrelated_groups.values()) == {1}
    assert not set(unrelated_groups) & {a.group for a in originals.values()}


def test_originals_look_like_wire_copy(corpus: list[CorpusArticle]) -> None:
    for article in _originals(corpus).values():
        paragraphs = article.paragraphs
        assert 6 <= len(paragraphs) <= 14
        assert 350 <= len(article.body.split()) <= 900
        assert DATELINE.match(paragraphs[0]), paragraphs[0]
        assert any(re.search(r'," [A-Z][\w .\'-]+ (said|noted|stressed|added|pointed out|told '
                             r'reporters)\.$', p) for p in paragraphs)
        assert article.published_at.tzinfo is UTC
    assert len({a.title for a in corpus if a.kind in ("original", "unrelated_same_topic")}) == \
        STORIES + round(KIND_RATES["unrelated_same_topic"] * STORIES)


def test_variants_follow_their_original(corpus: list[CorpusArticle]) -> None:
    originals = _originals(corpus)
    for article in corpus:
        if article.kind in ("original", "unrelated_same_topic"):
            continue
        delay = article.published_at - originals[article.derived_from].published_at
        assert timedelta(0) <= delay <= timedelta(days=3)


def test_shortened_is_the_first_three_paragraphs(corpus: list[CorpusArticle]) -> None:
    originals = _originals(corpus)
    for article in _of(corpus, "shortened"):
        original = originals[article.derived_from]
        assert article.paragraphs == original.paragraphs[:3]
        assert article.feed != original.feed


def test_updates(corpus: list[CorpusArticle]) -> None:
    originals = _originals(corpus)
    for article in _of(corpus, "update_added"):
        original = originals[article.derived_from].paragraphs
        ours = article.paragraphs
        assert len(ours) == len(original) + 1
        assert [p for p in ours if p in original] == original
    for article in _of(corpus, "update_changed"):
        original = originals[article.derived_from].paragraphs
        changed = [a for a, b in zip(article.paragraphs, original, strict=True) if a != b]
        assert 1 <= len(changed) <= 2


def test_rewrite_always_changes_a_paragraph() -> None:
    quote = '"Dialogue is the only way forward," Ana Costa noted.'
    dateline = "HANOI, May 4 (Xinhua) -- Exports rose 12.5 percent to 300 million dollars."
    for seed in range(20):
        assert rewrite_paragraph(random.Random(seed), quote) != quote
        changed = rewrite_paragraph(random.Random(seed), dateline)
        assert changed.startswith("HANOI, May 4 (Xinhua) -- ") and "12.5" not in changed


def test_syndicated_copies(corpus: list[CorpusArticle]) -> None:
    originals = _originals(corpus)
    for article in _of(corpus, "syndicated"):
        original = originals[article.derived_from]
        assert article.source_name in ph.SYNDICATORS
        kept = [p for p in original.paragraphs[1:] if p in article.paragraphs]
        assert len(kept) >= len(original.paragraphs) - 2
    syndicated = _of(corpus, "syndicated")
    with_country = re.compile(r"^[A-Z][A-Z .'-]+, [A-Z][\w ]+, [A-Z][a-z]+ \d+ \(Xinhua\) -- ")
    assert any(any(with_country.match(p) for p in a.paragraphs) for a in syndicated)
    assert any("(Xinhua) --" not in a.body for a in syndicated)
    assert any(a.paragraphs[0] in ph.BOILER_TOP for a in syndicated)
    assert any(a.paragraphs[-1].startswith(("Related: ", "Follow us")) for a in syndicated)
    assert any(a.title != originals[a.derived_from].title for a in syndicated)


def test_unrelated_share_entities_not_text(corpus: list[CorpusArticle]) -> None:
    originals = _originals(corpus)
    for article in _of(corpus, "unrelated_same_topic"):
        original = originals[article.derived_from]
        mine = {e for e in ENTITIES if e in article.body}
        theirs = {e for e in ENTITIES if e in original.body}
        assert len(mine & theirs) >= 2, (mine, theirs)
        assert article.title != original.title
        assert article.paragraphs[0] != original.paragraphs[0]
        assert _jaccard(article.body, original.body) < 0.6
        assert abs(article.published_at - original.published_at) < timedelta(days=4)


def test_stream_is_lazy_and_spread_over_time() -> None:
    stream = synthetic_stream(1500, seed=2, days=60)
    assert isinstance(stream, types.GeneratorType)
    articles = list(stream)
    assert len(articles) == 1500
    times = [a.published_at for a in articles if a.kind == "original"]
    assert times == sorted(times)
    assert START <= times[0] < START + timedelta(days=1)
    assert START + timedelta(days=55) < times[-1] < START + timedelta(days=61)
    assert {a.kind for a in articles} == {"original", *KIND_RATES}


def test_jsonl_round_trip(corpus: list[CorpusArticle], tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(to_json(a) + "\n" for a in corpus[:20]), encoding="utf-8")
    assert read_jsonl(path) == corpus[:20]
    path.write_text('{"article_id": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"corpus.jsonl:1: not a corpus article"):
        read_jsonl(path)


# A hand-made corpus: story A (o1 with its shortened a2 and syndicated a3), story B (o4), and
# u5 imitating o1 in its own group.
def _article(article_id: str, group: str, kind: str, derived_from: str | None = None,
             day: int = 1) -> CorpusArticle:
    return CorpusArticle(article_id, group, kind, f"title {article_id}", f"body {article_id}",
                         datetime(2026, 3, day, 12, tzinfo=UTC), "Xinhua", "f", derived_from)


TINY = [_article("o1", "A", "original"), _article("a2", "A", "shortened", "o1", 2),
        _article("a3", "A", "syndicated", "o1", 2), _article("o4", "B", "original"),
        _article("u5", "C", "unrelated_same_topic", "o1", 3)]


def test_score_perfect() -> None:
    report = score(TINY, {a.article_id: a.group for a in TINY})
    assert (report.precision, report.recall, report.true_pairs) == (1.0, 1.0, 3)
    assert report.kind("shortened").recall == report.kind("syndicated").recall == 1.0
    assert report.kind("unrelated_same_topic").found == 0
    assert all(k.false_pairs == 0 for k in report.kinds)


def test_score_all_in_one() -> None:
    report = score(TINY, {a.article_id: "one" for a in TINY})
    assert (report.predicted_pairs, report.correct_pairs) == (10, 3)
    assert report.precision == pytest.approx(0.3)
    assert report.recall == 1.0
    assert report.kind("unrelated_same_topic").found == 1
    assert report.kind("unrelated_same_topic").false_pairs == 4
    assert report.kind("shortened").false_pairs == 2
    assert report.kind("original").false_pairs == 5
    assert "joined to the story it imitates: 1/1" in format_report(report)


def test_score_all_singletons() -> None:
    report = score(TINY, {a.article_id: a.article_id for a in TINY})
    assert (report.precision, report.recall, report.predicted_pairs) == (1.0, 0.0, 0)
    assert report.kind("shortened").recall == 0.0


def test_score_needs_every_article() -> None:
    with pytest.raises(ValueError, match="1 missing"):
        score(TINY, {a.article_id: "x" for a in TINY[1:]})
    with pytest.raises(ValueError, match="1 unknown"):
        score(TINY, {a.article_id: "x" for a in TINY} | {"zz": "x"})


def test_evaluate_feeds_load_order(corpus: list[CorpusArticle]) -> None:
    seen: list[list[str]] = []

    def cluster(articles: object) -> dict[str, str]:
        seen.append([a.article_id for a in articles])  # type: ignore[attr-defined]
        return same_title(articles)  # type: ignore[arg-type]

    report = evaluate(corpus, cluster, seed=3)
    evaluate(corpus, cluster, seed=3)
    assert seen[0] == seen[1] and sorted(seen[0]) == sorted(a.article_id for a in corpus)
    days = [a.published_at.date() for a in load_order(corpus, 3)]
    assert days == sorted(days)
    in_time_order = [a.article_id for a in sorted(corpus, key=lambda a: a.published_at)]
    assert seen[0] != in_time_order  # shuffled within a day
    assert report.precision == 1.0 and report.kind("shortened").recall == 1.0


def test_overlap_of_shortened_is_contained() -> None:
    stats = overlap(generate(20, seed=1), sizes=(5,))
    assert set(stats[("shortened", 5)]["containment"]) == {1.0}
    assert max(stats[("shortened", 5)]["jaccard"]) < 0.6
    assert len(shingles("One two three four five six", 5)) == 2


def test_load_matcher() -> None:
    assert load_matcher("benchmarks.story_eval:same_title") is same_title
    with pytest.raises(SystemExit, match="MODULE:FUNCTION"):
        load_matcher("benchmarks.story_eval")
    with pytest.raises(SystemExit, match="cannot load the matcher"):
        load_matcher("benchmarks.no_such_module:cluster")
