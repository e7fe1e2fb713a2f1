"""`backfill --source warc`: load the articles kept in web archives (WARC or ARC files, local
or at http(s) URLs, such as Common Crawl's CC-NEWS) through the same page work as ingest, so
that an archived page gives the row a live fetch of it gives.

    archives, read once each, front to back (warehouse/archive_reader.py)
      -> each record: an HTML response on a configured feed's host (transforms/warc.py),
         captured in the window or else dated in it by the page itself (checked after
         extraction, on the workers), not loaded yet
      -> batches of pages to PageRun, like fetched pages

The landing zone keeps no second copy: a page's raw.fetch_log row names its archive and its
record's offset, where a raw backfill reads it back. Records that cannot be read are logged
(kind 'warc', with the archive and offset) and skipped; each archive gets a 'warc' row with
its record counts.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath

from prefect.utilities.annotations import opaque

from flows.archives import open_archive
from flows.engine import start_workers
from flows.http_client import ArchiveUnavailable
from flows.page_task import PageWork
from flows.pages import PageRun
from flows.progress import Progress, current_progress
from flows.runs import RunSummary
from flows.settings import Settings
from flows.storage import lookup_known_articles
from transforms.records import FeedConfig, FeedItem, FetchResult
from transforms.urls import InvalidUrl, article_id_for, canonicalize_url
from transforms.warc import (
    ArchiveRecord,
    HostFeeds,
    RecordError,
    host_key,
    in_window,
    read_response,
)
from warehouse.archive_reader import ByteStream, DamagedRecord, read_archive
from warehouse.landing import sha256_hex

GENERIC_PROFILE = "generic"
NOTE_EVERY_S = 5.0


@dataclass(slots=True)
class ArchiveTally:
    """What reading one archive came to."""

    read: int = 0  # records, readable or not
    kept: int = 0  # pages handed to the page work
    skipped: Counter[str] = field(default_factory=Counter)  # records passed over, by reason
    damaged: list[FetchResult] = field(default_factory=list)  # records that could not be read
    bytes_read: int = 0

    def describe(self) -> str:
        passed = ", ".join(f"{n} {reason.replace('_', ' ')}"
                           for reason, n in self.skipped.most_common())
        return (f"{self.read} records, {self.kept} pages kept, {len(self.damaged)} unreadable"
                + (f"; passed over: {passed}" if passed else ""))


def feeds_by_host(configs: dict[str, FeedConfig]) -> dict[str, str]:
    """The feed whose profile reads the pages of each host (the first configured there)."""
    hosts: dict[str, str] = {}
    for config in configs.values():
        key = host_key(config.url)
        if key is not None:
            hosts.setdefault(key, config.name)
    return hosts


@dataclass(slots=True)
class _Selection:
    """Decides, record by record, which pages of the archives to load."""

    hosts: HostFeeds
    profiles: dict[str, str]
    window: tuple[datetime, datetime] | None
    max_body_bytes: int
    seen: set[str] = field(default_factory=set)  # article ids taken in this run: first wins

    def page_for(self, archive: str, record: ArchiveRecord, tally: ArchiveTally
                 ) -> PageWork | None:
        try:
            response = read_response(record, self.max_body_bytes)
        except RecordError as exc:
            tally.damaged.append(_damaged(archive, record.offset, str(exc)))
            return None
        if isinstance(response, str):
            tally.skipped[response] += 1
            return None
        feed = self.hosts.feed_for(response.url)
        if feed is None and not self.hosts.all_hosts:
            tally.skipped["other_host"] += 1
            return None
        if not 200 <= response.http_status < 300:
            tally.skipped["not_2xx"] += 1
            return None
        try:
            canonical = canonicalize_url(response.url)
        except InvalidUrl:
            tally.skipped["bad_url"] += 1
            return None
        article_id = article_id_for(canonical)
        if article_id in self.seen:
            tally.skipped["repeated"] += 1
            return None
        self.seen.add(article_id)
        item = FeedItem(feed_name=feed or "", url=response.url, canonical_url=canonical,
                        article_id=article_id, guid=canonical)
        page = FetchResult(
            url=response.url, kind="page", fetched_at=response.captured_at,
            http_status=response.http_status, body=response.body,
            content_type=response.content_type,
            content_sha256=sha256_hex(response.body),
            feed_name=feed, body_bytes=len(response.body),
            archive=archive, archive_offset=record.offset)
        captured_in_window = in_window(response.captured_at, self.window)
        return PageWork(item, page, self.profiles[feed] if feed else GENERIC_PROFILE,
                        window=None if captured_in_window else self.window)


def _damaged(archive: str, offset: int, reason: str) -> FetchResult:
    return FetchResult(url=archive, kind="warc", fetched_at=datetime.now(UTC),
                       http_status=None, error=f"record at offset {offset}: {reason}",
                       archive=archive, archive_offset=offset)


class _CountingReader:
    """The archive's stream, counting the bytes read from it (for progress and the log)."""

    def __init__(self, stream: ByteStream, tally: ArchiveTally) -> None:
        self._read = stream.read
        self._tally = tally

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._read(size)
        self._tally.bytes_read += len(data)
        return data


