"""The backfill flow: re-process a date window with today's code.

`raw` replays the landing zone: the same bytes through the same pipeline as ingest, so it
produces the rows ingest would. `sitemap` discovers the window's article URLs from the sites'
sitemaps and ingests those pages.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

from prefect import flow
from prefect.utilities.annotations import quote

from flows.pipeline import (
    FETCH_BATCH,
    PageProcessor,
    RunSummary,
    chunks,
    items_by_article,
    recorded_run,
)
from flows.progress import Progress, current_progress
from flows.settings import ConfigError, Settings, load_feeds, parse_window, resolve_settings
from flows.tasks import lookup_landed_window, parse_feeds, read_landed
from transforms.records import FeedConfig, FeedItem, FetchResult, ParsedFeed
from transforms.urls import article_id_for, canonicalize_url

SOURCES = ("raw", "sitemap")


def _item_for(page: FetchResult, index: dict[str, FeedItem]) -> FeedItem:
    canonical = canonicalize_url(page.url)
    known = index.get(canonical)
    if known is not None:
        return known
    # The page's feed body is outside the window: the fetch log still says which feed and date.
    return FeedItem(feed_name=page.feed_name or "", url=page.url, canonical_url=canonical,
                    article_id=article_id_for(canonical), guid=canonical,
                    published_at=page.item_published_at)


def _report_missing(missing: list[FetchResult], progress: Progress) -> None:
    """Name what cannot be replayed: a summary by kind and day, then each URL."""
    if not missing:
        return
    days = sorted({f"{f.fetched_at.astimezone(UTC):%Y-%m-%d}" for f in missing})
    kinds = Counter(f.kind for f in missing)
    progress.note(f"cannot replay {len(missing)} landed bodies "
                  f"({', '.join(f'{n} {k}s' for k, n in sorted(kinds.items()))}) fetched on "
                  f"{days[0]}..{days[-1]}: their raw files are gone (pruned?)")
    for fetch in missing:
        progress.note(f"cannot replay {fetch.kind} {fetch.url} fetched "
                      f"{fetch.fetched_at.astimezone(UTC):%Y-%m-%d %H:%M}Z: {fetch.error}")


def _replay_raw(settings: Settings, configs: dict[str, FeedConfig], run_id: str,
                window: tuple[datetime, datetime], feed_names: list[str] | None) -> RunSummary:
    progress = current_progress()
    fetches = lookup_landed_window(settings.db_path, *window, feed_names, settings.lock_timeout_s)
    feed_fetches = [f for f in fetches if f.kind == "feed" and f.feed_name in configs]
    page_fetches = [f for f in fetches if f.kind == "page" and f.feed_name in configs]
    skipped = len(fetches) - len(feed_fetches) - len(page_fetches)
    if skipped:
        progress.note(f"{skipped} landed bodies belong to feeds not in the feeds file: skipped")
    progress.stage("replay feeds", len(feed_fetches))
    feed_bodies = read_landed(settings.raw_dir, quote(feed_fetches))
    parsed, feed_log = parse_feeds([configs[f.feed_name or ""] for f in feed_bodies],
                                   quote(feed_bodies))
    progress.advance(len(feed_fetches))
    missing = [f for f in feed_log if f.error]
    index = {item.canonical_url: item for feed in parsed for item in feed.items}

    items = [_item_for(p, index) for p in page_fetches]
    linked = items_by_article(
        [*parsed, ParsedFeed("", None, tuple(items))], {i.article_id for i in items})
    profiles = {name: c.profile for name, c in configs.items()}
    progress.stage("replay pages", len(page_fetches))
    with PageProcessor(settings, run_id, profiles, linked, progress, log_fetches=False,
                       expected_pages=len(page_fetches)) as processor:
        for batch in chunks(list(zip(items, page_fetches, strict=True)), FETCH_BATCH):
            pages = read_landed(settings.raw_dir, quote([p for _, p in batch]))
            processor.submit([i for i, _ in batch], pages)
    counts, page_failures = processor.counts, processor.failures
    missing += [f for f in page_failures if f.error and f.error.startswith("raw body")]
    _report_missing(missing, progress)
    if not fetches:
        progress.note("the landing zone holds nothing for this window")
    feed_failures = [f for f in feed_log if not f.ok]
    status = "success" if not (page_failures or feed_failures) else "partial"
    summary = RunSummary(run_id, "backfill", status, len(feed_log) - len(feed_failures),
                         len(feed_failures), len(page_fetches), len(page_failures), counts,
                         (*feed_failures, *page_failures), tuple(processor.fixes.most_common()))
    progress.note(summary.describe())
    return summary


@flow(name="backfill", log_prints=False, validate_parameters=False)
def backfill(
    start: str,
    end: str,
    source: str = "raw",
    feeds: list[str] | None = None,
    db: str | None = None,
    feeds_file: str | None = None,
    data_dir: str | None = None,
) -> RunSummary:
    """Re-process the window start..end (inclusive dates, UTC) from `source`."""
    if source not in SOURCES:
        raise ConfigError(f"unknown backfill source {source!r}; use one of {', '.join(SOURCES)}")
    settings = resolve_settings(db=db, feeds=feeds_file, data_dir=data_dir)
    window = parse_window(start, end)
    configs = {c.name: c for c in load_feeds(settings, feeds)}
    run_id = uuid.uuid4().hex
    if source == "raw":
        body = lambda started: _replay_raw(settings, configs, run_id, window, feeds)  # noqa: E731
    else:
        from flows.sitemap_backfill import ingest_from_sitemaps

        body = lambda started: ingest_from_sitemaps(settings, configs, run_id, window)  # noqa: E731
    return recorded_run(settings, "backfill", run_id, body)
