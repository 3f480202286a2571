using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jacameno.Frontend.Auth;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jacameno.Frontend.Tests;

/// <summary>The platform with one OpenID Connect provider ("test") that the tests run on 127.0.0.1.</summary>
public sealed class ExternalLoginFixture : IAsyncLifetime
{
    public OidcTestProvider Provider { get; private set; } = null!;

    public EmbeddedPlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await OidcTestProvider.StartAsync();
        Platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Auth:External:OpenIdConnect:test:Issuer"] = Provider.Issuer.ToString(),
            ["Jacameno:Auth:External:OpenIdConnect:test:ClientId"] = OidcTestProvider.ClientId,
            ["Jacameno:Auth:External:OpenIdConnect:test:ClientSecret"] = OidcTestProvider.ClientSecret,
            ["Jacameno:Auth:External:OpenIdConnect:test:DisplayName"] = "Test ID",
            ["Jacameno:Auth:External:ReturnUrls:0"] = "jacameno://auth",
        });
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed partial class ExternalLoginTests(ExternalLoginFixture fixture) : IClassFixture<ExternalLoginFixture>
{
    private EmbeddedPlatform Platform => fixture.Platform;

    [Fact]
    public async Task NewIdentity_CreatesAccount_WithoutPassword_CodeWorksOnce()
    {
        var email = $"ext-{Guid.NewGuid():N}@example.org";
        var subject = Guid.NewGuid().ToString("N");
        var code = Code(await SignInAsync(new ProviderUser(subject, email, true, "Ada Lovelace")));

        using var client = Platform.CreateClient();
        var redeemed = await client.PostAsJsonAsync("/api/auth/external/redeem", new { code });
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var tokens = (await redeemed.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        Assert.Equal((email, "Ada Lovelace", "Bearer"), (tokens.User.Email, tokens.User.DisplayName, tokens.TokenType));
        Assert.Equal(["test"], tokens.User.LinkedLogins);

        var replay = await client.PostAsJsonAsync("/api/auth/external/redeem", new { code });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);

        // No password was set, so none opens the account.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email, password = "anything at all 1" })).StatusCode);

        // The same identity later, even with another email at the provider, is the same account.
        var again = await RedeemAsync(Code(await SignInAsync(new ProviderUser(subject, $"changed-{email}", true))));
        Assert.Equal(tokens.User.Id, again.User.Id);
    }

    [Fact]
    public async Task VerifiedEmail_LinksTheExistingAccount()
    {
        var email = $"link-{Guid.NewGuid():N}@example.org";
        var registered = await Platform.RegisterAsync(email, verified: false);
        await Platform.VerifyEmailAsync(email);

        var tokens = await RedeemAsync(Code(await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), email.ToUpperInvariant(), true))));
        Assert.Equal(registered.User.Id, tokens.User.Id);
        Assert.Equal(["test"], tokens.User.LinkedLogins);

        using var client = Platform.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse 9" })).StatusCode);
    }

    [Fact]
    public async Task UnverifiedEmail_OfAnExistingAccount_IsRefused_AndLinksNothing()
    {
        var email = $"unverified-{Guid.NewGuid():N}@example.org";
        var registered = await Platform.RegisterAsync(email);

        var location = await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), email, false));
        Assert.StartsWith("/studio#error=account_exists&error_description=", location, StringComparison.Ordinal);

        using var client = Platform.CreateClient(registered.AccessToken);
        var me = await (await client.GetAsync("/api/users/me")).BodyAsync();
        Assert.Empty(me.GetProperty("linkedLogins").EnumerateArray());
    }

    /// <summary>
    /// Pre-account hijack: someone registers the victim's address with a password of their own; the victim's later
    /// social sign-in (the provider vouching for the address) must not land in that account.
    /// </summary>
    [Fact]
    public async Task APasswordAccountWhoseEmailNobodyVerified_IsNeverLinked()
    {
        var email = $"victim-{Guid.NewGuid():N}@example.org";
        var squatter = await Platform.RegisterAsync(email, verified: false);
        Assert.False(squatter.User.EmailVerified);

        var location = await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), email, true));
        Assert.StartsWith("/studio#error=account_exists&error_description=", location, StringComparison.Ordinal);
        Assert.Contains("not verified", Uri.UnescapeDataString(location), StringComparison.Ordinal);
        using var client = Platform.CreateClient(squatter.AccessToken);
        Assert.Empty((await (await client.GetAsync("/api/users/me")).BodyAsync()).GetProperty("linkedLogins").EnumerateArray());
    }

    [Fact]
    public async Task VerificationLinks_WorkOnce_AndForgedOnesSayWhy()
    {
        var email = $"verify-{Guid.NewGuid():N}@example.org";
        var user = await Platform.RegisterAsync(email, verified: false);
        var token = await Platform.MailedVerificationTokenAsync(email);
        using var client = Platform.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/verify-email", new { token = token + "x" })).StatusCode);
        var verified = await client.PostAsJsonAsync("/api/auth/verify-email", new { token });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.True((await verified.BodyAsync()).GetProperty("emailVerified").GetBoolean());
        var reused = await client.PostAsJsonAsync("/api/auth/verify-email", new { token });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signedIn = Platform.CreateClient(user.AccessToken);
        Assert.Equal(HttpStatusCode.Conflict, (await signedIn.PostAsync("/api/auth/verify-email/resend", null)).StatusCode);
        var graph = await GraphQLApiTests.QueryAsync(signedIn, "{ me { emailVerified } }");
        Assert.True(graph.GetProperty("data").GetProperty("me").GetProperty("emailVerified").GetBoolean());
    }

    [Fact]
    public async Task ProviderWithoutEmail_SaysWhy()
    {
        var location = await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), null, false));
        Assert.StartsWith("/studio#error=sign_in_failed&error_description=", location, StringComparison.Ordinal);
        Assert.Contains("email", Uri.UnescapeDataString(location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppReturnUrl_IsAllowed_WhenConfigured()
    {
        var location = await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), $"app-{Guid.NewGuid():N}@example.org", true), "jacameno://auth");
        Assert.StartsWith("jacameno://auth#code=", location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/auth/external/nope/start", HttpStatusCode.NotFound)]
    [InlineData("/api/auth/external/test/start?returnUrl=https://evil.example/", HttpStatusCode.BadRequest)]
    [InlineData("/api/auth/external/test/start?returnUrl=//evil.example/", HttpStatusCode.BadRequest)]
    [InlineData("/api/auth/external/test/start?returnUrl=/x%23y", HttpStatusCode.BadRequest)]
    [InlineData("/api/auth/external/test/callback?code=forged&state=forged", HttpStatusCode.BadRequest)]
    public async Task BadRequests_AreProblems(string url, HttpStatusCode expected)
    {
        using var client = Platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RedeemGarbage_401()
    {
        using var client = Platform.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/external/redeem", new { code = "nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/external/redeem", new { code = new string('x', 5000) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/auth/external/redeem", new StringContent("{\"code\": 5}", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task ProvidersAndRedeem_OverRestAndGraphQL()
    {
        using var client = Platform.CreateClient();
        var providers = await (await client.GetAsync("/api/auth/external")).BodyAsync();
        var only = Assert.Single(providers.EnumerateArray());
        Assert.Equal(("test", "Test ID", "/api/auth/external/test/start"),
            (only.GetProperty("name").GetString(), only.GetProperty("displayName").GetString(), only.GetProperty("startUrl").GetString()));

        var code = Code(await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), $"gql-{Guid.NewGuid():N}@example.org", true)));
        var body = new StringContent(JsonSerializer.Serialize(new
        {
            query = "mutation($c: String!) { redeemSignInCode(code: $c) { accessToken user { linkedLogins } } } ",
            variables = new { c = code },
        }), Encoding.UTF8, "application/json");
        var data = (await (await client.PostAsync("/graphql", body)).BodyAsync()).GetProperty("data").GetProperty("redeemSignInCode");
        Assert.False(string.IsNullOrEmpty(data.GetProperty("accessToken").GetString()));
        Assert.Equal("test", data.GetProperty("user").GetProperty("linkedLogins")[0].GetString());

        var list = new StringContent(JsonSerializer.Serialize(new { query = "{ externalProviders { name displayName startUrl } }" }), Encoding.UTF8, "application/json");
        var listed = (await (await client.PostAsync("/graphql", list)).BodyAsync()).GetProperty("data").GetProperty("externalProviders");
        Assert.Equal("test", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
    }

    /// <summary>
    /// Plays the browser: start at the platform, follow to the provider, come back to the callback with the
    /// cookies of the start, and return where the platform finally sends the browser.
    /// </summary>
    private async Task<string> SignInAsync(ProviderUser user, string returnUrl = "/studio", string? startPath = null)
    {
        fixture.Provider.NextUser = user;
        // HTTPS, as in production: the flow's correlation cookie is Secure (browsers also accept it on http://localhost).
        using var browser = Platform.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        });
        var start = await browser.GetAsync(startPath ?? $"/api/auth/external/test/start?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(fixture.Provider.Issuer.ToString(), authorize.ToString(), StringComparison.Ordinal);

        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await provider.GetAsync(authorize);
        HttpResponseMessage callback;
        if (answer.StatusCode == HttpStatusCode.Redirect)
        {
            callback = await browser.GetAsync(answer.Headers.Location!.PathAndQuery);
        }
        else
        {
            // response_mode=form_post: the provider answers with a form the browser posts to the callback.
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"provider answered {answer.StatusCode}: {await answer.Content.ReadAsStringAsync()} to {authorize}");
            var html = await answer.Content.ReadAsStringAsync();
            var action = new Uri(WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value));
            var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
            callback = await browser.PostAsync(action.PathAndQuery, new FormUrlEncodedContent(fields));
        }

        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"callback answered {callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
        return callback.Headers.Location!.OriginalString;
    }

    /// <summary>Linked from settings: the identity joins the signed-in account, signs in to it afterwards, and can be unlinked (but never the last way in).</summary>
    [Fact]
    public async Task AProvider_LinkedFromSettings_SignsInToTheAccount_AndUnlinks_ButNeverTheLastWayIn()
    {
        var account = await Platform.RegisterAsync($"linker-{Guid.NewGuid():N}@example.org");
        using var client = Platform.CreateClient(account.AccessToken);
        var subject = Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/auth/external/nosuch/link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Platform.CreateClient().PostAsync("/api/auth/external/test/link", null)).StatusCode);
        var start = (await (await client.PostAsync("/api/auth/external/test/link", null)).BodyAsync()).GetProperty("url").GetString()!;
        // A different address at the provider: linking goes by the signed-in account, not by email.
        var location = await SignInAsync(new ProviderUser(subject, $"elsewhere-{subject}@example.org", false), startPath: start);
        Assert.Equal("/settings#linked=test", location);
        Assert.Equal(["test"], (await (await client.GetAsync("/api/users/me")).BodyAsync()).GetProperty("linkedLogins").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(account.User.Id, (await RedeemAsync(Code(await SignInAsync(new ProviderUser(subject, null, false))))).User.Id);

        // The link token works once: replaying the start URL links nothing more.
        var replay = await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), null, false), startPath: start);
        Assert.StartsWith("/settings#error=", replay, StringComparison.Ordinal);

        // Another account cannot take the identity over by linking it too.
        var other = await Platform.RegisterAsync();
        using var otherClient = Platform.CreateClient(other.AccessToken);
        var otherStart = (await (await otherClient.PostAsync("/api/auth/external/test/link", null)).BodyAsync()).GetProperty("url").GetString()!;
        Assert.Contains("another Jacameno account", Uri.UnescapeDataString(await SignInAsync(new ProviderUser(subject, null, false), startPath: otherStart)), StringComparison.Ordinal);

        var unlinked = await (await client.DeleteAsync("/api/users/me/logins/test")).BodyAsync();
        Assert.Empty(unlinked.GetProperty("linkedLogins").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/users/me/logins/test")).StatusCode);

        // An account made by the provider has no password: its only login stays.
        var socialOnly = await RedeemAsync(Code(await SignInAsync(new ProviderUser(Guid.NewGuid().ToString("N"), $"social-{Guid.NewGuid():N}@example.org", true))));
        using var socialClient = Platform.CreateClient(socialOnly.AccessToken);
        var refused = await socialClient.DeleteAsync("/api/users/me/logins/test");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("only way in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var graph = await GraphQLApiTests.QueryAsync(socialClient, "mutation { unlinkSocialLogin(provider: \"test\") { linkedLogins } }");
        Assert.Equal("CONFLICT", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    private async Task<TokenResponse> RedeemAsync(string code)
    {
        using var client = Platform.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/external/redeem", new { code });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
    }

    private static string Code(string location)
    {
        var fragment = location[(location.IndexOf('#', StringComparison.Ordinal) + 1)..];
        Assert.StartsWith("code=", fragment, StringComparison.Ordinal);
        return Uri.UnescapeDataString(fragment["code=".Length..]);
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
