"""The engine's configuration: what Dask workers import, and the local cluster's settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import distributed
import pytest

from flows.engine import WORKER_CONFIG, Workers, WorkersUnfit, local_cluster_options
from tests.loopback import refused_url

ROOT = Path(__file__).resolve().parents[1]


def test_a_worker_imports_nothing_of_the_warehouse() -> None:
    """A worker unpickles flows.page_task.process_pages, importing that module: DuckDB and
    Arrow (38 MB per worker) must not come with it."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, flows.page_task; print(sorted(m for m in sys.modules "
         "if m.split('.')[0] in ('duckdb', 'pyarrow', 'warehouse')))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert imported == "[]"


def test_the_flows_process_imports_no_spacy() -> None:
    """The flow's process hands chunks to the workers; spaCy is theirs alone (40 MB)."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, flows.ingest, flows.backfill, flows.cli; "
         "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert imported == "[]"


def test_the_local_cluster_is_loopback_one_thread_per_process_and_quiet() -> None:
    options = local_cluster_options(3)
    assert options["n_workers"] == 3 and options["threads_per_worker"] == 1
    assert options["processes"] and options["host"] == "127.0.0.1"
    assert options["dashboard_address"] is None
    environ = WORKER_CONFIG["distributed.nanny.pre-spawn-environ"]
    assert "MALLOC_TRIM_THRESHOLD_" not in environ and environ["OMP_NUM_THREADS"] == 1


def test_workers_that_cannot_reach_the_prefect_api_are_refused_by_name() -> None:
    cluster = distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client, \
            pytest.raises(WorkersUnfit, match="cannot reach the Prefect API"):
        Workers(client).prepare(None, refused_url("/api"))
