<?php

namespace App\Jobs;

use App\Models\Subscription;
use Illuminate\Bus\Queueable;
use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Bus\Dispatchable;
use Illuminate\Queue\InteractsWithQueue;
use Illuminate\Queue\SerializesModels;
use Illuminate\Support\Facades\DB;
use Stripe\StripeClient;

/**
 * Pulls one subscription from Stripe and upserts it, with its items, into
 * our database. Dispatched by the Stripe webhook controller and by the
 * stripe:sync-subscriptions safety net.
 */
class SyncSubscriptionFromStripe implements ShouldQueue
{
    use Dispatchable, InteractsWithQueue, Queueable, SerializesModels;

    public int $tries = 5;

    public array $backoff = [10, 60, 300];

    public function __construct(public string $stripeSubscriptionId)
    {
        $this->onQueue('subscription-sync');
    }

    public function handle(StripeClient $stripe): void
    {
        $remote = $stripe->subscriptions->retrieve($this->stripeSubscriptionId, ['expand' => ['items']]);

        // DB::transaction() would only cover the default connection (accounts).
        DB::connection('subscriptions')->transaction(function () use ($remote) {
            $sub = Subscription::updateOrCreate(
                ['stripe_id' => $remote->id],
                [
                    'status' => $remote->status,
                    'quantity' => $remote->quantity ?? 1,
                    'current_period_end' => $remote->current_period_end,
                    'canceled_at' => $remote->canceled_at,
                ],
            );

            foreach ($remote->items->data as $item) {
                $sub->items()->updateOrCreate(
                    ['stripe_id' => $item->id],
                    ['price_id' => $item->price->id, 'quantity' => $item->quantity],
                );
            }
        });

        // Seat counts are denormalised onto the organization.
        DB::table('organizations')
            ->where('stripe_customer_id', $remote->customer)
            ->update(['seat_count' => $remote->quantity ?? 1]);
    }
}
