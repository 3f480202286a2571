using System.Collections.Concurrent;
using Jacameno.Common;
using Jacameno.Frontend.Jobs;
using Jacameno.Users;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// Bridges user streams to SignalR on this frontend: one subscription per user with a connection here, made
/// on their first connection and dropped with their last. Events go to the user's group (every device):
/// JobProgress and JobCompleted (a job), AssetProgress and AssetProcessed (an upload), Notification (social).
/// </summary>
public sealed partial class UserFanout(IClusterClient cluster, IHubContext<StudioHub> hub, ILogger<UserFanout> logger)
{
    private readonly ConcurrentDictionary<Guid, Listener> listeners = new();

    public async Task ConnectedAsync(Guid userId, string connectionId)
    {
        var listener = listeners.GetOrAdd(userId, _ => new Listener());
        await listener.Gate.WaitAsync();
        try
        {
            listener.Connections.Add(connectionId);
            listener.Subscription ??= await Stream(userId).SubscribeAsync((e, _) => OnEventAsync(userId, e));
        }
        finally
        {
            listener.Gate.Release();
        }
    }

    public async Task DisconnectedAsync(Guid userId, string connectionId)
    {
        if (!listeners.TryGetValue(userId, out var listener))
        {
            return;
        }

        await listener.Gate.WaitAsync();
        try
        {
            if (listener.Connections.Remove(connectionId) && listener.Connections.Count == 0 && listener.Subscription is { } subscription)
            {
                listener.Subscription = null;
                await subscription.UnsubscribeAsync();
            }
        }
        finally
        {
            listener.Gate.Release();
        }
    }

    private IAsyncStream<UserEvent> Stream(Guid userId) =>
        cluster.GetStreamProvider(StreamNames.Provider).GetStream<UserEvent>(StreamId.Create(StreamNames.UserEvents, userId));

    private async Task OnEventAsync(Guid userId, UserEvent e)
    {
        try
        {
            var user = hub.Clients.Group(StudioHub.UserGroup(userId));
            await (e.Kind switch
            {
                UserEventKind.JobProgress => user.SendAsync("JobProgress", JobResponse.From(e.Job!)),
                UserEventKind.JobCompleted => user.SendAsync("JobCompleted", JobResponse.From(e.Job!)),
                UserEventKind.AssetProgress => user.SendAsync("AssetProgress", new AssetProgressMessage(e.Asset!.Id, e.Progress ?? 0, e.Stage ?? "")),
                UserEventKind.AssetProcessed => user.SendAsync("AssetProcessed", e.Asset),
                UserEventKind.Notification => user.SendAsync("Notification", e.Notification),
                _ => Task.CompletedTask,
            });
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, ex, userId, e.Kind);
        }
    }

    private sealed class Listener
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public HashSet<string> Connections { get; } = [];

        public StreamSubscriptionHandle<UserEvent>? Subscription { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out of {Kind} to user {UserId} failed")]
    private static partial void LogFanoutFailed(ILogger logger, Exception exception, Guid userId, UserEventKind kind);
}

/// <summary>How far the processing of an upload got (0-100) and what it is doing (probing, measuring, waveform).</summary>
public sealed record AssetProgressMessage(Guid AssetId, int Progress, string Stage);
