-- Quotes per speaker, all time: quotes_by_speaker_daily summed over days (speakers are
-- grouped in speaker_quotes: by entity when resolved, else by the speaker text). An article
-- belongs to one day, so the sum of its per-day articles counts each article once.
select
    speaker_entity_id,
    speaker,
    speaker_type,
    cast(sum(quotes) as bigint) as quotes,
    cast(sum(articles) as bigint) as articles,
    min(first_quoted_at) as first_quoted_at,
    max(last_quoted_at) as last_quoted_at
from {{ ref('quotes_by_speaker_daily') }}
group by speaker_entity_id, speaker, speaker_type
order by quotes desc, speaker
