"""The engine the flows run on: Prefect's Dask task runner, configured, never re-implemented.

One machine (the default): a `distributed.LocalCluster` of NEWSWIRE_WORKERS worker processes,
one thread each (extraction and entity recognition are CPU-bound). A cluster: the scheduler at
NEWSWIRE_DASK_ADDRESS (or `--dask-address`). Either way the flows submit the same tasks through
`prefect_dask.DaskTaskRunner`; only the flow's own process writes the warehouse and the landing
zone, so the workers need no shared disk.

The workers keep one spaCy pipeline loaded per process: a Dask worker plugin loads it when the
worker starts (or joins the cluster), and flows/page_task.py reuses it for every chunk.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from typing import Any

import dask
import distributed
from distributed.diagnostics.plugin import WorkerPlugin
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect_dask import DaskTaskRunner

from flows import __version__
from flows.settings import Settings

# Dask settings for the worker processes of a local cluster (documented Dask configuration,
# read by the nanny that starts each worker). Measured on entity recognition:
WORKER_CONFIG: dict[str, Any] = {
    # Dask sets MALLOC_TRIM_THRESHOLD_ in its workers; any fixed value turns off glibc's
    # adaptive thresholds and makes spaCy about 5% slower. The thread caps stay.
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1,
                                            "OPENBLAS_NUM_THREADS": 1},
    # The dashboard's statistical profiler samples the task thread every 10 ms: about 2% of
    # a worker's CPU, for a dashboard newswire does not start.
    "distributed.worker.profile.enabled": False,
    # The memory and system monitors (every 100 and 500 ms) and the event loop's tick (20 ms)
    # took another 1.3% of a worker; a slower pace still stops a runaway worker in time.
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.tick.interval": "100ms",
}


def local_cluster_options(workers: int) -> dict[str, Any]:
    """A LocalCluster of `workers` processes, one thread each. Applies WORKER_CONFIG to this
    process's Dask configuration, which the cluster's nannies hand to their workers."""
    dask.config.set(WORKER_CONFIG)
    # The scheduler and nannies log here, at INFO, every worker joining and leaving: progress
    # of Dask's, which would drown newswire's (warnings and errors still show).
    logging.getLogger("distributed").setLevel(logging.WARNING)
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True,
            # Loopback only, and no dashboard: nothing listens beyond what newswire needs.
            "host": "127.0.0.1", "dashboard_address": None, "silence_logs": logging.WARNING}


def task_runner(settings: Settings, local: LocalWorkers | None = None) -> DaskTaskRunner:
    """The task runner for the flows: an existing Dask cluster; else `local`, a local cluster
    already started; else a local cluster the runner starts for the flow run."""
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    if local is not None:
        return DaskTaskRunner(address=local.address())
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs=local_cluster_options(settings.workers))


class LocalWorkers:
    """A local cluster started in the background, so that its workers start and load the
    entity model while other start-up work (Prefect's server) goes on. The CLI uses one per
    command; the cluster stops with the command (and its workers with a killed process)."""

    def __init__(self, workers: int, model: str | None) -> None:
        self._workers = workers
        self._model = model
        self._cluster: distributed.LocalCluster | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, name="newswire-local-cluster",
                                        daemon=True)

    def start(self) -> LocalWorkers:
        self._thread.start()
        return self

    def _start(self) -> None:
        try:
            self._cluster = distributed.LocalCluster(**local_cluster_options(self._workers))
            with distributed.Client(self._cluster) as client:
                client.register_plugin(EntityModelPreload(self._model))
        except BaseException as exc:  # re-raised in the caller's thread by address()
            self._error = exc

    def address(self) -> str:
        self._thread.join()
        if self._error is not None:
            raise RuntimeError(f"the local Dask cluster did not start: {self._error}") \
                from self._error
        assert self._cluster is not None
        return str(self._cluster.scheduler_address)

    def close(self) -> None:
        self._thread.join()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


class EntityModelPreload(WorkerPlugin):
    """Loads the spaCy pipeline into a worker as it starts (or as the plugin is registered),
    off the worker's event loop so that it keeps answering the scheduler meanwhile."""

    idempotent = True  # registered once per cluster; later runs find it there

    def __init__(self, model: str | None) -> None:
        self.model = model
        self.name = f"newswire-entity-model-{model or 'default'}"

    async def setup(self, worker: distributed.Worker) -> None:
        from flows.page_task import entity_pipeline

        await asyncio.get_running_loop().run_in_executor(None, entity_pipeline, self.model)


class WorkersUnfit(RuntimeError):
    """The cluster's workers cannot run newswire's tasks; the message says what to fix."""


def _worker_report(api_url: str | None) -> dict[str, str | None]:
    """Runs on each worker: what it has installed and whether it reaches the Prefect API."""
    import httpx

    try:
        import flows

        version: str | None = flows.__version__
    except ImportError:
        version = None
    reached: str | None = None
    if api_url:
        try:
            status = httpx.get(f"{api_url.rstrip('/')}/health", timeout=5.0,
                               trust_env=False).status_code
            reached = "ok" if status == 200 else f"HTTP {status}"
        except httpx.HTTPError as exc:
            reached = f"{type(exc).__name__}: {exc}"
    return {"newswire": version, "api": reached}


@dataclass(frozen=True, slots=True)
class Workers:
    """The Dask cluster the current flow run submits to."""

    client: distributed.Client

    @classmethod
    def of_current_flow(cls) -> Workers:
        context = FlowRunContext.get()
        runner = context.task_runner if context else None
        if not isinstance(runner, DaskTaskRunner):
            raise RuntimeError("newswire's flows run on a DaskTaskRunner (flows/engine.py)")
        return cls(runner.client)

    def prepare(self, model: str | None, api_url: str | None) -> int:
        """Check that every worker can run our tasks, then have each load the entity model.
        Returns the number of workers."""
        reports = self.client.run(_worker_report, api_url)
        if not reports:
            raise WorkersUnfit("the Dask cluster has no workers: start some with "
                               "`dask worker SCHEDULER_ADDRESS`")
        for worker, report in reports.items():
            if report["newswire"] != __version__:
                raise WorkersUnfit(
                    f"worker {worker} has newswire {report['newswire'] or 'not installed'}, "
                    f"this process {__version__}: install the same version on every worker")
            if api_url and report["api"] != "ok":
                raise WorkersUnfit(
                    f"worker {worker} cannot reach the Prefect API at {api_url} "
                    f"({report['api']}): set PREFECT_API_URL to a server the workers can reach")
        self.client.register_plugin(EntityModelPreload(model))
        return len(reports)

    def stop(self, future: PrefectFuture[Any]) -> str | None:
        """Stop the task behind `future` from outside: forget it (so that the scheduler does not
        hand it to another worker) and restart the worker running it, which its nanny replaces
        with a fresh process. Returns that worker's address, None if it was not running."""
        dask_future = getattr(future, "wrapped_future", None)
        if not isinstance(dask_future, distributed.Future):
            raise TypeError(f"not a Dask-backed future: {future!r}")
        running_on = [worker for worker, keys in self.client.processing().items()
                      if dask_future.key in keys]
        dask_future.cancel()
        if running_on:
            self.client.restart_workers(running_on, raise_for_error=False)
        return running_on[0] if running_on else None


def default_task_runner() -> DaskTaskRunner:
    """The flows' own task runner, from the environment (NEWSWIRE_DASK_ADDRESS,
    NEWSWIRE_WORKERS): what deployments run on. The CLI passes the one its flags resolved."""
    from flows.settings import resolve_settings

    return task_runner(resolve_settings())


def start_workers(settings: Settings) -> tuple[Workers, int]:
    """The current flow run's workers, checked and with the entity model loaded; and how
    many there are."""
    from prefect.settings import get_current_settings

    workers = Workers.of_current_flow()
    return workers, workers.prepare(settings.spacy_model, get_current_settings().api.url)
