-- One row per article per feed that listed it.
select
    feed_name,
    article_id,
    item_guid,
    seen_at,
    item_published_at
from {{ source('core', 'fact_feed_item') }}
