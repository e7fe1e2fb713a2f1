"""The backfill flow: re-process a date window with today's code.

`raw` replays the landing zone: the same bytes through the same page work as ingest, so it
produces the rows ingest would. `sitemap` discovers the window's article URLs from the sites'
sitemaps and ingests those pages (flows/sitemap_backfill.py). `warc` loads the pages kept in
web archives (flows/warc_backfill.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Literal

from prefect import flow
from prefect.utilities.annotations import opaque

from flows.engine import default_task_runner, start_workers
from flows.feeds import items_by_article, parse_feeds
from flows.pages import PageRun, replay_landed
from flows.progress import current_progress
from flows.runs import RunSummary, recorded_run
from flows.settings import Settings, backfill_window, load_feeds, resolve_settings
from flows.storage import lookup_landed_window, read_landed
from transforms.records import FeedConfig, FeedItem, FetchResult, ParsedFeed
from transforms.urls import article_id_for, canonicalize_url

BackfillSource = Literal["raw", "sitemap", "warc"]


@flow(name="backfill", task_runner=default_task_runner(), log_prints=False)
def backfill(
    start: date | None = None,
    end: date | None = None,
    source: BackfillSource = "raw",
    feeds: list[str] | None = None,
    settings: Settings | None = None,
    archives: list[str] | None = None,
    all_hosts: bool = False,
) -> RunSummary:
    """Re-process the window start..end (inclusive dates, UTC) from `source`. `settings`: as
    the CLI resolved them; by default, from the environment. `warc` reads `archives` (paths,
    directories, http(s) URLs), the window optional; `all_hosts`: every HTML page in them,
    not only those on the feeds' hosts."""
    settings = settings or resolve_settings()
    window = backfill_window(source, start, end)
    configs = {c.name: c for c in load_feeds(settings, feeds)}
    if source == "warc":
        from flows.archives import expand_archives
        from flows.warc_backfill import run_warc_backfill

        paths = expand_archives(archives or [])
        return recorded_run(settings, "backfill", lambda run_id, _: run_warc_backfill(
            settings, configs, paths, window, all_hosts, run_id))
    assert window is not None  # required for these sources: backfill_window checked
    if source == "sitemap":
        from flows.sitemap_backfill import run_sitemap_backfill

        return recorded_run(settings, "backfill", lambda run_id, _: run_sitemap_backfill(
            settings, configs, window, run_id))
    return recorded_run(settings, "backfill", lambda run_id, _: run_raw_backfill(
        settings, configs, window, feeds, run_id))


def run_raw_backfill(settings: Settings, configs: dict[str, FeedConfig],
                     window: tuple[datetime, datetime], feed_names: list[str] | None,
                     run_id: str) -> RunSummary:
    progress = current_progress()
    workers, worker_count = start_workers(settings)

    fetches = lookup_landed_window(settings.warehouse, *window, feed_names, settings.reader_wait_s)
    feed_fetches = [f for f in fetches if f.kind == "feed" and f.feed_name in configs]
    page_fetches = [f for f in fetches if f.kind == "page" and f.feed_name in configs]
    if skipped := len(fetches) - len(feed_fetches) - len(page_fetches):
        progress.note(f"{skipped} landed bodies belong to feeds not in the feeds file: skipped")

    progress.stage("replay feeds", len(feed_fetches))
    landed_feeds = read_landed(settings.raw_dir, opaque(feed_fetches))
    parsed, feed_log = parse_feeds([configs[f.feed_name or ""] for f in landed_feeds.fetches],
                                   opaque(landed_feeds.fetches))
    progress.advance(len(feed_fetches))

    items = _items_for(page_fetches, parsed)
    progress.stage("replay pages", len(page_fetches))
    linked = items_by_article([*parsed, ParsedFeed("", None, tuple(items))],
                              {item.article_id for item in items})
    pages = PageRun(settings, run_id, workers, worker_count, linked, progress,
                    expected_pages=len(page_fetches), log_fetches=False)
    missing_pages = replay_landed(pages, settings, items, page_fetches,
                                  {name: c.profile for name, c in configs.items()})
    outcome = pages.finish()

    _report_missing([*landed_feeds.missing, *missing_pages])
    if not fetches:
        progress.note("the landing zone holds nothing for this window")
    return RunSummary.of(run_id, "backfill", feeds=feed_log, pages=outcome)


def _items_for(pages: list[FetchResult], parsed: list[ParsedFeed]) -> list[FeedItem]:
    """The feed item that linked each landed page: from the replayed feeds when they list it,
    else rebuilt from what the fetch log says (the page's feed and the item's date)."""
    index = {item.canonical_url: item for feed in parsed for item in feed.items}
    items = []
    for page in pages:
        canonical = canonicalize_url(page.url)
        items.append(index.get(canonical) or FeedItem(
            feed_name=page.feed_name or "", url=page.url, canonical_url=canonical,
            article_id=article_id_for(canonical), guid=canonical,
            published_at=page.item_published_at))
    return items


def _report_missing(missing: list[FetchResult]) -> None:
    """Name what cannot be replayed: a summary by kind and day, then each URL."""
    if not missing:
        return
    progress = current_progress()
    days = sorted({f"{f.fetched_at.astimezone(UTC):%Y-%m-%d}" for f in missing})
    kinds = Counter(f.kind for f in missing)
    progress.note(f"cannot replay {len(missing)} landed bodies "
                  f"({', '.join(f'{n} {k}s' for k, n in sorted(kinds.items()))}) fetched on "
                  f"{days[0]}..{days[-1]}: their raw files are gone (pruned?)")
    for fetch in missing:
        progress.note(f"cannot replay {fetch.kind} {fetch.url} fetched "
                      f"{fetch.fetched_at.astimezone(UTC):%Y-%m-%d %H:%M}Z: {fetch.error}")
