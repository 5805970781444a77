-- Last-touch marketing attribution by channel; the method is explained in the runbook.
select
    channel,
    sum(revenue) as attributed_revenue,
    count(distinct order_id) as orders
from {{ ref('stg_touchpoints') }}
group by channel
