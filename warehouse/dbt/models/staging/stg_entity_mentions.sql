-- One row per entity mention.
with

source as (
    select * from {{ source('core', 'fact_entity_mention') }}
),

renamed as (
    select
        article_id,
        entity_id,
        surface,
        start_char,
        end_char
    from source
)

select * from renamed
