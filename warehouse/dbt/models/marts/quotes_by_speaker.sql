-- Quotes per speaker. A speaker resolved to an entity is one row under the entity's canonical
-- name; an unresolved speaker is one row per speaker text (speaker_entity_id NULL). Quotes with
-- no speaker at all are left out. A quote's time is its article's published_at (first_seen_at
-- when the page gave none).
with quotes as (
    select
        q.article_id,
        q.speaker_entity_id,
        coalesce(e.name, q.speaker) as speaker,
        e.type as speaker_type,
        coalesce(a.published_at, a.first_seen_at) as quoted_at
    from {{ ref('stg_quotes') }} as q
    join {{ ref('stg_articles') }} as a using (article_id)
    left join {{ ref('stg_entities') }} as e on e.entity_id = q.speaker_entity_id
    where q.speaker_entity_id is not null or q.speaker is not null
)

select
    speaker_entity_id,
    speaker,
    speaker_type,
    cast(count(*) as bigint) as quotes,
    cast(count(distinct article_id) as bigint) as articles,
    min(quoted_at) as first_quoted_at,
    max(quoted_at) as last_quoted_at
from quotes
group by speaker_entity_id, speaker, speaker_type
order by quotes desc, speaker
