"""Build the SQL models (the dbt project in warehouse/dbt/) into the warehouse.

`build_models` runs `dbt build` in-process (dbt's programmatic runner) while holding the
warehouse writer lock, so no ingest writes while the marts are rebuilt and tested. Before dbt
opens the file, the schema is migrated (the staging models read core.* and raw.*). dbt opens
the DuckDB file itself (a dbt-duckdb profile `path:`, from NEWSWIRE_DB, which this module sets
for the duration of the build); its target/ and logs/ go to an artifacts directory outside the
source tree (by default `<db dir>/dbt/<db name>/`).

dbt is quiet on the console; everything, every SQL statement included, is in its log file
(`ModelsResult.log_path`). When a model fails or a data test fails, `ModelsBuildError` names
the failing tests and the models they test.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from warehouse.connection import WarehouseUnavailable, lake_data_path, open_writer
from warehouse.lake_maintenance import DEFAULT_RETENTION, LakeMaintenance, maintain_lake
from warehouse.location import Warehouse, WarehouseTarget, as_warehouse
from warehouse.migrations import migrate
from warehouse.writer_lock import writer_lock

DBT_PROJECT_DIR = Path(__file__).resolve().parent / "dbt"
DB_ENV = "NEWSWIRE_DB"

# dbt keeps process-wide state (flags, adapters, the DuckDB environment): one build at a time.
_DBT_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class TestOutcome:
    """One data test: its dbt name, the relation it tests, and how it ended."""

    name: str
    model: str | None  # 'marts.entity_daily', or None for a test not attached to one model
    status: str  # 'pass' | 'fail' | 'warn' | 'error' | 'skipped'
    failures: int = 0  # rows the test returned (failing rows)
    message: str | None = None

    def describe(self) -> str:
        where = f" on {self.model}" if self.model else ""
        if self.status == "fail":
            rows = f"{self.failures} failing row{'s' if self.failures != 1 else ''}"
            return f"{self.name}{where}: {rows}"
        return f"{self.name}{where}: {self.status}" + (f" ({self.message})" if self.message
                                                       else "")


@dataclass(frozen=True, slots=True)
class ModelOutcome:
    """One model (or seed/snapshot): 'schema.name' and how it ended."""

    name: str
    status: str  # 'success' | 'error' | 'skipped'
    message: str | None = None


@dataclass(frozen=True, slots=True)
class ModelsResult:
    """What one `dbt build` did."""

    models: tuple[ModelOutcome, ...]
    tests: tuple[TestOutcome, ...]
    elapsed_s: float
    log_path: Path
    target_path: Path
    full_refresh: bool = False
    selected: str | None = None
    migrations_applied: tuple[str, ...] = field(default_factory=tuple)
    lake_maintenance: LakeMaintenance | None = None  # a lake's, after a build that passed

    @property
    def models_built(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.models if m.status == "success")

    @property
    def models_failed(self) -> tuple[ModelOutcome, ...]:
        return tuple(m for m in self.models if m.status == "error")

    @property
    def models_skipped(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.models if m.status == "skipped")

    @property
    def tests_passed(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tests if t.status == "pass")

    @property
    def tests_failed(self) -> tuple[TestOutcome, ...]:
        return tuple(t for t in self.tests if t.status in ("fail", "error"))

    @property
    def tests_warned(self) -> tuple[TestOutcome, ...]:
        return tuple(t for t in self.tests if t.status == "warn")

    @property
    def ok(self) -> bool:
        return not self.models_failed and not self.tests_failed and not self.models_skipped

    def describe(self) -> str:
        text = (f"models: {len(self.models_built)} built, {len(self.models_failed)} failed, "
                f"{len(self.models_skipped)} skipped; data tests: {len(self.tests_passed)} "
                f"passed, {len(self.tests_failed)} failed")
        if self.tests_warned:
            text += f", {len(self.tests_warned)} warned"
        text += f" ({self.elapsed_s:.1f} s)"
        kept = self.lake_maintenance
        if kept is not None:
            text += (f"; lake data files {kept.files_before} -> {kept.files_after}, "
                     f"{kept.snapshots_expired} snapshots expired, {kept.files_deleted} "
                     "old files deleted")
        return text


class ModelsBuildError(RuntimeError):
    """dbt could not build the models, or a data test failed. The message names what failed;
    `result` holds the full outcome when dbt got as far as running nodes."""

    def __init__(self, message: str, result: ModelsResult | None = None) -> None:
        super().__init__(message)
        self.result = result

    @property
    def failed_tests(self) -> tuple[TestOutcome, ...]:
        return self.result.tests_failed if self.result else ()


def default_artifacts_dir(target: WarehouseTarget) -> Path:
    """Where dbt's target/ and logs/ go for this warehouse: beside it (beside a lake's local
    catalog; under ./data for a PostgreSQL catalog), one directory per warehouse (the
    partial-parse cache is per warehouse, and two warehouses never share a manifest)."""
    warehouse = as_warehouse(target)
    local = warehouse.local_file
    return (local.parent if local is not None else Path("data")) / "dbt" / warehouse.name


def build_models(
    target: WarehouseTarget,
    *,
    select: str | None = None,
    full_refresh: bool = False,
    lock_timeout_s: float = 600,
    on_wait: Callable[[str], None] | None = None,
    artifacts_dir: Path | None = None,
    threads: int | None = None,
    verbose: bool = False,
    lake_retention: timedelta = DEFAULT_RETENTION,
) -> ModelsResult:
    """Migrate the warehouse, then `dbt build` (models and their data tests) into it.

    `select` is a dbt selector ('marts.entity_daily+', 'tag:x'); `full_refresh` rebuilds the
    incremental models from scratch. The writer lock is held for the whole build. Raises
    `ModelsBuildError` naming the failing tests (and the models they test) or the failing
    models; `LockTimeout` if another writer holds the warehouse longer than `lock_timeout_s`.
    A lake is then maintained (warehouse/lake_maintenance.py), keeping `lake_retention` of
    snapshots, still under the writer lock.
    """
    warehouse = as_warehouse(target).resolved()
    artifacts = (artifacts_dir or default_artifacts_dir(warehouse)).expanduser().resolve()
    target_path, log_path = artifacts / "target", artifacts / "logs"
    args = [
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_path),
        "--log-path", str(log_path),
        "--log-level", "info" if verbose else "none",
        "--log-level-file", "debug",
        "--no-use-colors",
        "--no-send-anonymous-usage-stats",
    ]
    if select:
        args += ["--select", select]
    if full_refresh:
        args.append("--full-refresh")
    if threads is not None:
        args += ["--threads", str(threads)]
    if warehouse.is_lake:
        args += ["--target", "lake"]

    started = time.monotonic()
    with _DBT_LOCK, writer_lock(warehouse, timeout_s=lock_timeout_s, on_wait=on_wait):
        applied, data_path = _migrate(warehouse, lock_timeout_s, on_wait)
        if data_path is not None:
            warehouse = replace(warehouse, lake_data=data_path)
        with _dbt_environment(warehouse, artifacts):
            outcome = _invoke_dbt(args)
        maintenance = None
        if warehouse.is_lake and outcome.success:
            with open_writer(warehouse, lock_timeout_s=lock_timeout_s, on_wait=on_wait,
                             lock_held=True) as con:
                maintenance = maintain_lake(con, lake_retention)
    elapsed = time.monotonic() - started

    if outcome.result is None or not hasattr(outcome.result, "results"):
        reason = outcome.exception or "dbt returned no results"
        raise ModelsBuildError(
            f"dbt build did not run: {reason} (log: {log_path / 'dbt.log'})")
    models, tests = _outcomes(outcome.result.results)
    result = ModelsResult(models=models, tests=tests, elapsed_s=elapsed,
                          log_path=log_path / "dbt.log", target_path=target_path,
                          full_refresh=full_refresh, selected=select,
                          migrations_applied=applied, lake_maintenance=maintenance)
    if not result.ok or not outcome.success:
        raise ModelsBuildError(_failure_message(result, outcome.exception), result)
    return result


def _migrate(warehouse: Warehouse, timeout_s: float, on_wait: Callable[[str], None] | None
             ) -> tuple[tuple[str, ...], str | None]:
    """Apply pending migrations and close the connection again: dbt opens the file next.
    Returns them, and a lake's data path as its catalog records it. The caller holds the
    writer lock (open_writer would take it a second time and wait)."""
    with open_writer(warehouse, lock_timeout_s=timeout_s, on_wait=on_wait,
                     lock_held=True) as con:
        applied = tuple(f"{m.version:04d}_{m.name}"
                        for m in migrate(con, lake=warehouse.is_lake))
        return applied, lake_data_path(con) if warehouse.is_lake else None


@contextmanager
def _dbt_environment(warehouse: Warehouse, artifacts: Path) -> Iterator[None]:
    """NEWSWIRE_DB (and a lake's data and scratch file) for profiles.yml, and dbt's usage
    statistics off, for one invocation."""
    wanted = {DB_ENV: warehouse.spec, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if warehouse.is_lake:
        artifacts.mkdir(parents=True, exist_ok=True)
        wanted["NEWSWIRE_DBT_SCRATCH"] = str(artifacts / "scratch.duckdb")
        if warehouse.lake_data is not None:
            wanted["NEWSWIRE_LAKE_DATA"] = warehouse.lake_data
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _invoke_dbt(args: list[str]):  # -> dbtRunnerResult (imported lazily: dbt is slow to import)
    from dbt.cli.main import dbtRunner

    return dbtRunner().invoke(args)


def _relation_name(node) -> str:
    return f"{node.schema}.{getattr(node, 'alias', None) or node.name}"


def _outcomes(results) -> tuple[tuple[ModelOutcome, ...], tuple[TestOutcome, ...]]:
    models: list[ModelOutcome] = []
    tests: list[TestOutcome] = []
    by_id = {r.node.unique_id: r.node for r in results}
    for r in results:
        node, status = r.node, str(getattr(r.status, "value", r.status))
        kind = str(getattr(node.resource_type, "value", node.resource_type))
        if kind == "test":
            attached = getattr(node, "attached_node", None)
            model = _relation_name(by_id[attached]) if attached in by_id else (
                attached.split(".")[-1] if attached else None)
            tests.append(TestOutcome(name=node.name, model=model, status=status,
                                     failures=int(r.failures or 0),
                                     message=r.message if status != "pass" else None))
        elif kind in ("model", "seed", "snapshot"):
            models.append(ModelOutcome(name=_relation_name(node), status=status,
                                       message=r.message if status == "error" else None))
    return tuple(models), tuple(tests)


def _failure_message(result: ModelsResult, exception: BaseException | None) -> str:
    lines = []
    if result.tests_failed:
        lines.append(f"{len(result.tests_failed)} data test(s) failed:")
        lines += [f"  - {t.describe()}" for t in result.tests_failed]
    if result.models_failed:
        lines.append(f"{len(result.models_failed)} model(s) failed:")
        lines += [f"  - {m.name}: {m.message}" for m in result.models_failed]
    if result.models_skipped:
        lines.append("not built because of the failures above: "
                     + ", ".join(result.models_skipped))
    if exception is not None:
        lines.append(f"dbt: {exception}")
    if not lines:
        lines.append("dbt build reported a failure")
    lines.append(f"details in {result.log_path}")
    return "\n".join(lines)


__all__ = [
    "DBT_PROJECT_DIR",
    "ModelOutcome",
    "ModelsBuildError",
    "ModelsResult",
    "TestOutcome",
    "WarehouseUnavailable",
    "build_models",
    "default_artifacts_dir",
]
