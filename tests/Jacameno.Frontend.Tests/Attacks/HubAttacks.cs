using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>The studio hub: a stranger who asks to join a project must hear nothing of it and be seen by no one.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class HubAttacks(SharedPlatform platform)
{
    [Fact]
    public async Task AStrangersJoin_IsRefused_BeforeTheyAreInTheRoomOrAnnounced()
    {
        var owner = await platform.RegisterAsync();
        var stranger = await platform.RegisterAsync();
        var projectId = Guid.Parse((await ProjectsApiTests.CreateAsync(platform.CreateClient(owner.AccessToken), "closed room")).GetProperty("id").GetString()!);

        await using var alice = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        await alice.JoinAsync(projectId);
        await using var mallory = await StudioClient.ConnectAsync(platform.Server, stranger.AccessToken);
        var refused = await Assert.ThrowsAsync<HubException>(() => mallory.Connection.InvokeAsync<object>("JoinProject", projectId, (long?)null));
        Assert.Contains("not found", refused.Message, StringComparison.OrdinalIgnoreCase);

        // An edit after the refused join reaches the members only.
        var track = Guid.NewGuid();
        await alice.SubmitAsync(projectId, StudioClient.Op("track.add", new { trackId = track, name = "secret", kind = "audio" }, alice.Version));
        await Task.Delay(300);
        lock (mallory.Received)
        {
            Assert.Empty(mallory.Received);
        }

        Assert.Empty(mallory.DeliveredVersions());
        lock (alice.Received)
        {
            Assert.DoesNotContain(alice.Received, r => (string)r[0]! == "CollaboratorJoined");
        }

        // Presence is for members too.
        var presence = await Assert.ThrowsAsync<HubException>(() => mallory.Connection.InvokeAsync<bool>("UpdatePresence", projectId, new { playhead = 0 }));
        Assert.False(string.IsNullOrEmpty(presence.Message));
    }
}
