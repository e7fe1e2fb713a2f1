"""The ingest flow: fetch feeds -> land -> parse -> fetch new pages -> extract -> load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from prefect import flow
from prefect.utilities.annotations import opaque

from flows.engine import default_task_runner, start_workers
from flows.feeds import fetch_feeds, items_by_article
from flows.pages import PageOutcome, PageRun, fetch_and_process
from flows.progress import current_progress
from flows.runs import RunSummary, recorded_run
from flows.settings import Settings, load_feeds, resolve_settings
from flows.storage import load, lookup_known_articles, prune_landing_zone
from transforms.feeds import oldest_first
from transforms.records import FeedConfig, FeedItem, FetchResult, ParsedFeed


def split_known(
    parsed: Sequence[ParsedFeed], known: dict[str, datetime | None]
) -> tuple[list[FeedItem], list[FeedItem]]:
    """Split feed items into (one item per article whose page must be fetched, oldest first;
    items of articles already loaded and unchanged). An article is fetched again when a feed
    dates it later than any date stored for it."""
    to_fetch: dict[str, FeedItem] = {}
    already: list[FeedItem] = []
    for feed in parsed:
        for item in feed.items:
            if item.article_id in known:
                newest = known[item.article_id]
                changed = (item.published_at is not None and newest is not None
                           and item.published_at > newest)
                if not changed:
                    already.append(item)
                    continue
            to_fetch.setdefault(item.article_id, item)
    return oldest_first(list(to_fetch.values())), already


@flow(name="ingest", task_runner=default_task_runner(), log_prints=False)
def ingest(feeds: list[str] | None = None, settings: Settings | None = None) -> RunSummary:
    """Fetch every enabled feed (or the named ones) once and load what is new or changed.
    `settings`: as the CLI resolved them; by default, from the environment."""
    settings = settings or resolve_settings()
    configs = list(load_feeds(settings, feeds))
    return recorded_run(settings, "ingest",
                        lambda run_id, started: run_ingest(settings, configs, run_id, started))


def run_ingest(settings: Settings, configs: list[FeedConfig], run_id: str,
               started: datetime) -> RunSummary:
    progress = current_progress()
    workers, worker_count = start_workers(settings)

    progress.stage("feeds", len(configs))
    parsed, feed_log = fetch_feeds(settings, configs)
    progress.advance(len(configs))
    _report_feeds(feed_log)

    known = lookup_known_articles(settings.warehouse, opaque(
        [item.article_id for feed in parsed for item in feed.items]), settings.reader_wait_s)
    to_fetch, already = split_known(parsed, known)
    # The feeds' fetch log and the items of articles already loaded land first, in their own
    # transaction: those articles are unchanged and not fetched again.
    load(settings.warehouse, settings.lock_timeout_s, run_id, started, opaque(feed_log), [],
         opaque(already))

    progress.stage("pages", len(to_fetch))
    linked = items_by_article(parsed, {item.article_id for item in to_fetch})
    pages = PageRun(settings, run_id, workers, worker_count, linked, progress,
                    expected_pages=len(to_fetch), log_fetches=True)
    fetch_and_process(pages, settings, to_fetch, {f.name: f.profile for f in configs},
                      {f.name: urlsplit(f.url).hostname for f in configs})
    outcome: PageOutcome = pages.finish()

    _prune_if_configured(settings, started)
    return RunSummary.of(run_id, "ingest", feeds=feed_log, pages=outcome,
                         unchanged=len({item.article_id for item in already}))


def _report_feeds(feed_log: Sequence[FetchResult]) -> None:
    progress = current_progress()
    unchanged = sum(1 for r in feed_log if r.not_modified)
    if unchanged:
        progress.note(f"{unchanged} feed(s) not modified since the last run")
    for result in feed_log:
        if not result.succeeded:
            progress.note(f"feed {result.feed_name} failed: {result.error}")


def _prune_if_configured(settings: Settings, started: datetime) -> None:
    if settings.prune_raw_older_than is None:
        return
    pruned = prune_landing_zone(settings.raw_dir, started - settings.prune_raw_older_than)
    if pruned.files:
        current_progress().note(f"pruned {pruned.files} raw files older than "
                                f"{settings.prune_raw_older_than}")
