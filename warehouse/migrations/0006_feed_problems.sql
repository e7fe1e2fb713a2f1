-- What was wrong with a feed that did not stop it (a malformed document read as far as it
-- goes, a non-XML Content-Type, a wrong declared charset, items skipped): one row per problem
-- of each feed fetch, written in the same transaction as that fetch's raw.fetch_log row.
CREATE TABLE raw.feed_problem (
    run_id      VARCHAR NOT NULL,
    feed_name   VARCHAR,
    url         VARCHAR NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('malformed', 'content_type', 'encoding',
                                                 'max_items', 'no_link', 'bad_url')),
    detail      VARCHAR NOT NULL,
    items       INTEGER NOT NULL DEFAULT 0
);
