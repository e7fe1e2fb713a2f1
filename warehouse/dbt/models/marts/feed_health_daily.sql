-- Feed health per feed and UTC day: the feed's requests by outcome, its newest success,
-- failure and problem of the day, the items it listed for the first time that day and the
-- pages it linked that failed that day. A feed is its name (its URL when the request recorded
-- none). Outcomes as staging.stg_fetch_log defines them: failed = an error, or a status that
-- is neither 2xx nor 304; not_modified = 304. `newswire status` reads raw.fetch_log itself
-- (it must work before any model is built) and is tested to give the same numbers.
with

feed_requests as (
    select
        fetch_day as day,
        coalesce(feed_name, url) as feed_name,
        url,
        fetched_at,
        failed,
        not_modified,
        case
            when failed then coalesce(error, 'HTTP ' || coalesce(cast(http_status as varchar), '?'))
        end as failure
    from {{ ref('stg_fetch_log') }}
    where kind = 'feed'
),

requests as (
    select
        day,
        feed_name,
        arg_max(url, fetched_at) as url,
        max(fetched_at) as last_request_at,
        count(*) as requests,
        count(*) filter (where not failed and not not_modified) as ok,
        count(*) filter (where not_modified) as not_modified,
        count(*) filter (where failed) as failed,
        max(fetched_at) filter (where not failed) as last_success_at,
        max(fetched_at) filter (where failed) as last_error_at,
        arg_max(failure, fetched_at) filter (where failed) as last_error
    from feed_requests
    group by day, feed_name
),

items as (
    select
        {{ utc_day('seen_at') }} as day,
        feed_name,
        count(*) as items
    from {{ ref('stg_feed_items') }}
    group by 1, 2
),

pages as (
    select
        fetch_day as day,
        feed_name,
        count(*) as pages_failed
    from {{ ref('stg_fetch_log') }}
    where kind = 'page' and failed and feed_name is not null
    group by fetch_day, feed_name
),

problems as (
    select
        fetch_day as day,
        feed_name,
        count(*) as problems,
        arg_max(problem_kind || ': ' || detail, fetched_at) as last_problem,
        max(fetched_at) as last_problem_at
    from {{ ref('stg_feed_problems') }}
    group by fetch_day, feed_name
),

feed_days as (
    select day, feed_name from requests
    union
    select day, feed_name from items
    union
    select day, feed_name from pages
    union
    select day, feed_name from problems
)

select
    d.day,
    d.feed_name,
    r.url,
    r.last_request_at,
    cast(coalesce(r.requests, 0) as bigint) as requests,
    cast(coalesce(r.ok, 0) as bigint) as ok,
    cast(coalesce(r.not_modified, 0) as bigint) as not_modified,
    cast(coalesce(r.failed, 0) as bigint) as failed,
    r.last_success_at,
    r.last_error_at,
    r.last_error,
    cast(coalesce(i.items, 0) as bigint) as items,
    cast(coalesce(p.pages_failed, 0) as bigint) as pages_failed,
    cast(coalesce(q.problems, 0) as bigint) as problems,
    q.last_problem,
    q.last_problem_at
from feed_days as d
left join requests as r using (day, feed_name)
left join items as i using (day, feed_name)
left join pages as p using (day, feed_name)
left join problems as q using (day, feed_name)
order by d.day, d.feed_name
