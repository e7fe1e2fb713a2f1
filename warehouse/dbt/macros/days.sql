{#- The day an article belongs to: the UTC date of published_at, or of first_seen_at when the
    page gave no publication time. Every mart with a `day` per article uses this rule. -#}
{% macro article_day(published_at='published_at', first_seen_at='first_seen_at') -%}
    cast(timezone('UTC', coalesce({{ published_at }}, {{ first_seen_at }})) as date)
{%- endmacro %}

{#- The UTC date of any TIMESTAMPTZ, whatever the session time zone. -#}
{% macro utc_day(ts) -%}
    cast(timezone('UTC', {{ ts }}) as date)
{%- endmacro %}
