-- Pipeline health per UTC day. Article columns count the articles of that day (the article
-- day: published_at, else first_seen_at); request columns count raw.fetch_log by the day the
-- request was made; run columns count core.etl_run by the day the run started.
{%- set kinds = var('text_fix_kinds') %}

with mentioned as (
    select distinct article_id from {{ ref('stg_entity_mentions') }}
),

quoted as (
    select distinct article_id from {{ ref('stg_quotes') }}
),

articles as (
    select
        a.day,
        count(*) as articles,
        sum(a.text_fix_count) as text_fixes,
        count(*) filter (where a.text_fix_count > 0) as articles_with_fixes,
        {%- for kind in kinds %}
        count(*) filter (where list_contains(a.text_fixes, '{{ kind }}')) as fix_{{ kind }},
        {%- endfor %}
        count(*) filter (where a.day_basis = 'first_seen_at') as articles_without_published_at,
        count(*) filter (where coalesce(a.title, '') = '') as articles_without_title,
        count(*) filter (where a.word_count < 50) as articles_under_50_words,
        count(*) filter (where a.version > 1) as articles_revised,
        count(*) filter (where m.article_id is null) as articles_without_entities,
        count(*) filter (where a.entities_model is null) as entities_skipped_language,
        count(*) filter (where q.article_id is not null) as articles_with_quotes
    from {{ ref('stg_articles') }} as a
    left join mentioned as m using (article_id)
    left join quoted as q using (article_id)
    group by a.day
),

requests as (
    select
        fetch_day as day,
        count(*) filter (where kind = 'page') as pages_fetched,
        count(*) filter (where kind = 'page' and failed) as pages_failed,
        count(*) filter (where kind = 'feed') as feeds_fetched,
        count(*) filter (where kind = 'feed' and failed) as feeds_failed,
        count(*) filter (where kind = 'feed' and not_modified) as feeds_not_modified,
        count(*) filter (where kind = 'sitemap') as sitemaps_fetched,
        count(*) filter (where kind = 'sitemap' and failed) as sitemaps_failed,
        sum(bytes) as bytes_fetched
    from {{ ref('stg_fetch_log') }}
    group by fetch_day
),

feed_problems as (
    select
        fetch_day as day,
        count(*) as feed_problems,
        sum(items_affected) as feed_items_skipped
    from {{ ref('stg_feed_problems') }}
    group by fetch_day
),

runs as (
    select
        run_day as day,
        count(*) as runs,
        count(*) filter (where status = 'partial') as runs_partial,
        count(*) filter (where status in ('failed', 'crashed')) as runs_failed
    from {{ ref('stg_etl_runs') }}
    group by run_day
),

days as (
    select day from articles
    union
    select day from requests
    union
    select day from feed_problems
    union
    select day from runs
)

select
    d.day,
    cast(coalesce(a.articles, 0) as bigint) as articles,
    cast(coalesce(a.text_fixes, 0) as bigint) as text_fixes,
    cast(coalesce(a.articles_with_fixes, 0) as bigint) as articles_with_fixes,
    {%- for kind in kinds %}
    cast(coalesce(a.fix_{{ kind }}, 0) as bigint) as fix_{{ kind }},
    {%- endfor %}
    cast(coalesce(a.text_fixes, 0)
        {%- for kind in kinds %} - coalesce(a.fix_{{ kind }}, 0){% endfor %} as bigint)
        as fix_other,
    cast(coalesce(a.articles_without_published_at, 0) as bigint) as articles_without_published_at,
    cast(coalesce(a.articles_without_title, 0) as bigint) as articles_without_title,
    cast(coalesce(a.articles_under_50_words, 0) as bigint) as articles_under_50_words,
    cast(coalesce(a.articles_revised, 0) as bigint) as articles_revised,
    cast(coalesce(a.articles_without_entities, 0) as bigint) as articles_without_entities,
    cast(coalesce(a.entities_skipped_language, 0) as bigint) as entities_skipped_language,
    cast(coalesce(a.articles_with_quotes, 0) as bigint) as articles_with_quotes,
    cast(coalesce(r.pages_fetched, 0) as bigint) as pages_fetched,
    cast(coalesce(r.pages_failed, 0) as bigint) as pages_failed,
    cast(coalesce(r.feeds_fetched, 0) as bigint) as feeds_fetched,
    cast(coalesce(r.feeds_failed, 0) as bigint) as feeds_failed,
    cast(coalesce(r.feeds_not_modified, 0) as bigint) as feeds_not_modified,
    cast(coalesce(r.sitemaps_fetched, 0) as bigint) as sitemaps_fetched,
    cast(coalesce(r.sitemaps_failed, 0) as bigint) as sitemaps_failed,
    cast(coalesce(r.bytes_fetched, 0) as bigint) as bytes_fetched,
    cast(coalesce(p.feed_problems, 0) as bigint) as feed_problems,
    cast(coalesce(p.feed_items_skipped, 0) as bigint) as feed_items_skipped,
    cast(coalesce(u.runs, 0) as bigint) as runs,
    cast(coalesce(u.runs_partial, 0) as bigint) as runs_partial,
    cast(coalesce(u.runs_failed, 0) as bigint) as runs_failed
from days as d
left join articles as a using (day)
left join requests as r using (day)
left join feed_problems as p using (day)
left join runs as u using (day)
order by d.day
