-- One row per flow run (core.etl_run), with the UTC day it started and how long it took.
select
    run_id,
    flow_name,
    started_at,
    run_day,
    finished_at,
    cast(epoch(finished_at) - epoch(started_at) as double) as duration_s,
    status,
    cast(feeds_ok as bigint) as feeds_ok,
    cast(feeds_failed as bigint) as feeds_failed,
    cast(articles_new as bigint) as articles_new,
    cast(articles_updated as bigint) as articles_updated,
    cast(articles_unchanged as bigint) as articles_unchanged,
    cast(pages_failed as bigint) as pages_failed
from {{ ref('stg_etl_runs') }}
order by started_at, run_id
