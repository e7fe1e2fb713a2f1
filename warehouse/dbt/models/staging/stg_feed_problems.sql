-- One row per problem of a feed document that newswire read all the same.
with

source as (
    select * from {{ source('raw', 'feed_problem') }}
),

renamed as (
    select
        run_id,
        coalesce(feed_name, url) as feed_name,
        url,
        fetched_at,
        kind as problem_kind,
        detail,
        items as items_affected
    from source
),

final as (
    select
        *,
        {{ utc_day('fetched_at') }} as fetch_day
    from renamed
)

select * from final
