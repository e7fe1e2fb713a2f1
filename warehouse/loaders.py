"""Bulk loaders: Arrow batches in, one transaction per batch, upsert semantics.

Reruns are idempotent: articles and feed items are keyed, so loading the same batch twice
changes nothing but last-seen times. fetch_log is an append-only record of every request.
Upserts are MERGE statements on the key, not INSERT ... ON CONFLICT: a DuckLake has no
primary keys for ON CONFLICT to use, and the same statements then run on both kinds of
warehouse (a DuckDB file still enforces its keys).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from transforms.records import Article, Enrichment, EtlRun, FeedItem, FetchResult
from warehouse.stories import place_new_articles, record_matches, refresh_stories

_TS = pa.timestamp("us", tz="UTC")

_FETCH_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("url", pa.string()), ("kind", pa.string()),
    ("fetched_at", _TS), ("http_status", pa.int32()), ("bytes", pa.int64()),
    ("etag", pa.string()), ("last_modified", pa.string()), ("content_sha256", pa.string()),
    ("error", pa.string()), ("feed_name", pa.string()), ("final_url", pa.string()),
    ("content_type", pa.string()), ("item_published_at", _TS),
    ("archive", pa.string()), ("archive_offset", pa.int64()),
    ("records_read", pa.int64()), ("records_kept", pa.int64()),
])

_FEED_PROBLEM_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("feed_name", pa.string()), ("url", pa.string()),
    ("fetched_at", _TS), ("kind", pa.string()), ("detail", pa.string()), ("items", pa.int32()),
])

_ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("canonical_url", pa.string()), ("url", pa.string()),
    ("source_name", pa.string()), ("title", pa.string()), ("published_at", _TS),
    ("dateline_place", pa.string()), ("editor", pa.string()),
    ("photo_credits", pa.list_(pa.string())), ("body", pa.string()), ("word_count", pa.int32()),
    ("language", pa.string()), ("content_hash", pa.string()),
    ("text_fixes", pa.list_(pa.string())), ("entities_model", pa.string()),
    ("authors", pa.list_(pa.string())), ("is_free", pa.bool_()), ("story_id", pa.string()),
    ("seen_at", _TS),
])

_FEED_ITEM_SCHEMA = pa.schema([
    ("feed_name", pa.string()), ("article_id", pa.string()), ("item_guid", pa.string()),
    ("seen_at", _TS), ("item_url", pa.string()), ("item_title", pa.string()),
    ("item_published_at", _TS),
])

_ETL_RUN_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("flow_name", pa.string()), ("started_at", _TS),
    ("finished_at", _TS), ("status", pa.string()), ("feeds_ok", pa.int32()),
    ("feeds_failed", pa.int32()), ("articles_new", pa.int32()), ("articles_updated", pa.int32()),
    ("articles_unchanged", pa.int32()), ("pages_failed", pa.int32()),
])

_ENTITY_SCHEMA = pa.schema([
    ("entity_id", pa.string()), ("name", pa.string()), ("type", pa.string()),
    ("country_code", pa.string()), ("located_in", pa.string()),
])

_MENTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("entity_id", pa.string()), ("surface", pa.string()),
    ("start_char", pa.int32()), ("end_char", pa.int32()),
])

_QUOTE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("speaker_entity_id", pa.string()), ("speaker", pa.string()),
    ("quote", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
])

_ARTICLE_COLUMNS = (
    "article_id, canonical_url, url, source_name, title, published_at, dateline_place, editor, "
    "photo_credits, body, word_count, language, content_hash, text_fixes, entities_model, "
    "authors, is_free, story_id"
)
_ARTICLE_UPDATES = ", ".join(
    f"{c} = s.{c}"
    for c in ("source_name", "title", "published_at", "dateline_place", "editor",
              "photo_credits", "body", "word_count", "language", "content_hash", "text_fixes",
              "entities_model", "authors", "is_free")
)
_ARTICLE_VALUES = ", ".join(f"s.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))


@dataclass(frozen=True, slots=True)
class ArticleCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: ArticleCounts) -> ArticleCounts:
        return ArticleCounts(self.new + other.new, self.updated + other.updated,
                             self.unchanged + other.unchanged)


def _columns(rows: Sequence[object], schema: pa.Schema) -> pa.Table:
    """An Arrow table from records whose attributes are named like the schema's columns,
    built column by column (about three times faster than row dicts for large batches)."""
    return pa.table({name: pa.array([getattr(r, name) for r in rows], schema.field(name).type)
                     for name in schema.names}, schema=schema)


def _fetch_log_table(run_id: str, fetches: Sequence[FetchResult]) -> pa.Table:
    return pa.Table.from_pylist([
        {"run_id": run_id, "url": f.url, "kind": f.kind, "fetched_at": f.fetched_at,
         "http_status": f.http_status, "bytes": f.received_bytes,
         "etag": f.etag, "last_modified": f.last_modified, "content_sha256": f.content_sha256,
         "error": f.error, "feed_name": f.feed_name, "final_url": f.final_url,
         "content_type": f.content_type, "item_published_at": f.item_published_at,
         "archive": f.archive, "archive_offset": f.archive_offset,
         "records_read": f.records_read, "records_kept": f.records_kept}
        for f in fetches
    ], schema=_FETCH_LOG_SCHEMA)


def _article_table(articles: Sequence[Article], seen_at: datetime,
                   story_ids: dict[str, str]) -> pa.Table:
    return pa.Table.from_pylist([
        {"article_id": a.article_id, "canonical_url": a.canonical_url, "url": a.url,
         "source_name": a.source_name, "title": a.title, "published_at": a.published_at,
         "dateline_place": a.dateline_place, "editor": a.editor,
         "photo_credits": list(a.photo_credits), "body": a.body, "word_count": a.word_count,
         "language": a.language, "content_hash": a.content_hash,
         "text_fixes": list(a.text_fixes), "entities_model": a.entities_model,
         "authors": list(a.authors), "is_free": a.is_free,
         # only new articles are inserted with it: an existing one keeps its story
         "story_id": story_ids.get(a.article_id), "seen_at": seen_at}
        for a in articles
    ], schema=_ARTICLE_SCHEMA)


def _feed_item_table(items: Sequence[FeedItem], seen_at: datetime) -> pa.Table:
    return pa.Table.from_pylist([
        {"feed_name": i.feed_name, "article_id": i.article_id, "item_guid": i.guid,
         "seen_at": seen_at, "item_url": i.url, "item_title": i.title,
         "item_published_at": i.published_at}
        for i in items
    ], schema=_FEED_ITEM_SCHEMA)


def _feed_problem_table(run_id: str, fetches: Sequence[FetchResult]) -> pa.Table:
    return pa.Table.from_pylist([
        {"run_id": run_id, "feed_name": f.feed_name, "url": f.url, "fetched_at": f.fetched_at,
         "kind": p.kind, "detail": p.detail, "items": p.items}
        for f in fetches for p in f.problems
    ], schema=_FEED_PROBLEM_SCHEMA)


def _append_fetch_log(con: duckdb.DuckDBPyConnection, run_id: str,
                      fetches: Sequence[FetchResult]) -> None:
    if not fetches:
        return
    staged = _fetch_log_table(run_id, fetches)  # noqa: F841  (read by name in the SQL)
    con.execute("INSERT INTO raw.fetch_log BY NAME SELECT * FROM staged")
    if any(f.problems for f in fetches):
        problems = _feed_problem_table(run_id, fetches)  # noqa: F841
        con.execute("INSERT INTO raw.feed_problem BY NAME SELECT * FROM problems")


def _stored_hashes(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> dict[str, str]:
    """content_hash of the batch's articles that are already stored."""
    staged_ids = pa.table({  # noqa: F841  (read by name in the SQL)
        "article_id": pa.array([a.article_id for a in articles], pa.string())})
    return dict(con.execute(
        "SELECT article_id, content_hash FROM core.fact_article"
        " WHERE article_id IN (SELECT article_id FROM staged_ids)").fetchall())


