-- Co-mentions, all time: entity_pairs_daily (where the rule lives: two distinct entities in
-- the same article, counted once per article) summed over days. An article belongs to one
-- day, so the sum counts each article once. Each pair appears once, with entity_a < entity_b.
select
    entity_a,
    entity_b,
    cast(sum(articles) as bigint) as articles
from {{ ref('entity_pairs_daily') }}
group by entity_a, entity_b
