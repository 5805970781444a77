<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Model;

/**
 * Pre-2022 rows, read-only, owned by data-eng.
 */
class ArchivedSubscription extends Model
{
    protected $connection = 'subscriptions_archive';

    public $timestamps = false;

    protected static function booted(): void
    {
        static::saving(fn () => false);
    }
}
