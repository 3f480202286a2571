using Jacameno.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace Jacameno.Frontend.Hosting;

public static class Observability
{
    private const string ReadyTag = "ready";

    /// <summary>JSON logs with trace ids, Prometheus metrics (HTTP, Orleans, runtime) and health checks by mode.</summary>
    public static WebApplicationBuilder AddJacamenoObservability(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (PlatformTelemetry.ErrorReportingDsn(builder.Configuration) is { } dsn)
        {
            builder.WebHost.UseSentry(o => PlatformTelemetry.ConfigureErrorReporting(o, dsn, "jacameno-frontend"));
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("jacameno-frontend"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddJacamenoMeters()
                .AddView(instrument => PerRequestDetail.Contains(instrument.Name) ? MetricStreamConfiguration.Drop : null)
                .AddPrometheusExporter());
        if (PlatformTelemetry.TracingOn(builder.Configuration))
        {
            // Health probes and scrapes would be most of the traces, and say nothing.
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics"))
                .AddJacamenoTracing());
        }

        var health = builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("orleans", tags: [ReadyTag]);
        if (builder.Configuration.GetJacamenoOptions().Mode == PlatformMode.Cluster)
        {
            health.AddJacamenoStoreChecks(ReadyTag)
                .AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        }

        return builder;
    }

    /// <summary>
    /// ASP.NET Core instruments recorded on every request that add little to http.server.request.duration
    /// (which has route, status and method): dropping them is a few percent of API throughput.
    /// </summary>
    private static readonly HashSet<string> PerRequestDetail =
    [
        "aspnetcore.routing.match_attempts",
        "aspnetcore.rate_limiting.request_lease.duration",
        "aspnetcore.rate_limiting.active_request_leases",
        "aspnetcore.authentication.authenticate.duration",
        "aspnetcore.authorization.attempts",
    ];

    public static WebApplication MapJacamenoHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync });
        app.MapPrometheusScrapingEndpoint("/metrics").OnlyForMetricsNetworks(app.Configuration);
        return app;
    }

    /// <summary>The overall status and each check's, so an operator sees which dependency is down.</summary>
    private static Task WriteReportAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }

    /// <summary>Ready when at least one silo is active in the cluster membership.</summary>
    private sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return hosts.Count > 0 ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)") : HealthCheckResult.Unhealthy("No active silo.");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("The cluster does not answer.", ex);
            }
        }
    }

    private sealed class RedisHealthCheck(IConfiguration configuration) : IHealthCheck
    {
        private readonly Lazy<Task<ConnectionMultiplexer>> redis = new(() =>
            ConnectionMultiplexer.ConnectAsync(configuration.RequiredConnectionString("redis")));

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await (await redis.Value).GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
            }
        }
    }
}
