select
    id               as plan_id,
    code             as plan_code,
    name             as plan_name,
    stripe_price_id,
    amount_cents / 100.0 as list_price,
    interval         as billing_interval,
    seats_included
from {{ source('billing_subscriptions', 'plans') }}
where not _fivetran_deleted
