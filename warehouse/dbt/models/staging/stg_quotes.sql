-- One row per quote.
select
    article_id,
    speaker_entity_id,
    speaker,
    quote,
    start_char,
    end_char
from {{ source('core', 'fact_quote') }}
