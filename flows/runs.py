"""A run's bookkeeping, the same for every flow: its row in core.etl_run from start to end,
its summary, its status and the exit code the CLI returns.

One rule for every flow: a run is a `success` when every feed, sitemap and page it read
succeeded, and `partial` when any failed (each failure is recorded with its reason, and
everything else is loaded). A run that raises is `failed`; a run whose process died is marked
`crashed` by the next run (warehouse/run_leases.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from flows.artifacts import publish_run_artifacts
from flows.deployments import ensure_writer_limit
from flows.exit_codes import ExitCode
from flows.pages import PageOutcome
from flows.prefect_server import uses_shared_server
from flows.progress import current_progress
from flows.settings import Settings
from flows.storage import save_run, start_run
from transforms.records import EtlRun, FeedProblem, FetchResult
from warehouse.loaders import ArticleCounts
from warehouse.run_leases import run_lease


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: str
    flow_name: str
    status: str
    feeds_ok: int
    feeds_failed: int
    pages_processed: int
    pages_failed: int
    counts: ArticleCounts
    failures: tuple[FetchResult, ...] = ()  # feeds, sitemaps and pages, with their reasons
    text_fixes: tuple[tuple[str, int], ...] = ()  # (fix, articles repaired), most common first
    feed_problems: tuple[tuple[str, FeedProblem], ...] = ()  # (feed, problem): read, not failed

    @classmethod
    def of(cls, run_id: str, flow_name: str, *, feeds: Sequence[FetchResult],
           pages: PageOutcome, other_failures: Sequence[FetchResult] = (),
           unchanged: int = 0) -> RunSummary:
        """The summary of a run that read `feeds` (fetched or replayed), processed `pages`,
        and met `other_failures` on the way (sitemaps that failed)."""
        feed_failures = [f for f in feeds if not f.succeeded]
        failures = (*feed_failures, *other_failures, *pages.failures)
        return cls(run_id, flow_name, "partial" if failures else "success",
                   len(feeds) - len(feed_failures), len(feed_failures), pages.processed,
                   len(pages.failures), pages.counts + ArticleCounts(unchanged=unchanged),
                   failures, tuple(pages.fixes.most_common()),
                   tuple((f.feed_name or f.url, p) for f in feeds for p in f.problems))

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK if self.status == "success" else ExitCode.PARTIAL

    def describe(self) -> str:
        c = self.counts
        problems = (f"; feed problems {len(self.feed_problems)} (see `newswire status`)"
                    if self.feed_problems else "")
        return (f"{self.flow_name} run {self.run_id}: {self.status}; feeds ok {self.feeds_ok}, "
                f"failed {self.feeds_failed}; pages processed {self.pages_processed}, failed "
                f"{self.pages_failed}; articles new {c.new}, updated {c.updated}, "
                f"unchanged {c.unchanged}{problems}")

    def as_run(self, started: datetime) -> EtlRun:
        c = self.counts
        return EtlRun(self.run_id, self.flow_name, started, datetime.now(UTC), self.status,
                      self.feeds_ok, self.feeds_failed, c.new, c.updated, c.unchanged,
                      self.pages_failed)


def recorded_run(settings: Settings, flow_name: str,
                 body: Callable[[str, datetime], RunSummary]) -> RunSummary:
    """Run `body(run_id, started)`, keeping core.etl_run truthful: 'running' first (and runs
    left 'running' by a dead process marked 'crashed'), then its outcome, or 'failed' if it
    raised (batches already committed stay: each is whole). The outcome is saved before it is
    announced, so a process killed after announcing it leaves a finished row."""
    run_id = uuid.uuid4().hex
    started = datetime.now(UTC)
    warehouse, lock_s = settings.warehouse, settings.lock_timeout_s
    progress = current_progress()
    if uses_shared_server():
        ensure_writer_limit()
    with run_lease(warehouse, run_id):
        crashed = start_run(warehouse, lock_s, EtlRun(run_id, flow_name, started, None, "running"))
        if crashed:
            progress.note(f"marked {len(crashed)} earlier run(s) crashed (their process is "
                          f"gone): {', '.join(crashed)}")
        try:
            summary = body(run_id, started)
        except BaseException:
            save_run(warehouse, lock_s,
                     EtlRun(run_id, flow_name, started, datetime.now(UTC), "failed"))
            raise
        save_run(warehouse, lock_s, summary.as_run(started))
    publish_run_artifacts(summary)
    progress.note(summary.describe())
    return summary
