using System.Net;
using FleetFunctions.Data;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace FleetFunctions.Functions;

public class IngestPings
{
    private readonly TelemetryDbContext _db;

    public IngestPings(TelemetryDbContext db) => _db = db;

    [Function("IngestPings")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pings")] HttpRequestData req)
    {
        var pings = await req.ReadFromJsonAsync<List<VehiclePing>>() ?? new List<VehiclePing>();
        _db.Pings.AddRange(pings);
        _db.Batches.Add(new IngestBatch { Id = Guid.NewGuid(), Count = pings.Count, ReceivedAt = DateTime.UtcNow });
        await _db.SaveChangesAsync();

        var res = req.CreateResponse(HttpStatusCode.Accepted);
        await res.WriteStringAsync($"Accepted {pings.Count} pings for fleet telemetry");
        return res;
    }
}
