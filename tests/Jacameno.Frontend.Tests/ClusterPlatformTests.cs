using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Frontend.Auth;
using Jacameno.Users;
using Xunit.Abstractions;

namespace Jacameno.Frontend.Tests;

/// <summary>3 silos on PostgreSQL + Redis + S3, 2 frontends: what a cluster must do that one process cannot show.</summary>
[Collection(ClusterPlatformCollection.Name)]
public sealed class ClusterPlatformTests(ClusterPlatform cluster, ITestOutputHelper output)
{
    internal const string Password = "correct horse 9";

    [Fact]
    public async Task UserRegisteredOnOneFrontend_LogsInOnTheOther_AndOutlivesItsSilo()
    {
        const string ip = "10.0.1.1";
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        var email = $"cluster-{Guid.NewGuid():N}@example.org";
        using var client1 = one.CreateClient(ip);
        Assert.Equal(HttpStatusCode.Accepted, (await client1.PostAsJsonAsync("/api/auth/register", new { email, password = Password, displayName = "Cluster User" })).StatusCode);
        var registered = await client1.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var user = (await registered.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!.User;

        using var client2 = two.CreateClient(ip);
        var login = await client2.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var tokens = (await login.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        Assert.Equal(user.Id, tokens.User.Id);

        var grain = two.Grains.GetGrain<IUserGrain>(user.Id);
        var before = await two.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        var host = cluster.Silos.Single(s => s.Port == before!.Endpoint.Port);
        await host.KillAsync();

        // Until the cluster declares the silo dead, calls routed to it fail with 503; then the grain
        // activates elsewhere from its stored state.
        using var authed = two.CreateClient(ip, tokens.AccessToken);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage me;
        do
        {
            me = await authed.GetAsync("/api/users/me");
            Assert.True(me.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"unexpected {me.StatusCode}: {await me.Content.ReadAsStringAsync()}");
        }
        while (me.StatusCode != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(90) && await Delay());

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = (await me.Content.ReadFromJsonAsync<MeResponse>(Json.Options))!;
        Assert.Equal(("Cluster User", email), (profile.DisplayName, profile.Email));
        // The password hash came back too.
        Assert.Equal(HttpStatusCode.OK, (await client2.PostAsJsonAsync("/api/auth/login", new { email, password = Password })).StatusCode);

        var after = await two.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        Assert.NotNull(after);
        Assert.NotEqual(host.Port, after.Endpoint.Port);
        Assert.Contains(cluster.Silos, s => s != host && s.Port == after.Endpoint.Port);
    }

    [Fact]
    public async Task AuthRateLimit_IsOneBudgetAcrossFrontends()
    {
        const string ip = "10.0.2.2";
        var statuses = new List<(int Frontend, HttpStatusCode Status)>();
        for (var i = 0; i < 2 * ClusterPlatform.AuthPerMinute; i++)
        {
            using var client = cluster.Frontends[i % 2].CreateClient(ip);
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.org", password = "wrong password 1" });
            statuses.Add((i % 2, response.StatusCode));
        }

        // Per-frontend budgets would let 2 × AuthPerMinute through; one shared budget lets AuthPerMinute.
        Assert.Equal(ClusterPlatform.AuthPerMinute, statuses.Count(s => s.Status == HttpStatusCode.Unauthorized));
        Assert.All(statuses.Skip(ClusterPlatform.AuthPerMinute), s => Assert.Equal(HttpStatusCode.TooManyRequests, s.Status));
        Assert.Equal([0, 1], statuses.Where(s => s.Status == HttpStatusCode.TooManyRequests).Select(s => s.Frontend).Distinct().Order());

        // Another client address has a budget of its own.
        using var other = cluster.Frontends[0].CreateClient("10.0.2.3");
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.org", password = "wrong password 1" })).StatusCode);
    }

    [Fact]
    public async Task Release_PublishedThroughOneFrontend_IsFoundAndStreamedFromS3ThroughTheOther()
    {
        const string ip = "10.0.4.4";
        using var anonymous = cluster.Frontends[0].CreateClient(ip);
        var token = (await SignUpAsync(anonymous, $"r{Guid.NewGuid():N}@example.org", "Cluster Artist")).AccessToken;
        using var artist = cluster.Frontends[0].CreateClient(ip, token);
        var word = StreamingApiTests.Word();
        var release = await StreamingApiTests.QuickReleaseAsync(artist, $"Cluster {word}", new { genre = "techno", tags = new[] { "warehouse" } });
        var id = release.GetProperty("id").GetString();

        // PostgreSQL full-text search, from the other frontend, by anyone.
        using var listener = cluster.Frontends[1].CreateClient("10.0.4.5");
        var found = await (await listener.GetAsync($"/api/releases?q={word}+warehouse&genre=techno")).BodyAsync();
        Assert.Equal(id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        // The stream URL is S3's own pre-signed URL; ranges come straight from the object store.
        var stream = (await (await listener.GetAsync($"/api/releases/{id}/stream?format=mp3")).BodyAsync())[0];
        var url = new Uri(stream.GetProperty("url").GetString()!);
        Assert.True(url.IsAbsoluteUri && url.Host == "127.0.0.1", url.ToString());
        using var direct = new HttpClient();
        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 9);
        var part = await direct.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(10, (await part.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(stream.GetProperty("size").GetInt64(), (await direct.GetByteArrayAsync(url)).Length);
    }

    /// <summary>
    /// A resumable upload begun through one frontend goes on through the other, cut on the way: its parts are in S3,
    /// where either finds them (a small part is joined with the next bytes, read back from S3), and the asset it
    /// becomes is the file byte for byte.
    /// </summary>
    [Fact]
    public async Task AResumableUpload_BegunOnOneFrontend_IsFinishedOnTheOther_FromS3()
    {
        const string ip = "10.0.4.6";
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        var owner = await RegisterAsync(one, ip, "Traveller");
        var (first, second) = (new TusClient(one.CreateClient(ip, owner.AccessToken)), new TusClient(two.CreateClient(ip, owner.AccessToken)));
        var wav = AssetsApiTests.StereoSineWav(-20, 3);

        var url = await first.CreatedAsync(wav.Length, TusClient.Metadata(("filename", "travelling.wav")));
        Assert.Equal(HttpStatusCode.NoContent, (await first.PatchAsync(url, 0, wav.AsMemory(0, 100_000))).StatusCode);
        Assert.Equal(100_000, await second.OffsetAsync(url));
        Assert.Equal(HttpStatusCode.NoContent, (await second.PatchAsync(url, 100_000, wav.AsMemory(100_000, 50_000))).StatusCode);
        var (done, _) = await first.SendAsync(url, wav, [300_000, 450_000]);
        Assert.True(done.StatusCode == HttpStatusCode.NoContent, await done.Content.ReadAsStringAsync());

        var resource = done.Headers.GetValues("Upload-Resource").Single();
        Assert.Equal(wav, await second.Http.GetByteArrayAsync($"{resource}/audio"));
        Assert.Equal("completed", (await (await second.Http.GetAsync(url)).BodyAsync()).GetProperty("status").GetString());

        // Terminated through one frontend, gone for both.
        var dropped = await second.CreatedAsync(wav.Length, TusClient.Metadata(("filename", "dropped.wav")));
        Assert.Equal(HttpStatusCode.NoContent, (await second.PatchAsync(dropped, 0, wav.AsMemory(0, 1000))).StatusCode);
        using var delete = TusClient.Request(HttpMethod.Delete, dropped);
        Assert.Equal(HttpStatusCode.NoContent, (await first.Http.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await second.HeadAsync(dropped)).StatusCode);
    }

    /// <summary>
    /// Forty paid orders confirmed at once while the silo of their listing dies: each confirmation is retried
    /// until answered, as a payment webhook is, and each order ends granted exactly once.
    /// </summary>
    [Fact]
    public async Task Orders_ConfirmedWhileASiloDies_AreEachGrantedOnce()
    {
        await cluster.AddSiloAsync();
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        async Task<string> TokenAsync(string email, string ip)
        {
            using var client = one.CreateClient(ip);
            return (await SignUpAsync(client, email, "Trader")).AccessToken;
        }

        using var seller = two.CreateClient("10.0.5.1", await TokenAsync($"s{Guid.NewGuid():N}@example.org", "10.0.5.1"));
        using var buyer = two.CreateClient("10.0.5.2", await TokenAsync($"b{Guid.NewGuid():N}@example.org", "10.0.5.2"));
        using var admin = one.CreateClient("10.0.5.3", await TokenAsync("admin@example.org", "10.0.5.3"));
        var presets = new[] { new { name = "Bus", effects = new[] { new { type = "compressor", parameters = new Dictionary<string, double>() } } } };
        var listing = (await (await seller.PostAsJsonAsync("/api/listings", new { type = "presetPack", title = "Chaos pack", presets,
            tiers = new[] { MarketplaceApiTests.Tier("Pack", 500, ["wav"]) } })).BodyAsync()).GetProperty("listing");
        var listingId = listing.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/api/listings/{listingId}/publish", null)).StatusCode);
        var orders = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            orders.Add((await (await buyer.PostAsJsonAsync("/api/orders", new { listingId, tierId = MarketplaceApiTests.TierId(listing, "Pack") })).BodyAsync()).GetProperty("id").GetString()!);
        }

        var address = await one.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(one.Grains.GetGrain<Jacameno.Marketplace.IListingGrain>(Guid.Parse(listingId)));
        var host = cluster.Silos.Single(s => s.Port == address!.Endpoint.Port);
        async Task ConfirmAsync(string order)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var response = await admin.PostAsync($"/api/admin/orders/{order}/paid", null);
                if (response.StatusCode == HttpStatusCode.OK && (await response.BodyAsync()).GetProperty("status").GetString() == "completed")
                {
                    return;
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"order {order}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                await Task.Delay(200);
            }
        }

        var confirmations = orders.Select(ConfirmAsync).ToList();
        await Task.Delay(150);
        await host.KillAsync();
        await Task.WhenAll(confirmations);

        foreach (var order in orders)
        {
            var legs = await (await admin.GetAsync($"/api/admin/ledger?reference={order}")).BodyAsync();
            Assert.Equal((3, 0L), (legs.GetArrayLength(), legs.EnumerateArray().Sum(l => l.GetProperty("amount").GetInt64())));
        }

        Assert.Equal(40, (await (await seller.GetAsync($"/api/listings/{listingId}")).BodyAsync()).GetProperty("sales").GetInt64());
        var balance = (await (await seller.GetAsync("/api/seller/balance")).BodyAsync())[0];
        Assert.Equal(40 * (500 - 50), balance.GetProperty("clearing").GetInt64());
    }

    [Fact]
    public async Task APush_IsSentOnce_ThoughEveryFrontendSendsPushes_AndSigningOutOnTheOtherFrontendRemovesItsDevice()
    {
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        var artist = await RegisterAsync(one, "10.0.6.1", "Cluster Artist");
        var fan = await RegisterAsync(two, "10.0.6.2", "Cluster Fan");
        using var artistClient = one.CreateClient("10.0.6.1", artist.AccessToken);
        using var fanClient = two.CreateClient("10.0.6.2", fan.AccessToken);
        using var browser = new PushApiTests.Browser();
        var endpoint = new Uri(cluster.PushService.Address, $"wp/{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.Created, (await artistClient.PostAsJsonAsync("/api/devices", new { kind = "webPush", subscription = browser.Subscription(endpoint) })).StatusCode);

        // The follow is written through the other frontend; both frontends' senders lease from the one outbox.
        Assert.Equal(HttpStatusCode.OK, (await fanClient.PutAsync($"/api/users/{artist.User.Id}/follow", null)).StatusCode);
        var push = await cluster.PushService.WaitForAsync(r => r.Path == endpoint.AbsolutePath);
        Assert.Equal("Cluster Fan followed you", System.Text.Json.JsonDocument.Parse(browser.Decrypt(push.Body)).RootElement.GetProperty("body").GetString());
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second sender that took the same push would have sent it by now
        Assert.Single(cluster.PushService.To(endpoint.AbsolutePath));

        // Signing out through the other frontend ends the session that registered the device, and with it the device.
        // (Each from an address of its own: the cluster's sign-in budget is a few a minute per address.)
        using (var anonymous = two.CreateClient("10.0.6.3"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/logout", new { refreshToken = artist.RefreshToken })).StatusCode);
        }

        using var signIn = one.CreateClient("10.0.6.4");
        var other = (await (await signIn.PostAsJsonAsync("/api/auth/login", new { email = artist.User.Email, password = Password }))
            .Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        using var again = one.CreateClient("10.0.6.4", other.AccessToken);
        Assert.Equal(0, (await (await again.GetAsync("/api/devices")).BodyAsync()).GetArrayLength());
    }

    /// <summary>
    /// A rolling upgrade: every silo in turn is replaced (a new one joins, the old one is stopped with SIGTERM) while a
    /// client edits one project through both frontends. Requests may fail while grains move; an op that was
    /// acknowledged as applied must never be lost.
    /// </summary>
    [Fact]
    public async Task RollingUpgrade_EverySiloReplacedInTurnUnderEditLoad_LosesNoAcknowledgedOp()
    {
        var owner = await RegisterAsync(cluster.Frontends[0], "10.0.9.1", "Rolling Editor");
        using var first = cluster.Frontends[0].CreateClient("10.0.9.1", owner.AccessToken);
        using var second = cluster.Frontends[1].CreateClient("10.0.9.1", owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(first, "Rolling upgrade")).GetProperty("id").GetString()!;
        var acked = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var (sent, failed) = (0, 0);
        using var stop = new CancellationTokenSource();
        var editor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var opId = $"op-{++sent}";
                if (await ProjectsApiTests.TryEditAsync(sent % 2 == 0 ? first : second, projectId, opId, "rolling", sent) is { } version)
                {
                    acked[opId] = version;
                }
                else
                {
                    failed++;
                }

                await Task.Delay(25);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        var running = cluster.Silos.Where(s => !s.HasExited).ToList();
        foreach (var old in running)
        {
            await cluster.ReplaceSiloAsync(old);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await stop.CancelAsync();
        await editor;

        // Every acknowledged op is in the project's log, at the version it was acknowledged with.
        var logged = await ProjectsApiTests.LoggedOpsAsync(first, projectId);

        output.WriteLine($"rolling upgrade of {running.Count} silos: {sent} ops sent, {acked.Count} acknowledged, {failed} failed, {acked.Count(a => logged.ContainsKey(a.Key))} of the acknowledged in the log");
        Assert.True(acked.Count > 50, $"only {acked.Count} of {sent} ops were acknowledged ({failed} failed)");
        Assert.All(acked, a => Assert.Equal(a.Value, Assert.Contains(a.Key, (IDictionary<string, long>)logged)));
        Assert.Equal(running.Count, cluster.Silos.Count(s => !s.HasExited));
    }

    [Fact]
    public async Task Ready_ChecksPostgresRedisS3AndMembership()
    {
        foreach (var frontend in cluster.Frontends)
        {
            using var client = frontend.CreateClient("10.0.3.3");
            var response = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var report = await response.BodyAsync();
            Assert.Equal("Healthy", report.GetProperty("status").GetString());
            var checks = report.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString());
            Assert.Equal(["orleans", "postgres", "redis", "s3"], checks.Keys.Order());
            Assert.All(checks.Values, status => Assert.Equal("Healthy", status));
        }

        // Every silo serves its own metrics: its worker slots, Orleans' grains and storage, the runtime.
        using var http = new HttpClient();
        foreach (var silo in cluster.Silos.Where(s => !s.HasExited))
        {
            var metrics = await http.GetStringAsync(new Uri(silo.Http, "/metrics"));
            Assert.Contains("jacameno_jobs_slots", metrics);
            Assert.Contains("orleans_catalog_activations", metrics);
            Assert.Contains("dotnet_gc_collections_total", metrics);
        }
    }

    /// <summary>
    /// The submitting frontend delivers ops from the ack and the silo's stream filter keeps the stream from bringing
    /// them back: its connections get each op once, and the other frontend's get them from the stream. While only
    /// the submitting frontend listens, the grain publishes nothing; a frontend that joins later, or leaves and
    /// comes back, gets every op from then on (the grain learns of it before the join reads the project).
    /// </summary>
    [Fact]
    public async Task OpsSubmittedThroughOneFrontend_ReachPeersOnBothFrontends_EachOnce()
    {
        const string ip = "10.0.4.6";
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        var owner = await RegisterAsync(one, ip, "Fan Out");
        using var rest = one.CreateClient(ip, owner.AccessToken);
        var projectId = Guid.Parse((await ProjectsApiTests.CreateAsync(rest, "Fan-out")).GetProperty("id").GetString()!);

        await using var writer = await StudioClient.ConnectAsync(one.Server, owner.AccessToken);
        await using var peerHere = await StudioClient.ConnectAsync(one.Server, owner.AccessToken);
        await writer.JoinAsync(projectId);
        await peerHere.JoinAsync(projectId);
        var track = Guid.NewGuid();
        await writer.SubmitAsync(projectId, StudioClient.Op("track.add", new { trackId = track, name = "Keys" }));

        async Task SubmitAsync(int from, int to)
        {
            for (var n = from; n <= to; n++)
            {
                var ack = await writer.SubmitAsync(projectId, StudioClient.Op("track.set", new { trackId = track, volumeDb = -n }));
                Assert.Equal(Jacameno.Projects.OpStatus.Applied, ack.Acks[0].Status);
            }
        }

        // Frontend two opens the project after its first op, leaves it (its last connection), and opens it again.
        await using (var visitor = await StudioClient.ConnectAsync(two.Server, owner.AccessToken))
        {
            await visitor.JoinAsync(projectId);
            await SubmitAsync(2, 11);
            await visitor.WaitForVersionAsync(11);
            Assert.Equal(Enumerable.Range(2, 10).Select(v => (long)v), visitor.DeliveredVersions());
        }

        await SubmitAsync(12, 16);
        await using var peerThere = await StudioClient.ConnectAsync(two.Server, owner.AccessToken, messagePack: true);
        await peerThere.JoinAsync(projectId);
        await SubmitAsync(17, 21);
        await peerThere.WaitForVersionAsync(21);
        await peerHere.WaitForVersionAsync(21);

        await Task.Delay(500); // a copy the stream brought back would arrive within its poll period
        foreach (var peer in new[] { writer, peerHere })
        {
            Assert.Equal(Enumerable.Range(1, 21).Select(v => (long)v), peer.DeliveredVersions());
        }

        Assert.Equal(Enumerable.Range(17, 5).Select(v => (long)v), peerThere.DeliveredVersions());
    }

    [Fact]
    public async Task GraphQLSubscriptions_OnBothFrontends_GetOpsSubmittedThroughOne()
    {
        const string ip = "10.0.4.7";
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        var owner = await RegisterAsync(one, ip, "GraphQL Live");
        using var rest = one.CreateClient(ip, owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(rest, "Subscribed twice")).GetProperty("id").GetString()!;

        // One subscriber on the frontend that takes the edits (its local fast path), one on the other (the stream).
        await using var here = await GraphQLSocket.ConnectAsync(one.Server);
        await using var there = await GraphQLSocket.ConnectAsync(two.Server);
        foreach (var socket in new[] { here, there })
        {
            await socket.InitAsync(owner.AccessToken);
            await socket.SubscribeAsync("ops", GraphQLSubscriptionTests.OpsSubscription, new { p = projectId });
        }

        // Each subscription is live once it has heard an edit; then one more edit reaches both.
        Task<List<JsonElement>> Edit(string name) =>
            ProjectsApiTests.SubmitAsync(rest, projectId, ProjectsApiTests.Op("track.add", new { trackId = Guid.NewGuid(), name }));
        foreach (var socket in new[] { here, there })
        {
            await GraphQLSubscriptionTests.FirstOpsAsync(socket, "ops", n => Edit($"T{n}"));
        }

        var version = (await Edit("Both"))[0].GetProperty("version").GetInt64();
        foreach (var socket in new[] { here, there })
        {
            await socket.ReceiveForAsync("ops", m => m.GetProperty("payload").GetProperty("data").GetProperty("projectOps").EnumerateArray()
                .Any(op => op.GetProperty("version").GetInt64() == version));
        }
    }

    [Fact]
    public async Task AcknowledgedOps_SurviveTheProjectsSiloDying_NoneTwice_ClientsConverge()
    {
        const string ip = "10.0.4.4";
        var (one, two) = (cluster.Frontends[0], cluster.Frontends[1]);
        var owner = await RegisterAsync(one, ip, "Op Writer");
        using var writer = two.CreateClient(ip, owner.AccessToken);
        var projectId = Guid.Parse((await ProjectsApiTests.CreateAsync(writer, "Survivor")).GetProperty("id").GetString()!);
        var track = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(writer, projectId.ToString(), ProjectsApiTests.Op("track.add", new { trackId = track, name = "Takes", kind = "midi" }));

        await using var listener = await StudioClient.ConnectAsync(one.Server, owner.AccessToken);
        await listener.JoinAsync(projectId);

        // One writer, op after op; each is retried with the same op id until acknowledged, as a client does.
        var acked = new Dictionary<string, long>();
        SiloProcess? killed = null;
        for (var n = 0; n < 60; n++)
        {
            if (n == 20)
            {
                var address = await two.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(two.Grains.GetGrain<Jacameno.Projects.IProjectGrain>(projectId));
                killed = cluster.Silos.Single(s => s.Port == address!.Endpoint.Port);
                await killed.KillAsync();
            }

            var op = ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = Guid.NewGuid(), start = n * 1000, length = 500 }, opId: $"op-{n}");
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var response = await writer.PostAsJsonAsync($"/api/projects/{projectId}/ops", new { ops = new[] { op } });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var ack = (await response.BodyAsync()).GetProperty("acks")[0];
                    Assert.Contains(ack.GetProperty("status").GetString(), new[] { "applied", "duplicate" });
                    acked[$"op-{n}"] = ack.GetProperty("version").GetInt64();
                    break;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the project did not come back");
                await Task.Delay(250);
            }
        }

        Assert.NotNull(killed);
        // Every acknowledged op is in the state once, and the log holds versions 1..61 with no op twice.
        var state = await (await writer.GetAsync($"/api/projects/{projectId}")).BodyAsync();
        Assert.Equal(61, state.GetProperty("version").GetInt64());
        Assert.Equal(60, state.GetProperty("tracks")[0].GetProperty("clips").GetArrayLength());
        Assert.Equal(Enumerable.Range(2, 60).Select(v => (long)v), acked.Values.Order());
        var log = await (await writer.GetAsync($"/api/projects/{projectId}/ops?since=0&max=1000")).BodyAsync();
        var ops = log.GetProperty("ops").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 61).Select(v => (long)v), ops.Select(o => o.GetProperty("version").GetInt64()));
        Assert.Equal(ops.Count, ops.Select(o => o.GetProperty("opId").GetString()).Distinct().Count());

        // The live client may have missed events while the silo was down; catching up converges it.
        await listener.CatchUpAsync(projectId);
        await listener.WaitForVersionAsync(61);
        var server = await (await writer.GetAsync($"/api/projects/{projectId}")).Content.ReadFromJsonAsync<Jacameno.Projects.ProjectDocument>(StudioClient.WireJson);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(server, StudioClient.WireJson), System.Text.Json.JsonSerializer.Serialize(listener.Replica, StudioClient.WireJson));
    }

    private static async Task<TokenResponse> RegisterAsync(ClusterFrontend frontend, string ip, string displayName)
    {
        using var anonymous = frontend.CreateClient(ip);
        return await SignUpAsync(anonymous, $"u{Guid.NewGuid():N}@example.org", displayName);
    }

    /// <summary>Signs up, confirms the address by the mailed link and signs in, as a new user does.</summary>
    internal static async Task<TokenResponse> SignUpAsync(HttpClient client, string email, string displayName)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/register", new { email, password = Password, displayName })).StatusCode);
        await SmtpSink.Shared.VerifyAsync(client, email);
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        return (await login.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}
