-- Every subscription we ever had: current rows plus the pre-2022 archive.
select
    subscription_id,
    organization_id,
    status,
    created_at,
    canceled_at,
    'current' as origin
from {{ ref('stg_subs__subscriptions') }}

union all

select
    id        as subscription_id,
    organization_id,
    status,
    created_at,
    canceled_at,
    'archive' as origin
from {{ source('billing_subscriptions_archive', 'subscriptions') }}
