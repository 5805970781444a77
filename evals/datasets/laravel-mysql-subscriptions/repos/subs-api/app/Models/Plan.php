<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\HasMany;

class Plan extends Model
{
    protected $connection = 'subscriptions';

    protected $fillable = ['code', 'name', 'stripe_price_id', 'amount_cents', 'interval', 'seats_included'];

    public function subscriptions(): HasMany
    {
        return $this->hasMany(Subscription::class);
    }
}
