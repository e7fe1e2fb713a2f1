"""Page work, the same for ingest and every backfill: pages in, loaded articles out.

    fetch a batch (task, on a thread of this process)  ->  land the bodies (here)
      ->  chunks of pages: extraction, then entities (tasks on the Dask workers,
          flows/page_task.py)
      ->  loads (tasks, here: one transaction for several chunks)

Fetching is I/O: it runs in the flow's own process, which keeps the raw bytes anyway, on a
thread task runner, so the next batch downloads while the workers process this one and no
worker's CPU waits on the network (on loopback, a 200-page fetch held a worker for 2.3 s). One
fetch is in flight at a time, so the HTTP client's per-host politeness holds for the run.

At most 2 x workers + 2 chunks are in flight and a load holds at most LOAD_ARTICLES articles,
so memory stays flat however long the run. Chunks are as large as the end of the run allows
(every task run has a fixed cost), and loads gather several chunks (so does a transaction).

A chunk that runs longer than the page time limit (lxml can spend minutes in C code on a
crafted page, where no signal reaches it) is stopped from outside: its worker is restarted,
and its pages are retried one per task, so that only the page at fault is recorded as failed.

Arguments of the tasks called here are wrapped in `opaque`, so that Prefect does not walk
through thousands of records looking for futures; see PageChunk for the tasks sent to Dask.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TypeVar

from distributed import KilledWorker
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque

from flows.engine import Workers
from flows.http_client import Fetcher, FetchRequest, HttpSettings
from flows.page_task import PageChunk, PageWork, ProcessedChunk, process_pages
from flows.progress import Progress
from flows.settings import Settings
from flows.storage import land_bodies, load, read_landed
from transforms.records import Article, Enrichment, FeedItem, FetchResult
from warehouse.loaders import ArticleCounts

T = TypeVar("T")
FETCH_BATCH = 200  # pages per fetch task (and per read of the landing zone)
FIRST_FETCH_BATCH = 40  # a smaller first batch: the workers get pages sooner
# Pages per processing task: as many as possible, since a task run costs about 0.2 s of a
# worker's CPU (Prefect's settings and API client, per run), but fewer as the run nears its
# end, so that the workers finish together.
MAX_CHUNK = 100
MIN_CHUNK = 10
LOAD_ARTICLES = 400  # articles per load transaction...
LOAD_INTERVAL_S = 10.0  # ...or fewer, so that a slow run still commits and shows progress


@dataclass(frozen=True, slots=True)
class FetchedBatch:
    pages: list[FetchResult]  # in the order of the requests, with their bodies
    robots: list[FetchResult]  # the robots.txt requests the batch needed


async def _fetch_all(requests: Sequence[FetchRequest], http: HttpSettings) -> FetchedBatch:
    async with Fetcher(http) as fetcher:
        return FetchedBatch(await fetcher.fetch_many(requests), fetcher.robots_fetches)


@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_batch(requests: list[FetchRequest], http: HttpSettings) -> FetchedBatch:
    """Fetch a batch concurrently, within the HTTP client's limits and manners."""
    return asyncio.run(_fetch_all(requests, http))


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


@dataclass(slots=True)
class PageOutcome:
    """What the page work of a run came to."""

    processed: int = 0
    outside_window: int = 0  # archived pages dropped: their own date is outside the window
    failures: list[FetchResult] = field(default_factory=list)
    counts: ArticleCounts = field(default_factory=ArticleCounts)
    fixes: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class _InFlight:
    future: PrefectFuture[ProcessedChunk]
    work: list[PageWork]
    extra_log: list[FetchResult]
    submitted: float


@dataclass(slots=True)
class _LoadBuffer:
    """Processed pages waiting for their load: one transaction for many chunks."""

    pages: int = 0
    articles: list[Article] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    enrichments: list[Enrichment] = field(default_factory=list)
    failed: list[FetchResult] = field(default_factory=list)


