{{ config(materialized='incremental', unique_key=['mrr_month', 'organization_id']) }}

-- Monthly recurring revenue per organization.
-- MRR comes from our own subscription records (billing_subscriptions, via stg_subs__*),
-- not from Stripe invoices: subscription billing in Stripe lags by up to a day.

with subs as (
    select * from {{ ref('stg_subs__subscriptions') }}
    where status in ('active', 'past_due')
),

plans as (
    select * from {{ ref('stg_subs__plans') }}
),

orgs as (
    select * from {{ ref('stg_accounts__organizations') }}
)

select
    date_trunc('month', current_date)                        as mrr_month,
    subs.organization_id,
    orgs.organization_name,
    sum(case when plans.billing_interval = 'year'
             then plans.list_price * subs.seats / 12
             else plans.list_price * subs.seats end)         as mrr
from subs
join plans on plans.plan_id = subs.plan_id
join orgs on orgs.organization_id = subs.organization_id
{% if is_incremental() %}
where date_trunc('month', current_date) > (select max(mrr_month) from {{ this }})
{% endif %}
group by 1, 2, 3
