using Microsoft.EntityFrameworkCore;

namespace FleetFunctions.Data;

// EF Core context for the fleet_telemetry Azure SQL database (raw vehicle pings).
public class TelemetryDbContext : DbContext
{
    public TelemetryDbContext(DbContextOptions<TelemetryDbContext> options) : base(options) { }

    public DbSet<VehiclePing> Pings => Set<VehiclePing>();
    public DbSet<IngestBatch> Batches => Set<IngestBatch>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("telemetry");
        modelBuilder.Entity<VehiclePing>(e =>
        {
            e.ToTable("vehicle_pings");
            e.HasKey(p => p.Id);
            e.HasIndex(p => new { p.VehicleId, p.RecordedAt });
        });
        modelBuilder.Entity<IngestBatch>().ToTable("ingest_batches");
    }
}

public class VehiclePing
{
    public long Id { get; set; }
    public string VehicleId { get; set; } = "";
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public DateTime RecordedAt { get; set; }
}

public class IngestBatch
{
    public Guid Id { get; set; }
    public int Count { get; set; }
    public DateTime ReceivedAt { get; set; }
}
