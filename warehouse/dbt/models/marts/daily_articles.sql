-- Articles per day and publisher. day = UTC date of published_at (first_seen_at if none).
select
    day,
    source_name,
    cast(count(*) as bigint) as articles,
    cast(coalesce(sum(word_count), 0) as bigint) as words
from {{ ref('stg_articles') }}
group by day, source_name
order by day, source_name
