-- A DuckLake's schema, equal to what migrations 0001-0010 build in a DuckDB file, created in
-- one step: DuckLake has no PRIMARY KEY, UNIQUE or CHECK constraints (nor indexes), so the
-- file migrations' table rebuilds do not apply to it. The keys those constraints enforce in a
-- file warehouse are kept in a lake by the loaders (MERGE on the key, under the writer lock)
-- and tested by the dbt data tests (unique/accepted_values on the staging models).
-- Columns are in the file warehouse's order, so `SELECT *` reads alike in both.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE raw.fetch_log (
    run_id VARCHAR NOT NULL, url VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL, http_status INTEGER, bytes BIGINT, etag VARCHAR,
    last_modified VARCHAR, content_sha256 VARCHAR, error VARCHAR, feed_name VARCHAR,
    final_url VARCHAR, content_type VARCHAR, item_published_at TIMESTAMPTZ, archive VARCHAR,
    archive_offset BIGINT, records_read BIGINT, records_kept BIGINT
);

CREATE TABLE raw.feed_problem (
    run_id VARCHAR NOT NULL, feed_name VARCHAR, url VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL, kind VARCHAR NOT NULL, detail VARCHAR NOT NULL,
    items INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE core.dim_entity (
    entity_id VARCHAR NOT NULL, name VARCHAR NOT NULL, type VARCHAR NOT NULL,
    country_code VARCHAR, located_in VARCHAR
);

CREATE TABLE core.dim_story (
    story_id VARCHAR NOT NULL, first_seen_at TIMESTAMPTZ NOT NULL,
    first_published_at TIMESTAMPTZ, headline VARCHAR, articles INTEGER NOT NULL
);

CREATE TABLE core.etl_run (
    run_id VARCHAR NOT NULL, flow_name VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ, status VARCHAR NOT NULL,
    feeds_ok INTEGER NOT NULL DEFAULT 0, feeds_failed INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0, articles_updated INTEGER NOT NULL DEFAULT 0,
    articles_unchanged INTEGER NOT NULL DEFAULT 0, pages_failed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE core.fact_article (
    article_id VARCHAR NOT NULL, canonical_url VARCHAR NOT NULL, url VARCHAR NOT NULL,
    source_name VARCHAR, title VARCHAR, published_at TIMESTAMPTZ, dateline_place VARCHAR,
    editor VARCHAR, photo_credits VARCHAR[] NOT NULL, body VARCHAR NOT NULL,
    word_count INTEGER NOT NULL, language VARCHAR, content_hash VARCHAR NOT NULL,
    text_fixes VARCHAR[] NOT NULL, first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL, version INTEGER NOT NULL DEFAULT 1, authors VARCHAR[],
    is_free BOOLEAN, entities_model VARCHAR, story_id VARCHAR
);

CREATE TABLE core.fact_entity_mention (
    article_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, surface VARCHAR NOT NULL,
    start_char INTEGER NOT NULL, end_char INTEGER NOT NULL
);

CREATE TABLE core.fact_feed_item (
    feed_name VARCHAR NOT NULL, article_id VARCHAR NOT NULL, item_guid VARCHAR NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL, item_url VARCHAR, item_title VARCHAR,
    item_published_at TIMESTAMPTZ
);

CREATE TABLE core.fact_quote (
    article_id VARCHAR NOT NULL, speaker_entity_id VARCHAR, speaker VARCHAR,
    quote VARCHAR NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL
);

CREATE TABLE core.story_match (
    article_id VARCHAR NOT NULL, story_time TIMESTAMPTZ NOT NULL, match_kind VARCHAR NOT NULL,
    matched_article_id VARCHAR, match_score DOUBLE, scheme VARCHAR NOT NULL,
    body_minhash BLOB NOT NULL, lead_minhash BLOB NOT NULL, shingles INTEGER NOT NULL,
    title_key VARCHAR
);
