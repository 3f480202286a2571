using System.Collections.Concurrent;
using Jacameno.Common;
using Jacameno.Frontend.Projects;
using Jacameno.Projects;
using Microsoft.AspNetCore.SignalR;
using Orleans.Streams;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// Bridges project streams to this frontend's live clients: one room per project that has a SignalR connection or a
/// GraphQL subscription here, with one stream subscription, made for the first and dropped (room and all) with the
/// last. Events go to the project's SignalR group and to each <see cref="IProjectSink"/>; presence and joins are published to the stream too, so connections
/// on other frontends see them. While subscribed, it tells the project grain it listens (and renews that), so
/// that the grain publishes the ops of other frontends only when someone else listens.
/// </summary>
public sealed partial class ProjectFanout(IClusterClient cluster, IHubContext<StudioHub> hub, ILogger<ProjectFanout> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Room> rooms = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, byte>> projectsOf = new();

    public static string Group(Guid projectId) => $"project:{projectId:N}";

    public async Task JoinAsync(Guid projectId, string connectionId, Guid userId)
    {
        await EnterAsync(projectId, room => room.Connections[connectionId] = userId);
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
        var userId = Guid.Empty;
        if (await ExitAsync(projectId, room => room.Connections.TryRemove(connectionId, out userId)) && announce)
        {
            await PublishAsync(projectId, new ProjectEvent(ProjectEventKind.CollaboratorLeft, UserId: userId, ConnectionId: connectionId));
        }
    }

    /// <summary>
    /// Adds a receiver of the project's events that is not a SignalR connection (a GraphQL subscription). It is not
    /// announced as a collaborator: it watches the project, it is not in the studio. The caller checked membership.
    /// </summary>
    public Task AddSinkAsync(Guid projectId, IProjectSink sink) => EnterAsync(projectId, room => room.Sinks[sink] = 0);

    public Task RemoveSinkAsync(Guid projectId, IProjectSink sink) => ExitAsync(projectId, room => room.Sinks.TryRemove(sink, out _));

    /// <summary>Adds a member to the project's room, subscribing this frontend to the project's stream for the first.</summary>
    private async Task EnterAsync(Guid projectId, Action<Room> add)
    {
        while (true)
        {
            var room = rooms.GetOrAdd(projectId, id => new Room(cluster.GetGrain<IProjectGrain>(id)));
            await room.Gate.WaitAsync();
            try
            {
                if (!rooms.TryGetValue(projectId, out var current) || current != room)
                {
                    continue; // its last member left while this one waited, and it was dropped: take the new one
                }

                add(room);
                if (room.Subscription is null)
                {
                    // Listening is declared after subscribing and before the join reads the project, so an op is
                    // either published to this frontend or already in what the join returns.
                    room.Subscription = await Stream(projectId).SubscribeAsync(new RoomObserver(this, projectId), null, Origin);
                    await room.Grain.SetListenerAsync(Origin, listening: true);
                }

                return;
            }
            finally
            {
                room.Gate.Release();
            }
        }
    }

    /// <summary>Removes a member; with the last, the stream subscription and the room go. False when it was not there.</summary>
    private async Task<bool> ExitAsync(Guid projectId, Func<Room, bool> remove)
    {
        if (!rooms.TryGetValue(projectId, out var room))
        {
            return false;
        }

        await room.Gate.WaitAsync();
        try
        {
            if (!remove(room))
            {
                return false;
            }

            if (room.IsEmpty)
            {
                // Dropped under the gate and after the grain heard that this frontend stopped listening, so a
                // join that comes next (with a new room) says it listens after that, not before.
                try
                {
                    if (room.Subscription is { } subscription)
                    {
                        room.Subscription = null;
                        await subscription.UnsubscribeAsync();
                        await TellListeningAsync(projectId, room, listening: false);
                    }
                }
                finally
                {
                    rooms.TryRemove(KeyValuePair.Create(projectId, room));
                }
            }

            return true;
        }
        finally
        {
            room.Gate.Release();
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
    /// This frontend's id on project streams: ops submitted through it carry it (<see cref="ProjectEvent.Origin"/>),
    /// and its subscriptions ask the silo's stream filter not to bring those back.
    /// </summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// The fast path: ops submitted through this frontend (with <see cref="Origin"/>) go to its own connections as
    /// soon as they are acknowledged, without waiting for the stream (which polls); the stream carries them to the
    /// other frontends only. The submitting connection, if any, has them in its ack and is skipped.
    /// </summary>
    public async Task DeliverLocallyAsync(Guid projectId, IReadOnlyList<AppliedOpResponse> ops, string? submitter = null)
    {
        if (ops.Count == 0 || !rooms.TryGetValue(projectId, out var room) || room.IsEmpty)
        {
            return;
        }

        try
        {
            ToSinks(room, sink => sink.OnOps(ops));
            var group = submitter is null ? hub.Clients.Group(Group(projectId)) : hub.Clients.GroupExcept(Group(projectId), submitter);
            await group.SendAsync("OpsApplied", projectId, ops);
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, ex, projectId, ProjectEventKind.OpsApplied);
        }
    }

    /// <summary>Renews this frontend's listener lease on every project it is subscribed to.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ProjectStreams.ListenerRenewal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Task.WhenAll(rooms.Where(r => r.Value.Subscription is not null).Select(r => TellListeningAsync(r.Key, r.Value, listening: true)));
        }
    }

    /// <summary>Best effort: a lease that is not renewed or not ended ends by itself.</summary>
    private async Task TellListeningAsync(Guid projectId, Room room, bool listening)
    {
        try
        {
            await room.Grain.SetListenerAsync(Origin, listening);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex, projectId);
        }
    }

    /// <summary>
    /// The grain of a project open here, kept with its room: GetGrain resolves the interface by reflection on every
    /// call, about 4 % of the frontend's CPU at 1 000 edits/s. Null for a project not open here.
    /// </summary>
    public IProjectGrain? Grain(Guid projectId) => rooms.TryGetValue(projectId, out var room) ? room.Grain : null;

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
                    var ops = e.Ops!.Select(AppliedOpResponse.From).ToList();
                    ToSinks(projectId, sink => sink.OnOps(ops));
                    await group.SendAsync("OpsApplied", projectId, ops);
                    break;
                case ProjectEventKind.PresenceChanged:
                    var presence = new PresenceMessage(e.UserId!.Value, e.ConnectionId!, Presence.Parse(e.Presence));
                    ToSinks(projectId, sink => sink.OnPresence(new PresenceUpdate(PresenceUpdateKind.Changed, presence.UserId, presence.ConnectionId, presence.Presence)));
                    await hub.Clients.GroupExcept(Group(projectId), e.ConnectionId!).SendAsync("PresenceChanged", projectId, presence);
                    break;
                case ProjectEventKind.CollaboratorJoined:
                    ToSinks(projectId, sink => sink.OnPresence(new PresenceUpdate(PresenceUpdateKind.Joined, e.UserId!.Value, e.ConnectionId!, null)));
                    await hub.Clients.GroupExcept(Group(projectId), e.ConnectionId!).SendAsync("CollaboratorJoined", projectId, e.UserId, e.ConnectionId);
                    break;
                case ProjectEventKind.CollaboratorLeft:
                    ToSinks(projectId, sink => sink.OnPresence(new PresenceUpdate(PresenceUpdateKind.Left, e.UserId!.Value, e.ConnectionId!, null)));
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

        foreach (var sink in room.Sinks.Keys)
        {
            if (e.Kind == ProjectEventKind.Deleted || sink.UserId == e.UserId)
            {
                sink.OnEnded(e.Kind);
            }
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

    private void ToSinks(Guid projectId, Action<IProjectSink> deliver)
    {
        if (rooms.TryGetValue(projectId, out var room))
        {
            ToSinks(room, deliver);
        }
    }

    private static void ToSinks(Room room, Action<IProjectSink> deliver)
    {
        foreach (var sink in room.Sinks.Keys)
        {
            deliver(sink);
        }
    }

    private sealed class Room(IProjectGrain grain)
    {
        public IProjectGrain Grain { get; } = grain;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>SignalR connections in the project's group, and their users.</summary>
        public ConcurrentDictionary<string, Guid> Connections { get; } = new();

        /// <summary>The other receivers (GraphQL subscriptions); a set.</summary>
        public ConcurrentDictionary<IProjectSink, byte> Sinks { get; } = new();

        public bool IsEmpty => Connections.IsEmpty && Sinks.IsEmpty;

        public StreamSubscriptionHandle<ProjectEvent>? Subscription { get; set; }
    }

    private sealed class RoomObserver(ProjectFanout fanout, Guid projectId) : IAsyncObserver<ProjectEvent>
    {
        public Task OnNextAsync(ProjectEvent item, StreamSequenceToken? token = null) => fanout.OnEventAsync(projectId, item);

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out of {Kind} for project {ProjectId} failed")]
    private static partial void LogFanoutFailed(ILogger logger, Exception exception, Guid projectId, ProjectEventKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling project {ProjectId} whether this frontend listens failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, Guid projectId);
}

/// <summary>
/// A receiver of one project's events on this frontend other than the SignalR group (a GraphQL subscription). Called
/// on the stream's delivery path: implementations queue and return at once.
/// </summary>
public interface IProjectSink
{
    Guid UserId { get; }

    void OnOps(IReadOnlyList<AppliedOpResponse> ops);

    void OnPresence(PresenceUpdate update);

    /// <summary>The user lost access (<see cref="ProjectEventKind.AccessRevoked"/>) or the project was deleted.</summary>
    void OnEnded(ProjectEventKind why);
}
