"""The models flow: build and test the SQL models (warehouse/dbt/) into schema `marts`, then
rebuild the search index (warehouse/search_index.py) from the warehouse just built."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency

from flows.deployments import WRITER_LIMIT, ensure_writer_limit
from flows.exit_codes import ExitCode
from flows.prefect_server import uses_shared_server
from flows.progress import Progress, current_progress
from flows.search import search_index_path
from flows.settings import Settings, resolve_settings
from flows.storage import writing
from warehouse.connection import open_reader
from warehouse.location import Warehouse
from warehouse.models_runner import ModelsBuildError, ModelsResult, build_models
from warehouse.search_index import IndexStats, finish_index, stage_snapshot
from warehouse.stories import RebuildResult
from warehouse.stories import rebuild_stories as rebuild_all_stories

# The writer slot is renewed while held; this is how soon a killed build's slot frees up.
MODELS_LEASE_S = 120.0


@dataclass(frozen=True, slots=True)
class ModelsSummary:
    warehouse: str
    full_refresh: bool
    models_built: tuple[str, ...]
    tests_passed: int
    tests_failed: tuple[str, ...]  # 'test name on schema.model: N failing rows'
    elapsed_s: float
    log_path: str
    search_index: str = ""  # IndexStats.describe() of the index rebuilt after the models

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK if not self.tests_failed else ExitCode.FAILURE

    @classmethod
    def from_result(cls, warehouse: Warehouse, result: ModelsResult) -> ModelsSummary:
        return cls(str(warehouse), result.full_refresh, result.models_built,
                   len(result.tests_passed), tuple(t.describe() for t in result.tests_failed),
                   round(result.elapsed_s, 2), str(result.log_path))

    def describe(self) -> str:
        marts = sum(1 for m in self.models_built if m.startswith("marts."))
        kind = "full refresh" if self.full_refresh else "build"
        return (f"models {kind}: {len(self.models_built)} models built ({marts} marts), "
                f"{self.tests_passed} data tests passed, {len(self.tests_failed)} failed, "
                f"in {self.elapsed_s:.1f} s; dbt log {self.log_path}")


def artifacts_dir(settings: Settings) -> Path:
    """dbt's target/ and logs/ for this warehouse: under the data directory, not the sources."""
    return settings.data_dir / "dbt" / settings.warehouse.name


@task(name="build-models", cache_policy=NO_CACHE)
def build(warehouse: Warehouse, lock_timeout_s: float, full_refresh: bool,
          artifacts: Path, lake_retention: timedelta) -> ModelsResult:
    """`dbt build` under the warehouse writer slot (Prefect) and the writer file lock."""
    progress = current_progress()
    with ExitStack() as stack:
        if uses_shared_server():  # see flows/storage.py
            stack.enter_context(concurrency(WRITER_LIMIT, occupy=1,
                                            lease_duration=MODELS_LEASE_S, strict=False))
        return build_models(warehouse, full_refresh=full_refresh, lock_timeout_s=lock_timeout_s,
                            on_wait=progress.note, artifacts_dir=artifacts,
                            lake_retention=lake_retention)


class _StageProgress:
    """The rebuild's (stage, done, total) reports as progress stages."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._stage: str | None = None
        self._done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._stage, self._done = stage, 0
            self._progress.stage(f"stories: {stage}", total)
        self._progress.advance(done - self._done)
        self._done = done


@task(name="rebuild-stories", cache_policy=NO_CACHE)
def rebuild_stories(warehouse: Warehouse, lock_timeout_s: float) -> RebuildResult:
    """Place every article in a story again (warehouse/stories.py), under the writer lock."""
    progress = current_progress()
    with writing(warehouse, lock_timeout_s) as con:
        result = rebuild_all_stories(con, on_progress=_StageProgress(progress))
    progress.note(f"stories rebuilt: {result.articles} articles in {result.stories} stories, "
                  f"{result.changed} articles changed story, {result.signatures_computed} "
                  "signatures computed")
    return result


@task(name="build-search-index", cache_policy=NO_CACHE)
def build_index(settings: Settings) -> IndexStats:
    """Rebuild `newswire search`'s index from a read-only snapshot of the warehouse: no writer
    slot, since it writes only its own file (replaced atomically). The warehouse is open only
    while the snapshot is copied: a reader keeps writers out of a DuckDB file."""
    with open_reader(settings.warehouse, timeout_s=settings.reader_wait_s,
                     on_wait=current_progress().note) as source:
        staged = stage_snapshot(source, search_index_path(settings.warehouse, settings.data_dir),
                                source_name=str(settings.warehouse))
    return finish_index(staged)


@flow(name="models", log_prints=False, validate_parameters=False)
def models(
    db: str | None = None,
    data_dir: str | None = None,
    full_refresh: bool = False,
    rebuild_story_ids: bool = False,
) -> ModelsSummary:
    """Build the staging views and the marts, and run their data tests. Raises
    ModelsBuildError, naming the failing tests and models, if any fails. With
    `rebuild_story_ids`, every article is first placed in a story again (after the matching
    thresholds changed, or to cluster the articles loaded before stories existed)."""
    settings: Settings = resolve_settings(db=db, data_dir=data_dir)
    if uses_shared_server():
        ensure_writer_limit()
    progress = current_progress()
    if rebuild_story_ids:
        rebuild_stories(settings.warehouse, settings.lock_timeout_s)
    progress.note(f"building the SQL models into {settings.warehouse}"
                  + (" (full refresh)" if full_refresh else ""))
    result = build(settings.warehouse, settings.lock_timeout_s, full_refresh,
                   artifacts_dir(settings), settings.lake_retention)
    if result.lake_maintenance is not None:
        kept = result.lake_maintenance
        progress.note(f"lake maintained: data files {kept.files_before} -> "
                      f"{kept.files_after}, {kept.snapshots_expired} snapshots expired "
                      f"(kept: the last {settings.lake_retention}), {kept.files_deleted} "
                      "old files deleted")
    summary = ModelsSummary.from_result(settings.warehouse, result)
    progress.note(summary.describe())
    stats = build_index(settings)
    progress.note(stats.describe())
    return replace(summary, search_index=stats.describe())


def run_models(settings: Settings, *, full_refresh: bool = False,
               rebuild_story_ids: bool = False, err: TextIO | None = None) -> int:
    """`newswire models [--full-refresh]`: 0 when every model built and every data test passed;
    1 with the failing tests (and the models they test) on stderr otherwise."""
    err = err or sys.stderr
    try:
        summary = models(db=settings.warehouse.spec, data_dir=str(settings.data_dir),
                         full_refresh=full_refresh, rebuild_story_ids=rebuild_story_ids)
    except ModelsBuildError as exc:
        print(f"newswire: models failed: {exc}", file=err)
        return ExitCode.FAILURE
    return summary.exit_code
