using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Jacameno.Common;

/// <summary>
/// The platform's own instruments (meter <c>Jacameno</c>), exported with Orleans' and the runtime's at every
/// process's <c>/metrics</c>, and its own spans (activity source <c>Jacameno</c>: child processes), exported with
/// the traces when tracing is on (docs/operations.md). Counted where the work happens, so each silo reports its own.
/// </summary>
public static class JacamenoTelemetry
{
    public const string MeterName = "Jacameno";

    private static readonly Meter Meter = new(MeterName);

    public static readonly ActivitySource Activities = new(MeterName);

    /// <summary>Worker slots of this silo (its configured capacity).</summary>
    public static readonly UpDownCounter<long> JobSlots = Meter.CreateUpDownCounter<long>("jacameno.jobs.slots", description: "Job worker slots on this silo.");

    public static readonly UpDownCounter<long> JobsRunning = Meter.CreateUpDownCounter<long>("jacameno.jobs.running", description: "Job attempts holding a worker slot.");

    public static readonly UpDownCounter<long> JobsWaiting = Meter.CreateUpDownCounter<long>("jacameno.jobs.waiting", description: "Job attempts waiting for a worker slot.");

    public static readonly Histogram<double> JobSlotWait = Meter.CreateHistogram<double>("jacameno.jobs.slot_wait", "s", "How long an attempt waited for a worker slot.");

    /// <summary>Finished jobs, by <c>kind</c> and <c>status</c> (succeeded, failed, cancelled).</summary>
    public static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>("jacameno.jobs.finished", description: "Jobs that reached a final status.");

    /// <summary>External processes running, by <c>program</c> (ffmpeg, ffprobe, plugin-host).</summary>
    public static readonly UpDownCounter<long> Processes = Meter.CreateUpDownCounter<long>("jacameno.processes.running", description: "Child processes running.");

    /// <summary>
    /// Counts a child process and, when traced, opens its span (ended with <see cref="ProcessEnded"/>). The span does not
    /// become the caller's current one: the process runs beside the caller's work, not around it.
    /// </summary>
    public static Activity? ProcessStarted(string program, string? detail = null)
    {
        Processes.Add(1, new KeyValuePair<string, object?>("program", program));
        var caller = Activity.Current;
        var span = Activities.StartActivity(program);
        span?.SetTag("process.executable.name", program);
        if (detail is not null)
        {
            span?.SetTag("jacameno.detail", detail);
        }

        Activity.Current = caller;
        return span;
    }

    public static void ProcessEnded(string program, Activity? span)
    {
        Processes.Add(-1, new KeyValuePair<string, object?>("program", program));
        span?.Stop();
    }
}
