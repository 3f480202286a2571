namespace Jacameno.Jobs;

/// <summary>This silo's worker slots: a burst of jobs waits here instead of overloading the silo.</summary>
public sealed class JobSlots : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly SemaphoreSlim slots;

    public JobSlots(Microsoft.Extensions.Options.IOptions<JobOptions> options)
    {
        slots = new(options.Value.Workers, options.Value.Workers);
        Common.JacamenoTelemetry.JobSlots.Add(options.Value.Workers);
    }

    /// <summary>Nothing to do at any stage: taking part only has the silo make this at start (see the hosting).</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
    }

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Common.JacamenoTelemetry.JobsWaiting.Add(1);
        try
        {
            await slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Common.JacamenoTelemetry.JobsWaiting.Add(-1);
        }

        Common.JacamenoTelemetry.JobSlotWait.Record(waited.Elapsed.TotalSeconds);
        Common.JacamenoTelemetry.JobsRunning.Add(1);
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
                Common.JacamenoTelemetry.JobsRunning.Add(-1);
            }
        }
    }
}
