"""Throughput of enrich_articles vs bare nlp.pipe of the same model with the same trained pipe.

    python benchmarks/entities_throughput.py [--devset DIR] [--words 200000]

--devset defaults to the demo site bundled with the repository (flows/demo_site). It also takes
any directory holding gold.json and site/ in the same format (none ships with the repository
besides the demo site). The set's clean bodies (from transforms.article.build_article) are
replicated until they hold about --words words.

'bare' is the model loaded exactly as load_pipeline loads it (every trained pipe but ner
excluded) running nlp.pipe over the bodies; 'full' is load_pipeline() plus enrich_articles
(ruler, fixups, sentencizer, canonicalisation, quotes). Words are whitespace-separated tokens
of the bodies. Best of --repeat runs; model loading not timed.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from entities_eval import DEMO_SITE, clean_bodies, load_set  # noqa: E402

from transforms.entities import enrich_articles, load_pipeline  # noqa: E402
from transforms.entities.pipeline import load_base  # noqa: E402


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", type=Path, default=DEMO_SITE, metavar="DIR",
                    help="set whose bodies are replicated: a directory with EXPECTED.json at its "
                         "root (default: the bundled demo site, %(default)s) or any directory "
                         "holding gold.json and site/ in the same format (none ships with the "
                         "repository besides the demo site)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    arts, site, beh = load_set(args.devset)
    bodies = list(clean_bodies(arts, site, beh).values())
    per_copy = sum(len(b.split()) for b in bodies)
    copies = max(1, round(args.words / per_copy))
    docs = [(f"a{i}", b) for i in range(copies) for b in bodies]
    words = per_copy * copies
    base, nlp = load_base(args.model), load_pipeline(args.model)
    texts = [b for _, b in docs]
    kw = {"batch_size": args.batch_size, "n_process": args.n_process}
    # warm-up: first calls allocate and build matcher tables
    list(base.pipe(texts[:20]))
    enrich_articles(nlp, docs[:20])
    t_bare = best_of(args.repeat, lambda: list(base.pipe(texts, **kw)))
    t_full = best_of(args.repeat, lambda: enrich_articles(nlp, docs, **kw))
    print(f"machine: {platform.processor() or platform.machine()}, python "
          f"{platform.python_version()}, model {base.meta['name']} {base.meta['version']}")
    print(f"docs: {len(docs)} ({copies} copies of {len(bodies)} bodies), words: {words}, "
          f"batch_size {args.batch_size}, n_process {args.n_process}, best of {args.repeat}")
    print(f"bare nlp.pipe ({'+'.join(base.pipe_names)}): {t_bare:6.2f}s  "
          f"{words / t_bare:8.0f} words/s")
    print(f"enrich_articles ({'+'.join(nlp.pipe_names)}): {t_full:6.2f}s  "
          f"{words / t_full:8.0f} words/s  ({t_full / t_bare:.2f}x the bare time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
