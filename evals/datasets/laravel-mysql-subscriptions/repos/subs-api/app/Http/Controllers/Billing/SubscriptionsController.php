<?php

namespace App\Http\Controllers\Billing;

use App\Http\Controllers\Controller;
use App\Models\Subscription;
use Illuminate\Http\RedirectResponse;
use Illuminate\Http\Request;
use Illuminate\View\View;

/**
 * Customer-facing subscription billing pages under /billing/subscriptions.
 */
class SubscriptionsController extends Controller
{
    public function index(Request $request): View
    {
        $page = Subscription::with('plan')
            ->where('organization_id', $request->user()->organization_id)
            ->latest()
            ->paginate(20);

        return view('billing.subscriptions.index', ['page' => $page]);
    }

    public function show(Subscription $subscription): View
    {
        $this->authorize('view', $subscription);

        return view('billing.subscriptions.show', ['subscription' => $subscription->load('items.plan')]);
    }

    public function cancel(Subscription $subscription): RedirectResponse
    {
        $this->authorize('update', $subscription);

        // TODO(SUBS-402): cancel in Stripe first and let the webhook update our row.
        $subscription->update(['status' => 'canceled', 'canceled_at' => now()]);

        return redirect()->route('billing.subscriptions.index')->with('status', 'Subscription canceled.');
    }
}
