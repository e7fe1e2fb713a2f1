"""The feed steps: fetch the configured feeds (conditional GETs), land and parse them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import opaque

from flows.http_client import FetchRequest
from flows.pages import fetch_batch
from flows.settings import Settings
from flows.storage import land_bodies, lookup_feed_validators
from transforms.feeds import FeedParseError, parse_feed
from transforms.records import FeedConfig, FeedItem, FetchResult, ParsedFeed


@task(name="parse-feeds", cache_policy=NO_CACHE)
def parse_feeds(
    feeds: list[FeedConfig], results: list[FetchResult]
) -> tuple[list[ParsedFeed], list[FetchResult]]:
    """Parse each fetched feed. Returns the parsed feeds, and the fetch results with parse
    failures written into their `error`, so that fetch_log says why a feed yielded nothing."""
    parsed: list[ParsedFeed] = []
    logged: list[FetchResult] = []
    for feed, result in zip(feeds, results, strict=True):
        if result.ok and result.body is not None:  # a 304 has nothing to parse
            try:
                feed_parsed = parse_feed(result.body, feed_name=feed.name, feed_url=feed.url,
                                         max_items=feed.max_items,
                                         content_type=result.content_type,
                                         location=result.final_url)
                parsed.append(feed_parsed)
                result = replace(result, problems=feed_parsed.problems)
            except FeedParseError as exc:
                result = replace(result, error=f"feed parse failed: {exc}")
        logged.append(result)
    return parsed, logged


def fetch_feeds(
    settings: Settings, configs: list[FeedConfig]
) -> tuple[list[ParsedFeed], list[FetchResult]]:
    """Fetch every feed once (conditionally: a feed unchanged since its last good fetch answers
    304), land the bodies and parse them. Returns the parsed feeds and the feeds' fetch log."""
    validators = lookup_feed_validators(settings.warehouse, [f.url for f in configs],
                                        settings.reader_wait_s)
    requests = [FetchRequest(f.url, "feed", f.name, *validators.get(f.url, (None, None)))
                for f in configs]
    fetched = fetch_batch(requests, settings.http)
    landed = land_bodies(settings.raw_dir, fetched.pages)
    return parse_feeds(configs, opaque(landed))


def items_by_article(
    parsed: Sequence[ParsedFeed], article_ids: set[str]
) -> dict[str, list[FeedItem]]:
    """Every feed item (of any feed) that links one of `article_ids`."""
    linked: dict[str, list[FeedItem]] = {}
    for feed in parsed:
        for item in feed.items:
            if item.article_id in article_ids:
                linked.setdefault(item.article_id, []).append(item)
    return linked
