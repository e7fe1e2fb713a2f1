-- One row per article per feed that listed it.
with

source as (
    select * from {{ source('core', 'fact_feed_item') }}
),

renamed as (
    select
        feed_name,
        article_id,
        item_guid,
        seen_at,
        item_published_at
    from source
)

select * from renamed
