using System.Collections.Concurrent;
using Jacameno.Common;
using Jacameno.Frontend.Projects;
using Jacameno.Projects;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// Bridges project streams to SignalR on this frontend: one stream subscription per project that has a
/// connection here, made on the first join and dropped when the last connection leaves. Events go to the
/// project's SignalR group; presence and joins are published to the stream too, so connections on other
/// frontends see them.
/// </summary>
public sealed partial class ProjectFanout(IClusterClient cluster, IHubContext<StudioHub> hub, ILogger<ProjectFanout> logger)
{
    private readonly ConcurrentDictionary<Guid, Room> rooms = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, byte>> projectsOf = new();

    public static string Group(Guid projectId) => $"project:{projectId:N}";

    public async Task JoinAsync(Guid projectId, string connectionId, Guid userId)
    {
        var room = rooms.GetOrAdd(projectId, _ => new Room());
        await room.Gate.WaitAsync();
        try
        {
            room.Connections[connectionId] = userId;
            room.Subscription ??= await Stream(projectId).SubscribeAsync((e, _) => OnEventAsync(projectId, e));
        }
        finally
        {
            room.Gate.Release();
        }

        projectsOf.GetOrAdd(connectionId, _ => new())[projectId] = 0;
        await hub.Groups.AddToGroupAsync(connectionId, Group(projectId));
        await PublishAsync(projectId, new ProjectEvent(ProjectEventKind.CollaboratorJoined, UserId: userId, ConnectionId: connectionId));
    }

    public async Task LeaveAsync(Guid projectId, string connectionId, bool announce = true)
    {
        if (projectsOf.TryGetValue(connectionId, out var joined))
        {
            joined.TryRemove(projectId, out _);
        }

        await hub.Groups.RemoveFromGroupAsync(connectionId, Group(projectId));
        if (!rooms.TryGetValue(projectId, out var room))
        {
            return;
        }

        Guid userId;
        await room.Gate.WaitAsync();
        try
        {
            if (!room.Connections.TryRemove(connectionId, out userId))
            {
                return;
            }

            if (room.Connections.IsEmpty && room.Subscription is { } subscription)
            {
                room.Subscription = null;
                await subscription.UnsubscribeAsync();
            }
        }
        finally
        {
            room.Gate.Release();
        }

        if (announce)
        {
            await PublishAsync(projectId, new ProjectEvent(ProjectEventKind.CollaboratorLeft, UserId: userId, ConnectionId: connectionId));
        }
    }

    public async Task DisconnectedAsync(string connectionId)
    {
        if (projectsOf.TryRemove(connectionId, out var joined))
        {
            foreach (var projectId in joined.Keys)
            {
                await LeaveAsync(projectId, connectionId);
            }
        }
    }

