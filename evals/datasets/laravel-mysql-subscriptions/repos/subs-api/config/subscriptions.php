<?php

// Product settings for subscription billing: trials, grace periods, dunning.
// Nothing database-related lives here; the connection is in config/database.php.
return [
    'trial_days' => (int) env('SUBSCRIPTIONS_TRIAL_DAYS', 14),
    'grace_period_days' => (int) env('SUBSCRIPTIONS_GRACE_DAYS', 3),
    'dunning' => [
        'max_attempts' => 4,
        'retry_after_days' => [1, 3, 5, 7],
    ],
    'pricing_url' => env('MARKETING_URL', 'https://subscriptions.example.com').'/pricing',
];
