-- On-hand quantities from the main stock database (target inventory_src). Stays after FUL-2291.
select
    sku,
    warehouse,
    on_hand,
    updated_at
from {{ source('stock', 'stock_levels') }}
