"""`backfill --source sitemap`: find a window's article URLs in the sites' sitemaps, then
fetch and load them like ingest does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from prefect.utilities.annotations import opaque

from flows.engine import start_workers
from flows.host_policy import host_of
from flows.http_client import FetchRequest
from flows.pages import FetchedBatch, PageRun, fetch_and_process, fetch_batch
from flows.progress import current_progress
from flows.runs import RunSummary
from flows.settings import Settings
from flows.storage import land_bodies, load, lookup_known_articles
from transforms.feeds import oldest_first
from transforms.records import FeedConfig, FeedItem, FetchResult
from transforms.sitemaps import (
    SitemapError,
    entry_date,
    in_window,
    parse_sitemap,
    sitemaps_in_robots,
)
from transforms.urls import InvalidUrl, article_id_for, canonicalize_url

MAX_SITEMAPS = 500
MAX_DEPTH = 4


def _host(config: FeedConfig) -> str | None:
    return urlsplit(config.url).hostname


def _fetch(settings: Settings, requests: list[FetchRequest]) -> FetchedBatch:
    """Fetch a batch on a worker and land its bodies here."""
    fetched = fetch_batch(requests, settings.http)
    return FetchedBatch(land_bodies(settings.raw_dir, fetched.pages), fetched.robots)


def _discover(settings: Settings, configs: dict[str, FeedConfig],
              window: tuple[datetime, datetime]) -> tuple[list[FeedItem], list[FetchResult]]:
    """Walk each site's sitemaps. Returns (article items in the window, every fetch made)."""
    start, end = window
    sites: dict[str, FeedConfig] = {}
    for config in configs.values():
        sites.setdefault(host_of(config.url), config)
    log: list[FetchResult] = []
    robots = _fetch(settings, [FetchRequest(f"{root}/robots.txt", "robots", c.name,
                                            trusted_host=_host(c))
                               for root, c in sites.items()]).pages
    log += robots
    frontier: list[tuple[str, FeedConfig]] = []
    for (root, config), result in zip(sites.items(), robots, strict=True):
        declared = sitemaps_in_robots(result.body, root) if result.ok and result.body else ()
        frontier += [(url, config) for url in declared or (f"{root}/sitemap.xml",)]
    items: dict[str, FeedItem] = {}
    seen: set[str] = set()
    for _depth in range(MAX_DEPTH):
        frontier = [(u, c) for u, c in frontier if u not in seen][: MAX_SITEMAPS - len(seen)]
        if not frontier:
            break
        seen.update(u for u, _ in frontier)
        fetched = _fetch(settings, [FetchRequest(u, "sitemap", c.name, trusted_host=_host(c))
                                    for u, c in frontier])
        results = fetched.pages
        log += fetched.robots
        next_frontier: list[tuple[str, FeedConfig]] = []
        for (url, config), result in zip(frontier, results, strict=True):
            if not (result.ok and result.body):
                log.append(result)
                continue
            try:
                sitemap = parse_sitemap(result.body, url)
            except SitemapError as exc:
                log.append(replace(result, error=f"sitemap: {exc}"))
                continue
            log.append(result)
            next_frontier += [(child.url, config) for child in sitemap.children
                              if child.modified is None or child.modified >= start]
            for entry in sitemap.pages:
                if not in_window(entry_date(entry), start, end):
                    continue
                try:
                    canonical = canonicalize_url(entry.url)
                except InvalidUrl:
                    continue
                items.setdefault(canonical, FeedItem(
                    feed_name=config.name, url=entry.url, canonical_url=canonical,
                    article_id=article_id_for(canonical), guid=canonical,
                    published_at=entry.modified))
        frontier = next_frontier
    return list(items.values()), log


def run_sitemap_backfill(settings: Settings, configs: dict[str, FeedConfig],
                         window: tuple[datetime, datetime], run_id: str) -> RunSummary:
    progress = current_progress()
    workers, worker_count = start_workers(settings)

    progress.stage("sitemaps", len(configs))
    items, sitemap_log = _discover(settings, configs, window)
    progress.advance(len(configs))
    sitemaps_failed = [r for r in sitemap_log if not r.ok and r.kind != "robots"]
    known = lookup_known_articles(settings.warehouse, opaque([i.article_id for i in items]),
                                  settings.reader_wait_s)
    to_fetch = oldest_first([i for i in items if i.article_id not in known])
    # Each article found gets a feed item of the feed whose site listed it (dated by the
    # sitemap's lastmod), so per-feed counts include backfilled articles; those loaded
    # already get theirs now, with the sitemap log, the others as their pages load.
    load(settings.warehouse, settings.lock_timeout_s, run_id, datetime.now(UTC),
         opaque(sitemap_log), [], opaque([i for i in items if i.article_id in known]))
    progress.note(f"sitemaps list {len(items)} articles in the window; "
                  f"{len(items) - len(to_fetch)} already loaded")

    progress.stage("pages", len(to_fetch))
    pages = PageRun(settings, run_id, workers, worker_count,
                    {i.article_id: [i] for i in to_fetch}, progress,
                    expected_pages=len(to_fetch), log_fetches=True)
    fetch_and_process(pages, settings, to_fetch, {c.name: c.profile for c in configs.values()},
                      {name: _host(c) for name, c in configs.items()})
    outcome = pages.finish()
    return RunSummary.of(run_id, "backfill", feeds=[], pages=outcome,
                         other_failures=sitemaps_failed, unchanged=len(items) - len(to_fetch))
