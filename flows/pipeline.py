"""What ingest and backfill share: run bookkeeping and the page-batch pipeline
(extract -> load), so both produce the same rows from the same bytes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from flows.artifacts import publish_run_artifacts
from flows.deployments import ensure_writer_limit
from flows.prefect_runtime import uses_local_api
from flows.progress import Progress
from flows.settings import Settings
from flows.tasks import enrich, extract_articles, load, save_run
from transforms.records import EtlRun, FeedItem, FetchResult, ParsedFeed
from warehouse.loaders import ArticleCounts

T = TypeVar("T")
PAGE_BATCH = 40
EXIT_OK, EXIT_PARTIAL = 0, 3


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
    failures: tuple[FetchResult, ...] = ()  # feeds and pages that failed, with their reasons
    text_fixes: tuple[tuple[str, int], ...] = ()  # (fix, articles repaired), most common first

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.status == "success" else EXIT_PARTIAL

    def describe(self) -> str:
        c = self.counts
        return (f"{self.flow_name} run {self.run_id}: {self.status}; feeds ok {self.feeds_ok}, "
                f"failed {self.feeds_failed}; pages processed {self.pages_processed}, failed "
                f"{self.pages_failed}; articles new {c.new}, updated {c.updated}, "
                f"unchanged {c.unchanged}")

    def as_run(self, started: datetime) -> EtlRun:
        c = self.counts
        return EtlRun(self.run_id, self.flow_name, started, datetime.now(UTC), self.status,
                      self.feeds_ok, self.feeds_failed, c.new, c.updated, c.unchanged,
                      self.pages_failed)


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def recorded_run(
    settings: Settings, flow_name: str, run_id: str, body: Callable[[datetime], RunSummary]
) -> RunSummary:
    """Run `body`, keeping core.etl_run truthful: 'running' first, then its outcome, or
    'failed' if it raised (batches already committed stay: each is whole)."""
    started = datetime.now(UTC)
    db_path, lock_s = settings.db_path, settings.lock_timeout_s
    if not uses_local_api():
        ensure_writer_limit()
    save_run(db_path, lock_s, EtlRun(run_id, flow_name, started, None, "running"))
    try:
        summary = body(started)
    except BaseException:
        save_run(db_path, lock_s, EtlRun(run_id, flow_name, started, datetime.now(UTC), "failed"))
        raise
    save_run(db_path, lock_s, summary.as_run(started))
    publish_run_artifacts(summary)
    return summary


def items_by_article(
    parsed: Sequence[ParsedFeed], article_ids: set[str]
) -> dict[str, list[FeedItem]]:
    """Every feed item (from any feed) that links one of `article_ids`."""
    linked: dict[str, list[FeedItem]] = {}
    for feed in parsed:
        for item in feed.items:
            if item.article_id in article_ids:
                linked.setdefault(item.article_id, []).append(item)
    return linked


@dataclass
class PageBatchOutcome:
    counts: ArticleCounts
    failed: list[FetchResult]
    fixes: Counter[str]


def process_page_batch(
    settings: Settings,
    run_id: str,
    items: list[FeedItem],
    pages: list[FetchResult],
    profiles: dict[str, str],
    linked_items: dict[str, list[FeedItem]],
    *,
    log_fetches: bool,
    progress: Progress,
    extra_log: Sequence[FetchResult] = (),
) -> PageBatchOutcome:
    """Extract and load one batch of pages. `pages[i]` was reached through `items[i]`;
    `linked_items` lists, per article id, every feed item to record for it once loaded."""
    articles, page_log = extract_articles(pages, items, profiles)
    enrichments = enrich(articles, settings.spacy_model)
    linked = [i for a in {a.article_id for a in articles} for i in linked_items.get(a, [])]
    counts = load(settings.db_path, settings.lock_timeout_s, run_id, datetime.now(UTC),
                  [*page_log, *extra_log] if log_fetches else [], articles, linked, enrichments)
    failed = [r for r in page_log if not r.ok]
    for result in failed:
        progress.note(f"page failed: {result.url}: {result.error}")
    progress.advance(len(items))
    return PageBatchOutcome(counts, failed, Counter(f for a in articles for f in a.text_fixes))
