using System.Net;
using System.Net.Http.Json;
using System.Text;
using Jacameno.Frontend.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jacameno.Frontend.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AuthApiTests(SharedPlatform platform)
{
    [Fact]
    public async Task Register_ThenLogin_ThenMe_ReturnsTheUser()
    {
        var email = $"Mixed.{Guid.NewGuid():N}@Example.org";
        var registered = await platform.RegisterAsync(email, displayName: "Mia Mixer");
        Assert.Equal("Bearer", registered.TokenType);
        Assert.Equal(900, registered.ExpiresIn);
        Assert.Equal(email.ToLowerInvariant(), registered.User.Email);

        using var client = platform.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = email.ToUpperInvariant(), password = "correct horse 9" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var tokens = (await login.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;

        using var authed = platform.CreateClient(tokens.AccessToken);
        var me = await (await authed.GetAsync("/api/users/me")).BodyAsync();
        Assert.Equal("Mia Mixer", me.GetProperty("displayName").GetString());
        Assert.Equal(registered.User.Id, me.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownEmail_SameProblem()
    {
        var user = await platform.RegisterAsync();
        using var client = platform.CreateClient();
        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "not the password" });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody-" + Guid.NewGuid().ToString("N") + "@example.org", password = "not the password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal((await wrong.BodyAsync()).GetProperty("detail").GetString(), (await unknown.BodyAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Register_SameEmailConcurrently_MakesOneAccount_AndEveryAnswerIsTheSame()
    {
        var email = $"race-{Guid.NewGuid():N}@example.org";
        using var client = platform.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostAsJsonAsync("/api/auth/register", new { email, password = $"correct horse {i}", displayName = $"Racer {i}" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());

        // One password of the eight opens the one account.
        var logins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostAsJsonAsync("/api/auth/login", new { email, password = $"correct horse {i}" })));
        Assert.Single(logins, r => r.StatusCode == HttpStatusCode.OK);
    }

    /// <summary>Sign-up does not tell whether an address has an account: same status, same body; the owner is mailed.</summary>
    [Fact]
    public async Task Register_AnExistingAddress_AnswersAsForANewOne_AndTellsTheOwner()
    {
        var taken = $"taken-{Guid.NewGuid():N}@example.org";
        await platform.RegisterAsync(taken);
        var fresh = $"fresh-{Guid.NewGuid():N}@example.org";
        using var client = platform.CreateClient();
        var existing = await client.PostAsJsonAsync("/api/auth/register", new { email = taken, password = "another horse 9", displayName = "Squatter" });
        var created = await client.PostAsJsonAsync("/api/auth/register", new { email = fresh, password = "another horse 9", displayName = "Newcomer" });
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (existing.StatusCode, created.StatusCode));
        Assert.Equal((await created.Content.ReadAsStringAsync()).Replace(fresh, "x", StringComparison.Ordinal),
            (await existing.Content.ReadAsStringAsync()).Replace(taken, "x", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email = taken, password = "another horse 9" })).StatusCode);

        await SmtpSink.Shared.WaitForAsync(taken, m => (m.Subject ?? "").Contains("Someone tried to sign up", StringComparison.Ordinal));
    }

    /// <summary>An SMTP server that is down delays the mail (it waits in the outbox), not the sign-up.</summary>
    [Fact]
    public async Task Register_WhenMailCannotBeSent_StillCreatesTheAccount()
    {
        await using var unmailed = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Mail:Smtp:Host"] = "127.0.0.1",
            ["Jacameno:Mail:Smtp:Port"] = Jacameno.Tests.TestServices.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var tokens = await unmailed.RegisterAsync(verified: false);
        using var client = unmailed.CreateClient(tokens.AccessToken);
        Assert.False((await (await client.GetAsync("/api/users/me")).BodyAsync()).GetProperty("emailVerified").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/auth/verify-email/resend", null)).StatusCode);
    }

    [Theory]
    [InlineData("{\"email\":\"a@b.org\",", "JSON")]
    [InlineData("{\"email\":123,\"password\":\"x\",\"displayName\":\"y\"}", "$.email")]
    [InlineData("[1,2,3]", "JSON")]
    public async Task Register_MalformedBody_ProblemDetails400(string body, string mentions)
    {
        using var client = platform.CreateClient();
        var response = await client.PostAsync("/api/auth/register", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(mentions, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("not-an-email", "correct horse 9", "Name", "email")]
    [InlineData("ok@example.org", "short", "Name", "password")]
    [InlineData("ok@example.org", "correct horse 9", "", "displayName")]
    [InlineData(null, "correct horse 9", "Name", "email")]
    public async Task Register_InvalidFields_ValidationProblemNamesTheField(string? email, string password, string displayName, string field)
    {
        using var client = platform.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password, displayName });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.BodyAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Refresh_RotatesAndReuseRevokesTheFamily()
    {
        var user = await platform.RegisterAsync();
        using var client = platform.CreateClient();

        var first = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        Assert.NotEqual(user.RefreshToken, rotated.RefreshToken);

        // The old token comes back: reuse. It fails, and so does the newest token of the same family.
        var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        var afterReplay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = rotated.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, afterReplay.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0123456789abcdef0123456789abcdef.forged")]
    public async Task Refresh_ForgedToken_401(string token)
    {
        using var client = platform.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsThatSessionOnly_LogoutAll_EndsEvery()
    {
        var user = await platform.RegisterAsync(email: $"multi-{Guid.NewGuid():N}@example.org");
        using var client = platform.CreateClient();
        var second = (await (await client.PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "correct horse 9" }))
            .Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
        var third = (await (await client.PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "correct horse 9" }))
            .Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = user.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);
        var stillAlive = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = second.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, stillAlive.StatusCode);

        using var authed = platform.CreateClient(third.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await authed.PostAsync("/api/auth/logout-all", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = third.RefreshToken })).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_OldPasswordStopsWorking()
    {
        var user = await platform.RegisterAsync();
        using var authed = platform.CreateClient(user.AccessToken);
        var wrongCurrent = await authed.PostAsJsonAsync("/api/auth/password", new { currentPassword = "nope nope nope", newPassword = "a brand new pass" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);

        var changed = await authed.PostAsJsonAsync("/api/auth/password", new { currentPassword = "correct horse 9", newPassword = "a brand new pass" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        using var client = platform.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "correct horse 9" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { email = user.User.Email, password = "a brand new pass" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);
    }

    public static TheoryData<string> ForgedAccessTokens()
    {
        var userId = Guid.NewGuid().ToString();
        var handler = new JsonWebTokenHandler();
        string Sign(byte[] key, DateTime expires, string issuer = "jacameno") => handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "jacameno",
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = userId, ["role"] = "Admin" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        return new TheoryData<string>
        {
            // alg: none
            $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"{userId}\",\"role\":\"Admin\",\"iss\":\"jacameno\",\"aud\":\"jacameno\",\"exp\":4102444800}}")}.",
            // signed with another key
            Sign(new byte[64], DateTime.UtcNow.AddMinutes(10)),
            // garbage
            "abc.def.ghi",
        };
    }

    [Theory]
    [MemberData(nameof(ForgedAccessTokens))]
    public async Task Me_ForgedAccessToken_401(string token)
    {
        using var client = platform.CreateClient(token);
        var response = await client.GetAsync("/api/users/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Me_ExpiredAccessToken_401SaysExpired()
    {
        var key = Convert.FromBase64String(await File.ReadAllTextAsync(Path.Combine(platform.DataDirectory, "keys", "jwt-signing.key")));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "jacameno",
            Audience = "jacameno",
            IssuedAt = DateTime.UtcNow.AddHours(-2),
            NotBefore = DateTime.UtcNow.AddHours(-2),
            Expires = DateTime.UtcNow.AddHours(-1),
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
        using var client = platform.CreateClient(token);
        var response = await client.GetAsync("/api/users/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await response.BodyAsync()).GetProperty("detail").GetString());
    }
}
