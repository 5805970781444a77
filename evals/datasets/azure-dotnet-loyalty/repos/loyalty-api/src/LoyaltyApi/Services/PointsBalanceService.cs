using Contoso.Loyalty.Api.Data;
using Contoso.Loyalty.Api.Infrastructure;
using Dapper;
using Microsoft.EntityFrameworkCore;

namespace Contoso.Loyalty.Api.Services;

public record BalanceDto(string MemberId, long Points, string Source);

public class PointsBalanceService
{
    private readonly LedgerConnectionFactory _ledger;
    private readonly LoyaltyPointsContext _loyaltyPointsDb;
    private readonly LoyaltyPointsCalculator _calculator;

    public PointsBalanceService(LedgerConnectionFactory ledger, LoyaltyPointsContext loyaltyPointsDb, LoyaltyPointsCalculator calculator)
    {
        _ledger = ledger;
        _loyaltyPointsDb = loyaltyPointsDb;
        _calculator = calculator;
    }

    public async Task<BalanceDto> GetBalanceAsync(string memberId, CancellationToken ct)
    {
        await using var conn = await _ledger.OpenAsync(ct);
        var fromLedger = await conn.QuerySingleOrDefaultAsync<long?>(
            "select sum(delta) from ledger.entries where member_id = @memberId",
            new { memberId });
        if (fromLedger is not null)
        {
            return new BalanceDto(memberId, _calculator.Clamp(fromLedger.Value), "ledger");
        }

        // Not migrated yet: fall back to the loyalty points database (read-only).
        var legacy = await _loyaltyPointsDb.Balances.AsNoTracking()
            .SingleOrDefaultAsync(b => b.MemberId == memberId, ct);
        return new BalanceDto(memberId, _calculator.Clamp(legacy?.Points ?? 0), "loyalty_points");
    }
}
