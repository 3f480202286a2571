using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// The OAuth server as an attacker tries it: codes sent to a look-alike redirect URI, an unknown client, requests
/// without PKCE or with more scope than exists, replayed codes and refresh tokens, hostile redirect URIs at
/// registration, and the consent step by someone who is not the user's web app.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class OAuthAttacks(SharedPlatform platform)
{
    private readonly OAuthAppTests flow = new(platform);

    [Fact]
    public async Task RedirectUris_ThatAreNotExactlyRegistered_OrUnknownClients_GetNoRedirect()
    {
        var clientId = await flow.RegisterAppAsync();
        var user = await platform.RegisterAsync();
        var pkce = OAuthAppTests.Pkce.New();
        string[] lookAlikes =
        [
            "https://evil.example/callback", OAuthAppTests.Callback + "/../x", OAuthAppTests.Callback + "?next=https://evil.example",
            "https://app.example.org.evil.example/callback", "HTTPS://APP.EXAMPLE.ORG/CALLBACK", OAuthAppTests.Callback + "/",
            "http://app.example.org/callback", "javascript:alert(1)",
        ];
        foreach (var (client, redirect) in lookAlikes.Select(r => (clientId, r))
            .Append((Guid.NewGuid().ToString(), OAuthAppTests.Callback)).Append(("not-a-client", OAuthAppTests.Callback)))
        {
            var parameters = OAuthAppTests.AuthorizeParameters(client, pkce, "profile", redirect);
            using var browser = flow.NoRedirects();
            var get = await browser.GetAsync(QueryHelpers.AddQueryString("/oauth/authorize", parameters));
            Assert.True(get.StatusCode == HttpStatusCode.BadRequest, $"{redirect}: {get.StatusCode} {get.Headers.Location}");
            var post = await flow.DecideAsync(user.AccessToken, parameters, "allow");
            Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
            Assert.DoesNotContain("code=", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty((await (await platform.CreateClient(user.AccessToken).GetAsync("/api/users/me/apps")).BodyAsync()).EnumerateArray());
    }

    [Fact]
    public async Task NoPkce_APlainChallenge_OrAnUnknownScope_GetNoCode()
    {
        var clientId = await flow.RegisterAppAsync();
        var user = await platform.RegisterAsync();
        var pkce = OAuthAppTests.Pkce.New();
        var noPkce = OAuthAppTests.AuthorizeParameters(clientId, pkce, "profile");
        noPkce.Remove("code_challenge");
        noPkce.Remove("code_challenge_method");
        var plain = OAuthAppTests.AuthorizeParameters(clientId, pkce, "profile");
        plain["code_challenge_method"] = "plain";
        foreach (var parameters in new[] { noPkce, plain, OAuthAppTests.AuthorizeParameters(clientId, pkce, "profile admin") })
        {
            var response = await flow.DecideAsync(user.AccessToken, parameters, "allow");
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("code=", body, StringComparison.Ordinal);
            Assert.Contains("invalid_", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AReplayedCode_OrRefreshToken_EndsTheWholeGrant()
    {
        var clientId = await flow.RegisterAppAsync();
        var user = await platform.RegisterAsync();
        var pkce = OAuthAppTests.Pkce.New();
        var allowed = await flow.DecideAsync(user.AccessToken, OAuthAppTests.AuthorizeParameters(clientId, pkce, "profile"), "allow");
        var code = QueryHelpers.ParseQuery(new Uri((await allowed.BodyAsync()).GetProperty("redirectTo").GetString()!).Query)["code"].ToString();
        var exchange = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OAuthAppTests.Callback, ["client_id"] = clientId, ["code_verifier"] = pkce.Verifier };
        var first = await flow.TokenAsync(exchange);
        using var app = platform.CreateClient(first.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/api/users/me")).StatusCode);

        // The same code again (an attacker who saw it): refused, and the tokens the code gave are ended too.
        Assert.Equal("invalid_grant", (await flow.TokenAsync(exchange)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/users/me")).StatusCode);

        // A refresh token used twice: the same.
        var again = await flow.DecideAsync(user.AccessToken, OAuthAppTests.AuthorizeParameters(clientId, pkce, "profile"), "allow");
        var code2 = QueryHelpers.ParseQuery(new Uri((await again.BodyAsync()).GetProperty("redirectTo").GetString()!).Query)["code"].ToString();
        var tokens = await flow.TokenAsync(new(exchange) { ["code"] = code2 });
        var refresh = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["client_id"] = clientId };
        var rotated = await flow.TokenAsync(refresh);
        using var current = platform.CreateClient(rotated.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal("invalid_grant", (await flow.TokenAsync(refresh)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await current.GetAsync("/api/users/me")).StatusCode);
        var next = new Dictionary<string, string>(refresh) { ["refresh_token"] = rotated.GetProperty("refresh_token").GetString()! };
        Assert.Equal("invalid_grant", (await flow.TokenAsync(next)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task HostileRedirectUris_AreRefusedAtRegistration_AndAppsAreTheirOwnersAlone()
    {
        var developer = await platform.RegisterAsync();
        using var client = platform.CreateClient(developer.AccessToken);
        foreach (var uris in new[]
        {
            ["javascript:alert(1)"], ["http://evil.example/cb"], ["https://user:pw@app.example.org/cb"], ["https://app.example.org/cb#frag"],
            ["data:text/html,<script>1</script>"], ["not a uri"], ["file:///etc/passwd"], [], Enumerable.Range(0, 11).Select(i => $"https://a.example/{i}").ToArray(),
        })
        {
            var response = await client.PostAsJsonAsync("/api/apps", new { name = "Evil", redirectUris = uris });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.BodyAsync()).GetProperty("errors").TryGetProperty("redirectUris", out _), string.Join(',', uris));
        }

        // Loopback http (native apps) and private-use schemes (mobile apps) are fine.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/apps", new { name = "Native", redirectUris = new[] { "http://127.0.0.1:8123/cb", "org.example.app:/oauth" } })).StatusCode);

        var clientId = await flow.RegisterAppAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/apps/{clientId}")).StatusCode);

        // The consent step is the user's own web app: not anonymous, not a scoped token.
        var parameters = OAuthAppTests.AuthorizeParameters(clientId, OAuthAppTests.Pkce.New(), "profile");
        using var anonymous = flow.NoRedirects();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string?>(parameters) { ["decision"] = "allow" }))).StatusCode);
        var pat = await PersonalTokenTests.TokenAsync(client, "profile", "projects:write");
        Assert.Equal(HttpStatusCode.Forbidden, (await flow.DecideAsync(pat, parameters, "allow")).StatusCode);
    }
}
