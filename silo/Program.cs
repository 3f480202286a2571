using Jacameno.Hosting;
using Jacameno.Storage.Postgres;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

// `migrate` applies the PostgreSQL migrations and exits (silos also apply them at start-up).
if (args is ["migrate", ..])
{
    var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
    await using var database = PostgresDatabase.Create(configuration.RequiredConnectionString("postgres"));
    var applied = await database.MigrateAsync();
    Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied migrations {string.Join(", ", applied)}.");
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddJacamenoSilo(builder.Configuration));
builder.Services.AddHealthChecks();
if (PlatformTelemetry.ErrorReportingDsn(builder.Configuration) is { } dsn)
{
    builder.WebHost.UseSentry(o => PlatformTelemetry.ConfigureErrorReporting(o, dsn, "jacameno-silo"));
}
// The silo's own /metrics (grains, jobs, worker slots, child processes), on its internal HTTP port beside /health/live.
var telemetry = builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("jacameno-silo"))
    .WithMetrics(metrics => metrics.AddJacamenoMeters().AddPrometheusExporter());
if (PlatformTelemetry.TracingOn(builder.Configuration))
{
    telemetry.WithTracing(tracing => tracing.AddJacamenoTracing());
}

var app = builder.Build();
app.MapHealthChecks("/health/live");
app.MapPrometheusScrapingEndpoint("/metrics");
return await PortClash.RunAsync(app, builder.Configuration.GetJacamenoOptions());
