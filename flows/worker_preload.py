"""Imported by the workers' fork server (flows/worker_pool.py) before it forks any worker:
spaCy and the model, loaded once, are then in every worker from its first instant."""

from __future__ import annotations

import contextlib
import os

from flows.page_work import pipeline
from flows.worker_pool import PRELOAD_MODEL_ENV

# The fork server must come up whatever happens here: a worker that finds no model loaded
# loads it itself, and raises the real error (a missing model, say) where it is reported.
with contextlib.suppress(Exception):
    pipeline(os.environ.get(PRELOAD_MODEL_ENV) or None)
