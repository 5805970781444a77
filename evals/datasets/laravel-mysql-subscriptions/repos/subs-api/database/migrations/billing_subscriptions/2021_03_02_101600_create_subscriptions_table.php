<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

return new class extends Migration
{
    public function up(): void
    {
        Schema::connection('subscriptions')->create('subscriptions', function (Blueprint $table) {
            $table->id();
            $table->unsignedBigInteger('organization_id')->index(); // accounts.organizations.id, no FK across databases
            $table->foreignId('plan_id')->constrained('plans');
            $table->string('stripe_id')->unique();
            $table->string('status', 20)->index();
            $table->unsignedInteger('quantity')->default(1);
            $table->timestamp('trial_ends_at')->nullable();
            $table->timestamp('current_period_end')->nullable();
            $table->timestamp('paused_at')->nullable();
            $table->timestamp('canceled_at')->nullable();
            $table->timestamps();
        });

    public function down(): void
    {
        Schema::connection('subscriptions')->drop('subscriptions');
    }
};
