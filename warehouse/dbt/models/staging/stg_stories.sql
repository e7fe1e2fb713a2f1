-- One row per story, as the loaders keep it (marts.stories recounts its articles).
with

source as (
    select * from {{ source('core', 'dim_story') }}
),

renamed as (
    select
        story_id,
        first_seen_at,
        first_published_at,
        headline,
        articles
    from source
)

select * from renamed
