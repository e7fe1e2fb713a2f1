-- One row per article, with the day it belongs to (see the article_day macro).
with

source as (
    select * from {{ source('core', 'fact_article') }}
),

renamed as (
    select
        article_id,
        canonical_url,
        coalesce(source_name, 'unknown') as source_name,
        title,
        published_at,
        first_seen_at,
        last_seen_at,
        dateline_place,
        editor,
        language,
        entities_model,
        word_count,
        text_fixes,
        version,
        authors,
        is_free,
        story_id
    from source
),

final as (
    select
        *,
        {{ article_day() }} as day,
        case when published_at is null then 'first_seen_at' else 'published_at' end as day_basis,
        cast(len(text_fixes) as integer) as text_fix_count
    from renamed
)

select * from final
