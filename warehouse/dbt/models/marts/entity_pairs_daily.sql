-- Co-mentions per day: two distinct entities mentioned in the same article, counted once per
-- article, on the article's day (as in entity_daily). Each pair appears once per day, with
-- entity_a < entity_b (compare ids, not names). An article belongs to one day, so a pair's
-- articles add up over days: entity_pairs is this mart summed over all days.
-- Tens of millions of pair instances at scale (200k articles: ~28M), so the self-join and the
-- aggregation run on integer keys: each entity and article gets a dense integer, a pair is
-- packed into one BIGINT, and the ids are joined back at the end.
with entity_keys as (
    select entity_id, cast(row_number() over (order by entity_id) as integer) as entity_key
    from {{ ref('stg_entities') }}
),

article_keys as (
    select article_id, day, cast(row_number() over () as integer) as article_key
    from {{ ref('stg_articles') }}
),

article_entities as (
    select distinct a.day, a.article_key, e.entity_key
    from {{ ref('stg_entity_mentions') }} as m
    join entity_keys as e using (entity_id)
    join article_keys as a using (article_id)
),

pairs as (
    -- entity_key order is entity_id order, so key_a < key_b means entity_a < entity_b.
    select
        a.day,
        cast(a.entity_key as bigint) * 4294967296 + b.entity_key as pair_key,
        count(*) as articles
    from article_entities as a
    join article_entities as b
        on a.article_key = b.article_key
        and a.entity_key < b.entity_key
    group by a.day, pair_key
)

select
    p.day,
    ea.entity_id as entity_a,
    eb.entity_id as entity_b,
    cast(p.articles as bigint) as articles
from pairs as p
join entity_keys as ea on ea.entity_key = p.pair_key >> 32
join entity_keys as eb on eb.entity_key = p.pair_key & 4294967295
