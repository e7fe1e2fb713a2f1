"""Throughput: the ingest pipeline against its NER bound, on this machine.

    python benchmarks/throughput.py [--articles 2000] [--backfill]

1. Generates N Xinhua-style articles of about 600 words in feeds of 100 (benchmarks/corpus.py)
   and serves them on loopback.
2. The bare bound: nlp.pipe of the configured model, with the pipes newswire uses, over the
   same clean bodies, on all cores (n_process = cores), docs discarded.
3. End to end: `newswire ingest` as a user runs it, timed whole and from the moment its work
   begins (first progress line: Prefect's temporary API is up); peak RSS of the process tree.
   Prefect's database is created before timing, as it is on any deployment after its first
   run (the time that takes is printed).
4. An immediate rerun with nothing new.
5. With --backfill: deletes every core row and replays the landing zone with
   `newswire backfill --source raw`, timed and measured the same way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import feeds_toml, write_corpus  # noqa: E402
from flows.settings import prefect_environment, resolve_settings  # noqa: E402
from flows.site_server import SiteServer  # noqa: E402

WORK_STARTS = ("feeds: 0/", "replay feeds: 0/")


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack += children.get(current, [])
    return total


def run_cli(args: list[str], env: dict[str, str]) -> dict[str, float | int | str]:
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_bytes(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    work_started: float | None = None
    last = ""
    assert proc.stderr is not None
    for line in proc.stderr:
        if work_started is None and any(mark in line for mark in WORK_STARTS):
            work_started = time.monotonic()
        if " run " in line:
            last = line.strip()
    proc.wait()
    ended = time.monotonic()
    done.set()
    sampler.join()
    return {"exit": proc.returncode, "total_s": ended - started,
            "work_s": ended - (work_started or started), "peak_rss_mb": peak / 2**20,
            "summary": last}


def create_prefect_database(env: dict[str, str]) -> float:
    """Start and stop newswire's local Prefect server once, so that its database exists: a
    deployment pays for creating it on its first run only. Returns the seconds it took."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "from pathlib import Path; from flows.prefect_server "
                    "import LocalPrefectServer; s = LocalPrefectServer(Path("
                    f"{env['PREFECT_HOME']!r}), scheduler=False).start(); s.wait(); s.stop()"],
                   cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def bare_bound(site: Path, model: str | None, processes: int) -> tuple[float, int, int]:
    """Seconds for nlp.pipe over the corpus' clean bodies, the word count and doc count."""
    from transforms.article import build_article
    from transforms.entities import load_pipeline

    bodies = [build_article(item_url=f"http://x/{i}", canonical_url=f"http://x/{i}",
                            article_id=str(i), body=path.read_bytes(),
                            content_type="text/html; charset=utf-8", profile="xinhua").body
              for i, path in enumerate(sorted(site.rglob("c.html")))]
    nlp = load_pipeline(model)
    started = time.monotonic()
    for _ in nlp.pipe(bodies, batch_size=64, n_process=processes):
        pass
    return time.monotonic() - started, sum(len(b.split()) for b in bodies), len(bodies)


def _ratios(run: dict[str, float | int | str], bound_s: float) -> str:
    return (f"ratio to the bound {float(run['total_s']) / bound_s:.2f} whole, "
            f"{float(run['work_s']) / bound_s:.2f} after Prefect start-up")


def _describe(name: str, run: dict[str, float | int | str]) -> str:
    return (f"{name}: exit {run['exit']}, total {float(run['total_s']):.1f} s, after Prefect "
            f"start-up {float(run['work_s']):.1f} s, peak RSS {float(run['peak_rss_mb']):.0f} MB"
            f"\n  {run['summary']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="bound + ingest pairs, each ingest into a fresh warehouse")
    parser.add_argument("--backfill", action="store_true")
    opts = parser.parse_args()
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="newswire-throughput-"))
    feeds = write_corpus(work / "site", opts.articles)
    model = os.environ.get("NEWSWIRE_SPACY_MODEL") or None
    prefect_home = work / "prefect"
    prefect_home.mkdir()
    settings = resolve_settings(data_dir=work)
    env = {**prefect_environment(settings), **os.environ, "PREFECT_HOME": str(prefect_home),
           "NEWSWIRE_POLITENESS_DELAY": "0"}
    print(f"Prefect database created once, before timing (a deployment's first run does "
          f"this): {create_prefect_database(env):.1f} s")

    def paths(rep: int) -> list[str]:
        return ["--db", str(work / f"w{rep}.duckdb"), "--feeds", str(work / "feeds.toml"),
                "--data-dir", str(work / f"data{rep}")]

    ratios: list[tuple[float, float]] = []
    server = SiteServer(work / "site")
    with server.running():
        (work / "feeds.toml").write_text(feeds_toml(feeds, server.base_url))
        for rep in range(opts.repeat):
            # The machine's speed drifts (a shared VM): each ingest is paired with a bound
            # measured just before it.
            bound_s, words, docs = bare_bound(work / "site", model, cores)
            if rep == 0:
                print(f"corpus: {docs} articles, {words} words ({words / docs:.0f} per "
                      f"article), {len(feeds)} feeds")
            print(f"[{rep + 1}] bare bound: nlp.pipe on {cores} processes: {bound_s:.1f} s "
                  f"({words / bound_s:,.0f} words/s)")
            first = run_cli(["ingest", *paths(rep)], env)
            print(f"[{rep + 1}] " + _describe("ingest", first))
            print(f"[{rep + 1}] pages/s (work phase) {docs / float(first['work_s']):.1f}; "
                  + _ratios(first, bound_s))
            ratios.append((float(first["total_s"]) / bound_s, float(first["work_s"]) / bound_s))
        rerun = run_cli(["ingest", *paths(opts.repeat - 1)], env)
    if opts.repeat > 1:
        whole, work_only = sorted(r[0] for r in ratios), sorted(r[1] for r in ratios)
        print(f"ratios over {opts.repeat} pairs: whole run median "
              f"{statistics.median(whole):.2f} (worst {whole[-1]:.2f}), after start-up median "
              f"{statistics.median(work_only):.2f} (worst {work_only[-1]:.2f})")
    print(_describe("rerun", rerun))
    startup = float(first["total_s"]) - float(first["work_s"])
    print(f"rerun: {float(rerun['total_s']):.1f} s, of which {float(rerun['work_s']):.1f} s "
          f"beyond start-up = {float(rerun['work_s']) / float(first['work_s']):.1%} of the "
          f"last first run's work (start-up about {startup:.1f} s)")
    if opts.backfill:
        last = opts.repeat - 1
        with duckdb.connect(str(work / f"w{last}.duckdb")) as con:
            for table in ("fact_entity_mention", "fact_quote", "fact_feed_item",
                          "fact_article", "dim_entity"):
                con.execute(f"DELETE FROM core.{table}")
        bound_s, _, _ = bare_bound(work / "site", model, cores)
        print(f"bare bound again, before the backfill: {bound_s:.1f} s")
        replay = run_cli(["backfill", "--start", "2000-01-01", "--end", "2099-12-31",
                          *paths(last)], env)
        print(_describe("backfill --source raw", replay) + "\n  " + _ratios(replay, bound_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
