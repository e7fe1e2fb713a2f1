"""`backfill --source sitemap`: find a window's article URLs in the sites' sitemaps, then
fetch and load them like ingest does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from prefect.utilities.annotations import quote

from flows.host_policy import host_of
from flows.http import FetchRequest
from flows.pipeline import PageProcessor, RunSummary, fetch_and_process
from flows.progress import current_progress
from flows.settings import Settings
from flows.tasks import fetch_and_land, load, lookup_known_articles
from transforms.records import FeedConfig, FeedItem, FetchResult
from transforms.sitemaps import (
    SitemapError,
    entry_date,
    in_window,
    parse_sitemap,
    sitemaps_in_robots,
)
from transforms.urls import InvalidUrl, article_id_for, canonicalize_url
from warehouse.loaders import ArticleCounts

MAX_SITEMAPS = 500
MAX_DEPTH = 4


def _host(config: FeedConfig) -> str | None:
    return urlsplit(config.url).hostname


def _discover(settings: Settings, configs: dict[str, FeedConfig],
              window: tuple[datetime, datetime]) -> tuple[list[FeedItem], list[FetchResult]]:
    """Walk each site's sitemaps. Returns (article items in the window, every fetch made)."""
    start, end = window
    sites: dict[str, FeedConfig] = {}
    for config in configs.values():
        sites.setdefault(host_of(config.url), config)
    log: list[FetchResult] = []
    robots, _ = fetch_and_land([FetchRequest(f"{root}/robots.txt", "robots", c.name,
                                             trusted_host=_host(c))
                                for root, c in sites.items()], settings.http, settings.raw_dir)
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
        results, more_robots = fetch_and_land(
            [FetchRequest(u, "sitemap", c.name, trusted_host=_host(c)) for u, c in frontier],
            settings.http, settings.raw_dir)
        log += more_robots
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


def ingest_from_sitemaps(settings: Settings, configs: dict[str, FeedConfig], run_id: str,
                         window: tuple[datetime, datetime]) -> RunSummary:
    progress = current_progress()
    progress.stage("sitemaps", len(configs))
    items, sitemap_log = _discover(settings, configs, window)
    progress.advance(len(configs))
    failed_indexes = sum(1 for r in sitemap_log if not r.ok and r.kind != "robots")
    known = lookup_known_articles(settings.db_path, quote([i.article_id for i in items]),
                                  settings.lock_timeout_s)
    to_fetch = [i for i in items if i.article_id not in known]
    progress.note(f"sitemaps list {len(items)} articles in the window; "
                  f"{len(items) - len(to_fetch)} already loaded")
    load(settings.db_path, settings.lock_timeout_s, run_id, datetime.now(UTC),
         quote(sitemap_log), [], [])
    profiles = {c.name: c.profile for c in configs.values()}
    progress.stage("pages", len(to_fetch))
    with PageProcessor(settings, run_id, profiles, {}, progress, log_fetches=True,
                       expected_pages=len(to_fetch)) as processor:
        fetch_and_process(settings, processor, to_fetch,
                          {name: _host(c) for name, c in configs.items()})
    counts = ArticleCounts(unchanged=len(items) - len(to_fetch)) + processor.counts
    failures = [*(r for r in sitemap_log if not r.ok and r.kind != "robots"),
                *processor.failures]
    status = "success" if not (processor.failures or failed_indexes) else "partial"
    summary = RunSummary(run_id, "backfill", status, len(configs), 0, len(to_fetch),
                         len(processor.failures), counts, tuple(failures),
                         tuple(processor.fixes.most_common()))
    progress.note(summary.describe())
    return summary
