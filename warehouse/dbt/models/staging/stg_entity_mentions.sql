-- One row per entity mention.
select
    article_id,
    entity_id,
    surface,
    start_char,
    end_char
from {{ source('core', 'fact_entity_mention') }}
