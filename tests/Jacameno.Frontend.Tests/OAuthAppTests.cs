using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Third-party apps over OAuth 2.1: registered by a developer, sent to the consent page, allowed by the user, code
/// exchanged with PKCE, tokens held to their scopes, refreshed, and ended by the user's revocation.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class OAuthAppTests(SharedPlatform platform)
{
    internal const string Callback = "https://app.example.org/callback";

    internal sealed record Pkce(string Verifier, string Challenge)
    {
        public static Pkce New()
        {
            var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return new Pkce(verifier, challenge);
        }
    }

    internal HttpClient NoRedirects(string? token = null)
    {
        var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    /// <summary>Registers a public app for a new developer; returns its client id.</summary>
    internal async Task<string> RegisterAppAsync(bool confidential = false, string? redirect = Callback)
    {
        using var developer = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var response = await developer.PostAsJsonAsync("/api/apps", new { name = "Setlist Helper", redirectUris = new[] { redirect }, confidential });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("app").GetProperty("clientId").GetString()!;
    }

    internal static Dictionary<string, string?> AuthorizeParameters(string clientId, Pkce pkce, string scope, string redirect = Callback) => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = redirect,
        ["scope"] = scope,
        ["state"] = "xyz",
        ["code_challenge"] = pkce.Challenge,
        ["code_challenge_method"] = "S256",
    };

    /// <summary>What the consent page does when the user clicks: posts the request and the decision with the user's token.</summary>
    internal async Task<HttpResponseMessage> DecideAsync(string userToken, Dictionary<string, string?> parameters, string decision)
    {
        using var client = NoRedirects(userToken);
        return await client.PostAsync("/oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string?>(parameters) { ["decision"] = decision }));
    }

    internal async Task<JsonElement> TokenAsync(Dictionary<string, string> form)
    {
        using var client = NoRedirects();
        var response = await client.PostAsync("/oauth/token", new FormUrlEncodedContent(form));
        return await response.BodyAsync();
    }

    [Fact]
    public async Task AnApp_IsAllowedOnce_ExchangesItsCodeWithPkce_ActsWithinItsScopes_AndIsRevoked()
    {
        var clientId = await RegisterAppAsync();
        var user = await platform.RegisterAsync();
        var pkce = Pkce.New();
        var parameters = AuthorizeParameters(clientId, pkce, "profile projects:read");

        // The app sends the browser to the authorization endpoint; it goes on to the web app's consent page.
        using var browser = NoRedirects();
        var start = await browser.GetAsync(QueryHelpers.AddQueryString("/oauth/authorize", parameters));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith("/oauth/consent?", start.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The consent page shows the app, its developer and the scopes.
        using var userClient = platform.CreateClient(user.AccessToken);
        var consent = await (await userClient.GetAsync($"/api/apps/{clientId}/consent?scope=profile%20projects:read")).BodyAsync();
        Assert.Equal("Setlist Helper", consent.GetProperty("name").GetString());
        Assert.Equal(2, consent.GetProperty("scopes").EnumerateObject().Count());

        // The user allows it: the page gets the app's redirect, with a code and the state.
        var allowed = await DecideAsync(user.AccessToken, parameters, "allow");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var redirect = new Uri((await allowed.BodyAsync()).GetProperty("redirectTo").GetString()!);
        Assert.StartsWith(Callback, redirect.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(redirect.Query);
        Assert.Equal("xyz", query["state"].ToString());
        var code = query["code"].ToString();

        // The wrong verifier gets nothing; the right one gets tokens.
        var wrong = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = clientId, ["code_verifier"] = Pkce.New().Verifier });
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());
        var tokens = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = clientId, ["code_verifier"] = pkce.Verifier });
        Assert.False(tokens.TryGetProperty("error", out var error), error.ToString());
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        // The app reads within its scopes, and nothing else.
        using var app = platform.CreateClient(accessToken);
        Assert.Equal(user.User.Id.ToString(), (await (await app.GetAsync("/api/users/me")).BodyAsync()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/api/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostAsJsonAsync("/api/projects", new { name = "No" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.GetAsync("/api/users/me/tokens")).StatusCode);
        var graph = await GraphQLApiTests.QueryAsync(app, "mutation { revokeAppAccess(clientId: \"" + clientId + "\") }");
        Assert.Equal("FORBIDDEN", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        // A refresh gives a working token.
        var refreshed = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId });
        using var again = platform.CreateClient(refreshed.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/users/me")).StatusCode);

        // The user sees the app in settings and revokes it: every token of the app stops at once.
        var grants = await (await userClient.GetAsync("/api/users/me/apps")).BodyAsync();
        var grant = Assert.Single(grants.EnumerateArray());
        Assert.Equal(["profile", "projects:read"], grant.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var listed = await GraphQLApiTests.QueryAsync(userClient, "{ authorizedApps { appName } }");
        Assert.Equal("Setlist Helper", listed.GetProperty("data").GetProperty("authorizedApps")[0].GetProperty("appName").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await userClient.DeleteAsync($"/api/users/me/apps/{clientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/users/me")).StatusCode);
        var afterRevoke = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId });
        Assert.Equal("invalid_grant", afterRevoke.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ADeniedRequest_ReturnsAccessDenied_ToTheApp_AndAConfidentialApp_NeedsItsSecret()
    {
        var user = await platform.RegisterAsync();
        var denied = await DecideAsync(user.AccessToken, AuthorizeParameters(await RegisterAppAsync(), Pkce.New(), "profile"), "deny");
        var query = QueryHelpers.ParseQuery(new Uri((await denied.BodyAsync()).GetProperty("redirectTo").GetString()!).Query);
        Assert.Equal("access_denied", query["error"].ToString());

        using var developer = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var registered = await (await developer.PostAsJsonAsync("/api/apps", new { name = "Server App", redirectUris = new[] { Callback }, confidential = true })).BodyAsync();
        var clientId = registered.GetProperty("app").GetProperty("clientId").GetString()!;
        var secret = registered.GetProperty("clientSecret").GetString()!;
        var pkce = Pkce.New();
        var allowed = await DecideAsync(user.AccessToken, AuthorizeParameters(clientId, pkce, "releases:read"), "allow");
        var code = QueryHelpers.ParseQuery(new Uri((await allowed.BodyAsync()).GetProperty("redirectTo").GetString()!).Query)["code"].ToString();
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = clientId, ["code_verifier"] = pkce.Verifier };
        Assert.Equal("invalid_client", (await TokenAsync(form)).GetProperty("error").GetString());
        Assert.Equal("invalid_client", (await TokenAsync(new(form) { ["client_secret"] = "jcm_app_wrong" })).GetProperty("error").GetString());
        Assert.True((await TokenAsync(new(form) { ["client_secret"] = secret })).TryGetProperty("access_token", out _));

        var mine = await (await developer.GetAsync("/api/apps")).BodyAsync();
        Assert.True(Assert.Single(mine.EnumerateArray()).GetProperty("confidential").GetBoolean());
        Assert.DoesNotContain(secret, mine.ToString(), StringComparison.Ordinal);
    }
}
