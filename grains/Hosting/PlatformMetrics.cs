using Jacameno.Common;
using OpenTelemetry.Metrics;

namespace Jacameno.Hosting;

/// <summary>The metrics every process exports at /metrics: the runtime's, Orleans' affordable ones, and the platform's own.</summary>
public static class PlatformMetrics
{
    public static MeterProviderBuilder AddJacamenoMeters(this MeterProviderBuilder metrics) => metrics
        .AddRuntimeInstrumentation()
        .AddMeter("Microsoft.Orleans", JacamenoMetrics.MeterName)
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
}
