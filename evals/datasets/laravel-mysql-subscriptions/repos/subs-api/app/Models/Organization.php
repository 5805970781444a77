<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\HasMany;

// Default connection (accounts).
class Organization extends Model
{
    protected $fillable = ['name', 'stripe_customer_id', 'seat_count'];

    public function subscriptions(): HasMany
    {
        return $this->hasMany(Subscription::class);
    }
}
