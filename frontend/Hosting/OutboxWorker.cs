namespace Jacameno.Frontend.Hosting;

/// <summary>
/// Drains one outbox table (mail, pushes) in every frontend: takes what is due in batches, and sleeps between batches
/// until this process queues something (<see cref="Wake"/>) or a poll interval passes (for what other frontends and
/// silos queued, and retries that fell due). A database that is away for a moment is logged and tried again: what is
/// queued waits in it, nothing is lost.
/// </summary>
public abstract partial class OutboxWorker(string name, ILogger logger) : BackgroundService
{
    /// <summary>How many items one batch takes at most.</summary>
    protected const int BatchSize = 100;

    /// <summary>How long a batch is leased to this frontend: another takes what it had only after this (a frontend that died).</summary>
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim wake = new(0, 1);

    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it first.
            }
        }
    }

    /// <summary>The wait before another try: 2 s, 4 s, … doubling up to <paramref name="max"/>.</summary>
    public static TimeSpan RetryDelay(int attempts, TimeSpan max) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts, 20)), max.TotalSeconds));

    /// <summary>Sends one batch of what is due; returns how many items it took.</summary>
    protected abstract Task<int> SendDueAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDrainFailed(logger, e, name);
                sent = 0;
            }

            if (sent < BatchSize)
            {
                try
                {
                    await wake.WaitAsync(Poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Outbox} outbox could not be read; trying again shortly")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception, string outbox);
}
