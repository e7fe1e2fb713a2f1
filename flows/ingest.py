"""The ingest flow: fetch feeds -> land -> parse -> fetch new pages -> extract -> load."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from prefect import flow
from prefect.utilities.annotations import quote

from flows.http import FetchRequest
from flows.pipeline import (
    PageProcessor,
    RunSummary,
    fetch_and_process,
    items_by_article,
    recorded_run,
)
from flows.progress import current_progress
from flows.settings import Settings, load_feeds, resolve_settings
from flows.tasks import (
    fetch_and_land,
    load,
    lookup_feed_validators,
    lookup_known_articles,
    parse_feeds,
    prune_landing_zone,
)
from transforms.records import FeedConfig, FeedItem, ParsedFeed
from warehouse.loaders import ArticleCounts


def _pages_to_fetch(
    parsed: Sequence[ParsedFeed], known: dict[str, datetime | None]
) -> tuple[list[FeedItem], list[FeedItem]]:
    """Split feed items into (one item per article whose page must be fetched, items of
    articles already loaded and unchanged). An article is refetched when a feed dates it
    later than any date stored for it."""
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
    return list(to_fetch.values()), already


@flow(name="ingest", log_prints=False, validate_parameters=False)
def ingest(
    feeds: list[str] | None = None,
    db: str | None = None,
    feeds_file: str | None = None,
    data_dir: str | None = None,
) -> RunSummary:
    """Fetch every configured feed (or the named ones) once and load what is new or changed."""
    settings: Settings = resolve_settings(db=db, feeds=feeds_file, data_dir=data_dir)
    configs = load_feeds(settings, feeds)
    run_id = uuid.uuid4().hex
    return recorded_run(settings, "ingest", run_id,
                        lambda started: _ingest(settings, configs, run_id, started))


def _ingest(
    settings: Settings, configs: Sequence[FeedConfig], run_id: str, started: datetime
) -> RunSummary:
    progress = current_progress()
    db_path, lock_s = settings.db_path, settings.lock_timeout_s
    progress.stage("feeds", len(configs))
    validators = lookup_feed_validators(db_path, [f.url for f in configs], lock_s)
    requests = [FetchRequest(f.url, "feed", f.name, *validators.get(f.url, (None, None)))
                for f in configs]
    feed_results, _ = fetch_and_land(quote(requests), settings.http, settings.raw_dir)
    parsed, feed_log = parse_feeds(list(configs), quote(feed_results))
    progress.advance(len(configs))
    feeds_failed = sum(1 for r in feed_log if not r.succeeded)
    unchanged_feeds = sum(1 for r in feed_log if r.not_modified)
    if unchanged_feeds:
        progress.note(f"{unchanged_feeds} feed(s) not modified since the last run")
    for result in feed_log:
        if not result.succeeded:
            progress.note(f"feed {result.feed_name} failed: {result.error}")

    all_ids = [item.article_id for feed in parsed for item in feed.items]
    known = lookup_known_articles(db_path, quote(all_ids), lock_s)
    to_fetch, already = _pages_to_fetch(parsed, known)
    # Feed logs and the feed items of known articles land first, in their own transaction.
    # Known articles the feeds still list, unchanged, were not fetched again.
    counts = ArticleCounts(unchanged=len({item.article_id for item in already}))
    load(db_path, lock_s, run_id, started, quote(feed_log), [], quote(already))

    profiles = {f.name: f.profile for f in configs}
    feed_hosts = {f.name: urlsplit(f.url).hostname for f in configs}
    linked = items_by_article(parsed, {item.article_id for item in to_fetch})
    progress.stage("pages", len(to_fetch))
    with PageProcessor(settings, run_id, profiles, linked, progress, log_fetches=True,
                       expected_pages=len(to_fetch)) as processor:
        fetch_and_process(settings, processor, to_fetch, feed_hosts)
    counts = counts + processor.counts
    failures = [*(r for r in feed_log if not r.succeeded), *processor.failures]

    if settings.prune_raw_older_than is not None:
        pruned = prune_landing_zone(settings.raw_dir, started - settings.prune_raw_older_than)
        if pruned.files:
            progress.note(f"pruned {pruned.files} raw files older than "
                          f"{settings.prune_raw_older_than}")
    pages_failed = len(failures) - feeds_failed
    status = "success" if not failures else "partial"
    summary = RunSummary(run_id, "ingest", status, len(configs) - feeds_failed, feeds_failed,
                         len(to_fetch), pages_failed, counts, tuple(failures),
                         tuple(processor.fixes.most_common()))
    progress.note(summary.describe())
    return summary
