using Contoso.Loyalty.Api.Data;
using Contoso.Loyalty.Api.Infrastructure;
using Contoso.Loyalty.Api.Services;
using Microsoft.EntityFrameworkCore;

// Init-container mode (k8s/overlays/prod): block until the server named in DB_CONNECTION accepts TCP connections.
if (args.Contains("--wait-for-db"))
{
    var target = Environment.GetEnvironmentVariable("DB_CONNECTION")
        ?? throw new InvalidOperationException("DB_CONNECTION is not set");
    await DbWait.UntilReachableAsync(target, TimeSpan.FromMinutes(2));
    return;
}

var builder = WebApplication.CreateBuilder(args);

// Main loyalty database: members, tiers, rewards catalogue.
builder.Services.AddDbContext<LoyaltyContext>(options =>
    options.UseNpgsql(builder.Configuration.GetConnectionString("Loyalty")));

// Legacy Loyalty Points database: read-only fallback for balances that are not in the ledger yet.
builder.Services.AddDbContext<LoyaltyPointsContext>(options =>
    options.UseNpgsql(builder.Configuration.GetConnectionString("LoyaltyPoints"),
        npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", "points")));

// Balances and transactions now live in loyalty_points_ledger (Dapper, no EF model).
builder.Services.AddSingleton(_ => new LedgerConnectionFactory(
    builder.Configuration.GetConnectionString("LoyaltyPointsLedger")!));

builder.Services.AddScoped<LoyaltyPointsCalculator>();
builder.Services.AddScoped<PointsBalanceService>();

builder.Services.AddHealthChecks()
    .AddDbContextCheck<LoyaltyContext>("loyalty-db")
    .AddDbContextCheck<LoyaltyPointsContext>("loyalty-points-db");

var app = builder.Build();

app.MapHealthChecks("/healthz");

app.MapGet("/members/{memberId}/points", async (string memberId, PointsBalanceService balances, CancellationToken ct) =>
    Results.Ok(await balances.GetBalanceAsync(memberId, ct)));

app.MapPost("/baskets/points-preview", (decimal basketTotal, string tier, LoyaltyPointsCalculator calculator) =>
    Results.Ok(new { points = calculator.PointsFor(basketTotal, tier) }));

app.Run();
