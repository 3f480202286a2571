using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>GraphQL over WebSocket (graphql-transport-ws) against the embedded platform on a real port.</summary>
[Collection(KestrelPlatformCollection.Name)]
public sealed class GraphQLSubscriptionTests(KestrelPlatform platform)
{
    internal const string OpsSubscription = "subscription($p: ID!) { projectOps(projectId: $p) { version kind userId payload } }";

    internal static string Code(JsonElement error) => error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    /// <summary>
    /// Submits ops until the subscription delivers one: a subscription is live some time after its subscribe message,
    /// and the protocol does not say when. Returns the first delivery.
    /// </summary>
    internal static async Task<JsonElement> FirstOpsAsync(GraphQLSocket socket, string id, Func<int, Task> submit)
    {
        var next = socket.ReceiveForAsync(id, seconds: 30);
        for (var attempt = 0; attempt < 50 && !next.IsCompleted; attempt++)
        {
            await submit(attempt);
            await Task.WhenAny(next, Task.Delay(300));
        }

        return await next;
    }

    [Fact]
    public async Task ProjectOps_MemberGetsOpsLive_QueriesRunOverTheSocketToo()
    {
        var owner = await platform.RegisterAsync();
        using var rest = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(rest, "Live GraphQL")).GetProperty("id").GetString()!;

        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.InitAsync(owner.AccessToken);
        await socket.SubscribeAsync("ops", OpsSubscription, new { p = projectId });
        var tracks = new List<Guid>();
        var first = await FirstOpsAsync(socket, "ops", async _ =>
        {
            var track = Guid.NewGuid();
            tracks.Add(track);
            await ProjectsApiTests.SubmitAsync(rest, projectId, ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys" }));
        });

        Assert.Equal("next", first.GetProperty("type").GetString());
        var op = first.GetProperty("payload").GetProperty("data").GetProperty("projectOps")[0];
        Assert.Equal("track.add", op.GetProperty("kind").GetString());
        Assert.Equal(owner.User.Id.ToString(), op.GetProperty("userId").GetString());
        var trackId = Guid.Parse(JsonDocument.Parse(op.GetProperty("payload").GetString()!).RootElement.GetProperty("trackId").GetString()!);
        Assert.Contains(trackId, tracks);

        // The next op arrives as it commits, with the next version.
        var version = op.GetProperty("version").GetInt64();
        var later = socket.ReceiveForAsync("ops", m => m.GetProperty("payload").GetProperty("data").GetProperty("projectOps")[0].GetProperty("version").GetInt64() == version + 1);
        await ProjectsApiTests.SubmitAsync(rest, projectId, ProjectsApiTests.Op("track.set", new { trackId = tracks[^1], volumeDb = -3 }, baseVersion: version));
        Assert.Equal("next", (await later).GetProperty("type").GetString());

        // A query on the same socket: one next, then complete.
        await socket.SubscribeAsync("q", "query($p: ID!) { project(id: $p) { name } }", new { p = projectId });
        var answer = await socket.ReceiveForAsync("q");
        Assert.Equal("Live GraphQL", answer.GetProperty("payload").GetProperty("data").GetProperty("project").GetProperty("name").GetString());
        Assert.Equal("complete", (await socket.ReceiveForAsync("q")).GetProperty("type").GetString());

        // complete from the client ends the subscription: no more ops on it.
        await socket.SendAsync(new { id = "ops", type = "complete" });
        await socket.SubscribeAsync("ping-after", "{ __typename }");
        Assert.Equal("next", (await socket.ReceiveForAsync("ping-after")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Subscriptions_AreAuthorizedAsTheirQueries()
    {
        var owner = await platform.RegisterAsync();
        var stranger = await platform.RegisterAsync();
        using var rest = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(rest, "Members only")).GetProperty("id").GetString()!;

        await using var strangerSocket = await GraphQLSocket.ConnectAsync(platform.Address);
        await strangerSocket.InitAsync(stranger.AccessToken);
        foreach (var field in new[] { "projectOps(projectId: $p) { version }", "projectPresence(projectId: $p) { kind }" })
        {
            await strangerSocket.SubscribeAsync(field, $"subscription($p: ID!) {{ {field} }}", new { p = projectId });
            var error = await strangerSocket.ReceiveForAsync(field);
            Assert.Equal(("error", "NOT_FOUND"), (error.GetProperty("type").GetString(), Code(error)));
        }

        // The query says the same.
        using var strangerRest = platform.CreateClient(stranger.AccessToken);
        var query = await (await strangerRest.PostAsJsonAsync("/graphql", new { query = $"{{ project(id: \"{projectId}\") {{ name }} }}" })).BodyAsync();
        Assert.Equal("NOT_FOUND", query.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        // Signed out: only what anyone may read.
        await using var anonymous = await GraphQLSocket.ConnectAsync(platform.Address);
        await anonymous.InitAsync(null);
        foreach (var (id, document) in new[] { ("n", "subscription { notifications { id } }"), ("j", "subscription { jobProgress { id } }"), ("o", $"subscription {{ projectOps(projectId: \"{projectId}\") {{ version }} }}") })
        {
            await anonymous.SubscribeAsync(id, document);
            Assert.Equal("UNAUTHENTICATED", Code(await anonymous.ReceiveForAsync(id)));
        }

        // Subscriptions need the socket: over HTTP they are refused before they run.
        var overHttp = await rest.PostAsJsonAsync("/graphql", new { query = $"subscription {{ projectOps(projectId: \"{projectId}\") {{ version }} }}" });
        Assert.Contains("WebSocket", (await overHttp.BodyAsync()).GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Notifications_ArriveLive()
    {
        var artist = await platform.RegisterAsync();
        var fan = await platform.RegisterAsync();
        using var fanClient = platform.CreateClient(fan.AccessToken);
        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.InitAsync(artist.AccessToken);
        await socket.SubscribeAsync("n", "subscription { notifications { kind actorId } }");
        var notification = await FirstOpsAsync(socket, "n", async _ =>
        {
            await fanClient.DeleteAsync($"/api/users/{artist.User.Id}/follow");
            await fanClient.PutAsync($"/api/users/{artist.User.Id}/follow", null);
        });

        var data = notification.GetProperty("payload").GetProperty("data").GetProperty("notifications");
        Assert.Equal(("follow", fan.User.Id.ToString()), (data.GetProperty("kind").GetString(), data.GetProperty("actorId").GetString()));
    }

    [Fact]
    public async Task PersonalAccessToken_SignsASocketIn_WithinItsScopes_AndItsRevocationClosesIt()
    {
        var artist = await platform.RegisterAsync();
        var fan = await platform.RegisterAsync();
        using var owner = platform.CreateClient(artist.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        var secret = await PersonalTokenTests.TokenAsync(owner, "profile");

        // In connection_init's payload: notifications (profile) stream; a project's ops (projects:read) are refused.
        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.InitAsync(secret);
        await socket.SubscribeAsync("ops", OpsSubscription, new { p = Guid.NewGuid() });
        var refused = await socket.ReceiveForAsync("ops");
        Assert.Equal(("error", "FORBIDDEN"), (refused.GetProperty("type").GetString(), Code(refused)));
        await socket.SubscribeAsync("n", "subscription { notifications { kind actorId } }");
        var notification = await FirstOpsAsync(socket, "n", async _ =>
        {
            await fanClient.DeleteAsync($"/api/users/{artist.User.Id}/follow");
            await fanClient.PutAsync($"/api/users/{artist.User.Id}/follow", null);
        });
        Assert.Equal(fan.User.Id.ToString(), notification.GetProperty("payload").GetProperty("data").GetProperty("notifications").GetProperty("actorId").GetString());

        // In the query string, as a browser sends it.
        await using var byQuery = await GraphQLSocket.ConnectAsync(platform.Address, queryToken: secret);
        await byQuery.InitAsync(null);
        await byQuery.SendAsync(new { id = "me", type = "subscribe", payload = new { query = "{ me { id } }" } });
        var me = await byQuery.ReceiveForAsync("me");
        Assert.Equal(artist.User.Id.ToString(), me.GetProperty("payload").GetProperty("data").GetProperty("me").GetProperty("id").GetString());

        // Revoked: both sockets close with 4403 at the next check, and the token opens no other.
        var id = JsonDocument.Parse(await owner.GetStringAsync("/api/users/me/tokens")).RootElement[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/users/me/tokens/{id}")).StatusCode);
        Assert.Equal(4403, await socket.ClosedWithAsync());
        Assert.Equal(4403, await byQuery.ClosedWithAsync());
        await using var again = await GraphQLSocket.ConnectAsync(platform.Address);
        await again.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {secret}" } });
        Assert.Equal(4403, await again.ClosedWithAsync());
    }

    [Fact]
    public async Task ReleaseCounts_NowThenOnChange_PrivateIsNotFoundToStrangers_JobProgressOfOnesOwnJob()
    {
        var owner = await platform.RegisterAsync();
        var fan = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        var release = await StreamingApiTests.QuickReleaseAsync(client, $"Counted {StreamingApiTests.Word()}");
        var releaseId = release.GetProperty("id").GetString()!;
        var hidden = await StreamingApiTests.QuickReleaseAsync(client, $"Hidden {StreamingApiTests.Word()}", new { visibility = "private" });

        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.InitAsync(null);
        await socket.SubscribeAsync("c", "subscription($r: ID!) { releaseCounts(releaseId: $r) { plays likes reposts comments } }", new { r = releaseId });
        var now = (await socket.ReceiveForAsync("c")).GetProperty("payload").GetProperty("data").GetProperty("releaseCounts");
        Assert.Equal(0, now.GetProperty("likes").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await fanClient.PutAsync($"/api/releases/{releaseId}/like", null)).StatusCode);
        var changed = (await socket.ReceiveForAsync("c")).GetProperty("payload").GetProperty("data").GetProperty("releaseCounts");
        Assert.Equal(1, changed.GetProperty("likes").GetInt64());

        // A private release does not exist for others; its owner sees it.
        await socket.SubscribeAsync("h", "subscription($r: ID!) { releaseCounts(releaseId: $r) { likes } }", new { r = hidden.GetProperty("id").GetString() });
        Assert.Equal("NOT_FOUND", Code(await socket.ReceiveForAsync("h")));
        await using var ownerSocket = await GraphQLSocket.ConnectAsync(platform.Address);
        await ownerSocket.InitAsync(owner.AccessToken);
        await ownerSocket.SubscribeAsync("h", "subscription($r: ID!) { releaseCounts(releaseId: $r) { likes } }", new { r = hidden.GetProperty("id").GetString() });
        Assert.Equal("next", (await ownerSocket.ReceiveForAsync("h")).GetProperty("type").GetString());

        // A finished job: its state, then complete. Someone else's: NOT_FOUND, as the job query.
        var jobs = await (await client.GetAsync("/api/jobs")).BodyAsync();
        var jobId = jobs.GetProperty("items")[0].GetProperty("id").GetString();
        await ownerSocket.SubscribeAsync("j", "subscription($j: ID) { jobProgress(jobId: $j) { id status } }", new { j = jobId });
        var job = (await ownerSocket.ReceiveForAsync("j")).GetProperty("payload").GetProperty("data").GetProperty("jobProgress");
        Assert.Equal((jobId, "succeeded"), (job.GetProperty("id").GetString(), job.GetProperty("status").GetString()));
        Assert.Equal("complete", (await ownerSocket.ReceiveForAsync("j")).GetProperty("type").GetString());
        await using var fanSocket = await GraphQLSocket.ConnectAsync(platform.Address);
        await fanSocket.InitAsync(fan.AccessToken);
        await fanSocket.SubscribeAsync("j", "subscription($j: ID) { jobProgress(jobId: $j) { id } }", new { j = jobId });
        Assert.Equal("NOT_FOUND", Code(await fanSocket.ReceiveForAsync("j")));
    }

    [Fact]
    public async Task Protocol_PingPong_AndItsCloseCodes()
    {
        var user = await platform.RegisterAsync();

        await using (var socket = await GraphQLSocket.ConnectAsync(platform.Address))
        {
            await socket.InitAsync(user.AccessToken);
            await socket.SendAsync(new { type = "ping", payload = new { n = 1 } });
            var pong = await socket.ReceiveAsync();
            Assert.Equal(("pong", 1), (pong.GetProperty("type").GetString(), pong.GetProperty("payload").GetProperty("n").GetInt32()));
            await socket.SendAsync(new { type = "connection_init" });
            Assert.Equal(4429, await socket.ClosedWithAsync());
        }

        await using (var socket = await GraphQLSocket.ConnectAsync(platform.Address))
        {
            await socket.InitAsync(user.AccessToken);
            await socket.SubscribeAsync("same", "subscription { notifications { id } }");
            await socket.SubscribeAsync("same", "subscription { notifications { id } }");
            Assert.Equal(4409, await socket.ClosedWithAsync());
        }

        foreach (var bad in new[] { "not json", "{\"type\":\"shout\"}", "[1,2]", "{\"type\":\"subscribe\",\"id\":\"x\"}" })
        {
            await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
            await socket.InitAsync(user.AccessToken);
            await socket.SendTextAsync(bad);
            Assert.Equal(4400, await socket.ClosedWithAsync());
        }

        // The access token in the query string, as the hub takes it; connection_init then needs no payload.
        await using (var socket = await GraphQLSocket.ConnectAsync(platform.Address, queryToken: user.AccessToken))
        {
            await socket.InitAsync(null);
            await socket.SubscribeAsync("me", "{ me { id } }");
            Assert.Equal(user.User.Id.ToString(), (await socket.ReceiveForAsync("me")).GetProperty("payload").GetProperty("data").GetProperty("me").GetProperty("id").GetString());
        }

        // No connection_init in time: 4408.
        await using (var socket = await GraphQLSocket.ConnectAsync(platform.Address))
        {
            Assert.Equal(4408, await socket.ClosedWithAsync());
        }

        // Without the subprotocol there is no GraphQL socket.
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => GraphQLSocket.ConnectAsync(platform.Address, subProtocol: null));
    }

    [Fact]
    public async Task SignOut_ClosesTheSocket_4403()
    {
        var user = await platform.RegisterAsync();
        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.InitAsync(user.AccessToken);
        await socket.SubscribeAsync("n", "subscription { notifications { id } }");

        using var client = platform.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = user.RefreshToken })).StatusCode);
        // The session check (every second in this platform, every minute by default) closes it.
        Assert.Equal(4403, await socket.ClosedWithAsync());

        // A socket that starts with the ended session's token is refused at once.
        await using var again = await GraphQLSocket.ConnectAsync(platform.Address);
        await again.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {user.AccessToken}" } });
        Assert.Equal(4403, await again.ClosedWithAsync());
    }

    [Fact]
    public async Task GraphQLWsNpmClient_SubscribesAndReceivesOps()
    {
        var owner = await platform.RegisterAsync();
        var stranger = await platform.RegisterAsync();
        using var rest = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(rest, "Through graphql-ws")).GetProperty("id").GetString()!;
        var web = Path.Combine(Jacameno.Tests.TestServices.RepositoryRoot(), "frontend", "web");
        var start = new System.Diagnostics.ProcessStartInfo("node", [Path.Combine(web, "scripts", "graphql-ws-check.mjs")])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["JACAMENO_URL"] = new UriBuilder(platform.Address) { Scheme = "ws", Path = "/graphql" }.Uri.ToString(),
                ["JACAMENO_TOKEN"] = owner.AccessToken,
                ["JACAMENO_STRANGER_TOKEN"] = stranger.AccessToken,
                ["JACAMENO_PROJECT"] = projectId,
            },
        };
        using var node = System.Diagnostics.Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        var done = Task.Run(async () =>
        {
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        });

        // The client reports when its subscription is under way; ops then go in until it has one.
        for (var n = 0; n < 100 && !done.IsCompleted; n++)
        {
            if (lines.Count > 0)
            {
                await ProjectsApiTests.SubmitAsync(rest, projectId, ProjectsApiTests.Op("track.add", new { trackId = Guid.NewGuid(), name = $"T{n}" }));
            }

            await Task.WhenAny(done, Task.Delay(300));
        }

        Assert.True(done.IsCompleted, "The node client did not finish: " + await Task.WhenAny(stderr, Task.Delay(100)));
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, await stderr);
        var report = lines.Single(l => l.TryGetProperty("ops", out _));
        Assert.Equal("track.add", report.GetProperty("ops")[0].GetProperty("kind").GetString());
        Assert.Equal("NOT_FOUND", report.GetProperty("strangerCode").GetString());
        Assert.Equal(owner.User.Id.ToString(), report.GetProperty("me").GetString());
    }
}