def _upsert_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article],
                     seen_at: datetime) -> tuple[ArticleCounts, set[str]]:
    """Upsert `articles` (one per id); returns the counts and the ids of the articles that
    are new. The body alone (content_hash) makes an article 'updated' and bumps its version:
    the other columns (authors, is_free, title ...) follow the latest extraction without a new
    version. New articles are placed in stories first (warehouse/stories.py); an existing
    article keeps its story whatever its new text."""
    if not articles:
        return ArticleCounts(), set()
    stored = _stored_hashes(con, articles)
    fresh = [a for a in articles if a.article_id not in stored]
    placements = place_new_articles(con, fresh, seen_at)
    staged = _article_table(  # noqa: F841
        articles, seen_at, {a: p.story_id for a, p in placements.items()})
    # SET reads the stored row's values: the version compares the old hash with the new.
    con.execute(
        "MERGE INTO core.fact_article AS f USING staged AS s ON f.article_id = s.article_id"
        f" WHEN MATCHED THEN UPDATE SET {_ARTICLE_UPDATES}, last_seen_at = s.seen_at,"
        "  version = CASE WHEN f.content_hash <> s.content_hash"
        "            THEN f.version + 1 ELSE f.version END"
        f" WHEN NOT MATCHED THEN INSERT ({_ARTICLE_COLUMNS}, first_seen_at, last_seen_at,"
        f"  version) VALUES ({_ARTICLE_VALUES}, s.seen_at, s.seen_at, 1)"
    )
    record_matches(con, articles, placements)
    refresh_stories(con, _story_ids(con, articles))
    new = len(fresh)
    updated = sum(1 for a in articles
                  if a.article_id in stored and stored[a.article_id] != a.content_hash)
    return (ArticleCounts(new=new, updated=updated, unchanged=len(articles) - new - updated),
            {a.article_id for a in fresh})


