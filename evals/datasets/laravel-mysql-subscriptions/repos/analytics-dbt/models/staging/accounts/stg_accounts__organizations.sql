with source as (

    select * from {{ source('accounts', 'organizations') }}

)

select
    id                  as organization_id,
    name                as organization_name,
    stripe_customer_id,
    seat_count,
    created_at
from source
where not _fivetran_deleted
