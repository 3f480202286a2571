using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Jacameno.Frontend.Realtime;
using Jacameno.Projects;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Frontend.Tests;

/// <summary>Live collaboration through the studio hub: fan-out, presence, access, convergence, both protocols.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ProjectsRealtimeTests(SharedPlatform platform)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpsFromOneClient_ReachTheOther_OverJsonAndMessagePack(bool messagePack)
    {
        var (owner, editor, projectId) = await ProjectWithEditorAsync();
        await using var alice = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken, messagePack);
        await using var bob = await StudioClient.ConnectAsync(platform.Server, editor.AccessToken, messagePack);
        await alice.JoinAsync(projectId);
        var joined = await bob.JoinAsync(projectId);
        Assert.Equal(ProjectRole.Editor, joined.Role);

        var acks = await alice.SubmitAsync(projectId, StudioClient.Op("track.add", new { name = "Vox", kind = "audio" }),
            StudioClient.Op("project.set", new { tempo = 128 }));
        Assert.Equal([OpStatus.Applied, OpStatus.Applied], acks.Acks.Select(a => a.Status));
        Assert.Equal([1L, 2L], acks.Ops.Select(o => o.Version)); // the submitter's copy of its ops: in the result

        await bob.WaitForVersionAsync(2);
        Assert.Equal("Vox", Assert.Single(bob.Replica.Tracks).Name);
        Assert.Equal(128, bob.Replica.Tempo);
        Assert.Equal([1L, 2L], bob.DeliveredVersions());
        Assert.Equal("Vox", Assert.Single(alice.Replica.Tracks).Name);

        // ...and not sent again as OpsApplied: bob's next op reaches alice, her own two never do.
        await bob.SubmitAsync(projectId, StudioClient.Op("project.set", new { tempo = 130 }));
        await alice.WaitForVersionAsync(3);
        Assert.Equal([1L, 2L, 3L], alice.DeliveredVersions());
    }

    [Fact]
    public async Task Presence_ReachesOthers_Throttled_AndJoinsAreAnnounced()
    {
        var (owner, editor, projectId) = await ProjectWithEditorAsync();
        await using var alice = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        await using var bob = await StudioClient.ConnectAsync(platform.Server, editor.AccessToken);
        await alice.JoinAsync(projectId);
        await bob.JoinAsync(projectId);

        var accepted = 0;
        for (var i = 0; i < 30; i++)
        {
            accepted += await bob.Connection.InvokeAsync<bool>("UpdatePresence", projectId, new Presence(i * 100, [Guid.NewGuid()], new PresenceCursor(i, null))) ? 1 : 0;
        }

        Assert.InRange(accepted, 1, StudioHub.PresencePerSecond);
        await Eventually(() => alice.ReceivedNamed("PresenceChanged").Count == accepted);
        Assert.Empty(bob.ReceivedNamed("PresenceChanged")); // not echoed to the sender
        await Eventually(() => alice.ReceivedNamed("CollaboratorJoined").Count == 1);

        await bob.Connection.InvokeAsync("LeaveProject", projectId);
        await Eventually(() => alice.ReceivedNamed("CollaboratorLeft").Count == 1);
    }

    /// <summary>
    /// A project opened again after its last connection left (the frontend dropped its room) and everything idle was
    /// collected: the stream's subscription table is read back from storage (Orleans' own types, which
    /// System.Text.Json cannot read), and live editing works as the first time.
    /// </summary>
    [Fact]
    public async Task AProjectOpenedAgain_AfterIdleGrainsWereCollected_StillFansOut()
    {
        var (owner, editor, projectId) = await ProjectWithEditorAsync();
        await using (var first = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken))
        {
            await first.JoinAsync(projectId);
            await first.SubmitAsync(projectId, StudioClient.Op("project.set", new { tempo = 100 }));
        }

        // Its last connection gone, the frontend keeps nothing of the project (a long-running frontend would grow).
        var fanout = platform.Services.GetRequiredService<ProjectFanout>();
        await Eventually(() => fanout.Grain(projectId) is null);
        await platform.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        await using var alice = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        await using var bob = await StudioClient.ConnectAsync(platform.Server, editor.AccessToken);
        await alice.JoinAsync(projectId);
        await bob.JoinAsync(projectId);
        Assert.NotNull(fanout.Grain(projectId));
        await alice.SubmitAsync(projectId, StudioClient.Op("project.set", new { tempo = 101 }));
        await bob.WaitForVersionAsync(2);
        Assert.Equal(101, bob.Replica.Tempo);
        await Eventually(() => alice.ReceivedNamed("CollaboratorJoined").Count == 1); // through the stream
    }

    [Fact]
    public async Task Outsiders_CannotJoin_AndARemovedCollaboratorIsDroppedAtOnce()
    {
        var (owner, editor, projectId) = await ProjectWithEditorAsync();
        var outsider = await platform.RegisterAsync();
        await using var stranger = await StudioClient.ConnectAsync(platform.Server, outsider.AccessToken);
        using (var errors = ErrorLog.Capture(platform.Services))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => stranger.JoinAsync(projectId));
            Assert.Contains("not found", refused.Message, StringComparison.OrdinalIgnoreCase);
            await Assert.ThrowsAsync<HubException>(() => stranger.SubmitAsync(projectId, StudioClient.Op("track.add", new { name = "x" })));
            Assert.Empty(errors.Entries); // the client's mistake, answered with a reason: not an error of the server's
        }

        await using var alice = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        await using var bob = await StudioClient.ConnectAsync(platform.Server, editor.AccessToken);
        await alice.JoinAsync(projectId);
        await bob.JoinAsync(projectId);

        using var http = platform.CreateClient(owner.AccessToken);
        await http.DeleteAsync($"/api/projects/{projectId}/collaborators/{editor.User.Id}");
        await Eventually(() => bob.ReceivedNamed("ProjectAccessRevoked").Count == 1);

        await alice.SubmitAsync(projectId, StudioClient.Op("track.add", new { name = "After" }));
        await alice.WaitForVersionAsync(1);
        await Task.Delay(200);
        Assert.Equal(0, bob.Version);
        await Assert.ThrowsAsync<HubException>(() => bob.SubmitAsync(projectId, StudioClient.Op("track.add", new { name = "x" })));
    }

    [Fact]
    public async Task ConcurrentClients_Converge_OnTheServerSnapshot()
    {
        var owner = await platform.RegisterAsync();
        using var http = platform.CreateClient(owner.AccessToken);
        var projectId = Guid.Parse((await ProjectsApiTests.CreateAsync(http, "Convergence")).GetProperty("id").GetString()!);
        var clients = new List<StudioClient>();
        for (var i = 0; i < 5; i++)
        {
            var client = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
            await client.JoinAsync(projectId);
            clients.Add(client);
        }

        // Every client edits at once: tracks, mixer values (last writer wins), clips that may vanish under it.
        var seeded = new Guid[3];
        for (var t = 0; t < seeded.Length; t++)
        {
            seeded[t] = Guid.NewGuid();
            await clients[0].SubmitAsync(projectId, StudioClient.Op("track.add", new { trackId = seeded[t], name = $"T{t}", kind = "midi" }));
        }

        await Task.WhenAll(clients.Select((client, n) => Task.Run(async () =>
        {
            var random = new Random(n);
            for (var round = 0; round < 20; round++)
            {
                var track = seeded[random.Next(seeded.Length)];
                var op = random.Next(4) switch
                {
                    0 => StudioClient.Op("track.set", new { trackId = track, volumeDb = random.Next(-40, 6), pan = random.NextDouble() * 2 - 1 }, clientId: $"c{n}"),
                    1 => StudioClient.Op("clip.add", new { trackId = track, start = random.Next(0, 1_000_000), length = 48000 }, clientId: $"c{n}"),
                    2 => StudioClient.Op("track.rename", new { trackId = track, name = $"T-{n}-{round}" }, clientId: $"c{n}"),
                    _ => StudioClient.Op("project.set", new { tempo = 60 + random.Next(120) }, clientId: $"c{n}"),
                };
                await client.SubmitAsync(projectId, op);
            }
        })));

        var server = await (await http.GetAsync($"/api/projects/{projectId}")).Content.ReadFromJsonAsync<ProjectDocument>(StudioClient.WireJson);
        Assert.Equal(3 + 5 * 20, server!.Version);
        foreach (var client in clients)
        {
            await client.WaitForVersionAsync(server.Version);
            Assert.Equal(JsonSerializer.Serialize(server, StudioClient.WireJson), JsonSerializer.Serialize(client.Replica, StudioClient.WireJson));
            await client.DisposeAsync();
        }
    }

    private async Task<(Auth.TokenResponse Owner, Auth.TokenResponse Editor, Guid ProjectId)> ProjectWithEditorAsync()
    {
        var owner = await platform.RegisterAsync();
        var editor = await platform.RegisterAsync();
        using var http = platform.CreateClient(owner.AccessToken);
        var projectId = Guid.Parse((await ProjectsApiTests.CreateAsync(http, "Live")).GetProperty("id").GetString()!);
        Assert.True((await http.PutAsJsonAsync($"/api/projects/{projectId}/collaborators/{editor.User.Id}", new { role = "editor" })).IsSuccessStatusCode);
        return (owner, editor, projectId);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
