with touchpoints as (
    select * from {{ source('attribution', 'touchpoints') }}
),

orders as (
    select * from {{ source('retail_core', 'orders') }}
)

select
    t.touchpoint_id,
    t.channel,
    t.campaign_id,
    t.occurred_at,
    o.order_id,
    o.revenue
from touchpoints t
left join orders o on o.customer_id = t.customer_id
