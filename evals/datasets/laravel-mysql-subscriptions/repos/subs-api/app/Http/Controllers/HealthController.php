<?php

namespace App\Http\Controllers;

use Illuminate\Http\JsonResponse;
use Illuminate\Support\Facades\DB;

class HealthController extends Controller
{
    /**
     * Load balancer health check: every MySQL connection must answer `select 1`.
     */
    public function __invoke(): JsonResponse
    {
        $status = [];

        foreach (['mysql', 'subscriptions'] as $connection) {
            try {
                DB::connection($connection)->select('select 1');
                $status[$connection] = 'ok';
            } catch (\Throwable $e) {
                report($e);
                $status[$connection] = 'down';
            }
        }

        $healthy = ! in_array('down', $status, true);

        return response()->json(['status' => $healthy ? 'ok' : 'degraded', 'db' => $status], $healthy ? 200 : 503);
    }
}
