using Microsoft.EntityFrameworkCore;

namespace Contoso.Loyalty.Api.Data;

// Main loyalty database (psql-loyalty-prod): members, tiers and the rewards catalogue.
public class LoyaltyContext(DbContextOptions<LoyaltyContext> options) : DbContext(options)
{
    public DbSet<Member> Members => Set<Member>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Member>(entity =>
        {
            entity.ToTable("members");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Id).HasColumnName("id").HasMaxLength(64);
            entity.Property(e => e.Tier).HasColumnName("tier").HasMaxLength(16);
            entity.Property(e => e.JoinedAt).HasColumnName("joined_at");
        });
    }
}

public class Member
{
    public string Id { get; set; } = "";

    public string Tier { get; set; } = "Bronze";

    public DateTime JoinedAt { get; set; }
}
