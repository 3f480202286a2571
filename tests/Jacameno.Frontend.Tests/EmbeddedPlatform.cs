using System.Net.Http.Headers;
using System.Net.Http.Json;
using Jacameno.Frontend.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The platform in embedded mode, as `dotnet run --project frontend` starts it: a co-hosted silo, SQLite and a
/// blob folder in a data directory of its own; its mail goes to the test script's SMTP sink.
/// </summary>
public class EmbeddedPlatform : WebApplicationFactory<Program>
{
    public string DataDirectory { get; }

    private readonly Dictionary<string, string?> settings;

    public EmbeddedPlatform() : this(NewDataDirectory(), null) { }

    public EmbeddedPlatform(string dataDirectory, IDictionary<string, string?>? overrides)
    {
        DataDirectory = dataDirectory;
        settings = new Dictionary<string, string?>
        {
            ["Jacameno:Mode"] = "Embedded",
            ["Jacameno:DataDirectory"] = dataDirectory,
            ["Jacameno:RateLimits:AuthPerMinute"] = "100000",
            ["Jacameno:RateLimits:RequestsPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Jacameno:Auth:AdminEmails:0"] = "admin@example.org",
        };
        foreach (var (key, value) in SmtpSink.Shared.Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "jacameno-api-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// Registers a new user, confirms the address by the mailed link (unless <paramref name="verified"/> is false, for
    /// tests of what an unconfirmed account may not do), signs in as them, and returns the token response.
    /// </summary>
    public async Task<TokenResponse> RegisterAsync(string? email = null, string password = "correct horse 9", string displayName = "Test User", bool verified = true)
    {
        using var client = CreateClient();
        email ??= $"u{Guid.NewGuid():N}@example.org";
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, password, displayName });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        if (verified)
        {
            await VerifyEmailAsync(email);
        }

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return (await login.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
    }

    /// <summary>Has the admin grant the user Premium for a month; returns a new token pair that says so.</summary>
    public async Task<TokenResponse> PremiumAsync(TokenResponse user)
    {
        using var admin = CreateClient(await AdminTokenAsync());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/premium", new { until = DateTimeOffset.UtcNow.AddDays(30) })).StatusCode);
        using var client = CreateClient();
        return (await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!;
    }

    /// <summary>An access token of the platform's admin (admin@example.org), registered on first use.</summary>
    public async Task<string> AdminTokenAsync()
    {
        using var anonymous = CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "admin@example.org", password = "correct horse 9" });
        return login.StatusCode == System.Net.HttpStatusCode.OK
            ? (await login.Content.ReadFromJsonAsync<TokenResponse>(Json.Options))!.AccessToken
            : (await RegisterAsync("admin@example.org")).AccessToken;
    }

    /// <summary>The token of the newest verification link mailed to <paramref name="email"/> (received by the SMTP sink).</summary>
    public Task<string> MailedVerificationTokenAsync(string email) => MailedTokenAsync(email, "verify-email");

    /// <summary>The token of the newest link to <paramref name="path"/> mailed to <paramref name="email"/>.</summary>
    public Task<string> MailedTokenAsync(string email, string path) => SmtpSink.Shared.LinkTokenAsync(email, path);

    /// <summary>Confirms the email of an account as its owner would, by the mailed link.</summary>
    public async Task VerifyEmailAsync(string email)
    {
        using var client = CreateClient();
        await SmtpSink.Shared.VerifyAsync(client, email);
    }

    public HttpClient CreateClient(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}

public static class Json
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static async Task<System.Text.Json.JsonElement> BodyAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>())!;
}

[CollectionDefinition(Name)]
public sealed class EmbeddedPlatformCollection : ICollectionFixture<SharedPlatform>
{
    public const string Name = "embedded platform";
}

/// <summary>The platform one test collection shares (xUnit fixtures need a single constructor).</summary>
public sealed class SharedPlatform() : EmbeddedPlatform(NewDataDirectory(), null);
