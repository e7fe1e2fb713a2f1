-- One row per quote that has a speaker, with the speaker as every speaker mart groups it: a
-- speaker resolved to an entity goes by the entity's canonical name, an unresolved one by the
-- speaker text (speaker_entity_id NULL). Quotes with no speaker at all are left out. A quote's
-- time is its article's published_at (first_seen_at when the page gave none), its day the
-- article day. quotes_by_speaker_daily and quotes_by_speaker count these rows.
with quotes as (
    select
        q.article_id,
        q.start_char,
        q.end_char,
        a.day,
        coalesce(a.published_at, a.first_seen_at) as quoted_at,
        q.speaker_entity_id,
        coalesce(e.name, q.speaker) as speaker,
        e.type as speaker_type,
        q.quote,
        a.title,
        a.canonical_url
    from {{ ref('stg_quotes') }} as q
    join {{ ref('stg_articles') }} as a using (article_id)
    left join {{ ref('stg_entities') }} as e on e.entity_id = q.speaker_entity_id
    where q.speaker_entity_id is not null or q.speaker is not null
)

select
    article_id,
    start_char,
    end_char,
    day,
    quoted_at,
    speaker_entity_id,
    speaker,
    speaker_type,
    quote,
    title,
    canonical_url
from quotes
order by day, article_id, start_char
