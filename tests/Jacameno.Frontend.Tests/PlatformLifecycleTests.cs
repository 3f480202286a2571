using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jacameno.Frontend.Tests;

public sealed class PlatformLifecycleTests
{
    [Fact]
    public async Task Restart_UsersAndSessionsSurvive()
    {
        var data = EmbeddedPlatform.NewDataDirectory();
        Auth.TokenResponse registered;
        await using (var first = new EmbeddedPlatform(data, null))
        {
            registered = await first.RegisterAsync(email: "restart@example.org");
        }

        await using var second = new EmbeddedPlatform(data, null);
        using var client = second.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { email = "restart@example.org", password = "correct horse 9" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = registered.RefreshToken })).StatusCode);
        using var authed = second.CreateClient(registered.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await authed.GetAsync("/api/users/me")).StatusCode);
    }

    /// <summary>
    /// What a listener counted is stored: after a restart their next play within 30 s still does not count (it did
    /// when the counts lived in the release's memory, so a restart let a listener count again at once).
    /// </summary>
    [Fact]
    public async Task Restart_ListenersCountedPlaysSurvive()
    {
        var data = EmbeddedPlatform.NewDataDirectory();
        string releaseId;
        await using (var first = new EmbeddedPlatform(data, null))
        {
            using var artist = first.CreateClient((await first.RegisterAsync()).AccessToken);
            releaseId = (await StreamingApiTests.QuickReleaseAsync(artist, "Counted once")).GetProperty("id").GetString()!;
            Assert.True((await ListenAsync(first.CreateClient(), releaseId)).GetProperty("counted").GetBoolean());
        }

        await using var second = new EmbeddedPlatform(data, null);
        var again = await ListenAsync(second.CreateClient(), releaseId);
        Assert.Equal((false, 1L), (again.GetProperty("counted").GetBoolean(), again.GetProperty("plays").GetInt64()));
    }

    /// <summary>Starts a play of the 3 s release, listens it through, and reports it.</summary>
    private static async Task<System.Text.Json.JsonElement> ListenAsync(HttpClient listener, string releaseId)
    {
        var started = await (await listener.PostAsJsonAsync($"/api/releases/{releaseId}/plays", new { })).BodyAsync();
        await Task.Delay(3200);
        return await (await listener.PostAsJsonAsync($"/api/releases/{releaseId}/plays", new { playId = started.GetProperty("playId").GetString() })).BodyAsync();
    }

    /// <summary>Releases, playlists, listings (with an exclusive held) and orders come back from their stored state.</summary>
    [Fact]
    public async Task Restart_StreamingAndMarketplaceStateSurvives()
    {
        var data = EmbeddedPlatform.NewDataDirectory();
        string releaseId, playlistId, listingId, heldOrder, exclusiveTier;
        string artistToken, buyerToken, otherToken;
        await using (var first = new EmbeddedPlatform(data, null))
        {
            (artistToken, buyerToken, otherToken) = ((await first.RegisterAsync()).AccessToken, (await first.RegisterAsync()).AccessToken, (await first.RegisterAsync()).AccessToken);
            using var artist = first.CreateClient(artistToken);
            var release = await StreamingApiTests.QuickReleaseAsync(artist, "Survivor", new { tags = new[] { "kept" }, credits = new[] { new { name = "A", role = "mix" } } });
            releaseId = release.GetProperty("id").GetString()!;
            playlistId = (await (await artist.PostAsJsonAsync("/api/playlists", new { title = "Kept" })).BodyAsync()).GetProperty("id").GetString()!;
            await artist.PostAsJsonAsync($"/api/playlists/{playlistId}/items", new { releaseId });
            var listing = await MarketplaceApiTests.PublishedBeatAsync(artist, "Kept beat");
            (listingId, exclusiveTier) = (listing.GetProperty("id").GetString()!, MarketplaceApiTests.TierId(listing, "Exclusive"));
            var order = await first.CreateClient(buyerToken).PostAsJsonAsync("/api/orders", new { listingId, tierId = exclusiveTier });
            Assert.Equal(HttpStatusCode.Created, order.StatusCode);
            heldOrder = (await order.BodyAsync()).GetProperty("id").GetString()!;
        }

        await using var second = new EmbeddedPlatform(data, null);
        using var anonymous = second.CreateClient();
        var back = await (await anonymous.GetAsync($"/api/releases/{releaseId}")).BodyAsync();
        Assert.Equal(("Survivor", "kept", "mix"), (back.GetProperty("title").GetString(), back.GetProperty("tags")[0].GetString(), back.GetProperty("credits")[0].GetProperty("role").GetString()));
        Assert.Equal(3, (await (await anonymous.GetAsync($"/api/releases/{releaseId}/stream")).BodyAsync()).GetArrayLength());
        Assert.Equal(releaseId, (await (await anonymous.GetAsync($"/api/playlists/{playlistId}")).BodyAsync()).GetProperty("releases")[0].GetProperty("id").GetString());
        // The exclusive is still held for the first buyer, whose order can still be paid.
        Assert.Equal(HttpStatusCode.Conflict, (await second.CreateClient(otherToken).PostAsJsonAsync("/api/orders", new { listingId, tierId = exclusiveTier })).StatusCode);
        using var admin = second.CreateClient(await second.AdminTokenAsync());
        Assert.Equal("completed", (await (await admin.PostAsync($"/api/admin/orders/{heldOrder}/paid", null)).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal("soldExclusively", (await (await anonymous.GetAsync($"/api/listings/{listingId}")).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient(buyerToken).PostAsync($"/api/orders/{heldOrder}/downloads", null)).StatusCode);
    }

    [Fact]
    public async Task AuthRateLimit_429WithRetryAfter()
    {
        await using var platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(),
            new Dictionary<string, string?> { ["Jacameno:RateLimits:AuthPerMinute"] = "3" });
        using var client = platform.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await client.PostAsJsonAsync("/api/auth/login", new { email = "x@example.org", password = "whatever123" });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StudioHub_RequiresToken_AndKnowsTheUser()
    {
        await using var platform = new EmbeddedPlatform();
        var user = await platform.RegisterAsync();
        var server = platform.Server;

        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/studio"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(user.AccessToken);
            })
            .Build();
        await connection.StartAsync();
        var me = await connection.InvokeAsync<Realtime.WhoAmIResult>("WhoAmI");
        Assert.Equal(user.User.Id, me.UserId);

        await using var anonymous = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/studio"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            })
            .Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_413Problem()
    {
        // Expect: 100-continue, as clients sending large bodies do: the server answers 413 before the body is sent,
        // instead of the client racing to write 2 MiB into a connection the server is closing (a broken pipe).
        static Task<HttpResponseMessage> PostLargeAsync(HttpClient client, string path, string json) =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
                Headers = { ExpectContinue = true },
            });

        await using var platform = new EmbeddedPlatform();
        // The size limit is Kestrel's: run on a real socket.
        platform.UseKestrel(0);
        platform.StartServer();
        // HttpClient sends the body anyway when 100 Continue (or the 413) takes over a second, its default, which a
        // loaded CI machine can exceed: wait for the server's answer as long as the test may take.
        using var factoryClient = platform.CreateClient();
        var address = factoryClient.BaseAddress;
        HttpClient Client(string? token = null)
        {
            var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = token is null ? null : new("Bearer", token);
            return client;
        }

        using var client = Client();
        var huge = "{\"email\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        var response = await PostLargeAsync(client, "/api/auth/login", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The request body is larger than 1048576 bytes, the most this endpoint takes.", (await response.BodyAsync()).GetProperty("detail").GetString());

        // The same limit holds on every JSON endpoint, signed in.
        using var authed = Client((await platform.RegisterAsync()).AccessToken);
        var title = "{\"title\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        foreach (var path in new[] { "/api/releases", "/api/listings", "/api/orders", "/api/playlists", $"/api/releases/{Guid.NewGuid()}/comments" })
        {
            var refused = await PostLargeAsync(authed, path, title);
            Assert.True(refused.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{path}: {refused.StatusCode}");
        }
    }
}

