-- One row per HTTP request. A request failed when it raised an error (network, size, parse or
-- extraction failure written into `error`) or did not end in 2xx or 304 Not Modified.
-- A 'warc' row is a web archive read by a backfill, or a record of it that could not be read:
-- a local archive has no HTTP status, so only its error fails it.
with

source as (
    select * from {{ source('raw', 'fetch_log') }}
),

renamed as (
    select
        run_id,
        url,
        kind,
        feed_name,
        fetched_at,
        http_status,
        bytes,
        error,
        archive,
        archive_offset,
        records_read,
        records_kept
    from source
),

final as (
    select
        *,
        {{ utc_day('fetched_at') }} as fetch_day,
        (error is not null
            or (kind != 'warc' and (http_status is null
                or not (http_status between 200 and 299 or http_status = 304)))) as failed,
        (error is null and http_status = 304) as not_modified
    from renamed
)

select * from final
