-- Quotes per speaker per day: speaker_quotes (where speakers are grouped) counted by the
-- article day. An article belongs to one day, so articles add up over days.
select
    day,
    speaker_entity_id,
    speaker,
    speaker_type,
    cast(count(*) as bigint) as quotes,
    cast(count(distinct article_id) as bigint) as articles,
    min(quoted_at) as first_quoted_at,
    max(quoted_at) as last_quoted_at
from {{ ref('speaker_quotes') }}
group by day, speaker_entity_id, speaker, speaker_type
order by day, quotes desc, speaker