def _story_ids(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> list[str]:
    staged_ids = pa.table({  # noqa: F841
        "article_id": pa.array([a.article_id for a in articles], pa.string())})
    return [r[0] for r in con.execute(
        "SELECT DISTINCT story_id FROM core.fact_article"
        " WHERE article_id IN (SELECT article_id FROM staged_ids)").fetchall()]


def _upsert_feed_items(con: duckdb.DuckDBPyConnection, items: Sequence[FeedItem],
                       seen_at: datetime) -> None:
    if not items:
        return
    unique = list({(i.feed_name, i.article_id): i for i in items}.values())
    staged = _feed_item_table(unique, seen_at)  # noqa: F841
    # seen_at stays the first sighting; the item's own fields follow the feed.
    con.execute(
        "MERGE INTO core.fact_feed_item AS f USING staged AS s"
        " ON f.feed_name = s.feed_name AND f.article_id = s.article_id"
        " WHEN MATCHED THEN UPDATE SET item_guid = s.item_guid, item_url = s.item_url,"
        "  item_title = s.item_title, item_published_at = s.item_published_at"
        " WHEN NOT MATCHED THEN INSERT BY NAME"
    )


def _replace_enrichments(con: duckdb.DuckDBPyConnection, enrichments: Sequence[Enrichment],
                         new_article_ids: set[str]) -> None:
    """Entities are upserted by their stable id; an article's mentions and quotes are replaced
    as a whole, so re-enriching an article (changed body, newer code) leaves no stale rows.
    Articles this batch inserted have nothing to replace: the delete (a scan of the mention
    table) is skipped for them."""
    if not enrichments:
        return
    entities = {e.entity_id: e for en in enrichments for e in en.entities}
    staged_entities = _columns(list(entities.values()), _ENTITY_SCHEMA)  # noqa: F841
    con.execute("MERGE INTO core.dim_entity AS e USING staged_entities AS s"
                " ON e.entity_id = s.entity_id WHEN NOT MATCHED THEN INSERT BY NAME")
    replaced = sorted({en.article_id for en in enrichments} - new_article_ids)
    if replaced:
        staged_ids = pa.table({"article_id": pa.array(replaced, pa.string())})  # noqa: F841
        con.execute("DELETE FROM core.fact_entity_mention"
                    " WHERE article_id IN (SELECT article_id FROM staged_ids)")
        con.execute("DELETE FROM core.fact_quote"
                    " WHERE article_id IN (SELECT article_id FROM staged_ids)")
    staged_mentions = _columns(  # noqa: F841
        [m for en in enrichments for m in en.mentions], _MENTION_SCHEMA)
    con.execute("INSERT INTO core.fact_entity_mention BY NAME SELECT * FROM staged_mentions")
    staged_quotes = _columns(  # noqa: F841
        [q for en in enrichments for q in en.quotes], _QUOTE_SCHEMA)
    con.execute("INSERT INTO core.fact_quote BY NAME SELECT * FROM staged_quotes")


# A lake's writers take the writer lock, so a conflict is rare: only a writer outside it (a
# DuckLake maintenance call, another tool) can make a commit fail. The batch is then loaded
# again from the start, after a growing pause.
CONFLICT_ATTEMPTS = 5
CONFLICT_PAUSE_S = 0.2


def load_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    seen_at: datetime,
    fetches: Sequence[FetchResult] = (),
    articles: Sequence[Article] = (),
    feed_items: Sequence[FeedItem] = (),
    enrichments: Sequence[Enrichment] = (),
) -> ArticleCounts:
    """Load one batch atomically: either every row of it lands, or none does. A commit that
    conflicts with another writer's (a DuckLake's optimistic concurrency) is retried whole.

    `feed_items` must only name articles that exist after this batch (loaded now or earlier).
    """
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return _load_once(con, run_id, seen_at, fetches, articles, feed_items, enrichments)
        except duckdb.TransactionException as exc:
            if "conflict" not in str(exc).lower() or attempt == CONFLICT_ATTEMPTS:
                raise
            time.sleep(CONFLICT_PAUSE_S * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def _load_once(con: duckdb.DuckDBPyConnection, run_id: str, seen_at: datetime,
               fetches: Sequence[FetchResult], articles: Sequence[Article],
               feed_items: Sequence[FeedItem], enrichments: Sequence[Enrichment]
               ) -> ArticleCounts:
    con.execute("BEGIN TRANSACTION")
    try:
        _append_fetch_log(con, run_id, fetches)
        # One row per article id: a batch may hold the same page reached by two links.
        unique = list({a.article_id: a for a in articles}.values())
        counts, new_ids = _upsert_articles(con, unique, seen_at)
        _upsert_feed_items(con, feed_items, seen_at)
        _replace_enrichments(con, enrichments, new_ids)
        con.execute("COMMIT")
    except BaseException:
        # A COMMIT that failed has already ended the transaction.
        with contextlib.suppress(duckdb.TransactionException):
            con.execute("ROLLBACK")
        raise
    return counts


def record_run(con: duckdb.DuckDBPyConnection, run: EtlRun) -> None:
    """Insert or update the run's row in core.etl_run."""
    staged = pa.Table.from_pylist([{  # noqa: F841
        "run_id": run.run_id, "flow_name": run.flow_name, "started_at": run.started_at,
        "finished_at": run.finished_at, "status": run.status, "feeds_ok": run.feeds_ok,
        "feeds_failed": run.feeds_failed, "articles_new": run.articles_new,
        "articles_updated": run.articles_updated, "articles_unchanged": run.articles_unchanged,
        "pages_failed": run.pages_failed}], schema=_ETL_RUN_SCHEMA)
    con.execute(
        "MERGE INTO core.etl_run AS r USING staged AS s ON r.run_id = s.run_id"
        " WHEN MATCHED THEN UPDATE SET finished_at = s.finished_at, status = s.status,"
        "  feeds_ok = s.feeds_ok, feeds_failed = s.feeds_failed,"
        "  articles_new = s.articles_new, articles_updated = s.articles_updated,"
        "  articles_unchanged = s.articles_unchanged, pages_failed = s.pages_failed"
        " WHEN NOT MATCHED THEN INSERT BY NAME"
    )


def mark_crashed(con: duckdb.DuckDBPyConnection, run_ids: Sequence[str]) -> None:
    """Runs that died without recording their end: 'crashed', finished_at left unknown. Their
    committed batches stay (each batch is whole)."""
    if run_ids:
        con.execute("UPDATE core.etl_run SET status = 'crashed'"
                    " WHERE status = 'running' AND list_contains($ids, run_id)",
                    {"ids": list(run_ids)})
