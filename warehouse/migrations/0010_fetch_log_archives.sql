-- Backfills read web archives (WARC/ARC): raw.fetch_log gets the kind 'warc' for each archive
-- read (with its record counts) and for each record that could not be read, and every page
-- taken from an archive points at its raw bytes there (archive + offset) instead of the
-- landing zone. DuckDB cannot alter a CHECK constraint, so the table is rebuilt.
CREATE TABLE raw.fetch_log_v10 (
    run_id            VARCHAR NOT NULL,
    url               VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL
                      CHECK (kind IN ('feed', 'page', 'robots', 'sitemap', 'warc')),
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
    item_published_at TIMESTAMPTZ,
    archive           VARCHAR,
    archive_offset    BIGINT,
    records_read      BIGINT,
    records_kept      BIGINT
);
INSERT INTO raw.fetch_log_v10 BY NAME SELECT * FROM raw.fetch_log;
DROP TABLE raw.fetch_log;
ALTER TABLE raw.fetch_log_v10 RENAME TO fetch_log;
