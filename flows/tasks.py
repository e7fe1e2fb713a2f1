"""Prefect tasks. Each works on a batch (a task run costs 6-30 ms, so never one per article)
and only wires transforms/ and warehouse/ functions together."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency

from flows.deployments import WRITER_LIMIT
from flows.http import Fetcher, FetchRequest, HttpSettings
from flows.page_work import enrich_batch, extract_pages
from flows.prefect_runtime import uses_local_api
from transforms.feeds import FeedParseError, parse_feed
from transforms.records import (
    Article,
    Enrichment,
    EtlRun,
    FeedConfig,
    FeedItem,
    FetchResult,
    ParsedFeed,
)
from warehouse.connection import open_writer
from warehouse.landing import LandingZone, PruneResult
from warehouse.loaders import ArticleCounts, load_batch, record_run
from warehouse.queries import feed_validators, known_articles, landed_fetches

# A killed writer's slot is freed when its lease runs out; loads take seconds, not minutes.
WRITER_LEASE_S = 60.0


@contextmanager
def _writing(db_path: Path, lock_timeout_s: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer connection, serialised twice: by the Prefect global concurrency limit across
    deployments on a Prefect server, and by the warehouse's file lock, which also covers runs
    outside Prefect. (A temporary local API lives and dies with one process: a slot held there
    by a killed run could never be freed, and the file lock already covers that case.)"""
    with ExitStack() as stack:
        if not uses_local_api():
            stack.enter_context(concurrency(WRITER_LIMIT, occupy=1,
                                            lease_duration=WRITER_LEASE_S, strict=False))
        yield stack.enter_context(open_writer(db_path, lock_timeout_s=lock_timeout_s))


async def _fetch_all(
    requests: Sequence[FetchRequest], http: HttpSettings
) -> tuple[list[FetchResult], list[FetchResult]]:
    async with Fetcher(http) as fetcher:
        return await fetcher.fetch_many(requests), fetcher.robots_fetches


@task(name="fetch-and-land", cache_policy=NO_CACHE)
def fetch_and_land(
    requests: list[FetchRequest], http: HttpSettings, raw_dir: Path
) -> tuple[list[FetchResult], list[FetchResult]]:
    """Fetch a batch concurrently and land every body before anything parses it.

    Returns the results in the order of `requests`, and the robots.txt requests the batch
    needed (they belong in the fetch log too)."""
    zone = LandingZone(raw_dir)
    results, robots = asyncio.run(_fetch_all(requests, http))
    landed = []
    for result in results:
        if result.body is not None:
            digest = zone.land(result.kind, result.fetched_at, result.body)
            result = replace(result, content_sha256=digest)
        landed.append(result)
    return landed, robots


@task(name="parse-feeds", cache_policy=NO_CACHE)
def parse_feeds(
    feeds: list[FeedConfig], results: list[FetchResult]
) -> tuple[list[ParsedFeed], list[FetchResult]]:
    """Parse each fetched feed. Returns the parsed feeds, and the fetch results with parse
    failures written into their `error` so fetch_log says why a feed yielded nothing."""
    parsed: list[ParsedFeed] = []
    logged: list[FetchResult] = []
    for feed, result in zip(feeds, results, strict=True):
        if result.not_modified:
            pass  # the server says nothing changed: nothing to parse
        elif result.ok and result.body is not None:
            try:
                parsed.append(parse_feed(result.body, feed_name=feed.name, feed_url=feed.url,
                                         max_items=feed.max_items))
            except FeedParseError as exc:
                result = replace(result, error=f"feed parse failed: {exc}")
        logged.append(result)
    return parsed, logged


@task(name="extract-articles", cache_policy=NO_CACHE)
def extract_articles(
    results: list[FetchResult], items: list[FeedItem], profiles: dict[str, str]
) -> tuple[list[Article], list[FetchResult]]:
    return extract_pages(results, items, profiles)


@task(name="enrich-articles", cache_policy=NO_CACHE)
def enrich(articles: list[Article], model: str | None) -> list[Enrichment]:
    return enrich_batch(articles, model)


@task(name="known-articles", cache_policy=NO_CACHE)
def lookup_known_articles(
    db_path: Path, article_ids: list[str], lock_timeout_s: float
) -> dict[str, datetime | None]:
    with _writing(db_path, lock_timeout_s) as con:
        return known_articles(con, article_ids)


@task(name="feed-validators", cache_policy=NO_CACHE)
def lookup_feed_validators(
    db_path: Path, urls: list[str], lock_timeout_s: float
) -> dict[str, tuple[str | None, str | None]]:
    with _writing(db_path, lock_timeout_s) as con:
        return feed_validators(con, urls)


@task(name="landed-window", cache_policy=NO_CACHE)
def lookup_landed_window(
    db_path: Path, start: datetime, end: datetime, feed_names: list[str] | None,
    lock_timeout_s: float,
) -> list[FetchResult]:
    with _writing(db_path, lock_timeout_s) as con:
        return landed_fetches(con, start, end, feed_names)


@task(name="read-landed", cache_policy=NO_CACHE)
def read_landed(raw_dir: Path, fetches: list[FetchResult]) -> list[FetchResult]:
    """Fetch results with their landed bodies; a body that cannot be read gets `error` set."""
    zone = LandingZone(raw_dir)
    out = []
    for fetch in fetches:
        digest = fetch.content_sha256 or ""
        try:
            body = zone.read(fetch.kind, fetch.fetched_at, digest)
            out.append(replace(fetch, body=body, error=None))
        except FileNotFoundError:
            path = zone.path_for(fetch.kind, fetch.fetched_at, digest)
            out.append(replace(fetch, body=None, error=f"raw body missing (pruned?): {path}"))
        except (OSError, ValueError, EOFError) as exc:
            out.append(replace(fetch, body=None, error=f"raw body unreadable: {exc}"))
    return out


@task(name="prune-raw", cache_policy=NO_CACHE)
def prune_landing_zone(raw_dir: Path, cutoff: datetime) -> PruneResult:
    return LandingZone(raw_dir).prune(cutoff)


@task(name="load-batch", cache_policy=NO_CACHE)
def load(
    db_path: Path,
    lock_timeout_s: float,
    run_id: str,
    seen_at: datetime,
    fetches: list[FetchResult],
    articles: list[Article],
    feed_items: list[FeedItem],
    enrichments: list[Enrichment] | None = None,
) -> ArticleCounts:
    """One transaction; the writer lock is held only for its duration."""
    with _writing(db_path, lock_timeout_s) as con:
        return load_batch(con, run_id=run_id, seen_at=seen_at, fetches=fetches,
                          articles=articles, feed_items=feed_items,
                          enrichments=enrichments or [])


@task(name="record-run", cache_policy=NO_CACHE)
def save_run(db_path: Path, lock_timeout_s: float, run: EtlRun) -> None:
    with _writing(db_path, lock_timeout_s) as con:
        record_run(con, run)
