"""The engine's configuration: what Dask workers import, and the local cluster's settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flows.engine import WORKER_CONFIG, local_cluster_options

ROOT = Path(__file__).resolve().parents[1]


def test_a_worker_imports_nothing_of_the_warehouse() -> None:
    """A worker unpickles flows.page_task.process_pages, importing that module: DuckDB and
    Arrow (38 MB per worker) must not come with it."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, flows.page_task; print(sorted(m for m in sys.modules "
         "if m.split('.')[0] in ('duckdb', 'pyarrow', 'warehouse')))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert imported == "[]"


def test_the_local_cluster_is_loopback_one_thread_per_process_and_quiet() -> None:
    options = local_cluster_options(3)
    assert options["n_workers"] == 3 and options["threads_per_worker"] == 1
    assert options["processes"] and options["host"] == "127.0.0.1"
    assert options["dashboard_address"] is None
    environ = WORKER_CONFIG["distributed.nanny.pre-spawn-environ"]
    assert "MALLOC_TRIM_THRESHOLD_" not in environ and environ["OMP_NUM_THREADS"] == 1
