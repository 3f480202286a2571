using Jacameno.Common;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Jacameno.Hosting;

/// <summary>
/// What every process exports: metrics at /metrics (the runtime's, Orleans' affordable ones, the platform's own), and
/// traces over OTLP when an endpoint is configured.
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>
    /// Traces are on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (environment or configuration): with nothing
    /// listening, Orleans and ASP.NET Core make no spans and grain calls cost nothing extra.
    /// </summary>
    public static bool TracingOn(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>
    /// Grain calls (Orleans' application spans, carried across silos by its activity propagation), grain storage,
    /// PostgreSQL (Npgsql's own spans), outgoing HTTP (S3, model endpoints, Stripe) and the platform's child processes
    /// (ffmpeg, plugin hosts), exported over OTLP (the exporter reads the standard <c>OTEL_EXPORTER_OTLP_*</c> settings).
    /// </summary>
    public static TracerProviderBuilder AddJacamenoTracing(this TracerProviderBuilder tracing) => tracing
        .AddSource(ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.StorageActivitySourceName, "Npgsql", "System.Net.Http", JacamenoTelemetry.MeterName)
        .AddOtlpExporter();

    public static MeterProviderBuilder AddJacamenoMeters(this MeterProviderBuilder metrics) => metrics
        .AddRuntimeInstrumentation()
        .AddMeter("Microsoft.Orleans", JacamenoTelemetry.MeterName)
        .AddView(instrument => instrument.Meter.Name == "Microsoft.Orleans" && !IsCheapOrleansInstrument(instrument.Name) ? MetricStreamConfiguration.Drop : null);

    /// <summary>
    /// Orleans records several instruments on every message (sizes, dispatch counts, call latency); listening to
    /// those cost 30% of API throughput (benchmarks/history.md). Kept: activations, grain counts, connections,
    /// storage, reminders and failures, which change at the rate an operator cares about.
    /// </summary>
    private static bool IsCheapOrleansInstrument(string name) =>
        name.StartsWith("orleans-catalog-", StringComparison.Ordinal)
        || name.StartsWith("orleans-storage-", StringComparison.Ordinal)
        || name.StartsWith("orleans-reminders-", StringComparison.Ordinal)
        || name.StartsWith("orleans-watchdog-", StringComparison.Ordinal)
        || name is "orleans-grains" or "orleans-gateway-connected-clients" or "orleans-client-connected-gateways"
            or "orleans-app-requests-timedout" or "orleans-messaging-sent-failed" or "orleans-messaging-sent-dropped"
            or "orleans-messaging-expired" or "orleans-messaging-rejected";

    /// <summary>The Sentry-compatible endpoint errors go to: <c>Sentry:Dsn</c> or <c>SENTRY_DSN</c>; null when neither is set.</summary>
    public static string? ErrorReportingDsn(IConfiguration configuration) =>
        configuration["Sentry:Dsn"] is { Length: > 0 } configured ? configured
        : configuration["SENTRY_DSN"] is { Length: > 0 } environment ? environment
        : null;

    /// <summary>
    /// Errors (log entries at Error and above, unhandled exceptions among them) go to a Sentry-compatible endpoint
    /// (Sentry, GlitchTip, Bugsink), tagged with the trace and span they happened in, so an error leads to its trace.
    /// No personal data, no performance tracing of Sentry's own (traces go over OTLP).
    /// </summary>
    public static void ConfigureErrorReporting(SentryOptions o, string dsn, string service)
    {
        o.Dsn = dsn;
        o.SendDefaultPii = false;
        o.ServerName = service;
        o.TracesSampleRate = 0;
        o.SetBeforeSend(e =>
        {
            e.SetTag("service", service);
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                e.SetTag("trace_id", activity.TraceId.ToString());
                e.SetTag("span_id", activity.SpanId.ToString());
            }

            return e;
        });
    }
}
