using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// The account lifecycle and moderation as an attacker tries them: links with forged, reused or misdirected
/// tokens on every link endpoint; password resets as a mail bomb or an address oracle; admin actions without the
/// role, by REST and by GraphQL aliases; a restricted account trying every surface.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AccountAttacks(SharedPlatform platform)
{
    /// <summary>Every endpoint that takes a mailed link's token answers a bad token the same: 400, field token, nothing changed.</summary>
    [Theory]
    [InlineData("/api/auth/verify-email")]
    [InlineData("/api/auth/password-reset/confirm")]
    [InlineData("/api/auth/email/confirm")]
    [InlineData("/api/invitations/accept")]
    public async Task ForgedAndMalformedTokens_Are400OnEveryLinkEndpoint(string path)
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        foreach (var token in new object?[] { "forged", "", null, new string('a', 10_000), "../../etc/passwd", 12345 })
        {
            var response = await client.PostAsJsonAsync(path, new Dictionary<string, object?> { ["token"] = token, ["newPassword"] = "a good horse 99" });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>A token mailed for one purpose opens no other door.</summary>
    [Fact]
    public async Task ALinksToken_WorksOnlyForItsOwnPurpose()
    {
        var email = $"purpose-{Guid.NewGuid():N}@example.org";
        await platform.RegisterAsync(email);
        using var client = platform.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/password-reset", new { email })).StatusCode);
        var reset = await platform.MailedTokenAsync(email, "reset-password");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/verify-email", new { token = reset })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/email/confirm", new { token = reset })).StatusCode);
        // Still good for what it was mailed for.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token = reset, newPassword = "a good horse 99" })).StatusCode);
    }

    /// <summary>Reset requests by GraphQL aliases are capped like logins: no mail bomb or address sweep in one request.</summary>
    [Fact]
    public async Task AliasedResetRequests_AreCappedPerRequest()
    {
        using var client = platform.CreateClient();
        var fields = string.Join(' ', Enumerable.Range(0, 600).Select(i => $"r{i}: requestPasswordReset(email: \"v{i}@example.org\")"));
        using var request = GraphQLApiTests.Modern($"mutation {{ {fields} }}");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("root fields", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Every admin surface of Premium and moderation refuses a signed-in user (403) and an anonymous one (401).</summary>
    [Fact]
    public async Task AdminSurfaces_Refuse_UsersAndStrangers_AlikeOnEveryEndpoint()
    {
        var user = await platform.RegisterAsync();
        using var signedIn = platform.CreateClient(user.AccessToken);
        using var anonymous = platform.CreateClient();
        var requests = new Func<HttpClient, Task<HttpResponseMessage>>[]
        {
            c => c.PutAsJsonAsync($"/api/admin/users/{user.User.Id}/premium", new { until = DateTimeOffset.UtcNow.AddYears(10) }),
            c => c.GetAsync("/api/admin/moderation/reports"),
            c => c.GetAsync("/api/admin/moderation/actions"),
            c => c.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "user", targetId = user.User.Id, action = "reinstate", reason = "me" }),
        };
        foreach (var request in requests)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await request(signedIn)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await request(anonymous)).StatusCode);
        }

        var aliased = await GraphQLApiTests.QueryAsync(signedIn, $"mutation {{ a: grantPremium(userId: \"{user.User.Id}\", until: \"2099-01-01T00:00:00Z\") {{ active }} " +
            $"b: moderate(targetType: \"user\", targetId: \"{user.User.Id}\", action: \"reinstate\", reason: \"x\") {{ action }} }}");
        Assert.All(aliased.GetProperty("errors").EnumerateArray(), e => Assert.Equal("FORBIDDEN", e.GetProperty("extensions").GetProperty("code").GetString()));
        Assert.False((await (await signedIn.GetAsync("/api/premium")).BodyAsync()).GetProperty("status").GetProperty("active").GetBoolean());
    }

    /// <summary>A suspended account is refused on REST, GraphQL and the studio hub with the same reason, and cannot lift its own suspension.</summary>
    [Fact]
    public async Task ASuspendedAccount_IsRefusedOnEverySurface()
    {
        var user = await platform.RegisterAsync();
        using var client = platform.CreateClient(user.AccessToken);
        var project = Guid.Parse((await ProjectsApiTests.CreateAsync(client, "Before")).GetProperty("id").GetString()!);
        await using var studio = await StudioClient.ConnectAsync(platform.Server, user.AccessToken);
        await studio.JoinAsync(project);
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions",
            new { targetType = "user", targetId = user.User.Id, action = "suspend", reason = "Cooling off", until = DateTimeOffset.UtcNow.AddDays(1) })).StatusCode);

        foreach (var response in new[]
        {
            await client.PostAsJsonAsync("/api/projects", new { name = "During" }),
            await client.PatchAsJsonAsync("/api/users/me", new { bio = "x" }),
            await client.DeleteAsync($"/api/projects/{project}"),
            await client.PostAsJsonAsync("/api/reports", new { targetType = "user", targetId = Guid.NewGuid(), reason = "spam" }),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Cooling off", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var graph = await GraphQLApiTests.QueryAsync(client, "mutation { report(targetType: \"user\", targetId: \"00000000-0000-0000-0000-000000000001\", reason: \"spam\") { id } }");
        Assert.Contains("Cooling off", graph.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        var hub = await Assert.ThrowsAsync<HubException>(() => studio.SubmitAsync(project, StudioClient.Op("track.add", new { trackId = Guid.NewGuid(), name = "x", kind = "audio" }, studio.Version)));
        Assert.Contains("Cooling off", hub.Message, StringComparison.Ordinal);
        // Reading goes on.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/projects/{project}")).StatusCode);
    }
}
