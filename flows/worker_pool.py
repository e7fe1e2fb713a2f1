"""The worker processes that extract and enrich pages: one per core, each loading the spaCy
model once.

Starting them costs about three seconds (interpreter, imports, model), so they can be started
early, while Prefect's API boots (`prewarm`), and are handed to the first run that needs them.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

from flows.page_work import warm_worker

_lock = threading.Lock()
_prewarmed: dict[tuple[str | None, int], ProcessPoolExecutor] = {}


def _start(model: str | None, workers: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=warm_worker, initargs=(model,))
    # The pool spawns a process per submission that finds no idle one: submitting `workers`
    # no-ops starts them all now, so they load the model in parallel, before real work.
    for _ in range(workers):
        pool.submit(os.getpid)
    return pool


def prewarm(model: str | None, workers: int) -> None:
    """Start a pool now for a later `worker_pool(model, workers)` in this process."""
    if workers <= 0:
        return
    with _lock:
        if (model, workers) not in _prewarmed:
            _prewarmed[(model, workers)] = _start(model, workers)


def worker_pool(model: str | None, workers: int) -> ProcessPoolExecutor:
    """A started pool: the prewarmed one if it matches, else a new one. The caller owns it
    and shuts it down."""
    with _lock:
        pool = _prewarmed.pop((model, workers), None)
    return pool if pool is not None else _start(model, workers)


def discard_prewarmed() -> None:
    """Shut down pools started by `prewarm` that no run took (a run with few new pages)."""
    with _lock:
        pools = list(_prewarmed.values())
        _prewarmed.clear()
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)


atexit.register(discard_prewarmed)