class _Notes:
    """A progress line every few seconds: records/s read, pages kept, pages loaded."""

    def __init__(self, progress: Progress, pages: PageRun) -> None:
        self._progress = progress
        self._pages = pages
        self._started = time.monotonic()
        self._last = self._started
        self.records = 0

    def tick(self, archive: str, tally: ArchiveTally, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last < NOTE_EVERY_S:
            return
        self._last = now
        rate = self.records / max(now - self._started, 1e-9)
        outcome = self._pages.outcome
        self._progress.note(
            f"{PurePath(archive).name}: {tally.read} records ({tally.bytes_read / 1e6:.1f} MB),"
            f" {tally.kept} kept; run: {rate:,.0f} records/s read, {outcome.processed} pages "
            f"processed, {outcome.counts.new} new articles loaded")


def run_warc_backfill(settings: Settings, configs: dict[str, FeedConfig], archives: list[str],
                      window: tuple[datetime, datetime] | None, all_hosts: bool,
                      run_id: str) -> RunSummary:
    progress = current_progress()
    workers, worker_count = start_workers(settings)
    linked: dict[str, list[FeedItem]] = {}  # filled as pages are handed over
    pages = PageRun(settings, run_id, workers, worker_count, linked, progress,
                    expected_pages=0, log_fetches=True)
    selection = _Selection(HostFeeds(feeds_by_host(configs), all_hosts),
                           {name: c.profile for name, c in configs.items()}, window,
                           settings.http.max_body_bytes)
    notes = _Notes(progress, pages)
    failures: list[FetchResult] = []
    known = 0
    progress.stage("archived pages", 0)
    for archive in archives:
        started = datetime.now(UTC)
        tally = ArchiveTally()
        error = None
        try:
            batches = _with_last(_kept_pages(archive, selection, tally, notes, settings,
                                             pages.pages_per_fetch))
            for batch, last in batches:
                fresh = _not_loaded(settings, batch)
                known += len(batch) - len(fresh)
                for work in fresh:
                    if work.item.feed_name:
                        linked[work.item.article_id] = [work.item]
                pages.expect(len(fresh) + (0 if last else pages.pages_per_fetch))
                pages.submit(fresh, _take(tally.damaged, failures))
        except (OSError, ArchiveUnavailable) as exc:
            error = f"archive unreadable after {tally.read} records: {exc}"
        summary = FetchResult(
            url=archive, kind="warc", fetched_at=started, http_status=None, error=error,
            body_bytes=tally.bytes_read, archive=archive, records_read=tally.read,
            records_kept=tally.kept)
        failures += [summary] if error else []
        pages.submit([], [*_take(tally.damaged, failures), summary])
        notes.tick(archive, tally, final=True)
        progress.note(f"{archive}: {tally.describe()}" + (f"; {error}" if error else ""))
    outcome = pages.finish()
    if outcome.outside_window:
        progress.note(f"{outcome.outside_window} pages captured outside the window are dated "
                      "outside it too: not loaded")
    if known:
        progress.note(f"{known} archived pages were loaded already: skipped")
    return RunSummary.of(run_id, "backfill", feeds=[], pages=outcome, other_failures=failures,
                         unchanged=known)


def _kept_pages(archive: str, selection: _Selection, tally: ArchiveTally, notes: _Notes,
                settings: Settings, batch_size: int) -> Iterator[list[PageWork]]:
    """The pages `selection` keeps from `archive`, in batches of `batch_size`."""
    batch: list[PageWork] = []
    with open_archive(archive, settings.http) as stream:
        for record in read_archive(_CountingReader(stream, tally)):
            tally.read += 1
            notes.records += 1
            if isinstance(record, DamagedRecord):
                tally.damaged.append(_damaged(archive, record.offset, record.reason))
            elif (work := selection.page_for(archive, record, tally)) is not None:
                tally.kept += 1
                batch.append(work)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            notes.tick(archive, tally)
    if batch:
        yield batch


def _not_loaded(settings: Settings, batch: list[PageWork]) -> list[PageWork]:
    """The pages of `batch` whose article the warehouse does not hold yet: a rerun loads
    nothing twice (a raw backfill re-processes loaded ones with today's code)."""
    known = lookup_known_articles(settings.warehouse, opaque([w.item.article_id for w in batch]),
                                  settings.reader_wait_s)
    return [w for w in batch if w.item.article_id not in known]


def _take(rows: list[FetchResult], into: list[FetchResult]) -> list[FetchResult]:
    """Empty `rows` into `into`, returning them."""
    taken = list(rows)
    rows.clear()
    into += taken
    return taken


def _with_last(batches: Iterator[list[PageWork]]) -> Iterator[tuple[list[PageWork], bool]]:
    """Each batch with whether it is the last, reading one ahead."""
    previous: list[PageWork] | None = None
    for batch in batches:
        if previous is not None:
            yield previous, False
        previous = batch
    if previous is not None:
        yield previous, True
