{#- Post-hook of entity_daily: on an incremental run, delete the days that no longer have any
    mention (every article of that day moved to another day or lost its mentions). -#}
{% macro entity_daily_drop_vanished_days() -%}
    {%- if is_incremental() -%}
delete from {{ this }}
where day not in (
    select distinct a.day
    from {{ ref('stg_entity_mentions') }} as m
    join {{ ref('stg_articles') }} as a using (article_id)
)
    {%- else -%}
select 1
    {%- endif -%}
{%- endmacro %}
