using FleetFunctions.Data;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetFunctions.Functions;

public class PurgeOptions
{
    public int RetentionDays { get; set; } = 90;
}

public class PurgeOldPings
{
    private readonly TelemetryDbContext _db;
    private readonly PurgeOptions _options;
    private readonly ILogger<PurgeOldPings> _log;

    public PurgeOldPings(TelemetryDbContext db, IOptions<PurgeOptions> options, ILogger<PurgeOldPings> log)
    {
        _db = db;
        _options = options.Value;
        _log = log;
    }

    // Rows past the retention window were already copied to fleet_telemetry_archive by the nightly BI job.
    [Function("PurgeOldPings")]
    public async Task Run([TimerTrigger("%TelemetryPurge:Schedule%")] TimerInfo timer)
    {
        var cutoff = DateTime.UtcNow.AddDays(-_options.RetentionDays);
        var deleted = await _db.Pings.Where(p => p.RecordedAt < cutoff).ExecuteDeleteAsync();
        _log.LogInformation("Purged {Count} pings older than {Cutoff} from fleet_telemetry", deleted, cutoff);
    }
}
