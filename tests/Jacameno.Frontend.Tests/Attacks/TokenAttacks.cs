using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// Personal access tokens as an attacker tries them: a leaked script token used to take the account (make more
/// tokens, change the password or email, delete it, move payouts), forged and mangled tokens, a token that outlives
/// signing out everywhere.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class TokenAttacks(SharedPlatform platform)
{
    private static readonly string[] AllScopes = ["profile", "releases:write", "projects:write", "marketplace:write"];

    [Fact]
    public async Task AScopedToken_WithEveryScope_NeverReachesTheAccount()
    {
        var user = await platform.RegisterAsync();
        using var owner = platform.CreateClient(user.AccessToken);
        using var script = platform.CreateClient(await PersonalTokenTests.TokenAsync(owner, AllScopes));
        foreach (var (method, path) in new[]
        {
            ("GET", "/api/users/me/tokens"), ("POST", "/api/users/me/tokens"), ("DELETE", $"/api/users/me/tokens/{Guid.NewGuid()}"),
            ("PATCH", "/api/users/me"), ("DELETE", "/api/users/me"), ("POST", "/api/users/me/export"),
            ("POST", "/api/auth/password"), ("POST", "/api/auth/email"), ("POST", "/api/auth/logout-all"),
            ("POST", "/api/premium/checkout"), ("PUT", "/api/seller/stripe-account"), ("POST", "/api/seller/payouts"),
            ("GET", "/api/admin/moderation/queue"), ("PUT", $"/api/admin/users/{user.User.Id}/role"), ("POST", "/api/reports"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x", scopes = AllScopes }) };
            var response = await script.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {response.StatusCode}");
            Assert.Contains("Only the Jacameno app", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // GraphQL: each account field refused on its own, aliases included.
        var body = await GraphQLApiTests.QueryAsync(script,
            "mutation { a: createPersonalToken(name: \"x\", scopes: [\"profile\"]) { secret } b: createPersonalToken(name: \"y\", scopes: [\"profile\"]) { secret } deleteMyAccount(password: \"correct horse 9\") }");
        Assert.Equal(3, body.GetProperty("errors").GetArrayLength());
        Assert.All(body.GetProperty("errors").EnumerateArray(), e => Assert.Equal("FORBIDDEN", e.GetProperty("extensions").GetProperty("code").GetString()));
        Assert.Single((await (await owner.GetAsync("/api/users/me/tokens")).BodyAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/users/me")).StatusCode); // the account is untouched
    }

    [Fact]
    public async Task ForgedAndMangledTokens_Are401_WithAReason()
    {
        var victim = await platform.RegisterAsync();
        using var owner = platform.CreateClient(victim.AccessToken);
        var real = await PersonalTokenTests.TokenAsync(owner, "profile");
        var other = await platform.RegisterAsync();
        var forged = new[]
        {
            real[..^1] + (real[^1] == 'A' ? 'B' : 'A'),                              // one character of the secret
            real[..^10],                                                             // truncated
            "jcm_pat_" + other.User.Id.ToString("N") + real[(8 + 32)..],             // the secret under another user
            "jcm_pat_" + new string('z', 64) + "secret",                             // ids that are no ids
            "jcm_pat_",
            real + new string('a', 5000),
        };
        foreach (var token in forged)
        {
            using var client = platform.CreateClient(token);
            var response = await client.GetAsync("/api/users/me");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var graph = await GraphQLApiTests.QueryAsync(client, "{ me { id } }");
            Assert.Equal("UNAUTHENTICATED", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task SigningOutEverywhere_EndsEveryToken()
    {
        var user = await platform.RegisterAsync();
        using var owner = platform.CreateClient(user.AccessToken);
        using var script = platform.CreateClient(await PersonalTokenTests.TokenAsync(owner, "profile"));
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostAsync("/api/auth/logout-all", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/users/me")).StatusCode);
    }
}