class PageRun:
    """Processes pages on the workers and loads the results, for one run.

    `linked_items` maps an article id to every feed item (of any feed) that links it: they are
    loaded with the article. `log_fetches`: record the pages' requests in raw.fetch_log (a
    replay of the landing zone made none).
    """

    def __init__(self, settings: Settings, run_id: str, workers: Workers, worker_count: int,
                 linked_items: dict[str, list[FeedItem]], progress: Progress, *,
                 expected_pages: int, log_fetches: bool) -> None:
        self._settings = settings
        self._run_id = run_id
        self._workers = workers
        self._linked = linked_items
        self._progress = progress
        self._log_fetches = log_fetches
        self._limit_s = settings.page_time_limit_s
        self._worker_count = worker_count
        self._max_in_flight = 2 * worker_count + 2
        self._expected = expected_pages
        self._submitted = 0
        self._pending: deque[_InFlight] = deque()
        self._clock = time.monotonic()  # when the oldest chunk in flight started to count
        self._buffer = _LoadBuffer()
        self._last_load = time.monotonic()
        self.outcome = PageOutcome()

    @property
    def pages_per_fetch(self) -> int:
        """Pages per fetch: enough to keep every worker busy on a large cluster."""
        return max(FETCH_BATCH, MAX_CHUNK * self._worker_count)

    def expect(self, pages: int) -> None:
        """For pages streamed in, their number unknown beforehand: `pages` more are to come
        (this batch, and the next if there may be one), so chunks shrink only at the end."""
        self._expected = self._submitted + pages

    def chunk_size(self, batch: int) -> int:
        """Pages per task for a batch of `batch` pages: the batch split over every worker,
        and a share of what remains of the run that shrinks as the run nears its end."""
        remaining = max(self._expected - self._submitted, batch)
        guided = -(-remaining // (2 * self._worker_count))
        split = -(-batch // self._worker_count)
        return max(MIN_CHUNK, min(MAX_CHUNK, guided, split))

    def submit(self, work: Sequence[PageWork], extra_log: Sequence[FetchResult] = ()) -> None:
        """Process `work`; `extra_log` are further requests (robots.txt) to record with it."""
        extra = list(extra_log)
        for chunk in chunks(work, self.chunk_size(len(work))):
            self._submit(chunk, extra)
            self._submitted += len(chunk)
            extra = []
        if extra:  # no pages, only requests to record
            self._collect(ProcessedChunk([], [], []), 0, extra)

    def finish(self) -> PageOutcome:
        while self._pending:
            self._finish_oldest()
        self._load()
        return self.outcome

    def _submit(self, work: list[PageWork], extra_log: list[FetchResult]) -> None:
        future = process_pages.submit(PageChunk(work), self._settings.spacy_model)
        self._pending.append(_InFlight(future, work, extra_log, time.monotonic()))
        while len(self._pending) > self._max_in_flight:
            self._finish_oldest()

    def _finish_oldest(self) -> None:
        entry = self._pending.popleft()
        # A chunk's time counts from when it was submitted or the previous chunk finished,
        # whichever is later: time spent queued behind other chunks is not its own.
        started = max(entry.submitted, self._clock)
        try:
            chunk = entry.future.result(timeout=max(0.0, started + self._limit_s
                                                    - time.monotonic()))
        except TimeoutError:
            self._stop(entry, f"exceeded the {self._limit_s:g} s time limit")
        except (KilledWorker, CancelledError) as exc:
            self._stop(entry, f"its worker died ({type(exc).__name__})")
        else:
            self._collect(chunk, len(entry.work), entry.extra_log)
        self._clock = time.monotonic()

    def _stop(self, entry: _InFlight, reason: str) -> None:
        """Stop a chunk that will not finish; retry its pages one by one, or, for a single
        page, record it as failed."""
        worker = self._workers.stop(entry.future)
        if len(entry.work) > 1:
            self._progress.note(f"a chunk of {len(entry.work)} pages {reason}; worker "
                                f"{worker or '?'} replaced, retrying its pages one by one")
            extra = entry.extra_log
            for work in entry.work:
                self._submit([work], extra)
                extra = []
            return
        page = entry.work[0].page
        failed = replace(page, body=None,
                         error=f"extraction and entities stopped: {reason}; worker replaced")
        self._collect(ProcessedChunk([], [failed], []), 1, entry.extra_log)

    def _collect(self, chunk: ProcessedChunk, pages: int, extra_log: list[FetchResult]) -> None:
        buffer = self._buffer
        buffer.pages += pages
        self.outcome.outside_window += chunk.outside_window
        buffer.articles += chunk.articles
        buffer.enrichments += chunk.enrichments
        if self._log_fetches:
            buffer.fetches += [*chunk.page_log, *extra_log]
        buffer.failed += [r for r in chunk.page_log if not r.ok]
        if (len(buffer.articles) >= LOAD_ARTICLES
                or time.monotonic() - self._last_load >= LOAD_INTERVAL_S):
            self._load()

    def _load(self) -> None:
        buffer, self._buffer = self._buffer, _LoadBuffer()
        self._last_load = time.monotonic()
        if not (buffer.pages or buffer.fetches):
            return
        ids = {a.article_id for a in buffer.articles}
        linked = [i for a in ids for i in self._linked.get(a, [])]
        outcome = self.outcome
        outcome.counts = outcome.counts + load(
            self._settings.warehouse, self._settings.lock_timeout_s, self._run_id,
            datetime.now(UTC), opaque(buffer.fetches), opaque(buffer.articles), opaque(linked),
            opaque(buffer.enrichments))
        for result in buffer.failed:
            self._progress.note(f"page failed: {result.url}: {result.error}")
        outcome.processed += buffer.pages
        outcome.failures += buffer.failed
        outcome.fixes.update(f for a in buffer.articles for f in a.text_fixes)
        self._progress.advance(buffer.pages)


def fetch_and_process(run: PageRun, settings: Settings, items: Sequence[FeedItem],
                      profiles: dict[str, str], trusted_hosts: dict[str, str | None]) -> None:
    """Fetch the pages of `items` in batches, land them and hand them to `run`; the next batch
    downloads while the current one is processed. `profiles` and `trusted_hosts` map a feed
    name to its site profile and its host (the SSRF guard lets pages on that host through)."""

    batches = [list(items[:FIRST_FETCH_BATCH]),
               *chunks(items[FIRST_FETCH_BATCH:], run.pages_per_fetch)]
    batches = [b for b in batches if b]
    with ThreadPoolTaskRunner(max_workers=1) as downloads:

        def fetch(batch: list[FeedItem]) -> PrefectFuture[FetchedBatch]:
            requests = [FetchRequest(i.url, "page", i.feed_name,
                                     item_published_at=i.published_at,
                                     trusted_host=trusted_hosts[i.feed_name]) for i in batch]
            return downloads.submit(fetch_batch, {"requests": requests, "http": settings.http})

        upcoming = fetch(batches[0]) if batches else None
        for index, batch in enumerate(batches):
            assert upcoming is not None
            fetched = upcoming.result()
            upcoming = fetch(batches[index + 1]) if index + 1 < len(batches) else None
            pages = land_bodies(settings.raw_dir, fetched.pages)
            run.submit([PageWork(item, page, profiles[item.feed_name])
                        for item, page in zip(batch, pages, strict=True)], fetched.robots)


def replay_landed(run: PageRun, settings: Settings, items: Sequence[FeedItem],
                  fetches: Sequence[FetchResult], profiles: dict[str, str]) -> list[FetchResult]:
    """Read the landed bodies of `fetches` (`items[i]` linked `fetches[i]`) in batches and hand
    them to `run`. Returns the fetches whose body could not be read (they count as failed
    pages, with the reason)."""
    missing: list[FetchResult] = []
    for batch in chunks(list(zip(items, fetches, strict=True)), run.pages_per_fetch):
        landed = read_landed(settings.raw_dir, opaque([fetch for _, fetch in batch]),
                             settings.http)
        missing += landed.missing
        run.submit([PageWork(item, page, profiles[item.feed_name])
                    for (item, _), page in zip(batch, landed.fetches, strict=True)])
    return missing
