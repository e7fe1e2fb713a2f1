"""Which Prefect task runner carries the page work faster on one machine: the local Dask
cluster newswire uses, or Prefect's ProcessPoolTaskRunner.

    python benchmarks/task_runners.py [--articles 1000] [--repeat 2]

Both ingest the same generated corpus (benchmarks/corpus.py) from loopback into fresh
warehouses, with one Prefect server for every run, alternating the runners. The process pool
gets one process per core with the entity model loaded by its initializer. newswire's time
limit (stopping a chunk's worker from outside) needs Dask: with the process pool a killed
worker breaks the whole pool, so that part is switched off for its runs here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import feeds_toml, write_corpus  # noqa: E402


def _ingest(runner: str, settings: object, workers: int) -> float:
    import flows.ingest as ingest_module
    from flows.engine import LocalWorkers, start_workers, task_runner
    from flows.page_task import entity_pipeline

    started = time.monotonic()
    if runner == "dask":
        local = LocalWorkers(workers, None).start()
        try:
            ingest_module.ingest.with_options(task_runner=task_runner(settings, local))(
                settings=settings)
        finally:
            local.close()
    else:
        from prefect.task_runners import ProcessPoolTaskRunner

        ingest_module.start_workers = lambda _settings: (None, workers)
        try:
            ingest_module.ingest.with_options(task_runner=ProcessPoolTaskRunner(
                max_workers=workers, initializer=entity_pipeline, initargs=(None,)))(
                settings=settings)
        finally:
            ingest_module.start_workers = start_workers
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newswire-runners-"))
    feeds = write_corpus(work / "site", opts.articles)
    os.environ.update(PREFECT_HOME=str(work / "prefect"), NEWSWIRE_POLITENESS_DELAY="0",
                      DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false",
                      PREFECT_LOGGING_LEVEL="WARNING")
    from flows.prefect_server import LocalPrefectServer

    api = LocalPrefectServer(work / "prefect", scheduler=False).start()
    api.wait()
    from dataclasses import replace

    from flows.progress import LineProgress, use_progress
    from flows.settings import resolve_settings
    from flows.site_server import SiteServer

    use_progress(LineProgress(open(os.devnull, "w")))  # noqa: SIM115
    workers = os.cpu_count() or 1
    times: dict[str, list[float]] = {"dask": [], "process-pool": []}
    server = SiteServer(work / "site")
    with server.running():
        (work / "feeds.toml").write_text(feeds_toml(feeds, server.base_url))
        for rep in range(opts.repeat):
            for runner in times:
                settings = replace(resolve_settings(feeds=work / "feeds.toml"),
                                   db_path=work / f"{runner}{rep}.duckdb",
                                   data_dir=work / f"data-{runner}{rep}")
                elapsed = _ingest(runner, settings, workers)
                times[runner].append(elapsed)
                print(f"[{rep + 1}] {runner}: {opts.articles} articles in {elapsed:.1f} s "
                      f"({opts.articles / elapsed:.1f} articles/s)", flush=True)
    for runner, values in times.items():
        print(f"{runner}: median {statistics.median(values):.1f} s over {len(values)} runs")
    api.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