public sealed class ProjectDurabilityTests
{
    [Fact]
    public async Task Restart_RebuildsTheProject_FromSnapshotAndLog_AndStillKnowsRetries()
    {
        var data = EmbeddedPlatform.NewDataDirectory();
        string id;
        Auth.TokenResponse owner;
        object retried;
        System.Text.Json.JsonElement before;
        await using (var first = new EmbeddedPlatform(data, null))
        {
            owner = await first.RegisterAsync();
            using var client = first.CreateClient(owner.AccessToken);
            id = (await ProjectsApiTests.CreateAsync(client, "Durable")).GetProperty("id").GetString()!;
            // 150 ops: a snapshot at 100 (Projects.ProjectGrain.SnapshotEvery), 50 only in the log.
            var track = Guid.NewGuid();
            await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("track.add", new { trackId = track, name = "Pads", kind = "midi" }));
            for (var batch = 0; batch < 149 / 50 + 1; batch++)
            {
                var ops = Enumerable.Range(0, Math.Min(50, 149 - batch * 50))
                    .Select(i => ProjectsApiTests.Op("clip.add", new { trackId = track, start = (batch * 50 + i) * 1000, length = 500 }))
                    .ToArray();
                await ProjectsApiTests.SubmitAsync(client, id, ops);
            }

            retried = ProjectsApiTests.Op("track.rename", new { trackId = track, name = "Pads 2" }, opId: "last-op");
            await ProjectsApiTests.SubmitAsync(client, id, retried);
            before = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
            Assert.Equal(151, before.GetProperty("version").GetInt64());
        }

        await using var second = new EmbeddedPlatform(data, null);
        using var again = second.CreateClient(owner.AccessToken);
        var after = await (await again.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(before.GetRawText(), after.GetRawText());
        var ack = (await ProjectsApiTests.SubmitAsync(again, id, retried))[0];
        Assert.Equal(("duplicate", 151L), (ack.GetProperty("status").GetString(), ack.GetProperty("version").GetInt64()));
    }
}
