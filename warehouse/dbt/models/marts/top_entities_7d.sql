-- The entities most mentioned in the last 7 days of data: the 7 days ending on the newest day
-- that has mentions and is not after the newest day newswire saw an article (a wrong future
-- date in a page does not move the window), or on the day the var top_entities_window_end
-- pins. The window comes from the data, never from the clock: a rebuild of the same
-- warehouse gives the same mart. Built from entity_daily; an article belongs to exactly one
-- day, so per-day article counts add up.
{%- set pinned = var('top_entities_window_end') %}
with

last_seen as (
    select max({{ utc_day('last_seen_at') }}) as newest_seen_day
    from {{ ref('stg_articles') }}
),

window_bounds as (
    {%- if pinned %}
    select cast('{{ pinned }}' as date) as window_end
    {%- else %}
    select max(d.day) as window_end
    from {{ ref('entity_daily') }} as d
    cross join last_seen as s
    where d.day <= s.newest_seen_day
    {%- endif %}
),

totals as (
    select
        d.entity_id,
        d.name,
        d.type,
        sum(d.mentions) as mentions,
        sum(d.articles) as articles,
        w.window_end
    from {{ ref('entity_daily') }} as d
    cross join window_bounds as w
    where d.day between w.window_end - 6 and w.window_end
    group by d.entity_id, d.name, d.type, w.window_end
)

select
    entity_id,
    name,
    type,
    cast(mentions as bigint) as mentions,
    cast(articles as bigint) as articles,
    cast(row_number() over (
        order by mentions desc, articles desc, name, entity_id) as bigint) as rank,
    cast(row_number() over (
        partition by type order by mentions desc, articles desc, name, entity_id) as bigint)
        as type_rank,
    cast(window_end - 6 as date) as window_start,
    window_end
from totals
order by rank
