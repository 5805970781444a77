<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Factories\HasFactory;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\BelongsTo;
use Illuminate\Database\Eloquent\Relations\HasMany;

/**
 * A customer's subscription to a plan. Stored in billing_subscriptions, not in accounts.
 *
 * @property int $id
 * @property int $organization_id  id in accounts.organizations (no FK: different database)
 * @property string $stripe_id
 * @property string $status  trialing|active|past_due|paused|canceled
 */
class Subscription extends Model
{
    use HasFactory;

    protected $connection = 'subscriptions';

    protected $fillable = [
        'organization_id',
        'plan_id',
        'stripe_id',
        'status',
        'quantity',
        'trial_ends_at',
        'current_period_end',
        'canceled_at',
    ];

    protected $casts = [
        'trial_ends_at' => 'datetime',
        'current_period_end' => 'datetime',
        'paused_at' => 'datetime',
        'canceled_at' => 'datetime',
    ];

    public function plan(): BelongsTo
    {
        return $this->belongsTo(Plan::class);
    }

    public function items(): HasMany
    {
        return $this->hasMany(SubscriptionItem::class);
    }

    /**
     * Crosses connections: organizations live in the default database.
     */
    public function organization(): BelongsTo
    {
        return $this->belongsTo(Organization::class);
    }

    public function isActive(): bool
    {
        return in_array($this->status, ['trialing', 'active', 'past_due'], true);
    }
}
