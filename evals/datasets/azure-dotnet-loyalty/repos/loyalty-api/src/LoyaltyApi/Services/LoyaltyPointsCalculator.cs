namespace Contoso.Loyalty.Api.Services;

/// <summary>
/// Business rules for how customers earn loyalty points on every order.
/// Pure logic: no database access, so it stays when storage changes.
/// </summary>
public class LoyaltyPointsCalculator
{
    private static readonly IReadOnlyDictionary<string, decimal> TierMultipliers = new Dictionary<string, decimal>
    {
        ["Bronze"] = 1.0m,
        ["Silver"] = 1.25m,
        ["Gold"] = 1.5m,
    };

    public long PointsFor(decimal basketTotal, string tier)
    {
        var multiplier = TierMultipliers.TryGetValue(tier, out var m) ? m : 1.0m;
        return (long)Math.Floor(basketTotal * multiplier);
    }

    public long Clamp(long points) => Math.Max(0, points);
}
