"""How long `newswire status` and `newswire report` take, as a user runs them: a fresh
interpreter per command, imports included, on a modelled synthetic warehouse.

    python benchmarks/command_latency.py [--articles 20000] [--mentions 400000] [--repeat 5]

Targets: status well under 2 s, report under 5 s once the data dir's Vega bundle is cached
('warm'); the first report of a data dir also bundles the JavaScript ('cold'). These were
asserts in the test suite; timings belong here, where a busy machine does not fail a build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"newswire {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--mentions", type=int, default=400_000)
    ap.add_argument("--repeat", type=int, default=5)
    opts = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newswire-latency-"))
    db = work / "w.duckdb"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic_warehouse.py"),
                    "--articles", str(opts.articles), "--mentions", str(opts.mentions),
                    "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    base = ["--db", str(db), "--data-dir", str(work / "data")]
    times: dict[str, list[float]] = {"status": [], "report (cold)": [], "report (warm)": []}
    for rep in range(opts.repeat):
        times["status"].append(_timed(["status", *base], env))
        shutil.rmtree(work / "data" / "cache", ignore_errors=True)
        times["report (cold)"].append(_timed(["report", *base, "--out",
                                              str(work / f"cold{rep}.html")], env))
        times["report (warm)"].append(_timed(["report", *base, "--out",
                                              str(work / f"warm{rep}.html")], env))
    print(f"{opts.articles:,} articles, {opts.mentions:,} mentions; {opts.repeat} runs each; "
          f"load average {os.getloadavg()[0]:.2f}")
    for name, values in times.items():
        print(f"{name:>14}: median {statistics.median(values):.2f} s, "
              f"max {max(values):.2f} s")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
