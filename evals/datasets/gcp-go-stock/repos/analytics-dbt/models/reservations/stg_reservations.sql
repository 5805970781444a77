-- Staging view over the holds table of the Stock Reservations database.
with src as (
    select * from {{ source('stock_reservations', 'reservations') }}
)

select
    id as reservation_id,
    sku,
    warehouse,
    quantity,
    order_id,
    status,
    expires_at,
    created_at,
    expires_at - created_at as hold_duration
from src
