<?php

use App\Http\Controllers\Billing\SubscriptionsController;
use App\Http\Controllers\HealthController;
use Illuminate\Support\Facades\Route;

Route::get('/healthz', HealthController::class);

Route::middleware(['auth', 'verified'])->group(function () {
    Route::get('/billing/subscriptions', [SubscriptionsController::class, 'index'])->name('billing.subscriptions.index');
    Route::get('/billing/subscriptions/{subscription}', [SubscriptionsController::class, 'show'])->name('billing.subscriptions.show');
    Route::post('/billing/subscriptions/{subscription}/cancel', [SubscriptionsController::class, 'cancel'])->name('billing.subscriptions.cancel');
});
