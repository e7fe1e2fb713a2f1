-- One row per flow run.
with

source as (
    select * from {{ source('core', 'etl_run') }}
),

renamed as (
    select
        run_id,
        flow_name,
        started_at,
        finished_at,
        status,
        feeds_ok,
        feeds_failed,
        articles_new,
        articles_updated,
        articles_unchanged,
        pages_failed
    from source
),

final as (
    select
        *,
        {{ utc_day('started_at') }} as run_day
    from renamed
)

select * from final