    /// <summary>
    /// The fast path: ops submitted through this frontend go to its own connections as soon as they are
    /// acknowledged, without waiting for the stream (which polls). The stream still carries them to the other
    /// frontends; when it brings them back here they are not sent twice.
    /// </summary>
    public async Task DeliverLocallyAsync(Guid projectId, IReadOnlyList<AppliedOp> ops)
    {
        if (ops.Count == 0 || !rooms.TryGetValue(projectId, out var room) || room.Connections.IsEmpty)
        {
            return;
        }

        if (room.Delivered.Count > 10_000)
        {
            room.Delivered.Clear(); // events the stream never brought back: forget them rather than grow
        }

        foreach (var op in ops)
        {
            room.Delivered[op.Version] = 0;
        }

        try
        {
            await hub.Clients.Group(Group(projectId)).SendAsync("OpsApplied", projectId, ops.Select(AppliedOpResponse.From).ToList());
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, ex, projectId, ProjectEventKind.OpsApplied);
        }
    }

    /// <summary>
    /// Marks ops this frontend is about to submit, until disposed: if the stream brings them back before the
    /// grain's answer does, they are left to <see cref="DeliverLocallyAsync"/> rather than sent twice.
    /// </summary>
    public IDisposable ExpectLocal(Guid projectId, IReadOnlyList<OpSubmission> ops)
    {
        if (!rooms.TryGetValue(projectId, out var room))
        {
            return NoOp.Instance;
        }

        var keys = ops.Select(o => (o.ClientId, o.OpId)).ToList();
        keys.ForEach(k => room.Pending[k] = 0);
        return new Release(() => keys.ForEach(k => room.Pending.TryRemove(k, out _)));
    }

    public bool IsIn(Guid projectId, string connectionId) => rooms.TryGetValue(projectId, out var room) && room.Connections.ContainsKey(connectionId);

    public Task PublishAsync(Guid projectId, ProjectEvent projectEvent) => Stream(projectId).OnNextAsync(projectEvent);

    private IAsyncStream<ProjectEvent> Stream(Guid projectId) =>
        cluster.GetStreamProvider(StreamNames.Provider).GetStream<ProjectEvent>(StreamId.Create(ProjectStreams.Namespace, projectId));

    private async Task OnEventAsync(Guid projectId, ProjectEvent e)
    {
        try
        {
            var group = hub.Clients.Group(Group(projectId));
            switch (e.Kind)
            {
                case ProjectEventKind.OpsApplied:
                    var room = rooms.GetValueOrDefault(projectId);
                    var fresh = e.Ops!.Where(op => room is null
                        || (!room.Delivered.TryRemove(op.Version, out _) && !room.Pending.ContainsKey((op.ClientId, op.OpId)))).ToList();
                    if (fresh.Count > 0)
                    {
                        await group.SendAsync("OpsApplied", projectId, fresh.Select(AppliedOpResponse.From).ToList());
                    }

                    break;
                case ProjectEventKind.PresenceChanged:
                    await hub.Clients.GroupExcept(Group(projectId), e.ConnectionId!).SendAsync("PresenceChanged", projectId,
                        new PresenceMessage(e.UserId!.Value, e.ConnectionId!, Presence.Parse(e.Presence)));
                    break;
                case ProjectEventKind.CollaboratorJoined:
                    await hub.Clients.GroupExcept(Group(projectId), e.ConnectionId!).SendAsync("CollaboratorJoined", projectId, e.UserId, e.ConnectionId);
                    break;
                case ProjectEventKind.CollaboratorLeft:
                    await group.SendAsync("CollaboratorLeft", projectId, e.UserId, e.ConnectionId);
                    break;
                case ProjectEventKind.AccessRevoked or ProjectEventKind.Deleted:
                    await DropAsync(projectId, e);
                    break;
            }
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, ex, projectId, e.Kind);
        }
    }

    /// <summary>A removed collaborator (or everyone, when the project is deleted) leaves the group at once.</summary>
    private async Task DropAsync(Guid projectId, ProjectEvent e)
    {
        if (!rooms.TryGetValue(projectId, out var room))
        {
            return;
        }

        var message = e.Kind == ProjectEventKind.Deleted ? "ProjectDeleted" : "ProjectAccessRevoked";
        foreach (var (connectionId, userId) in room.Connections.ToList())
        {
            if (e.Kind == ProjectEventKind.Deleted || userId == e.UserId)
            {
                await LeaveAsync(projectId, connectionId, announce: e.Kind != ProjectEventKind.Deleted);
                await hub.Clients.Client(connectionId).SendAsync(message, projectId);
            }
        }
    }

    private sealed class Room
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ConcurrentDictionary<string, Guid> Connections { get; } = new();

        public StreamSubscriptionHandle<ProjectEvent>? Subscription { get; set; }

        /// <summary>Versions already sent to this frontend's connections by <see cref="DeliverLocallyAsync"/>.</summary>
        public ConcurrentDictionary<long, byte> Delivered { get; } = new();

        /// <summary>Ops submitted through this frontend whose acks have not come back yet.</summary>
        public ConcurrentDictionary<(string ClientId, string OpId), byte> Pending { get; } = new();
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    private sealed class NoOp : IDisposable
    {
        public static readonly NoOp Instance = new();

        public void Dispose()
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out of {Kind} for project {ProjectId} failed")]
    private static partial void LogFanoutFailed(ILogger logger, Exception exception, Guid projectId, ProjectEventKind kind);
}
