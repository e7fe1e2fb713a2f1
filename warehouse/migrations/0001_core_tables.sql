-- The contract tables (the README's "The warehouse" lists them). Extensions beyond the contract are marked.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE raw.fetch_log (
    run_id          VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL CHECK (kind IN ('feed', 'page')),
    fetched_at      TIMESTAMPTZ NOT NULL,
    http_status     INTEGER,
    bytes           BIGINT,
    etag            VARCHAR,
    last_modified   VARCHAR,
    content_sha256  VARCHAR,
    error           VARCHAR,
    -- extensions
    feed_name       VARCHAR,
    final_url       VARCHAR,
    content_type    VARCHAR
);

CREATE TABLE core.fact_article (
    article_id      VARCHAR PRIMARY KEY,
    canonical_url   VARCHAR NOT NULL UNIQUE,
    url             VARCHAR NOT NULL,
    source_name     VARCHAR,
    title           VARCHAR,
    published_at    TIMESTAMPTZ,
    dateline_place  VARCHAR,
    editor          VARCHAR,
    photo_credits   VARCHAR[] NOT NULL,
    body            VARCHAR NOT NULL,
    word_count      INTEGER NOT NULL,
    language        VARCHAR,
    content_hash    VARCHAR NOT NULL,
    text_fixes      VARCHAR[] NOT NULL,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE core.fact_feed_item (
    feed_name       VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    item_guid       VARCHAR NOT NULL,
    seen_at         TIMESTAMPTZ NOT NULL,
    -- extensions: what the feed said, so a later run can tell whether the item changed
    item_url        VARCHAR,
    item_title      VARCHAR,
    item_published_at TIMESTAMPTZ,
    PRIMARY KEY (feed_name, article_id)
);

CREATE TABLE core.dim_entity (
    entity_id       VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,
    country_code    VARCHAR
);

CREATE TABLE core.fact_entity_mention (
    article_id      VARCHAR NOT NULL,
    entity_id       VARCHAR NOT NULL,
    surface         VARCHAR NOT NULL,
    start_char      INTEGER NOT NULL,
    end_char        INTEGER NOT NULL,
    PRIMARY KEY (article_id, start_char, end_char)
);

CREATE TABLE core.fact_quote (
    article_id        VARCHAR NOT NULL,
    speaker_entity_id VARCHAR,
    speaker           VARCHAR,
    quote             VARCHAR NOT NULL,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    PRIMARY KEY (article_id, start_char, end_char)
);

CREATE TABLE core.etl_run (
    run_id              VARCHAR PRIMARY KEY,
    flow_name           VARCHAR NOT NULL,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,
    feeds_ok            INTEGER NOT NULL DEFAULT 0,
    feeds_failed        INTEGER NOT NULL DEFAULT 0,
    articles_new        INTEGER NOT NULL DEFAULT 0,
    articles_updated    INTEGER NOT NULL DEFAULT 0,
    articles_unchanged  INTEGER NOT NULL DEFAULT 0,
    pages_failed        INTEGER NOT NULL DEFAULT 0
);
