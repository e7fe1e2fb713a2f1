"""Analysts read while newswire writes: `newswire query` calls at random moments of an ingest.

    python benchmarks/readers_during_ingest.py [--articles 1000] [--queries 50]
        [--span SECONDS] [--lake postgres|sqlite|duckdb]

Serves a synthetic corpus (benchmarks/corpus.py) on loopback, starts `newswire ingest`, and
from the moment its work begins fires the queries at random moments over the run (each a
separate `newswire query` process, as an analyst would run it). Reports how many succeeded,
each one's wall time and the longest, against a baseline query on an idle warehouse.

The warehouse is a DuckDB file unless --lake names a DuckLake: `postgres` starts a throwaway
PostgreSQL (the catalog) and a moto S3 server (the data) on loopback (tests/services.py);
`sqlite` and `duckdb` keep the catalog in a local file and the data in a directory. Every
process, the ingest's and each query's, gets the lake's environment (NEWSWIRE_LAKE_DATA and,
for S3, the AWS variables).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import feeds_toml, write_corpus  # noqa: E402
from flows.site_server import SiteServer  # noqa: E402

QUERY = "SELECT count(*) AS articles, max(first_seen_at) AS newest FROM core.fact_article"


WAIT_WORDS = ("waiting", "busy")
LAKES = ("postgres", "sqlite", "duckdb")


def run_query(db: str, env: dict[str, str]) -> tuple[int, float, bool, str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flows.cli", "query", QUERY, "--db", db,
                           "--format", "csv"], cwd=ROOT, env=env, capture_output=True, text=True)
    waited = any(word in done.stderr for word in WAIT_WORDS)
    return done.returncode, time.monotonic() - started, waited, done.stderr.strip()


def warehouse(kind: str | None, work: Path,
              stack: contextlib.ExitStack) -> tuple[str, dict[str, str]]:
    """The --db value of a fresh warehouse of `kind` (None: a DuckDB file) and the environment
    variables its processes need."""
    if kind is None:
        return str(work / "w.duckdb"), {}
    if kind in ("sqlite", "duckdb"):
        prefix = "sqlite:" if kind == "sqlite" else ""
        return (f"ducklake:{prefix}{work / 'catalog.ducklake'}",
                {"NEWSWIRE_LAKE_DATA": str(work / "lake-data")})
    # Imported only here: the services need psycopg, boto3 and moto, which a file run does not.
    from tests.services import postgres_server, s3_server

    postgres = stack.enter_context(postgres_server())
    s3 = stack.enter_context(s3_server())
    return (f"ducklake:postgres:{postgres.fresh_database('readers')}",
            {"NEWSWIRE_LAKE_DATA": f"s3://{s3.bucket}/readers/", **s3.aws_env()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--span", type=float, default=None,
                        help="seconds over which the queries are spread (default: 0.06 s per "
                             "article, at least 20): about the ingest's expected work phase")
    parser.add_argument("--lake", choices=LAKES, default=None,
                        help="a DuckLake of this catalog kind instead of a DuckDB file")
    opts = parser.parse_args()
    with contextlib.ExitStack() as stack:
        return measure(opts, stack)


def measure(opts: argparse.Namespace, stack: contextlib.ExitStack) -> int:
    rng = random.Random(opts.seed)
    work = Path(tempfile.mkdtemp(prefix="newswire-readers-"))
    feeds = write_corpus(work / "site", opts.articles)
    db, lake_env = warehouse(opts.lake, work, stack)
    query_env = {**os.environ, **lake_env}
    env = {**query_env, "NEWSWIRE_POLITENESS_DELAY": "0"}
    print(f"warehouse: {opts.lake + ' lake' if opts.lake else 'DuckDB file'}")
    server = SiteServer(work / "site")
    with server.running():
        (work / "feeds.toml").write_text(feeds_toml(feeds, server.base_url))
        ingest = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "ingest", "--db", str(db), "--feeds",
             str(work / "feeds.toml"), "--data-dir", str(work / "data")],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        assert ingest.stderr is not None
        results: list[tuple[float, int, float, bool, str]] = []
        threads: list[threading.Thread] = []
        work_started: float | None = None
        # The queries go off at random moments of the expected work (about 30 s per 500
        # articles on an idle machine; --span on a slower one), each in its own thread so
        # that they may overlap.
        span = opts.span or max(20.0, opts.articles * 0.06)
        offsets = sorted(rng.uniform(0, span) for _ in range(opts.queries))

        def fire(offset: float) -> None:
            time.sleep(offset)
            results.append((offset, *run_query(db, query_env)))

        for line in ingest.stderr:
            if work_started is None and "pages: 0/" in line:
                work_started = time.monotonic()
                threads = [threading.Thread(target=fire, args=(o,)) for o in offsets]
                for thread in threads:
                    thread.start()
            if "ingest run" in line or "Error" in line:
                print(line.rstrip())
        ingest.wait()
        ingest_s = time.monotonic() - (work_started or time.monotonic())
        for thread in threads:
            thread.join()
    baseline = [run_query(db, query_env)[1] for _ in range(3)]
    ok = sum(1 for _, code, *_ in results if code == 0)
    walls = [wall for _, _, wall, *_ in results]
    waited = sum(1 for *_, w, _ in results if w)
    failures = [err for _, code, _, _, err in results if code != 0]
    for err in failures[:3]:
        print(f"a failed query said: {err[-400:]}")
    during = sum(1 for offset, *_ in results if offset <= ingest_s)
    print(f"ingest work phase: {ingest_s:.1f} s for {opts.articles} articles; exit "
          f"{ingest.returncode}; {loaded(db, query_env)} articles in core.fact_article")
    print(f"queries: {ok}/{len(results)} succeeded; {during} fired while the ingest ran; "
          f"{waited} printed a wait message")
    print(f"query wall time: median {statistics.median(walls):.2f} s, longest "
          f"{max(walls):.2f} s; idle baseline {statistics.median(baseline):.2f} s")
    print(f"longest extra wait over the idle baseline: "
          f"{max(walls) - statistics.median(baseline):.2f} s")
    return 0 if ok == len(results) and max(walls) < 10 else 1


def loaded(db: str, env: dict[str, str]) -> str:
    """The articles in the warehouse, as the first column of QUERY's one CSV row."""
    done = subprocess.run([sys.executable, "-m", "flows.cli", "query", QUERY, "--db", db,
                           "--format", "csv"], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    return lines[1].split(",")[0] if done.returncode == 0 and len(lines) > 1 else "?"


if __name__ == "__main__":
    sys.exit(main())
