-- raw.fetch_log records every request: robots.txt and sitemap requests get kinds of their own
-- instead of passing as feeds. DuckDB cannot alter a CHECK constraint, so the table is rebuilt.
CREATE TABLE raw.fetch_log_v3 (
    run_id            VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('feed', 'page', 'robots', 'sitemap')),
    fetched_at        TIMESTAMPTZ NOT NULL,
    http_status       INTEGER,
    bytes             BIGINT,
    etag              VARCHAR,
    last_modified     VARCHAR,
    content_sha256    VARCHAR,
    error             VARCHAR,
    feed_name         VARCHAR,
    final_url         VARCHAR,
    content_type      VARCHAR,
    item_published_at TIMESTAMPTZ
);
INSERT INTO raw.fetch_log_v3 BY NAME SELECT * FROM raw.fetch_log;
DROP TABLE raw.fetch_log;
ALTER TABLE raw.fetch_log_v3 RENAME TO fetch_log;
