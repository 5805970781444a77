-- One row per subscription, current state only (history: dim_subscription_history).

with source as (

    select * from {{ source('billing_subscriptions', 'subscriptions') }}

),

renamed as (

    select
        id                  as subscription_id,
        organization_id,
        plan_id,
        stripe_id           as stripe_subscription_id,
        status,
        quantity            as seats,
        trial_ends_at,
        current_period_end,
        paused_at,
        canceled_at,
        created_at,
        updated_at
    from source
    where not _fivetran_deleted

)

select * from renamed
