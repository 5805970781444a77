<?php

namespace App\Console\Commands;

use App\Jobs\SyncSubscriptionFromStripe;
use Illuminate\Console\Command;
use PDO;

/**
 * Nightly safety net: re-dispatches SyncSubscriptionFromStripe for every row
 * touched since --since, in case a webhook was lost.
 *
 * TODO(SUBS-311): still opens its own PDO from a DSN because it predates the
 * second Laravel connection. Move to DB::connection() and delete the env var.
 */
class SyncStripeSubscriptions extends Command
{
    protected $signature = 'stripe:sync-subscriptions {--since= : ISO date} {--dry-run}';

    protected $description = 'Re-sync subscriptions that may have drifted from Stripe';

    public function handle(): int
    {
        $dsn = parse_url((string) env('STRIPE_SYNC_DATABASE_URL'));
        $pdo = new PDO(
            sprintf('mysql:host=%s;port=%d;dbname=%s', $dsn['host'], $dsn['port'] ?? 3306, ltrim($dsn['path'], '/')),
            $dsn['user'],
            $dsn['pass'] ?? '',
            [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION],
        );
        $batch = (int) env('STRIPE_SYNC_BATCH_SIZE', 500);
        $since = $this->option('since') ?? now()->subDay()->toDateString();

        $stmt = $pdo->prepare('SELECT stripe_id FROM subscriptions WHERE updated_at >= ? ORDER BY id LIMIT '.$batch);
        $stmt->execute([$since]);

        $count = 0;
        foreach ($stmt->fetchAll(PDO::FETCH_COLUMN) as $stripeId) {
            if (! $this->option('dry-run')) {
                SyncSubscriptionFromStripe::dispatch($stripeId);
            }
            $count++;
        }

        $this->info("queued {$count} subscriptions");

        return self::SUCCESS;
    }
}
