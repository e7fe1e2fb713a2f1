"""How the signature parameters (shingle size, permutations) trade accuracy for time, on the
generated corpus: what the defaults of transforms.stories.signature.SignatureScheme rest on.

    python -m benchmarks.story_params [--stories 3000] [--seeds 10 11]

For each shingle size (3, 4, 5 words) and body permutation count (64, 128, 256, with LSH
bands of 3 rows), and lead permutations (32, 64): pairwise precision and recall summed over
the seeds' corpora (benchmarks/story_corpus.py, load order as benchmarks/story_eval.py feeds
it), and the time to sign and place an article. The thresholds of transforms/stories/matching.py
stay as they are.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from benchmarks.story_corpus import CorpusArticle, generate
from benchmarks.story_eval import load_order, score
from transforms.stories import SignatureScheme, cluster_articles

GRID = [SignatureScheme(shingle_words=w, perms=p, lead_perms=lp)
        for w in (3, 4, 5) for p in (64, 128, 256) for lp in (32, 64)]


def measure(scheme: SignatureScheme, corpora: Sequence[tuple[list[CorpusArticle],
                                                            list[CorpusArticle]]]
            ) -> tuple[int, int, int, float]:
    """(true pairs, predicted pairs, correct pairs, ms per article) over the corpora."""
    true = predicted = correct = articles = 0
    spent = 0.0
    for corpus, order in corpora:
        start = time.perf_counter()
        stories = cluster_articles(order, scheme)
        spent += time.perf_counter() - start
        articles += len(order)
        report = score(corpus, stories)
        true += report.true_pairs
        predicted += report.predicted_pairs
        correct += report.correct_pairs
    return true, predicted, correct, spent / articles * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[10, 11])
    args = parser.parse_args(argv)
    corpora = []
    for seed in args.seeds:
        corpus = generate(args.stories, seed)
        corpora.append((corpus, load_order(corpus, seed)))
    print(f"{'scheme':44} {'precision':>9} {'recall':>7} {'false':>6} {'missed':>6}"
          f" {'ms/article':>10}")
    for scheme in GRID:
        true, predicted, correct, ms = measure(scheme, corpora)
        print(f"{scheme.name:44} {correct / max(1, predicted):9.4f} {correct / max(1, true):7.4f}"
              f" {predicted - correct:6d} {true - correct:6d} {ms:10.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
