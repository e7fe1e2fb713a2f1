"""Pairwise precision and recall of a story clustering on the generated corpus.

    python -m benchmarks.story_eval [--stories 300] [--seed 1] [--corpus FILE.jsonl]
                                    [--matcher MODULE:FUNCTION] [--overlap]

The matcher (default transforms.stories:cluster_articles) receives the articles in load order
(by UTC day, shuffled within a day, deterministic for --seed) as objects with article_id,
title, body and published_at, and returns {article_id: predicted story id}.

True pairs are pairs of articles of one group, predicted pairs pairs of one predicted story.
Per variant kind K it reports the recall of the (original, K) pairs and the false-positive
pairs (predicted together, different groups) that a K article takes part in; for
unrelated_same_topic, how many were joined to the story they imitate.

--overlap prints instead how much text each kind shares with its original (word 3-, 4- and
5-shingles of the lowercased \\w+ tokens of the body, Jaccard and containment
|A&B| / min(|A|, |B|)): where a matcher's thresholds can go.
"""

from __future__ import annotations

import argparse
import importlib
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.story_corpus import KINDS, CorpusArticle, generate, read_jsonl

Cluster = Callable[[Sequence[CorpusArticle]], Mapping[str, str]]
DEFAULT_MATCHER = "transforms.stories:cluster_articles"
UNRELATED = "unrelated_same_topic"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class KindScore:
    kind: str
    articles: int
    found: int | None  # (original, K) pairs predicted together; None for originals
    false_pairs: int  # false-positive pairs with at least one K article

    @property
    def recall(self) -> float | None:
        return None if self.found is None or self.kind == UNRELATED else \
            (self.found / self.articles if self.articles else 1.0)


@dataclass(frozen=True)
class Report:
    articles: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    kinds: tuple[KindScore, ...]
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def kind(self, kind: str) -> KindScore:
        return next(k for k in self.kinds if k.kind == kind)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def load_order(articles: Sequence[CorpusArticle], seed: int = 0) -> list[CorpusArticle]:
    """By UTC day, shuffled within a day: the order a daily ingest sees them in."""
    days: dict[object, list[CorpusArticle]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.published_at, a.article_id)):
        days[article.published_at.date()].append(article)
    rng, out = random.Random(seed), []
    for day in sorted(days):
        batch = days[day]
        rng.shuffle(batch)
        out.extend(batch)
    return out


def _check(articles: Sequence[CorpusArticle], predicted: Mapping[str, str]) -> None:
    ids = {a.article_id for a in articles}
    missing, extra = ids - predicted.keys(), predicted.keys() - ids
    if missing or extra:
        raise ValueError(f"the clustering must map every article id once: {len(missing)} "
                         f"missing (e.g. {sorted(missing)[:3]}), {len(extra)} unknown "
                         f"(e.g. {sorted(extra)[:3]})")
    bad = [k for k, v in predicted.items() if not isinstance(v, str)]
    if bad:
        raise ValueError(f"predicted story ids must be strings, not {predicted[bad[0]]!r}")


def _false_pairs(members: Sequence[CorpusArticle], kind: str | None) -> int:
    """False-positive pairs among members (one predicted story), all of them or (kind given)
    only those in which an article of that kind takes part."""
    groups = Counter(a.group for a in members)
    fp = _pairs(len(members)) - sum(_pairs(c) for c in groups.values())
    if kind is None:
        return fp
    rest = [a for a in members if a.kind != kind]
    rest_groups = Counter(a.group for a in rest)
    return fp - (_pairs(len(rest)) - sum(_pairs(c) for c in rest_groups.values()))


def score(articles: Sequence[CorpusArticle], predicted: Mapping[str, str]) -> Report:
    """Pairwise scores of predicted ({article_id: story id}) against the articles' groups."""
    _check(articles, predicted)
    by_pred: dict[str, list[CorpusArticle]] = defaultdict(list)
    for article in articles:
        by_pred[predicted[article.article_id]].append(article)
    truth = Counter(a.group for a in articles)
    both = Counter((a.group, predicted[a.article_id]) for a in articles)
    kinds = []
    for kind in KINDS:
        of_kind = [a for a in articles if a.kind == kind]
        found = None if kind == "original" else sum(
            predicted[a.article_id] == predicted.get(a.derived_from or "") for a in of_kind)
        false_pairs = sum(_false_pairs(m, kind) for m in by_pred.values()
                          if any(a.kind == kind for a in m))
        kinds.append(KindScore(kind, len(of_kind), found, false_pairs))
    return Report(len(articles), sum(_pairs(c) for c in truth.values()),
                  sum(_pairs(len(m)) for m in by_pred.values()),
                  sum(_pairs(c) for c in both.values()), tuple(kinds))


