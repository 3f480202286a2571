using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>Attacks on sign-in and sessions: ended sessions, forged and replayed tokens, other users' ids.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AuthAttacks(SharedPlatform platform)
{
    [Fact]
    public async Task AccessToken_OfALoggedOutSession_IsRefusedAtOnce()
    {
        var tokens = await platform.RegisterAsync();
        using var client = platform.CreateClient(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = tokens.RefreshToken })).StatusCode);
        var after = await client.GetAsync("/api/users/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("session", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("UNAUTHENTICATED", await GraphQLErrorCodeAsync(client, "{ me { id } }"));
    }

    [Fact]
    public async Task AccessTokens_OfEverySession_AreRefusedAfterAPasswordChange_ButTheNewOneWorks()
    {
        var email = $"pw-{Guid.NewGuid():N}@example.org";
        var first = await platform.RegisterAsync(email);
        using var anonymous = platform.CreateClient();
        var second = (await (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse 9" })).Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;

        using var changer = platform.CreateClient(first.AccessToken);
        var changed = await changer.PostAsJsonAsync("/api/auth/password", new { currentPassword = "correct horse 9", newPassword = "battery staple 10" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var fresh = (await changed.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await changer.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient(second.AccessToken).GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.CreateClient(fresh.AccessToken).GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task AccessToken_OfADemotedUser_IsRefused_AndAPromotionKeepsSessions()
    {
        var user = await platform.RegisterAsync();
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/role", new { role = "premium" })).StatusCode);
        // A promotion ends nothing: the old token still works (with its old role until refreshed).
        Assert.Equal(HttpStatusCode.OK, (await platform.CreateClient(user.AccessToken).GetAsync("/api/users/me")).StatusCode);

        using var anonymous = platform.CreateClient();
        var premium = (await (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/role", new { role = "user" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient(premium.AccessToken).GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = premium.RefreshToken })).StatusCode);
    }

    [Theory]
    [MemberData(nameof(AuthApiTests.ForgedAccessTokens), MemberType = typeof(AuthApiTests))]
    public async Task ForgedAccessTokens_AreRefused_OnRestAndGraphQL(string token)
    {
        using var client = platform.CreateClient(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal("UNAUTHENTICATED", await GraphQLErrorCodeAsync(client, "{ me { id } }"));
    }

    [Fact]
    public async Task RefreshToken_Replayed_EndsTheWholeSession()
    {
        var tokens = await platform.RegisterAsync();
        using var anonymous = platform.CreateClient();
        var next = (await (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken })).Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode);
        // The thief's replay revoked the family: the legitimate holder's newer token is gone too, and so are its access tokens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = next.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient(next.AccessToken).GetAsync("/api/users/me")).StatusCode);
    }

    /// <summary>Every kind of resource, read or changed with another user's id: the same 404 as an id that does not exist.</summary>
    [Fact]
    public async Task OtherUsersResources_AreNotFound_OnEveryKind()
    {
        using var owner = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        using var intruder = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var asset = (await AssetsApiTests.UploadAsync(owner, AssetsApiTests.StereoSineWav(-20, 1), "mine.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(owner, asset);
        var project = (await ProjectsApiTests.CreateAsync(owner, "private")).GetProperty("id").GetString()!;
        var job = (await (await owner.PostAsJsonAsync("/api/ai/analysis", new { assetId = asset })).BodyAsync()).GetProperty("id").GetString()!;
        // The tus methods of an upload are in ResumableUploadAttacks (they need tus's headers); its JSON is here.
        var upload = await new TusClient(owner).CreatedAsync(100, TusClient.Metadata(("filename", "mine.wav")));

        foreach (var (method, url) in new[]
        {
            ("GET", $"/api/assets/{asset}"), ("GET", $"/api/assets/{asset}/audio"), ("GET", $"/api/assets/{asset}/peaks"), ("DELETE", $"/api/assets/{asset}"),
            ("GET", $"/api/projects/{project}"), ("GET", $"/api/projects/{project}/ops?since=0"), ("DELETE", $"/api/projects/{project}"),
            ("GET", $"/api/projects/{project}/dawproject"), ("GET", $"/api/projects/{project}/assets/{asset}/audio"),
            ("GET", $"/api/jobs/{job}"), ("DELETE", $"/api/jobs/{job}"), ("GET", upload),
        })
        {
            var response = await intruder.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url}: {response.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/assets/{asset}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/projects/{project}")).StatusCode);
    }

    [Fact]
    public async Task SecurityHeaders_OnTheAppAndTheApi()
    {
        using var client = platform.CreateClient();
        var page = await client.GetAsync("/");
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);

        var api = await client.GetAsync("/api/users/me");
        Assert.Contains("default-src 'none'", string.Join(";", api.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        foreach (var response in new[] { page, api })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }

        using var https = platform.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        Assert.StartsWith("max-age=", (await https.GetAsync("/api/users/me")).Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AnswerLocalCallers_NotTheInternet_EvenThroughALocalProxy()
    {
        await using var proxied = new ProxiedPlatform(new Dictionary<string, string?> { ["Jacameno:Edge:ApiDocs"] = "false" });
        using var client = proxied.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var outside = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal("application/problem+json", outside.Content.Headers.ContentType?.MediaType);

        // The reference UI can be turned off: /docs is then the web app's page, not the API reference.
        Assert.DoesNotContain("scalar", await client.GetStringAsync("/docs"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ForwardedHeaders_AreTrustedFromNoOne_InAClusterByDefault_AndFromLoopback_InEmbeddedMode()
    {
        static ForwardedHeadersOptions For(params (string Key, string Value)[] settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
            using var services = new ServiceCollection().AddJacamenoForwardedHeaders(configuration).BuildServiceProvider();
            return services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        }

        // Empty known lists would mean "everyone" to ASP.NET Core: a bare cluster reads no forwarded header at all.
        Assert.Equal(ForwardedHeaders.None, For(("Jacameno:Mode", "Cluster")).ForwardedHeaders);

        var configured = For(("Jacameno:Mode", "Cluster"), ("Jacameno:TrustedProxies:0", "10.1.0.0/16"));
        Assert.True(configured.ForwardedHeaders.HasFlag(ForwardedHeaders.XForwardedFor));
        Assert.Empty(configured.KnownProxies);
        Assert.Equal("10.1.0.0/16", Assert.Single(configured.KnownIPNetworks).ToString());

        var embedded = For(("Jacameno:Mode", "Embedded"));
        Assert.True(embedded.ForwardedHeaders.HasFlag(ForwardedHeaders.XForwardedFor));
        Assert.True(embedded.KnownProxies.Contains(IPAddress.IPv6Loopback) || embedded.KnownIPNetworks.Any(n => n.Contains(IPAddress.Loopback)));
        Assert.DoesNotContain(embedded.KnownIPNetworks, n => n.Contains(IPAddress.Parse("203.0.113.7")));
    }

    internal static async Task<string?> GraphQLErrorCodeAsync(HttpClient client, string query)
    {
        var body = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");
        var json = await (await client.PostAsync("/graphql", body)).BodyAsync();
        return json.TryGetProperty("errors", out var errors) ? errors[0].GetProperty("extensions").GetProperty("code").GetString() : null;
    }
}

/// <summary>The platform as a proxy on the same machine reaches it: every connection comes from loopback.</summary>
public sealed class ProxiedPlatform(IDictionary<string, string?>? overrides = null) : EmbeddedPlatform(NewDataDirectory(), overrides)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FromLoopback>());
    }

    private sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext http, RequestDelegate following) =>
            {
                http.Connection.RemoteIpAddress = IPAddress.Loopback;
                return following(http);
            });
            next(app);
        };
    }
}
