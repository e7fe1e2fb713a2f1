-- One row per canonical entity.
select
    entity_id,
    name,
    type,
    country_code,
    located_in
from {{ source('core', 'dim_entity') }}
