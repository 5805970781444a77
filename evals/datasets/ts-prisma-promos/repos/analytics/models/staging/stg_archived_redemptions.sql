select
    id as redemption_id,
    code,
    customer_id,
    order_id,
    discount_cents,
    redeemed_at
from {{ source('promo_redemptions_archive', 'redemptions') }}
