"""Analysts read while newswire writes: `newswire query` calls at random moments of an ingest.

    python benchmarks/readers_during_ingest.py [--articles 1000] [--queries 50]

Serves a synthetic corpus (benchmarks/corpus.py) on loopback, starts `newswire ingest`, and
from the moment its work begins fires the queries at random moments over the run (each a
separate `newswire query` process, as an analyst would run it). Reports how many succeeded,
each one's wall time and the longest, against a baseline query on an idle warehouse.
"""

from __future__ import annotations

import argparse
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


def run_query(db: Path) -> tuple[int, float, bool]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flows.cli", "query", QUERY, "--db", str(db),
                           "--format", "csv"], cwd=ROOT, capture_output=True, text=True)
    return done.returncode, time.monotonic() - started, "waiting" in done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    work = Path(tempfile.mkdtemp(prefix="newswire-readers-"))
    feeds = write_corpus(work / "site", opts.articles)
    db = work / "w.duckdb"
    env = {**os.environ, "NEWSWIRE_POLITENESS_DELAY": "0"}
    server = SiteServer(work / "site")
    with server.running():
        (work / "feeds.toml").write_text(feeds_toml(feeds, server.base_url))
        ingest = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "ingest", "--db", str(db), "--feeds",
             str(work / "feeds.toml"), "--data-dir", str(work / "data")],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        assert ingest.stderr is not None
        results: list[tuple[float, int, float, bool]] = []
        threads: list[threading.Thread] = []
        work_started: float | None = None
        # The queries go off at random moments of the expected work (about 30 s per 500
        # articles here), each in its own thread so that they may overlap.
        span = max(20.0, opts.articles * 0.06)
        offsets = sorted(rng.uniform(0, span) for _ in range(opts.queries))

        def fire(offset: float) -> None:
            time.sleep(offset)
            results.append((offset, *run_query(db)))

        for line in ingest.stderr:
            if work_started is None and "pages: 0/" in line:
                work_started = time.monotonic()
                threads = [threading.Thread(target=fire, args=(o,)) for o in offsets]
                for thread in threads:
                    thread.start()
            if "ingest run" in line:
                print(line.rstrip())
        ingest.wait()
        ingest_s = time.monotonic() - (work_started or time.monotonic())
        for thread in threads:
            thread.join()
    baseline = [run_query(db)[1] for _ in range(3)]
    ok = sum(1 for _, code, _, _ in results if code == 0)
    walls = [wall for _, _, wall, _ in results]
    waited = sum(1 for *_, w in results if w)
    during = sum(1 for offset, *_ in results if offset <= ingest_s)
    print(f"ingest work phase: {ingest_s:.1f} s for {opts.articles} articles; exit "
          f"{ingest.returncode}")
    print(f"queries: {ok}/{len(results)} succeeded; {during} fired while the ingest ran; "
          f"{waited} printed a wait message")
    print(f"query wall time: median {statistics.median(walls):.2f} s, longest "
          f"{max(walls):.2f} s; idle baseline {statistics.median(baseline):.2f} s")
    print(f"longest extra wait over the idle baseline: "
          f"{max(walls) - statistics.median(baseline):.2f} s")
    return 0 if ok == len(results) and max(walls) < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
