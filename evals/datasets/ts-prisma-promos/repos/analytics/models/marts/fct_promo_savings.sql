-- Savings per customer and month from the promo redemptions made before 2023.
select
    customer_id,
    date_trunc('month', redeemed_at) as month,
    count(*) as redemptions,
    sum(discount_cents) / 100.0 as saved_eur
from {{ ref('stg_archived_redemptions') }}
group by 1, 2
