<?php

namespace Tests\Feature;

use App\Jobs\SyncSubscriptionFromStripe;
use App\Models\Organization;
use App\Models\Plan;
use Illuminate\Foundation\Testing\DatabaseTransactions;
use Mockery;
use Stripe\StripeClient;
use Tests\TestCase;

class SyncSubscriptionFromStripeTest extends TestCase
{
    use DatabaseTransactions;

    // Roll back both connections after each test.
    protected $connectionsToTransact = ['mysql', 'subscriptions'];

    public function test_it_upserts_the_subscription_and_its_items(): void
    {
        $org = Organization::create(['name' => 'Initech', 'stripe_customer_id' => 'cus_123']);
        Plan::create(['code' => 'team', 'name' => 'Team', 'stripe_price_id' => 'price_team_monthly', 'amount_cents' => 4900, 'interval' => 'month']);

        $stripe = Mockery::mock(StripeClient::class);
        $stripe->subscriptions = Mockery::mock();
        $stripe->subscriptions->shouldReceive('retrieve')->andReturn($this->fakeStripeSubscription('sub_1', 'cus_123', 12));

        (new SyncSubscriptionFromStripe('sub_1'))->handle($stripe);

        $this->assertDatabaseHas('organizations', ['id' => $org->id, 'seat_count' => 12]);
    }
}
