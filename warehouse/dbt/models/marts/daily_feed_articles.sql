-- Articles per day and feed (an article listed by two feeds counts in both).
select
    a.day,
    f.feed_name,
    cast(count(distinct f.article_id) as bigint) as articles
from {{ ref('stg_feed_items') }} as f
join {{ ref('stg_articles') }} as a using (article_id)
group by a.day, f.feed_name
order by a.day, f.feed_name
