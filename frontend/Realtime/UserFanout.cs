using System.Collections.Concurrent;
using Jacameno.Common;
using Jacameno.Frontend.Jobs;
using Jacameno.Users;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// Bridges user streams to this frontend's live clients: one subscription per user with a SignalR connection or a
/// GraphQL subscription here, made for the first and dropped with the last. Events go to the user's SignalR group
/// (every device) and to each <see cref="IUserSink"/>:
/// JobProgress and JobCompleted (a job), AssetProgress and AssetProcessed (an upload), Notification (social).
/// </summary>
public sealed partial class UserFanout(IClusterClient cluster, IHubContext<StudioHub> hub, ILogger<UserFanout> logger)
{
    private readonly ConcurrentDictionary<Guid, Listener> listeners = new();

    public Task ConnectedAsync(Guid userId, string connectionId) => EnterAsync(userId, listener => listener.Connections.Add(connectionId));

    public Task DisconnectedAsync(Guid userId, string connectionId) => ExitAsync(userId, listener => listener.Connections.Remove(connectionId));

    /// <summary>Adds a receiver of the user's events that is not a SignalR connection (a GraphQL subscription).</summary>
    public Task AddSinkAsync(Guid userId, IUserSink sink) => EnterAsync(userId, listener => listener.Sinks[sink] = 0);

    public Task RemoveSinkAsync(Guid userId, IUserSink sink) => ExitAsync(userId, listener => listener.Sinks.TryRemove(sink, out _));

    private async Task EnterAsync(Guid userId, Action<Listener> add)
    {
        var listener = listeners.GetOrAdd(userId, _ => new Listener());
        await listener.Gate.WaitAsync();
        try
        {
            add(listener);
            listener.Subscription ??= await Stream(userId).SubscribeAsync((e, _) => OnEventAsync(userId, listener, e));
        }
        finally
        {
            listener.Gate.Release();
        }
    }

    private async Task ExitAsync(Guid userId, Func<Listener, bool> remove)
    {
        if (!listeners.TryGetValue(userId, out var listener))
        {
            return;
        }

        await listener.Gate.WaitAsync();
        try
        {
            if (remove(listener) && listener.IsEmpty && listener.Subscription is { } subscription)
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

    private async Task OnEventAsync(Guid userId, Listener listener, UserEvent e)
    {
        try
        {
            foreach (var sink in listener.Sinks.Keys)
            {
                sink.OnEvent(e);
            }

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

        /// <summary>SignalR connections (in the user's group); changed under <see cref="Gate"/>.</summary>
        public HashSet<string> Connections { get; } = [];

        /// <summary>The other receivers (GraphQL subscriptions); a set.</summary>
        public ConcurrentDictionary<IUserSink, byte> Sinks { get; } = new();

        public bool IsEmpty => Connections.Count == 0 && Sinks.IsEmpty;

        public StreamSubscriptionHandle<UserEvent>? Subscription { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out of {Kind} to user {UserId} failed")]
    private static partial void LogFanoutFailed(ILogger logger, Exception exception, Guid userId, UserEventKind kind);
}

/// <summary>A receiver of one user's events other than the SignalR group; called on the stream's delivery path, so it queues and returns.</summary>
public interface IUserSink
{
    void OnEvent(UserEvent e);
}

/// <summary>How far the processing of an upload got (0-100) and what it is doing (probing, measuring, waveform).</summary>
public sealed record AssetProgressMessage(Guid AssetId, int Progress, string Stage);
