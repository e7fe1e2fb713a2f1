-- One row per quote.
with

source as (
    select * from {{ source('core', 'fact_quote') }}
),

renamed as (
    select
        article_id,
        speaker_entity_id,
        speaker,
        quote,
        start_char,
        end_char
    from source
)

select * from renamed
