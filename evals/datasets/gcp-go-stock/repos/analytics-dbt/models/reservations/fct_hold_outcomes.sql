{{ config(materialized='table') }}

-- Daily hold outcomes per warehouse. On-hand quantities are in the stock database
-- (models/inventory); Postgres cannot join across databases, the BI layer does it.
select
    date_trunc('day', created_at) as day,
    warehouse,
    count(*) filter (where status = 'confirmed') as confirmed,
    count(*) filter (where status = 'released') as released,
    count(*) filter (where status = 'held' and expires_at < now()) as expired_unswept,
    sum(quantity) as units_requested
from {{ ref('stg_reservations') }}
group by 1, 2
