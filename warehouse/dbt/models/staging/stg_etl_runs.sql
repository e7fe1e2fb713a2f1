-- One row per flow run.
select
    run_id,
    flow_name,
    started_at,
    {{ utc_day('started_at') }} as run_day,
    finished_at,
    status,
    feeds_ok,
    feeds_failed,
    articles_new,
    articles_updated,
    articles_unchanged,
    pages_failed
from {{ source('core', 'etl_run') }}
