with live as (
    select * from {{ source('shipment_tracking', 'tracking_events') }}
),

archived as (
    select * from {{ source('shipment_tracking_history', 'tracking_events') }}
)

select carrier, tracking_number, status, occurred_at from live
union all
select carrier, tracking_number, status, occurred_at from archived