def evaluate(articles: Sequence[CorpusArticle], cluster: Cluster, seed: int = 0) -> Report:
    """Run cluster on the articles in load order and score what it returns."""
    ordered = load_order(articles, seed)
    started = time.perf_counter()
    predicted = dict(cluster(ordered))
    seconds = time.perf_counter() - started
    report = score(articles, predicted)
    return Report(report.articles, report.true_pairs, report.predicted_pairs,
                  report.correct_pairs, report.kinds, seconds)


def format_report(report: Report) -> str:
    lines = [f"{'kind':<22}{'articles':>9}{'recall vs original':>20}{'false-pos pairs':>17}"]
    for k in report.kinds:
        recall = "-" if k.recall is None else f"{k.recall:.3f} ({k.found}/{k.articles})"
        lines.append(f"{k.kind:<22}{k.articles:>9}{recall:>20}{k.false_pairs:>17}")
    unrelated = report.kind(UNRELATED)
    lines += [f"{UNRELATED} joined to the story it imitates: {unrelated.found}/"
              f"{unrelated.articles}",
              f"overall: precision {report.precision:.4f}  recall {report.recall:.4f}  "
              f"F1 {report.f1:.4f}  (true pairs {report.true_pairs}, predicted "
              f"{report.predicted_pairs}, correct {report.correct_pairs}; "
              f"{report.articles} articles in {report.seconds:.2f} s)"]
    return "\n".join(lines)


def same_title(articles: Sequence[CorpusArticle]) -> dict[str, str]:
    """A naive baseline matcher: one story per exact title."""
    first: dict[str, str] = {}
    return {a.article_id: first.setdefault(a.title, a.article_id) for a in articles}


def shingles(text: str, size: int) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def overlap(articles: Sequence[CorpusArticle],
            sizes: Sequence[int] = (3, 4, 5)) -> dict[tuple[str, int], dict[str, list[float]]]:
    """{(kind, size): {"jaccard": [...], "containment": [...]}} of each article vs the original
    it derives from (or imitates), over the bodies' word shingles."""
    by_id = {a.article_id: a for a in articles}
    out: dict[tuple[str, int], dict[str, list[float]]] = {}
    for size in sizes:
        cache = {a.article_id: shingles(a.body, size) for a in articles}
        for article in articles:
            if article.derived_from is None:
                continue
            mine, theirs = cache[article.article_id], cache[by_id[article.derived_from].article_id]
            common = len(mine & theirs)
            row = out.setdefault((article.kind, size), {"jaccard": [], "containment": []})
            row["jaccard"].append(common / len(mine | theirs) if mine | theirs else 1.0)
            row["containment"].append(common / min(len(mine), len(theirs))
                                      if mine and theirs else 1.0)
    return out


def format_overlap(stats: Mapping[tuple[str, int], Mapping[str, list[float]]]) -> str:
    def summary(values: list[float]) -> str:
        ranked = sorted(values)

        def at(q: float) -> float:
            return ranked[round(q * (len(ranked) - 1))]
        return f"{ranked[0]:.3f} {at(0.05):.3f} {at(0.5):.3f} {ranked[-1]:.3f}"
    lines = [f"{'kind':<22}{'n':>3}{'count':>6}  {'jaccard min/p5/med/max':<25}"
             f"containment min/p5/med/max"]
    for (kind, size), row in sorted(stats.items(), key=lambda i: (KINDS.index(i[0][0]), i[0][1])):
        lines.append(f"{kind:<22}{size:>3}{len(row['jaccard']):>6}  "
                     f"{summary(row['jaccard']):<25}{summary(row['containment'])}")
    return "\n".join(lines)


def load_matcher(spec: str) -> Cluster:
    """MODULE:FUNCTION -> the function; a clear exit when it cannot be loaded."""
    module_name, sep, function = spec.partition(":")
    if not sep or not module_name or not function:
        raise SystemExit(f"story_eval: --matcher must be MODULE:FUNCTION, got {spec!r}")
    try:
        found = getattr(importlib.import_module(module_name), function)
    except (ImportError, AttributeError) as exc:
        raise SystemExit(f"story_eval: cannot load the matcher {spec!r} "
                         f"({type(exc).__name__}: {exc})") from exc
    if not callable(found):
        raise SystemExit(f"story_eval: {spec!r} is not callable")
    return found  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1, help="corpus and load-order seed")
    parser.add_argument("--corpus", type=Path, help="a JSON lines file from story_corpus")
    parser.add_argument("--matcher", default=DEFAULT_MATCHER, help="MODULE:FUNCTION")
    parser.add_argument("--overlap", action="store_true",
                        help="print the shingle overlap of each kind instead of scoring")
    args = parser.parse_args(argv)
    articles = read_jsonl(args.corpus) if args.corpus else generate(args.stories, args.seed)
    if args.overlap:
        print(format_overlap(overlap(articles)))
        return 0
    cluster = load_matcher(args.matcher)
    print(f"matcher {args.matcher}, {len(articles)} articles")
    print(format_report(evaluate(articles, cluster, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
