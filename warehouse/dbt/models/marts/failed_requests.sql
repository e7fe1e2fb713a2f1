-- Every failed feed, page and sitemap request: an error, or a status that is neither 2xx nor
-- 304 (staging.stg_fetch_log.failed, the rule data_quality counts by). robots.txt requests
-- are left out: a site without one answers 404, which is nothing to act on.
select
    fetched_at,
    fetch_day as day,
    kind,
    feed_name,
    url,
    http_status,
    error,
    run_id
from {{ ref('stg_fetch_log') }}
where failed and kind in ('feed', 'page', 'sitemap')
order by fetched_at, url
