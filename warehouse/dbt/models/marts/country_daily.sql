-- Mentions and mentioning articles per country per day. An entity counts for the country of
-- its country_code: the country itself ('China') or its people ('Chinese'); a city or region
-- (located_in) does not count for its country. An article naming both 'China' and 'Chinese'
-- is one article. day: the article day, as in entity_daily.
with

country_entities as (
    select entity_id, country_code
    from {{ ref('stg_entities') }}
    where country_code is not null
),

country_names as (
    -- The country's own name (a GPE entity with that code); NULL when only its demonym has
    -- been seen.
    select country_code, min(name) as country_name
    from {{ ref('stg_entities') }}
    where type = 'GPE' and country_code is not null
    group by country_code
),

mentions as (
    select
        a.day,
        c.country_code,
        m.article_id
    from {{ ref('stg_entity_mentions') }} as m
    join country_entities as c using (entity_id)
    join {{ ref('stg_articles') }} as a using (article_id)
),

per_day as (
    select
        day,
        country_code,
        count(*) as mentions,
        count(distinct article_id) as articles
    from mentions
    group by day, country_code
)

select
    p.day,
    p.country_code,
    n.country_name,
    cast(p.mentions as bigint) as mentions,
    cast(p.articles as bigint) as articles
from per_day as p
left join country_names as n using (country_code)
order by p.day, p.country_code
