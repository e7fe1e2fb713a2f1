"""What ingest and backfill share: run bookkeeping and the page-batch pipeline
(extract -> load), so both produce the same rows from the same bytes."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote

from flows.artifacts import publish_run_artifacts
from flows.deployments import ensure_writer_limit
from flows.http import FetchRequest
from flows.page_work import process_pages
from flows.prefect_runtime import uses_local_api
from flows.progress import Progress
from flows.settings import Settings
from flows.tasks import enrich, extract_articles, fetch_and_land, load, save_run
from flows.worker_pool import worker_pool
from transforms.records import Article, Enrichment, EtlRun, FeedItem, FetchResult, ParsedFeed
from warehouse.loaders import ArticleCounts

T = TypeVar("T")
FETCH_BATCH = 100  # pages per fetch task run (and per read of the landing zone)
FIRST_FETCH_BATCH = 40
WORK_CHUNK = 20  # pages per worker job: small, so that the cores finish together
LOAD_ARTICLES = 200  # articles per load transaction...
LOAD_INTERVAL_S = 10.0  # ...or fewer, so that a slow run still commits and shows progress
MIN_PAGES_FOR_WORKERS = 100
Processed = tuple[list[Article], list[FetchResult], list[Enrichment]]
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


def fetch_and_process(settings: Settings, processor: PageProcessor, items: Sequence[FeedItem],
                      trusted_hosts: dict[str, str | None]) -> None:
    """Fetch the pages of `items` in batches and hand each to `processor`; the next batch
    downloads while the current one is processed and loaded. `trusted_hosts` maps a feed name
    to its host (the SSRF guard lets pages on that host through)."""

    def fetch(batch: list[FeedItem]) -> PrefectFuture[tuple[list[FetchResult], ...]]:
        requests = [FetchRequest(i.url, "page", i.feed_name, item_published_at=i.published_at,
                                 trusted_host=trusted_hosts[i.feed_name]) for i in batch]
        return fetch_and_land.submit(quote(requests), settings.http, settings.raw_dir)

    # A small first batch: the workers get their first pages after 40 downloads, not 100.
    batches = [list(items[:FIRST_FETCH_BATCH]), *chunks(items[FIRST_FETCH_BATCH:], FETCH_BATCH)]
    batches = [b for b in batches if b]
    upcoming = fetch(batches[0]) if batches else None
    for index, batch in enumerate(batches):
        assert upcoming is not None
        pages, robots = upcoming.result()
        upcoming = fetch(batches[index + 1]) if index + 1 < len(batches) else None
        processor.submit(batch, pages, robots)


@dataclass(slots=True)
class _LoadBuffer:
    """Processed pages waiting for their load: one transaction for many work chunks."""

    items: list[FeedItem] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    enrichments: list[Enrichment] = field(default_factory=list)
    failed: list[FetchResult] = field(default_factory=list)


class PageProcessor:
    """Extracts, enriches and loads pages.

    A large run uses worker processes: while they extract and enrich chunks of pages, this
    process fetches the next batch and loads what they finished. Chunks are small, so both
    cores stay busy to the end; loads gather many chunks, since each transaction and each
    Prefect task run has a fixed cost. At most `2 x workers + 2` chunks are in flight and a
    load holds at most LOAD_ARTICLES articles, so memory stays flat however long the run.
    A small run (a demo, a quiet feed) stays in this process: starting workers costs more
    than it saves.
    """

    def __init__(self, settings: Settings, run_id: str, profiles: dict[str, str],
                 linked_items: dict[str, list[FeedItem]], progress: Progress, *,
                 log_fetches: bool, expected_pages: int) -> None:
        self._settings = settings
        self._run_id = run_id
        self._profiles = profiles
        self._linked = linked_items
        self._progress = progress
        self._log_fetches = log_fetches
        self._workers = settings.workers if expected_pages >= MIN_PAGES_FOR_WORKERS else 0
        self._max_in_flight = 2 * self._workers + 2
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[Future[Processed], list[FeedItem], list[FetchResult]]]
        self._pending = deque()
        self._buffer = _LoadBuffer()
        self._last_load = time.monotonic()
        self.counts = ArticleCounts()
        self.failures: list[FetchResult] = []
        self.fixes: Counter[str] = Counter()

    def __enter__(self) -> PageProcessor:
        if self._workers:
            self._pool = worker_pool(self._settings.spacy_model, self._workers)
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                while self._pending:
                    self._finish_oldest()
                self._load()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, items: list[FeedItem], pages: list[FetchResult],
               extra_log: Sequence[FetchResult] = ()) -> None:
        """`pages[i]` was reached through `items[i]`; `extra_log` are further requests
        (robots.txt) to record with these pages."""
        if self._pool is None:
            articles, page_log = extract_articles(quote(pages), quote(items), self._profiles)
            enrichments = enrich(quote(articles), self._settings.spacy_model)
            self._collect(items, articles, page_log, enrichments, list(extra_log))
            return
        extra = list(extra_log)
        for start in range(0, len(items), WORK_CHUNK):
            future = self._pool.submit(process_pages, pages[start:start + WORK_CHUNK],
                                       items[start:start + WORK_CHUNK], self._profiles,
                                       self._settings.spacy_model)
            self._pending.append((future, items[start:start + WORK_CHUNK], extra))
            extra = []
            while len(self._pending) > self._max_in_flight:
                self._finish_oldest()

    def _finish_oldest(self) -> None:
        future, items, extra_log = self._pending.popleft()
        articles, page_log, enrichments = future.result()
        self._collect(items, articles, page_log, enrichments, extra_log)

    def _collect(self, items: list[FeedItem], articles: list[Article],
                 page_log: list[FetchResult], enrichments: list[Enrichment],
                 extra_log: list[FetchResult]) -> None:
        buffer = self._buffer
        buffer.items += items
        buffer.articles += articles
        buffer.enrichments += enrichments
        if self._log_fetches:
            buffer.fetches += [*page_log, *extra_log]
        buffer.failed += [r for r in page_log if not r.ok]
        if (len(buffer.articles) >= LOAD_ARTICLES
                or time.monotonic() - self._last_load >= LOAD_INTERVAL_S):
            self._load()

    def _load(self) -> None:
        buffer, self._buffer = self._buffer, _LoadBuffer()
        self._last_load = time.monotonic()
        if not buffer.items:
            return
        ids = {a.article_id for a in buffer.articles}
        linked = [i for a in ids for i in self._linked.get(a, [])]
        self.counts = self.counts + load(
            self._settings.db_path, self._settings.lock_timeout_s, self._run_id,
            datetime.now(UTC), quote(buffer.fetches), quote(buffer.articles), quote(linked),
            quote(buffer.enrichments))
        for result in buffer.failed:
            self._progress.note(f"page failed: {result.url}: {result.error}")
        self.failures += buffer.failed
        self.fixes.update(f for a in buffer.articles for f in a.text_fixes)
        self._progress.advance(len(buffer.items))
