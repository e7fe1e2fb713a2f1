"""The worker processes that extract and enrich pages: one per core, each with the spaCy
model loaded.

Workers are forked from a fork server, a small process that imports spaCy and loads the model
once (`start_worker_server`, called while Prefect's API boots). A worker forked from it starts
warm, in milliseconds, and shares the model's memory with its siblings. Never forked from the
main process: it runs Prefect's threads, and a fork copies their locks in whatever state they
are. Where there is no fork server (Windows), workers are spawned and load the model themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from flows.page_work import warm_worker

PRELOAD_MODEL_ENV = "NEWSWIRE_WORKER_PRELOAD_MODEL"
_START_METHOD = ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                 else "spawn")


def start_worker_server(model: str | None) -> None:
    """Start the fork server now, in the background, importing spaCy and loading `model`, so
    that a large run's workers start warm. Costs one process (~1.5 s of CPU, the model's
    memory) for a run that turns out to need no workers."""
    if _START_METHOD != "forkserver":
        return
    from multiprocessing import forkserver

    os.environ[PRELOAD_MODEL_ENV] = model or ""  # the fork server inherits it
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["flows.worker_preload"])
    forkserver.ensure_running()


def worker_pool(model: str | None, workers: int) -> ProcessPoolExecutor:
    """A pool whose workers are all starting now; the caller shuts it down."""
    pool = ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context(_START_METHOD),
                               initializer=warm_worker, initargs=(model,))
    # The pool starts a process per submission that finds no idle one: submitting `workers`
    # no-ops starts them all at once, while the first pages download, instead of one by one
    # as work arrives.
    for _ in range(workers):
        pool.submit(os.getpid)
    return pool
