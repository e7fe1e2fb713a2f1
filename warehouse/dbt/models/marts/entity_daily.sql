{#-
  Mentions and articles per entity per day. day = UTC date of the article's published_at
  (first_seen_at when published_at is NULL).

  Incremental by day. A run recomputes only the days whose inputs changed, and deletes their old
  rows before inserting the new ones (delete+insert on `day`):
    - days whose mention count differs from what the table holds (new articles, backfills,
      re-enriched articles, articles that moved to another day);
    - days with an article loaded since (its last_seen_at is newer than the table's
      last_loaded_at for that day: a re-fetched article whose mentions changed but not their
      number);
    - the newest `entity_daily_lookback_days` days that have mentions, every run.
  Days that no longer have any mention are deleted by the post-hook. Everything else, the
  history, is left as it is. `newswire models --full-refresh` rebuilds it all.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='day',
    on_schema_change='fail',
    post_hook=["{{ entity_daily_drop_vanished_days() }}"],
) }}

with mentions as (
    select
        a.day,
        m.article_id,
        m.entity_id,
        a.last_seen_at
    from {{ ref('stg_entity_mentions') }} as m
    join {{ ref('stg_articles') }} as a using (article_id)
),

{% if is_incremental() %}
source_days as (
    select day, count(*) as mentions, max(last_seen_at) as last_loaded_at
    from mentions
    group by day
),

built_days as (
    select day, sum(mentions) as mentions, max(last_loaded_at) as last_loaded_at
    from {{ this }}
    group by day
),

days_to_build as (
    select s.day
    from source_days as s
    left join built_days as b using (day)
    where b.day is null
       or s.mentions is distinct from b.mentions
       or s.last_loaded_at is distinct from b.last_loaded_at
    union
    select day
    from source_days
    where day > (select max(day) from source_days) - {{ var('entity_daily_lookback_days') }}
),

selected as (
    select * from mentions where day in (select day from days_to_build)
),
{% else %}
selected as (
    select * from mentions
),
{% endif %}

per_entity as (
    select
        day,
        entity_id,
        count(*) as mentions,
        count(distinct article_id) as articles,
        max(last_seen_at) as last_loaded_at
    from selected
    group by day, entity_id
)

select
    p.day,
    p.entity_id,
    e.name,
    e.type,
    cast(p.mentions as bigint) as mentions,
    cast(p.articles as bigint) as articles,
    p.last_loaded_at,
{% if is_incremental() %}
    -- A recomputed row that came out the same keeps its built_at: a run with nothing new
    -- changes nothing.
    coalesce(
        case when old.mentions = p.mentions and old.articles = p.articles
                  and old.name = e.name and old.type = e.type
                  and old.last_loaded_at is not distinct from p.last_loaded_at
             then old.built_at end,
        cast('{{ run_started_at.isoformat() }}' as timestamptz)) as built_at
{% else %}
    cast('{{ run_started_at.isoformat() }}' as timestamptz) as built_at
{% endif %}
from per_entity as p
join {{ ref('stg_entities') }} as e using (entity_id)
{% if is_incremental() %}
left join {{ this }} as old on old.day = p.day and old.entity_id = p.entity_id
{% endif %}
order by p.day, p.entity_id
