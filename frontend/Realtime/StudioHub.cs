using Jacameno.Apps;
using Jacameno.Frontend.Apps;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Projects;
using Jacameno.Frontend.Users;
using Jacameno.Projects;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// The live channel at <c>/hubs/studio</c>, authenticated with the same JWT as the API (query string
/// <c>access_token</c> for WebSockets). Each connection joins its user's group, so events for a user reach
/// every device they are signed in on. Server-to-client messages: OpsApplied, PresenceChanged,
/// CollaboratorJoined, CollaboratorLeft, ProjectAccessRevoked, ProjectDeleted; for the user: JobProgress, JobCompleted,
/// AssetProgress, AssetProcessed.
/// </summary>
[Authorize(Policy = Policies.Authenticated)]
public sealed class StudioHub(ProjectService projects, ProjectFanout fanout, UserFanout users, AccountGate gate) : Hub
{
    /// <summary>Presence updates a connection may send per second; more are dropped.</summary>
    public const int PresencePerSecond = 20;

    public static string UserGroup(Guid userId) => $"user:{userId:N}";

    private Guid UserId => Context.User!.UserId();

    public override async Task OnConnectedAsync()
    {
        // The hub is the studio: an app's token needs a projects scope to connect (it then also hears its jobs).
        ScopeRules.Demand(Context.User, ApiScopes.ProjectsRead);
        await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(UserId));
        await users.ConnectedAsync(UserId, Context.ConnectionId);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await fanout.DisconnectedAsync(Context.ConnectionId);
        await users.DisconnectedAsync(UserId, Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Who the server thinks this connection is; clients use it to check their session.</summary>
    public WhoAmIResult WhoAmI() => new(UserId, Context.User!.Role().ToString());

    /// <summary>Starts receiving the project's events; returns the ops missed since lastSeenVersion, or the whole project.</summary>
    public async Task<JoinProjectResult> JoinProject(Guid projectId, long? lastSeenVersion)
    {
        // Members only, checked before this connection is in the project's group or announced to it: a stranger must
        // neither receive one op nor show up in anyone's presence list.
        ScopeRules.Demand(Context.User, ApiScopes.ProjectsRead);
        await projects.RoleAsync(UserId, projectId);

        // Join the stream first, then read: an op applied in between arrives twice (clients skip versions
        // they have), never not at all.
        await fanout.JoinAsync(projectId, Context.ConnectionId, UserId);
        try
        {
            return await projects.JoinAsync(UserId, projectId, lastSeenVersion);
        }
        catch
        {
            await fanout.LeaveAsync(projectId, Context.ConnectionId, announce: false);
            throw;
        }
    }

    public Task LeaveProject(Guid projectId) => fanout.LeaveAsync(projectId, Context.ConnectionId);

    /// <summary>
    /// Applies ops in order; the acks say applied (with the version), rejected (with why) or duplicate. The ops that
    /// applied come back in the result, so this connection is not sent them as OpsApplied; the others in the project are.
    /// </summary>
    public async Task<SubmitOpsResponse> SubmitOps(Guid projectId, IReadOnlyList<OpRequest?>? ops)
    {
        ScopeRules.Demand(Context.User, ApiScopes.ProjectsWrite);
        await gate.EnsureMayWriteAsync(UserId);
        return await projects.SubmitAsync(UserId, projectId, ops, Context.ConnectionId);
    }

    /// <summary>Shares this connection's playhead, selection and cursor; false when dropped by the throttle.</summary>
    public async Task<bool> UpdatePresence(Guid projectId, Presence presence)
    {
        ScopeRules.Demand(Context.User, ApiScopes.ProjectsWrite);
        if (!fanout.IsIn(projectId, Context.ConnectionId))
        {
            throw new DomainException(DomainErrorKind.Validation, "Join the project before sharing presence.");
        }

        var json = presence.Validate();
        if (!Throttle())
        {
            return false;
        }

        await fanout.PublishAsync(projectId, new ProjectEvent(ProjectEventKind.PresenceChanged, UserId: UserId, ConnectionId: Context.ConnectionId, Presence: json));
        return true;
    }

    private bool Throttle()
    {
        var now = Environment.TickCount64;
        var (windowStart, count) = Context.Items.TryGetValue(nameof(Throttle), out var value) ? ((long, int))value! : (now, 0);
        if (now - windowStart >= 1000)
        {
            (windowStart, count) = (now, 0);
        }

        Context.Items[nameof(Throttle)] = (windowStart, count + 1);
        return count < PresencePerSecond;
    }
}

public sealed record WhoAmIResult(Guid UserId, string Role);
