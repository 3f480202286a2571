using Jacameno.Frontend.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Jacameno.Frontend.Realtime;

/// <summary>
/// The live channel at <c>/hubs/studio</c>, authenticated with the same JWT as the API (query string
/// <c>access_token</c> for WebSockets). Each connection joins its user's group, so events for a user reach
/// every device they are signed in on.
/// </summary>
[Authorize(Policy = Policies.Authenticated)]
public sealed class StudioHub : Hub
{
    public static string UserGroup(Guid userId) => $"user:{userId:N}";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(Context.User!.UserId()));
        await base.OnConnectedAsync();
    }

    /// <summary>Who the server thinks this connection is; clients use it to check their session.</summary>
    public WhoAmIResult WhoAmI() => new(Context.User!.UserId(), Context.User!.Role().ToString());
}

public sealed record WhoAmIResult(Guid UserId, string Role);
