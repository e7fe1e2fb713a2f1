"""`newswire search` at scale: index build time and size, and query latency.

    python benchmarks/synthetic_warehouse.py --articles 200000 --mentions 4000000 \\
        --text-bodies --skip-models --db /work/tmp/search200k/warehouse.duckdb
    python benchmarks/search_latency.py --db /work/tmp/search200k/warehouse.duckdb

Builds the index as `newswire models` does (the warehouse open read-only only while the
snapshot is copied), then runs a fixed set of queries (single words common and rare, phrases
of 2-3 words, each filter alone and combined) through flows.search.run_search, which is what
the CLI calls, each query twice (the first pass reads the index file from disk into the page
cache), and a few through the whole CLI process to show its start-up. Prints JSON.

    python benchmarks/search_latency.py --enlarge SMALL.duckdb --articles 200000 --db BIG.duckdb

writes BIG with the tables search reads (core.fact_article, fact_feed_item,
fact_entity_mention, dim_entity): SMALL's articles, then copies of them under new ids, up to
`--articles` (all of SMALL's first, then its copies in article_id order): the
loaders (story signatures and matching, about 8 ms of CPU an article) fill a warehouse at
about 45 articles/s on a busy 2-core machine, copying takes seconds. A copy has its
original's words, so every word's share of documents, and with it BM25's idf, is unchanged;
posting lists, index size and query work grow as with new articles.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from flows.search import run_search, search_index_path  # noqa: E402
from flows.settings import resolve_settings  # noqa: E402
from warehouse.connection import open_reader  # noqa: E402
from warehouse.search_index import SearchQuery, finish_index, stage_snapshot  # noqa: E402

# Words of benchmarks/synthetic_warehouse.py's --text-bodies vocabulary: its HEAD_WORDS are
# in most articles, its SUBJECTS from about a third of the articles ('economy') down to a few
# hundred ('saffron'); the others are words of the shuffled vocabulary's long tail.
COMMON = ("government", "people", "president", "security", "economy", "cooperation",
          "development", "trade", "police", "billion")
RARE = ("saffron", "permafrost", "sorghum", "silkworms", "mangroves", "gymnastics",
        "botany", "pharmacists", "shostakovich", "cowards")
PHRASES = ("trade cooperation", "government security", "railway exports", "vaccine election",
           "wheat drought", "lithium cobalt", "saffron harvest", "volcano telescope",
           "public security meeting", "economic development talks", "typhoon flooding port",
           "quantum robotics semiconductor", "glacier permafrost heatwave",
           "international trade talks", "police reported people")
SINCE, UNTIL = date(2024, 3, 1), date(2024, 3, 31)


def _queries(index: Path) -> list[tuple[str, SearchQuery]]:
    """(kind, query): the fixed set, with the synthetic warehouse's most mentioned entity and
    one of middling frequency as the entity filters."""
    with duckdb.connect(str(index), read_only=True) as con:
        ranked = [name for (name,) in con.execute(
            "SELECT e.name FROM article_entities m JOIN entities e USING (entity_id)"
            " GROUP BY e.name ORDER BY count(*) DESC, e.name").fetchall()]
        feed = con.execute("SELECT min(feed_name) FROM article_feeds").fetchone()[0]  # type: ignore[index]
    top, middling = ranked[0], ranked[len(ranked) // 20]
    queries = [("common word", SearchQuery(w)) for w in COMMON]
    queries += [("rare word", SearchQuery(w)) for w in RARE]
    queries += [("phrase", SearchQuery(p)) for p in PHRASES]
    for words in ("economy", "saffron", "trade cooperation"):
        queries += [("+dates", SearchQuery(words, since=SINCE, until=UNTIL)),
                    ("+feed", SearchQuery(words, feeds=(feed,))),
                    ("+entity", SearchQuery(words, entity=top)),
                    ("+entity", SearchQuery(words, entity=middling)),
                    ("+all filters", SearchQuery(words, since=SINCE, until=UNTIL,
                                                 feeds=(feed,), entity=top))]
    queries += [("limit 100", SearchQuery("economy", limit=100)),
                ("limit 100", SearchQuery("trade cooperation", limit=100))]
    return queries


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(_percentile(ms, 95), 1), "max_ms": round(max(ms), 1)}


def build(db: Path) -> dict[str, object]:
    t = time.perf_counter()
    with open_reader(db) as source:
        staged = stage_snapshot(source, search_index_path(db), source_name=str(db))
    copied = time.perf_counter() - t
    stats = finish_index(staged)
    return {"build_s": round(time.perf_counter() - t, 1),
            "warehouse_open_s (snapshot copy)": round(copied, 1),
            "articles": stats.articles, "index_mib": round(stats.size_bytes / 2**20),
            "warehouse_mib": round(db.stat().st_size / 2**20),
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


def latency(db: Path) -> dict[str, object]:
    settings = resolve_settings(db=str(db))
    queries = _queries(search_index_path(db))
    passes: list[list[float]] = []
    cpu: list[float] = []  # CPU seconds of this process (all its threads), second pass
    hits: list[int] = []
    for _ in range(2):
        times = []
        for _kind, query in queries:
            out = io.StringIO()
            t, c = time.perf_counter(), time.process_time()
            code = run_search(settings, query, "json", out=out, err=io.StringIO())
            times.append(time.perf_counter() - t)
            if passes:
                cpu.append(time.process_time() - c)
            if code != 0:
                raise SystemExit(f"search {query} exited {code}")
            if len(passes) == 0:
                hits.append(len(json.loads(out.getvalue())))
        passes.append(times)
    by_kind: dict[str, list[float]] = {}
    for (kind, _), seconds in zip(queries, passes[1], strict=True):
        by_kind.setdefault(kind, []).append(seconds)
    slowest = max(range(len(queries)), key=lambda i: passes[1][i])
    return {"queries": len(queries), "first_pass": _summary(passes[0]),
            "second_pass": _summary(passes[1]),
            "second_pass_cpu (less sensitive to other jobs)": _summary(cpu),
            "by_kind_second_pass": {k: _summary(v) for k, v in by_kind.items()},
            "slowest": f"{queries[slowest][1]} {passes[1][slowest] * 1000:.0f} ms",
            "queries_without_hits": sum(1 for n in hits if n == 0),
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


def cli(db: Path) -> dict[str, object]:
    """The whole `newswire search` process: Python start-up and imports included."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = {}
    for words in ("economy", "saffron", "trade cooperation"):
        command = [sys.executable, "-m", "flows.cli", "search", words, "--db", str(db),
                   "--format", "json"]
        times = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
            times.append(time.perf_counter() - t)
        runs[words] = [round(s * 1000) for s in times]
    return {"cli_process_ms": runs}


