-- One row per story, recounted from its articles: articles, the feeds that listed any of
-- them and the sources that published them, and the span of their publication times. The
-- headline is the loaders' (core.dim_story); the test `agrees_with` on `articles` checks the
-- loaders' count against this recount.
with articles as (
    select story_id, article_id, source_name, published_at, day
    from {{ ref('stg_articles') }}
    where story_id is not null
),

feeds as (
    select a.story_id, cast(count(distinct f.feed_name) as bigint) as feeds
    from articles as a
    join {{ ref('stg_feed_items') }} as f using (article_id)
    group by a.story_id
),

per_story as (
    select
        story_id,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        min(day) as first_day,
        max(day) as last_day,
        cast(count(*) as bigint) as articles,
        cast(count(distinct source_name) as bigint) as sources
    from articles
    group by story_id
)

select
    p.story_id,
    s.headline,
    p.first_published_at,
    p.last_published_at,
    p.first_day,
    p.last_day,
    p.articles,
    coalesce(f.feeds, 0) as feeds,
    p.sources
from per_story as p
left join {{ ref('stg_stories') }} as s using (story_id)
left join feeds as f using (story_id)
order by p.story_id
