namespace Jacameno.Jobs;

/// <summary>This silo's worker slots: a burst of jobs waits here instead of overloading the silo.</summary>
public sealed class JobSlots(Microsoft.Extensions.Options.IOptions<JobOptions> options)
{
    private readonly SemaphoreSlim slots = new(options.Value.Workers, options.Value.Workers);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
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
            }
        }
    }
}
