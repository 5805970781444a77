using FleetFunctions.Data;
using FleetFunctions.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) =>
    {
        var config = context.Configuration;
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        services.AddDbContext<TelemetryDbContext>(o =>
            o.UseSqlServer(config.GetConnectionString("FleetTelemetry"),
                sql => sql.EnableRetryOnFailure(maxRetryCount: 5)));
        services.Configure<PurgeOptions>(config.GetSection("TelemetryPurge"));
    })
    .Build();

host.Run();
