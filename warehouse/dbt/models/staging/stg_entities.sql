-- One row per canonical entity.
with

source as (
    select * from {{ source('core', 'dim_entity') }}
),

renamed as (
    select
        entity_id,
        name,
        type,
        country_code,
        located_in
    from source
)

select * from renamed