def enlarge(small: Path, big: Path, articles: int) -> dict[str, object]:
    for path in (big, big.with_name(big.name + ".wal")):
        path.unlink(missing_ok=True)
    t = time.perf_counter()
    renamed = "CASE k WHEN 0 THEN {c} ELSE {c} || '~' || k END"
    with duckdb.connect(str(big)) as con:
        con.execute(f"ATTACH '{small}' AS small (READ_ONLY)")
        have = con.execute("SELECT count(*) FROM small.core.fact_article").fetchone()[0]  # type: ignore[index]
        copies = -(-articles // have)
        con.execute("CREATE SCHEMA core")
        con.execute(f"CREATE TEMP TABLE kept AS SELECT article_id, k FROM"
                    f" small.core.fact_article, range({copies}) AS r(k)"
                    f" ORDER BY k, article_id LIMIT {articles}")
        for table, columns in (("fact_article", ("article_id", "url", "canonical_url")),
                               ("fact_feed_item", ("article_id", "item_url")),
                               ("fact_entity_mention", ("article_id",))):
            replace = ", ".join(f"{renamed.format(c=c)} AS {c}" for c in columns)
            con.execute(f"CREATE TABLE core.{table} AS SELECT t.* REPLACE ({replace})"
                        f" FROM small.core.{table} t JOIN kept USING (article_id)")
        con.execute("CREATE TABLE core.dim_entity AS SELECT * FROM small.core.dim_entity")
        made = con.execute("SELECT count(*) FROM core.fact_article").fetchone()[0]  # type: ignore[index]
    return {"enlarged_from": str(small), "loaded_articles": have, "articles": made,
            "seconds": round(time.perf_counter() - t, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="the warehouse file")
    ap.add_argument("--skip-build", action="store_true", help="use the index already built")
    ap.add_argument("--enlarge", type=Path, metavar="SMALL",
                    help="first write --db from this warehouse's articles and copies of them")
    ap.add_argument("--articles", type=int, default=200_000,
                    help="with --enlarge: how many articles --db gets (default 200,000)")
    args = ap.parse_args(argv)
    if args.enlarge:
        print(json.dumps(enlarge(args.enlarge, args.db, args.articles)), flush=True)
    report: dict[str, object] = {"duckdb": duckdb.__version__, "cpus": os.cpu_count(),
                                 "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    if not args.skip_build:
        report["build"] = build(args.db)
        print(json.dumps(report, indent=1), flush=True)
    report["latency"] = latency(args.db)
    report.update(cli(args.db))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
