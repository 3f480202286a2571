using Jacameno.Frontend.Hosting;
using Jacameno.Storage.Push;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Push;

/// <summary>
/// Drains the push outbox: sends each due push to its device through the sender of its kind, several at once (one
/// slow push service holds one slot, not the batch), and then removes what was delivered, removes the devices their
/// service says are gone (404, 410 and the like) with what waited for them, drops what can never be delivered, and
/// puts the rest back, due again after a wait that doubles up to <see cref="PushOptions.MaxRetryDelay"/>.
/// </summary>
public sealed partial class PushOutboxSender : OutboxWorker
{
    private const int Parallelism = 8;
    private readonly IPushOutbox outbox;
    private readonly IPushDevices devices;
    private readonly PushMessages messages;
    private readonly IReadOnlyDictionary<PushDeviceKind, IPushSender> senders;
    private readonly IOptions<PushOptions> options;
    private readonly TimeProvider clock;
    private readonly ILogger<PushOutboxSender> logger;

    public PushOutboxSender(IPushOutbox outbox, IPushDevices devices, PushMessages messages, IEnumerable<IPushSender> senders, IOptions<PushOptions> options,
        TimeProvider clock, ILogger<PushOutboxSender> logger) : base("push", logger)
    {
        (this.outbox, this.devices, this.messages, this.options, this.clock, this.logger) = (outbox, devices, messages, options, clock, logger);
        this.senders = senders.ToDictionary(s => s.Kind);
        // Pushes queued in this process (a follow, a like, a finished job on the co-hosted silo) go out at once.
        outbox.Enqueued += Wake;
    }

    protected override async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var pushes = await outbox.ClaimAsync(BatchSize, Lease, cancellationToken);
        if (pushes.Count == 0)
        {
            return 0;
        }

        var targets = await devices.GetAsync([.. pushes.Select(p => p.DeviceId).Distinct()], cancellationToken);
        var outcomes = new PushOutcome[pushes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, pushes.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await SendAsync(pushes[i], targets.GetValueOrDefault(pushes[i].DeviceId), token));

        var done = new List<long>();
        var gone = new HashSet<Guid>();
        var now = clock.GetUtcNow();
        for (var i = 0; i < pushes.Count; i++)
        {
            var (push, outcome) = (pushes[i], outcomes[i]);
            switch (outcome.Result)
            {
                case PushResult.Delivered:
                    done.Add(push.Id);
                    break;
                case PushResult.Gone:
                    LogGone(logger, push.DeviceId, outcome.Reason);
                    gone.Add(push.DeviceId);
                    break;
                case PushResult.Retry when now - push.Event.CreatedAt <= options.Value.GiveUpAfter:
                    LogRetry(logger, push.Event.Topic.ToString(), push.DeviceId, push.Attempts, outcome.Reason);
                    await outbox.RetryAsync(push.Id, now + RetryDelay(push.Attempts, options.Value.MaxRetryDelay), outcome.Reason ?? "", cancellationToken);
                    break;
                default:
                    LogDropped(logger, push.Event.Topic.ToString(), push.DeviceId, push.Attempts, outcome.Reason);
                    done.Add(push.Id);
                    break;
            }
        }

        await outbox.DeleteAsync(done, cancellationToken);
        foreach (var device in gone)
        {
            // Takes what else waited for the device with it.
            await devices.RemoveAsync(device, null, cancellationToken);
        }

        return pushes.Count;
    }

    private async Task<PushOutcome> SendAsync(OutgoingPush push, PushDevice? device, CancellationToken cancellationToken)
    {
        if (device is null || device.UserId != push.Event.UserId)
        {
            // Removed, or given to another account since: not for anyone any more.
            return new PushOutcome(PushResult.Failed, "The device is no longer the user's.");
        }

        if (!senders.TryGetValue(device.Kind, out var sender))
        {
            return new PushOutcome(PushResult.Failed, $"No {device.Kind} push service is configured.");
        }

        try
        {
            return await sender.SendAsync(device, await messages.ContentAsync(push.Event), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The words could not be made (a silo away for a moment): the push waits.
            return new PushOutcome(PushResult.Retry, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push device {Device} is gone ({Reason}); it is removed")]
    private static partial void LogGone(ILogger logger, Guid device, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Topic} push to device {Device} could not be sent (try {Attempts}): {Reason}; it will be tried again")]
    private static partial void LogRetry(ILogger logger, string topic, Guid device, int attempts, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Topic} push to device {Device} was dropped after {Attempts} tries: {Reason}")]
    private static partial void LogDropped(ILogger logger, string topic, Guid device, int attempts, string? reason);
}
