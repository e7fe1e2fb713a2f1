"""Throughput: the ingest pipeline against its NER bound, on this machine.

    python benchmarks/throughput.py [--articles 2000] [--repeat 3] [--cluster] [--backfill]

1. Generates N Xinhua-style articles of about 600 words in feeds of 100 (benchmarks/corpus.py)
   and serves them on loopback.
2. The bare bound: nlp.pipe of the configured model with its `ner` pipe alone, over the same
   clean bodies, on all cores (n_process = cores), docs discarded. (`--pipeline-bound`: with
   the pipes newswire runs, ner + the agency ruler, fixups and sentencizer, instead.)
3. End to end: `newswire ingest` as a user runs it (the local Dask cluster), timed whole and
   from the moment its work begins (first progress line: Prefect's server and the workers are
   up); peak RSS of the process tree. Prefect's database is created before timing, as it is
   on any deployment after its first run (the time that takes is printed).
   With --prefect-server, every command reports to one `prefect server start` run by the
   benchmark, as under `newswire serve` or with PREFECT_API_URL set: no server start-up per run.
4. With --cluster, right after it: the same ingest through a `dask scheduler` and one
   `dask worker` process per core on loopback (`--dask-address`), into a fresh warehouse.
5. An immediate rerun with nothing new.
6. With --backfill: deletes every core row and replays the landing zone with
   `newswire backfill --source raw`, timed and measured the same way.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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


def run_cli(args: list[str], env: dict[str, str], starts: tuple[str, ...] = WORK_STARTS
            ) -> dict[str, float | int | str]:
    """Run `newswire ARGS` as a user does; its wall time, whole and from the first progress
    line holding one of `starts` (the work begins), the peak RSS of its process tree."""
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
        if work_started is None and any(mark in line for mark in starts):
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


def bare_bound(site: Path, model: str | None, processes: int,
               pipeline: bool = False) -> tuple[float, int, int]:
    """Seconds for nlp.pipe over the corpus' clean bodies, the word count and doc count."""
    from transforms.article import build_article
    from transforms.entities import load_pipeline
    from transforms.entities.pipeline import load_base

    bodies = [build_article(item_url=f"http://x/{i}", canonical_url=f"http://x/{i}",
                            article_id=str(i), body=path.read_bytes(),
                            content_type="text/html; charset=utf-8", profile="xinhua").body
              for i, path in enumerate(sorted(site.rglob("c.html")))]
    nlp = load_pipeline(model) if pipeline else load_base(model)
    started = time.monotonic()
    for _ in nlp.pipe(bodies, batch_size=64, n_process=processes):
        pass
    return time.monotonic() - started, sum(len(b.split()) for b in bodies), len(bodies)


@contextmanager
def loopback_cluster(workers: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """`dask scheduler` and `workers` one-thread `dask worker` processes on 127.0.0.1, started
    as the user guide says (the profiler off); yields the scheduler address."""
    dask = str(Path(sys.executable).with_name("dask"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**env, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "false"}
    with log.open("wb") as out:
        processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                       str(port), "--no-dashboard"], env=env, stdout=out,
                                      stderr=out)]
        processes += [subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1",
                                        "--nthreads", "1", "--no-dashboard"], env=env,
                                       stdout=out, stderr=out) for _ in range(workers)]
        try:
            from distributed import Client

            with Client(address, timeout=120) as client:
                client.wait_for_workers(workers, timeout=120)
            yield address
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=60)


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
    parser.add_argument("--cluster", action="store_true",
                        help="also ingest through a loopback dask scheduler + workers")
    parser.add_argument("--pipeline-bound", action="store_true",
                        help="bound with newswire's pipes instead of the ner pipe alone")
    parser.add_argument("--prefect-server", action="store_true",
                        help="one Prefect server for every run (PREFECT_API_URL set)")
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

    def paths(name: str) -> list[str]:
        return ["--db", str(work / f"{name}.duckdb"), "--feeds", str(work / "feeds.toml"),
                "--data-dir", str(work / f"data-{name}")]

    ratios: dict[str, list[tuple[float, float]]] = {"local": [], "cluster": []}
    server = SiteServer(work / "site")
    with ExitStack() as stack:
        stack.enter_context(server.running())
        if opts.prefect_server:
            from flows.prefect_server import LocalPrefectServer

            api = LocalPrefectServer(prefect_home, scheduler=False).start()
            stack.callback(api.stop)
            api.wait()
            env["PREFECT_API_URL"] = api.url
            print(f"one Prefect server for every run: {api.url}")
        cluster = (stack.enter_context(loopback_cluster(cores, env, work / "cluster.log"))
                   if opts.cluster else None)
        (work / "feeds.toml").write_text(feeds_toml(feeds, server.base_url))
        for rep in range(opts.repeat):
            # The machine's speed drifts (a shared VM): each ingest is paired with a bound
            # measured just before it.
            bound_s, words, docs = bare_bound(work / "site", model, cores, opts.pipeline_bound)
            if rep == 0:
                print(f"corpus: {docs} articles, {words} words ({words / docs:.0f} per "
                      f"article), {len(feeds)} feeds")
            print(f"[{rep + 1}] bare bound: nlp.pipe on {cores} processes: {bound_s:.1f} s "
                  f"({words / bound_s:,.0f} words/s)")
            engines = [("local", [])]
            if cluster:
                engines.append(("cluster", ["--dask-address", cluster]))
            for engine, extra in engines:
                first = run_cli(["ingest", *paths(f"{engine}{rep}"), *extra], env)
                print(f"[{rep + 1}] {engine}: " + _describe("ingest", first))
                print(f"[{rep + 1}] {engine}: pages/s (work phase) "
                      f"{docs / float(first['work_s']):.1f}; " + _ratios(first, bound_s))
                ratios[engine].append((float(first["total_s"]) / bound_s,
                                       float(first["work_s"]) / bound_s))
                if engine == "local":
                    local_first = first
        last = f"local{opts.repeat - 1}"
        rerun = run_cli(["ingest", *paths(last)], env)
    for engine, pairs in ratios.items():
        if pairs:
            whole, work_only = sorted(r[0] for r in pairs), sorted(r[1] for r in pairs)
            print(f"{engine}: ratios over {len(pairs)} pair(s): whole run median "
                  f"{statistics.median(whole):.2f} (worst {whole[-1]:.2f}), after start-up "
                  f"median {statistics.median(work_only):.2f} (worst {work_only[-1]:.2f})")
    if cluster:
        local, on_cluster = (statistics.median(r[0] for r in ratios[e])
                             for e in ("local", "cluster"))
        print(f"cluster / local, whole runs: {on_cluster / local:.2f}")
    print(_describe("rerun", rerun))
    print(f"rerun: {float(rerun['total_s']):.1f} s, of which {float(rerun['work_s']):.1f} s "
          f"beyond start-up = {float(rerun['work_s']) / float(local_first['work_s']):.1%} of "
          f"the last first run's work")
    if opts.backfill:
        with duckdb.connect(str(work / f"{last}.duckdb")) as con:
            for table in ("fact_entity_mention", "fact_quote", "fact_feed_item",
                          "fact_article", "dim_entity"):
                con.execute(f"DELETE FROM core.{table}")
        bound_s, _, _ = bare_bound(work / "site", model, cores, opts.pipeline_bound)
        print(f"bare bound again, before the backfill: {bound_s:.1f} s")
        replay = run_cli(["backfill", "--start", "2000-01-01", "--end", "2099-12-31",
                          *paths(last)], env)
        print(_describe("backfill --source raw", replay) + "\n  " + _ratios(replay, bound_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
