using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Premium: bought through Stripe Billing (the local stand-in and signed webhooks), granted by an admin, and what it unlocks.</summary>
public sealed class PremiumTests(StripeFixture stripe) : IClassFixture<StripeFixture>
{
    private EmbeddedPlatform Platform => stripe.Platform;

    private async Task<HttpStatusCode> SendAsync(string id, string type, object data, DateTimeOffset created)
    {
        var payload = StripeFixture.Event(id, type, data, created);
        return (await stripe.WebhookAsync(payload, StripeFixture.Sign(payload, DateTimeOffset.UtcNow))).StatusCode;
    }

    private static object Subscription(Guid userId, string status, DateTimeOffset periodEnd, bool cancelAtPeriodEnd = false) => new
    {
        id = $"sub_{userId:N}", @object = "subscription", customer = $"cus_{userId:N}", status, cancel_at_period_end = cancelAtPeriodEnd,
        metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString(), ["plan"] = "monthly" },
        items = new { @object = "list", data = new[] { new { id = "si_1", @object = "subscription_item", current_period_end = periodEnd.ToUnixTimeSeconds() } } },
    };

    private async Task<JsonElement> PremiumAsync(HttpClient client) => (await (await client.GetAsync("/api/premium")).BodyAsync()).GetProperty("status");

    private async Task<string> RoleAfterRefreshAsync(string refreshToken)
    {
        var refreshed = await (await Platform.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken })).BodyAsync();
        return refreshed.GetProperty("user").GetProperty("role").GetString()!;
    }

    [Fact]
    public async Task ASubscription_IsPremiumWhilePaid_KeepsItThroughAFailedRenewalsGrace_AndEndsWhenCanceled()
    {
        var user = await Platform.RegisterAsync();
        using var client = Platform.CreateClient(user.AccessToken);
        var overview = await (await client.GetAsync("/api/premium")).BodyAsync();
        Assert.Equal("stripe", overview.GetProperty("provider").GetString());
        Assert.Contains(overview.GetProperty("features").EnumerateArray(), f => f.GetProperty("key").GetString() == "losslessStreams");
        Assert.False(overview.GetProperty("status").GetProperty("active").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/premium/checkout", new { plan = "weekly" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync("/api/premium/portal", null)).StatusCode);
        var checkout = await (await client.PostAsJsonAsync("/api/premium/checkout", new { plan = "monthly" })).BodyAsync();
        Assert.StartsWith("https://checkout.stripe.test/cs_test_", checkout.GetProperty("url").GetString());
        Assert.Contains($"subscription price_monthly {user.User.Id} {user.User.Id} monthly", stripe.StripeRequests);

        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var paidUntil = DateTimeOffset.UtcNow.AddDays(30);
        Assert.Equal(HttpStatusCode.OK, await SendAsync($"evt_{Guid.NewGuid():N}", "customer.subscription.created", Subscription(user.User.Id, "active", paidUntil), start));
        var on = await PremiumAsync(client);
        Assert.Equal((true, "stripe", "monthly", true), (on.GetProperty("active").GetBoolean(), on.GetProperty("source").GetString(), on.GetProperty("plan").GetString(),
            on.GetProperty("renews").GetBoolean()));
        Assert.Equal("premium", await RoleAfterRefreshAsync(user.RefreshToken));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/premium/checkout", new { plan = "yearly" })).StatusCode);
        var portal = await (await client.PostAsync("/api/premium/portal", null)).BodyAsync();
        Assert.Equal($"https://billing.stripe.test/cus_{user.User.Id:N}", portal.GetProperty("url").GetString());

        // A renewal's payment fails: Premium stays on, with a grace date.
        var failed = new
        {
            id = "in_1", @object = "invoice", customer = $"cus_{user.User.Id:N}",
            parent = new { type = "subscription_details", subscription_details = new { subscription = $"sub_{user.User.Id:N}", metadata = new Dictionary<string, string> { ["user_id"] = user.User.Id.ToString() } } },
            lines = new { @object = "list", data = new[] { new { id = "il_1", @object = "line_item", period = new { start = paidUntil.ToUnixTimeSeconds(), end = paidUntil.AddDays(30).ToUnixTimeSeconds() } } } },
        };
        Assert.Equal(HttpStatusCode.OK, await SendAsync($"evt_{Guid.NewGuid():N}", "invoice.payment_failed", failed, start.AddMinutes(1)));
        var grace = await PremiumAsync(client);
        Assert.True(grace.GetProperty("active").GetBoolean());
        Assert.True(grace.GetProperty("graceUntil").GetDateTimeOffset() > paidUntil);

        // Canceled: Premium ends, and the role with it at the next refresh; a late copy of the first event changes nothing.
        Assert.Equal(HttpStatusCode.OK, await SendAsync($"evt_{Guid.NewGuid():N}", "customer.subscription.deleted", Subscription(user.User.Id, "canceled", paidUntil), start.AddMinutes(2)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync($"evt_{Guid.NewGuid():N}", "customer.subscription.updated", Subscription(user.User.Id, "active", paidUntil), start));
        var off = await PremiumAsync(client);
        Assert.Equal((false, "canceled"), (off.GetProperty("active").GetBoolean(), off.GetProperty("subscriptionState").GetString()));
        var signIn = await (await Platform.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "correct horse 9" })).BodyAsync();
        Assert.Equal("user", signIn.GetProperty("user").GetProperty("role").GetString());

        // Events that name no user of this platform are refused.
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync($"evt_{Guid.NewGuid():N}", "customer.subscription.updated", Subscription(Guid.NewGuid(), "active", paidUntil), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task AnAdmin_GrantsPremiumUntilADate_AndEndsIt_OverRestAndGraphQL()
    {
        var user = await Platform.RegisterAsync();
        using var self = Platform.CreateClient(user.AccessToken);
        using var admin = Platform.CreateClient(await Platform.AdminTokenAsync());
        var until = DateTimeOffset.UtcNow.AddDays(10);
        Assert.Equal(HttpStatusCode.Forbidden, (await self.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/premium", new { until })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/premium", new { until = DateTimeOffset.UtcNow.AddDays(-1) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/premium", new { until })).StatusCode);
        var granted = await (await admin.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/premium", new { until })).BodyAsync();
        Assert.Equal((true, "manual"), (granted.GetProperty("active").GetBoolean(), granted.GetProperty("source").GetString()));
        Assert.Equal("premium", await RoleAfterRefreshAsync(user.RefreshToken));

        var forbidden = await GraphQLApiTests.QueryAsync(self, "mutation($u: ID!) { grantPremium(userId: $u) { active } }", new { u = user.User.Id });
        Assert.Equal("FORBIDDEN", forbidden.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var ended = await GraphQLApiTests.QueryAsync(admin, "mutation($u: ID!) { grantPremium(userId: $u, until: null) { active source } }", new { u = user.User.Id });
        Assert.False(ended.GetProperty("data").GetProperty("grantPremium").GetProperty("active").GetBoolean());
        var mine = await GraphQLApiTests.QueryAsync(self, "{ premium { provider plans features { key user premium } status { active } } }");
        Assert.False(mine.GetProperty("data").GetProperty("premium").GetProperty("status").GetProperty("active").GetBoolean());
        Assert.Equal(5, mine.GetProperty("data").GetProperty("premium").GetProperty("features").GetArrayLength());
    }

    /// <summary>What Premium unlocks is enforced: lossless streams of others' releases, and releases dated later.</summary>
    [Fact]
    public async Task LosslessStreams_AndScheduledReleases_ArePremiums()
    {
        var artist = await Platform.RegisterAsync();
        using var artistClient = Platform.CreateClient(artist.AccessToken);
        var release = await StreamingApiTests.QuickReleaseAsync(artistClient, "Lossless test");
        var id = release.GetProperty("id").GetString();

        var listener = await Platform.RegisterAsync();
        using var plain = Platform.CreateClient(listener.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync($"/api/releases/{id}/stream?format=original")).StatusCode);
        var later = DateTimeOffset.UtcNow.AddDays(30);
        var scheduled = await plain.PostAsJsonAsync("/api/releases", new { assetId = Guid.NewGuid(), title = "Later", releaseAt = later });
        Assert.Equal(HttpStatusCode.Forbidden, scheduled.StatusCode);
        Assert.Contains("Premium", await scheduled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await artistClient.PatchAsJsonAsync($"/api/releases/{id}", new { releaseAt = later })).StatusCode);

        using var premium = Platform.CreateClient((await Platform.PremiumAsync(listener)).AccessToken);
        var original = await premium.GetAsync($"/api/releases/{id}/stream?format=original");
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Contains("original", (await premium.GetStringAsync($"/api/releases/{id}")), StringComparison.Ordinal);
        // Past the Premium check, a scheduled release is refused only for what it lacks (no such upload).
        Assert.Equal(HttpStatusCode.NotFound, (await premium.PostAsJsonAsync("/api/releases", new { assetId = Guid.NewGuid(), title = "Later", releaseAt = later })).StatusCode);
    }
}

/// <summary>Premium's larger limits, enforced: stored audio and AI jobs a day, on a platform of its own with small ones.</summary>
public sealed class PremiumLimitsTests : IAsyncLifetime
{
    private readonly EmbeddedPlatform platform = new(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
    {
        ["Jacameno:Assets:UserQuotaBytes"] = "150000",
        ["Jacameno:Assets:PremiumQuotaBytes"] = "1000000",
        ["Jacameno:Jobs:UserJobsPerDay"] = "1",
        ["Jacameno:Jobs:PremiumJobsPerDay"] = "3",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task AUsersLimits_GrowWithPremium()
    {
        var user = await platform.RegisterAsync();
        using var plain = platform.CreateClient(user.AccessToken);
        var wav = new MemoryStream();
        Jacameno.Audio.Formats.WavWriter.Write(wav, [new float[24_000]], 48000, Jacameno.Audio.Formats.WavSampleFormat.Float32);
        var file = new byte[100_000];
        wav.ToArray().CopyTo(file, 0);
        var projectId = (await ProjectsApiTests.CreateAsync(plain, "Limits")).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.Created, (await plain.PostAsync("/api/assets?fileName=a.wav", new ByteArrayContent(file))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await plain.PostAsync("/api/assets?fileName=b.wav", new ByteArrayContent(file))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await plain.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await plain.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).StatusCode);

        using var premium = platform.CreateClient((await platform.PremiumAsync(user)).AccessToken);
        Assert.Equal(HttpStatusCode.Created, (await premium.PostAsync("/api/assets?fileName=b.wav", new ByteArrayContent(file))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await premium.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).StatusCode);
    }
}
