// EF Core model of the loyalty_points database (psql-loyalty-points-prod). Read-only since the ledger cut-over.
using Microsoft.EntityFrameworkCore;

namespace Contoso.Loyalty.Api.Data;

/// <summary>
/// Context for the Loyalty Points database. New writes go to loyalty_points_ledger through
/// <see cref="Infrastructure.LedgerConnectionFactory"/>; this context only serves historical balances.
/// </summary>
public class LoyaltyPointsContext : DbContext
{
    public LoyaltyPointsContext(DbContextOptions<LoyaltyPointsContext> options)
        : base(options)
    {
    }

    public DbSet<PointsBalance> Balances => Set<PointsBalance>();

    public DbSet<PointsTransaction> Transactions => Set<PointsTransaction>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("points");

        modelBuilder.Entity<PointsBalance>(entity =>
        {
            entity.ToTable("balances");
            entity.HasKey(e => e.MemberId);
            entity.Property(e => e.MemberId).HasColumnName("member_id").HasMaxLength(64);
            entity.Property(e => e.Points).HasColumnName("points");
            entity.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        });

        modelBuilder.Entity<PointsTransaction>(entity =>
        {
            entity.ToTable("transactions");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Id).HasColumnName("id");
            entity.Property(e => e.MemberId).HasColumnName("member_id").HasMaxLength(64);
            entity.Property(e => e.OrderId).HasColumnName("order_id").HasMaxLength(64);
            entity.Property(e => e.Delta).HasColumnName("delta");
            entity.Property(e => e.CreatedAt).HasColumnName("created_at");
            entity.HasIndex(e => e.MemberId);
        });
    }
}

public class PointsBalance
{
    public string MemberId { get; set; } = "";

    public long Points { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public class PointsTransaction
{
    public long Id { get; set; }

    public string MemberId { get; set; } = "";

    public string OrderId { get; set; } = "";

    public long Delta { get; set; }

    public DateTime CreatedAt { get; set; }
}
