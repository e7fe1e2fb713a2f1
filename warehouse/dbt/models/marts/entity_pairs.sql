-- Co-mentions: two distinct entities mentioned in the same article, counted once per article.
-- Each pair appears once, with entity_a < entity_b (compare ids, not names).
with article_entities as (
    select distinct article_id, entity_id
    from {{ ref('stg_entity_mentions') }}
),

pairs as (
    select
        a.entity_id as entity_a,
        b.entity_id as entity_b,
        count(*) as articles
    from article_entities as a
    join article_entities as b
        on a.article_id = b.article_id
        and a.entity_id < b.entity_id
    group by a.entity_id, b.entity_id
)

select
    p.entity_a,
    p.entity_b,
    cast(p.articles as bigint) as articles,
    ea.name as name_a,
    ea.type as type_a,
    eb.name as name_b,
    eb.type as type_b
from pairs as p
join {{ ref('stg_entities') }} as ea on ea.entity_id = p.entity_a
join {{ ref('stg_entities') }} as eb on eb.entity_id = p.entity_b
