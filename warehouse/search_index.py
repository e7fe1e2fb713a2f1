"""The full-text search index: its own DuckDB file, built from a snapshot of the warehouse.

Why a separate file: DuckDB's fts index cannot be created on a table inside a DuckLake, and a
search must not wait for a warehouse writer. The file is built under a temporary name in the
same directory and moved into place with os.replace, so a search sees the old index or the
new one, never half of one, and reads nothing of the warehouse.

Ranking: two BM25 indexes (DuckDB's fts `match_bm25`), one over titles and one over bodies,
each with its own document frequencies and length normalisation; an article's score is
TITLE_WEIGHT x its title score + its body score (the "weighted sum of per-field BM25" way of
weighting fields). A single index over title and body would normalise a title match by the
body's length and let a long body drown a short title. Words are lower-cased, stripped of
accents, split at anything but a-z and 0-9 (so 'G20' and '2025' stay searchable), Porter-
stemmed ('talks' finds 'talk' and 'talking') and English stopwords are dropped: the
warehouse's articles are English news, the stemmer is the fts extension's own, and the
stopwords keep 'the' from matching every article.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

import duckdb

from transforms.snippet import DEFAULT_MAX_CHARS, snippet
from warehouse.extensions import load_extensions

TITLE_WEIGHT = 2.0
DEFAULT_LIMIT = 10
# The fts options of both indexes; the query words go through the same ones.
_FTS_OPTIONS = "stemmer = 'porter', stopwords = 'english', ignore = '[^a-z0-9]+'"
_SPLIT = "[^a-z0-9]+"

# What search needs of the warehouse, read in one transaction (one snapshot).
_SOURCE_QUERIES = {
    "articles": "SELECT article_id, url, title, published_at FROM core.fact_article",
    "bodies": "SELECT article_id, coalesce(body, '') AS body FROM core.fact_article",
    "article_feeds": "SELECT DISTINCT article_id, feed_name FROM core.fact_feed_item",
    "article_entities": "SELECT DISTINCT article_id, entity_id FROM core.fact_entity_mention",
    "entities": "SELECT entity_id, name, type FROM core.dim_entity",
}


class SearchIndexMissing(RuntimeError):
    """No search index has been built for this warehouse yet."""


class SearchRejected(ValueError):
    """A search that cannot be run as asked (no words, unknown feed or entity): the message
    says why."""


@dataclass(frozen=True, slots=True)
class IndexStats:
    index_path: Path
    articles: int
    built_at: datetime
    source: str
    build_s: float
    size_bytes: int

    def describe(self) -> str:
        return (f"search index: {self.articles} articles in {self.build_s:.1f} s, "
                f"{self.size_bytes / 2**20:.1f} MiB at {self.index_path}")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    words: str
    since: date | None = None  # inclusive, on published_at's UTC date
    until: date | None = None  # inclusive
    feeds: tuple[str, ...] = ()  # any of them
    entity: str | None = None  # dim_entity.name, case-insensitive
    limit: int = DEFAULT_LIMIT
    snippet_chars: int = DEFAULT_MAX_CHARS


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    url: str
    title: str | None
    published_at: datetime | None
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class StagedIndex:
    """A snapshot of the warehouse copied into a temporary index file, not indexed yet."""
    index_path: Path
    temp_path: Path
    source: str
    built_at: datetime
    started: float  # time.perf_counter() when the copy began


def build_search_index(source: duckdb.DuckDBPyConnection, index_path: Path, *,
                       source_name: str) -> IndexStats:
    """Build the index of the articles `source` sees (any connection on which core.* resolve)
    into `index_path`, replacing the previous one atomically. `source_name` is recorded as the
    warehouse the index was built from."""
    return finish_index(stage_snapshot(source, index_path, source_name=source_name))


def stage_snapshot(source: duckdb.DuckDBPyConnection, index_path: Path, *,
                   source_name: str) -> StagedIndex:
    """The first half of build_search_index, the only one that reads `source`: a caller
    holding the warehouse file open read-only (which keeps writers out) closes it after this,
    before the slower indexing."""
    started = time.perf_counter()
    built_at = datetime.now(UTC)
    index_path.parent.mkdir(parents=True, exist_ok=True)
    temp = index_path.with_name(f".{index_path.name}.{os.getpid()}.tmp")
    _remove(temp)
    try:
        with duckdb.connect(str(temp)) as con:
            con.execute("SET enable_progress_bar = false")  # it would draw on the caller's tty
            _copy_snapshot(source, con)
    except BaseException:
        _remove(temp)
        raise
    return StagedIndex(index_path, temp, source_name, built_at, started)


def finish_index(staged: StagedIndex) -> IndexStats:
    """Index the staged snapshot and move it into place (the second half)."""
    try:
        with duckdb.connect(str(staged.temp_path)) as con:
            con.execute("SET enable_progress_bar = false")  # it would draw on the caller's tty
            load_extensions(con, "fts")
            con.execute(f"PRAGMA create_fts_index('articles', 'article_id', 'title', "
                        f"{_FTS_OPTIONS})")
            con.execute(f"PRAGMA create_fts_index('bodies', 'article_id', 'body', "
                        f"{_FTS_OPTIONS})")
            articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
            build_s = time.perf_counter() - staged.started
            con.execute("CREATE TABLE meta (built_at TIMESTAMPTZ, articles BIGINT, "
                        "source VARCHAR, build_s DOUBLE)")
            con.execute("INSERT INTO meta VALUES ($1, $2, $3, $4)",
                        [staged.built_at, articles, staged.source, build_s])
            con.execute("CHECKPOINT")
        os.replace(staged.temp_path, staged.index_path)
    finally:
        _remove(staged.temp_path)
    return IndexStats(staged.index_path, articles, staged.built_at, staged.source,
                      round(build_s, 2), staged.index_path.stat().st_size)


def _remove(path: Path) -> None:
    for each in (path, path.with_name(path.name + ".wal")):
        each.unlink(missing_ok=True)


def _copy_snapshot(source: duckdb.DuckDBPyConnection, con: duckdb.DuckDBPyConnection) -> None:
    """Stream each table from the warehouse into the index, all from one snapshot. Arrow
    batches, not ATTACH: the warehouse's reader may not attach files, and a lake's tables
    come through the same way."""
    source.execute("BEGIN TRANSACTION")
    try:
        for table, sql in _SOURCE_QUERIES.items():
            reader = source.execute(sql).to_arrow_reader()
            con.register("snapshot_rows", reader)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM snapshot_rows")
            con.unregister("snapshot_rows")
    finally:
        source.execute("ROLLBACK")


def read_stats(index_path: Path) -> IndexStats:
    """What the meta table says about the index at `index_path`."""
    with _open(index_path) as con:
        built_at, articles, source, build_s = con.execute(
            "SELECT built_at, articles, source, build_s FROM meta").fetchone()  # type: ignore[misc]
    return IndexStats(index_path, articles, built_at, source, round(build_s, 2),
                      index_path.stat().st_size)


def _open(index_path: Path) -> duckdb.DuckDBPyConnection:
    if not index_path.is_file():
        raise SearchIndexMissing(f"no search index at {index_path}")
    return duckdb.connect(str(index_path), read_only=True)


def search(index_path: Path, query: SearchQuery) -> list[SearchHit]:
    """The best `query.limit` articles for `query`, best first. Raises SearchIndexMissing
    without an index, SearchRejected for a query that cannot mean anything (no word, unknown
    feed or entity, bad limit or dates). Words no article has give no hits."""
    if query.limit < 1:
        raise SearchRejected(f"the limit must be at least 1, not {query.limit}")
    if query.since and query.until and query.since > query.until:
        raise SearchRejected(f"--since {query.since} is after --until {query.until}")
    with _open(index_path) as con:
        con.execute("SET enable_progress_bar = false")  # stdout and stderr are the output
        load_extensions(con, "fts")
        stems = _query_stems(con, query.words)
        if not stems:
            raise SearchRejected(f"nothing to search for in {query.words!r}: give words "
                                 "(letters or digits)")
        where, params = _filters(con, query)
        params.update(words=query.words, limit=query.limit, title_weight=TITLE_WEIGHT)
        # Matches of each field first, joined with the articles after: the joins then hold
        # the matching articles, not all of them (1.1-2.8 times faster at 200,000 articles).
        rows = con.execute(
            "WITH title AS (SELECT * FROM (SELECT article_id,"
            "    fts_main_articles.match_bm25(article_id, $words) AS score FROM articles)"
            "    WHERE score IS NOT NULL),"
            "  body AS (SELECT * FROM (SELECT article_id,"
            "    fts_main_bodies.match_bm25(article_id, $words) AS score FROM bodies)"
            "    WHERE score IS NOT NULL),"
            "  scored AS (SELECT article_id,"
            "    $title_weight * coalesce(t.score, 0) + coalesce(b.score, 0) AS score"
            "    FROM title t FULL JOIN body b USING (article_id))"
            " SELECT a.article_id, a.url, a.title, a.published_at, s.score"
            " FROM scored s JOIN articles a USING (article_id)"
            " WHERE TRUE" + where +
            " ORDER BY s.score DESC, a.published_at DESC NULLS LAST, a.article_id"
            " LIMIT $limit", params).fetchall()
        snippets = _snippets(con, [row[0] for row in rows], stems, query.snippet_chars)
    return [SearchHit(article_id, url, title, published_at, float(score),
                      snippets.get(article_id, ""))
            for article_id, url, title, published_at, score in rows]


def _query_stems(con: duckdb.DuckDBPyConnection, words: str) -> list[str]:
    """The Porter stems of the query's words (stopwords included: they are not in the index,
    so they match nothing; keeping them only lets a snippet show them)."""
    row = con.execute(
        "SELECT coalesce(list(DISTINCT stem(w, 'porter')) FILTER (WHERE w <> ''), [])"
        " FROM unnest(regexp_split_to_array(strip_accents(lower($words)), $split)) AS u(w)",
        {"words": words, "split": _SPLIT}).fetchone()
    return list(row[0]) if row else []


def _filters(con: duckdb.DuckDBPyConnection, query: SearchQuery
             ) -> tuple[str, dict[str, object]]:
    """The WHERE clauses (each starting with AND) and their parameters for the query's
    filters; unknown feeds and entities are rejected with the names that would work."""
    where: list[str] = []
    params: dict[str, object] = {}
    if query.since is not None:
        where.append("a.published_at >= $since")
        params["since"] = datetime.combine(query.since, day_time(), UTC)
    if query.until is not None:
        where.append("a.published_at < $until")
        params["until"] = datetime.combine(query.until + timedelta(days=1), day_time(), UTC)
    if query.feeds:
        known = {name for (name,) in con.execute(
            "SELECT DISTINCT feed_name FROM article_feeds").fetchall()}
        unknown = sorted(set(query.feeds) - known)
        if unknown:
            raise SearchRejected(f"no article in the index comes from feed(s) "
                                 f"{', '.join(unknown)}; feeds: {', '.join(sorted(known))}")
        where.append("a.article_id IN (SELECT article_id FROM article_feeds"
                     " WHERE list_contains($feeds, feed_name))")
        params["feeds"] = list(query.feeds)
    if query.entity is not None:
        entity_ids = [entity_id for (entity_id,) in con.execute(
            "SELECT entity_id FROM entities WHERE lower(name) = lower($name)",
            {"name": query.entity.strip()}).fetchall()]
        if not entity_ids:
            raise SearchRejected(f"no entity named {query.entity!r} in the index "
                                 "(names as in core.dim_entity, any case)")
        where.append("a.article_id IN (SELECT article_id FROM article_entities"
                     " WHERE list_contains($entity_ids, entity_id))")
        params["entity_ids"] = entity_ids
    return "".join(f" AND {clause}" for clause in where), params


def _snippets(con: duckdb.DuckDBPyConnection, article_ids: list[str], stems: list[str],
              max_chars: int) -> dict[str, str]:
    """Each hit's snippet, around the body's words that share a stem with the query's (the
    index's own stemmer decides, as it decided the match); a hit matched on its title alone
    gets the beginning of its body."""
    if not article_ids:
        return {}
    rows = con.execute(
        "SELECT b.article_id, b.body, coalesce((SELECT list(DISTINCT w) FROM"
        "   unnest(regexp_split_to_array(strip_accents(lower(b.body)), $split)) AS u(w)"
        "   WHERE w <> '' AND list_contains($stems, stem(w, 'porter'))), [])"
        " FROM bodies b WHERE list_contains($ids, b.article_id)",
        {"ids": article_ids, "stems": stems, "split": _SPLIT}).fetchall()
    return {article_id: snippet(body, words, max_chars) for article_id, body, words in rows}
