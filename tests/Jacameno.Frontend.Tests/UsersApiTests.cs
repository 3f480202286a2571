using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class UsersApiTests(SharedPlatform platform)
{
    [Fact]
    public async Task PatchMe_ChangesProfile_AndOthersSeeItWithoutEmail()
    {
        var user = await platform.RegisterAsync(displayName: "Before");
        using var authed = platform.CreateClient(user.AccessToken);
        var patched = await authed.PatchAsJsonAsync("/api/users/me", new { displayName = "After", bio = "Makes beats." });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        using var anonymous = platform.CreateClient();
        var profile = await (await anonymous.GetAsync($"/api/users/{user.User.Id}")).BodyAsync();
        Assert.Equal("After", profile.GetProperty("displayName").GetString());
        Assert.Equal("Makes beats.", profile.GetProperty("bio").GetString());
        Assert.False(profile.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task GetUser_Unknown_404Problem()
    {
        using var client = platform.CreateClient();
        var response = await client.GetAsync($"/api/users/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Search_PrefixWords_PaginatesWithCursorAndNextLink()
    {
        var tag = "zq" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 5; i++)
        {
            await platform.RegisterAsync(displayName: $"{tag}name Person{i}");
        }

        await platform.RegisterAsync(displayName: "Unrelated Someone");
        using var client = platform.CreateClient();
        var seen = new List<string>();
        string? next = $"/api/users?search={tag}&first=2";
        while (next is not null)
        {
            var page = await (await client.GetAsync(next)).BodyAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("displayName").GetString()!));
            next = page.GetProperty("next").GetString();
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{tag}name Person{i}"), seen);

        var both = await (await client.GetAsync($"/api/users?search={tag}+person3")).BodyAsync();
        Assert.Equal($"{tag}name Person3", Assert.Single(both.GetProperty("items").EnumerateArray()).GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("/api/users?first=0")]
    [InlineData("/api/users?first=1000")]
    [InlineData("/api/users?after=not-a-cursor")]
    [InlineData("/api/users?first=abc")]
    public async Task Search_BadPaging_400(string url)
    {
        using var client = platform.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SetRole_ByUser_403_ByAdmin_Changes()
    {
        var target = await platform.RegisterAsync();
        var user = await platform.RegisterAsync();
        using var asUser = platform.CreateClient(user.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await asUser.PutAsJsonAsync($"/api/admin/users/{target.User.Id}/role", new { role = "Premium" })).StatusCode);

        // admin@example.org is configured as an admin email: it becomes Admin at registration or sign-in.
        using var anonymous = platform.CreateClient();
        var adminLogin = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "admin@example.org", password = "correct horse 9" });
        var admin = adminLogin.StatusCode == HttpStatusCode.OK
            ? (await adminLogin.Content.ReadFromJsonAsync<Auth.TokenResponse>(Json.Options))!
            : await platform.RegisterAsync("admin@example.org");
        Assert.Equal("admin", admin.User.Role);
        using var asAdmin = platform.CreateClient(admin.AccessToken);
        var changed = await asAdmin.PutAsJsonAsync($"/api/admin/users/{target.User.Id}/role", new { role = "Premium" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("premium", (await changed.BodyAsync()).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await asAdmin.PutAsJsonAsync($"/api/admin/users/{target.User.Id}/role", new { role = "Emperor" })).StatusCode);
    }

    [Fact]
    public async Task UnknownApiRoute_404Problem()
    {
        using var client = platform.CreateClient();
        var response = await client.GetAsync("/api/no/such/thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_And_Health_AreServed()
    {
        using var client = platform.CreateClient();
        var openApi = await (await client.GetAsync("/openapi/v1.json")).BodyAsync();
        Assert.StartsWith("3.1", openApi.GetProperty("openapi").GetString());
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/auth/register", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await (await client.GetAsync("/health/ready")).BodyAsync();
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal(["orleans"], ready.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        Assert.Contains("http_server_request_duration", await client.GetStringAsync("/metrics"));
    }

    /// <summary>Every API route, webhooks and GraphQL included, is in the OpenAPI document with its methods.</summary>
    [Fact]
    public async Task OpenApi_ListsEveryApiRoute()
    {
        using var client = platform.CreateClient();
        var paths = (await (await client.GetAsync("/openapi/v1.json")).BodyAsync()).GetProperty("paths");
        var routes = ((Microsoft.AspNetCore.Routing.EndpointDataSource)platform.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource))!)
            .Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("/graphql", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(routes);
        var missing = new List<string>();
        foreach (var route in routes)
        {
            // The document writes "{id:guid}" as "{id}" and "{**key}" as "{key}".
            var path = System.Text.RegularExpressions.Regex.Replace(route.RoutePattern.RawText!.TrimEnd('/'), @"\{\**([A-Za-z]+)[^}]*\}", "{$1}");
            var methods = route.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods)
            {
                if (!paths.TryGetProperty(path.Length == 0 ? "/" : path, out var item) && !paths.TryGetProperty(path + "/", out item)
                    || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        Assert.Empty(missing);
        Assert.True(paths.GetProperty("/api/payments/stripe/webhook").TryGetProperty("post", out _));
    }

    /// <summary>
    /// The web app's API types are generated from its copy of the OpenAPI document (frontend/web/src/api/openapi.json):
    /// when the API changes, the copy must change with it, or the app compiles against an API that is not there.
    /// JACAMENO_UPDATE_OPENAPI=1 rewrites the copy.
    /// </summary>
    [Fact]
    public async Task OpenApi_MatchesTheWebAppsCopy()
    {
        using var client = platform.CreateClient();
        var served = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        served.Remove("servers");
        var path = Path.Combine(DeploymentFilesTests.RepositoryRoot(), "frontend", "web", "src", "api", "openapi.json");
        if (Environment.GetEnvironmentVariable("JACAMENO_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served.ToJsonString(new System.Text.Json.JsonSerializerOptions
            {
                WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }) + "\n");
        }

        var copy = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(served, copy),
            "frontend/web/src/api/openapi.json is not the API's document: run the test with JACAMENO_UPDATE_OPENAPI=1, then `npm run gen:api` in frontend/web.");
    }
}
