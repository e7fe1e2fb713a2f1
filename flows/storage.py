"""Prefect tasks that read or write the warehouse and the landing zone.

They run in the flow's own process (called, never submitted): only that process touches the
disk, so Dask workers on other machines need no shared storage. Lookups only read: they open
the warehouse read-only and never take the writer lock; writes hold the writer lock for one
transaction each.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency

from flows.archives import read_record_at
from flows.deployments import WRITER_LIMIT
from flows.http_client import ArchiveUnavailable, HttpSettings
from flows.prefect_server import uses_shared_server
from transforms.records import Article, Enrichment, EtlRun, FeedItem, FetchResult
from transforms.warc import RecordError, read_response
from warehouse.connection import WarehouseMissing, open_reader, open_writer
from warehouse.landing import LandingZone, PruneResult, sha256_hex
from warehouse.loaders import ArticleCounts, load_batch, mark_crashed, record_run
from warehouse.location import Warehouse
from warehouse.queries import feed_validators, known_articles, landed_fetches, running_runs
from warehouse.run_leases import is_alive

# A killed writer's slot is freed when its lease runs out; loads take seconds, not minutes.
WRITER_LEASE_S = 60.0


@contextmanager
def writing(warehouse: Warehouse, lock_timeout_s: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer connection, serialised twice: by the Prefect global concurrency limit across
    deployments on a shared Prefect server, and by the warehouse's file lock, which also covers
    every run outside Prefect. (A server newswire started for itself serves one process: the
    file lock already covers it.)"""
    with ExitStack() as stack:
        if uses_shared_server():
            stack.enter_context(concurrency(WRITER_LIMIT, occupy=1,
                                            lease_duration=WRITER_LEASE_S, strict=False))
        yield stack.enter_context(open_writer(warehouse, lock_timeout_s=lock_timeout_s))


@contextmanager
def reading(warehouse: Warehouse, wait_s: float) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection, or None when there is no warehouse yet (nothing is known)."""
    try:
        with open_reader(warehouse, timeout_s=wait_s) as con:
            yield con
    except WarehouseMissing:
        yield None


@task(name="known-articles", cache_policy=NO_CACHE)
def lookup_known_articles(
    warehouse: Warehouse, article_ids: list[str], wait_s: float
) -> dict[str, datetime | None]:
    with reading(warehouse, wait_s) as con:
        return known_articles(con, article_ids) if con is not None else {}


@task(name="feed-validators", cache_policy=NO_CACHE)
def lookup_feed_validators(
    warehouse: Warehouse, urls: list[str], wait_s: float
) -> dict[str, tuple[str | None, str | None]]:
    with reading(warehouse, wait_s) as con:
        return feed_validators(con, urls) if con is not None else {}


@task(name="landed-window", cache_policy=NO_CACHE)
def lookup_landed_window(
    warehouse: Warehouse, start: datetime, end: datetime, feed_names: list[str] | None,
    wait_s: float,
) -> list[FetchResult]:
    with reading(warehouse, wait_s) as con:
        return landed_fetches(con, start, end, feed_names) if con is not None else []


def land_bodies(raw_dir: Path, results: list[FetchResult]) -> list[FetchResult]:
    """Keep every body received under the landing zone, named by its hash, before anything
    parses it; the results come back with `content_sha256` set. (A step of the fetch task
    that precedes it, not a task of its own: each task run costs Prefect's API a little.)"""
    zone = LandingZone(raw_dir)
    return [replace(r, content_sha256=zone.land(r.kind, r.fetched_at, r.body))
            if r.body is not None else r for r in results]


@dataclass(frozen=True, slots=True)
class LandedBodies:
    """What a read of the landing zone gave: every fetch, in order, with its body; and those
    whose body cannot be read (pruned or damaged: no body, the reason in `error`)."""

    fetches: list[FetchResult]
    missing: list[FetchResult]


@task(name="read-landed", cache_policy=NO_CACHE)
def read_landed(raw_dir: Path, fetches: list[FetchResult],
                http: HttpSettings | None = None) -> LandedBodies:
    """The bodies of `fetches`: from the landing zone, or, for a page taken from a web
    archive, from its record there (`http`: for an archive at a URL)."""
    zone = LandingZone(raw_dir)
    read: list[FetchResult] = []
    missing: list[FetchResult] = []
    for fetch in fetches:
        digest = fetch.content_sha256 or ""
        if fetch.archive is not None:
            unread = _read_archived(fetch, http or HttpSettings())
            read.append(unread)
            if unread.body is None:
                missing.append(unread)
            continue
        try:
            body = zone.read(fetch.kind, fetch.fetched_at, digest)
            read.append(replace(fetch, body=body, body_bytes=len(body), error=None))
            continue
        except FileNotFoundError:
            path = zone.path_for(fetch.kind, fetch.fetched_at, digest)
            unread = replace(fetch, body=None, error=f"raw body missing (pruned?): {path}")
        except (OSError, ValueError, EOFError) as exc:
            unread = replace(fetch, body=None, error=f"raw body unreadable: {exc}")
        read.append(unread)
        missing.append(unread)
    return LandedBodies(read, missing)


def _read_archived(fetch: FetchResult, http: HttpSettings) -> FetchResult:
    """`fetch` with the body of its archive record, checked against the hash logged when it
    was loaded; else without a body, and why."""
    where = f"{fetch.archive} at offset {fetch.archive_offset}"
    try:
        record = read_record_at(fetch.archive or "", fetch.archive_offset or 0, http)
        response = read_response(record, http.max_body_bytes)
    except FileNotFoundError:
        return replace(fetch, body=None, error=f"archive missing (moved or deleted?): {where}")
    except (OSError, RecordError, ArchiveUnavailable) as exc:
        return replace(fetch, body=None, error=f"archived body unreadable: {exc}")
    if isinstance(response, str):
        return replace(fetch, body=None, error=f"no HTML response in {where} ({response})")
    if fetch.content_sha256 and sha256_hex(response.body) != fetch.content_sha256:
        return replace(fetch, body=None,
                       error=f"archived body changed since it was loaded: {where}")
    return replace(fetch, body=response.body, body_bytes=len(response.body), error=None)


@task(name="prune-raw", cache_policy=NO_CACHE)
def prune_landing_zone(raw_dir: Path, cutoff: datetime) -> PruneResult:
    return LandingZone(raw_dir).prune(cutoff)


@task(name="load-batch", cache_policy=NO_CACHE)
def load(
    warehouse: Warehouse,
    lock_timeout_s: float,
    run_id: str,
    seen_at: datetime,
    fetches: list[FetchResult],
    articles: list[Article],
    feed_items: list[FeedItem],
    enrichments: list[Enrichment] | None = None,
) -> ArticleCounts:
    """One transaction; the writer lock is held only for its duration."""
    with writing(warehouse, lock_timeout_s) as con:
        return load_batch(con, run_id=run_id, seen_at=seen_at, fetches=fetches,
                          articles=articles, feed_items=feed_items,
                          enrichments=enrichments or [])


@task(name="start-run", cache_policy=NO_CACHE)
def start_run(warehouse: Warehouse, lock_timeout_s: float, run: EtlRun) -> list[str]:
    """Record `run` as running, and mark 'crashed' the runs still shown running whose process
    is gone (see warehouse/run_leases.py). Returns the ids of those."""
    with writing(warehouse, lock_timeout_s) as con:
        crashed = [run_id for run_id in running_runs(con) if not is_alive(warehouse, run_id)]
        con.execute("BEGIN TRANSACTION")
        mark_crashed(con, crashed)
        record_run(con, run)
        con.execute("COMMIT")
        return crashed


@task(name="record-run", cache_policy=NO_CACHE)
def save_run(warehouse: Warehouse, lock_timeout_s: float, run: EtlRun) -> None:
    with writing(warehouse, lock_timeout_s) as con:
        record_run(con, run)
