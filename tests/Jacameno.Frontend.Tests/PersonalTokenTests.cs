using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Projects;
using Microsoft.AspNetCore.SignalR;

namespace Jacameno.Frontend.Tests;

/// <summary>Personal access tokens: made, used within their scopes on REST, GraphQL and the hub, listed, revoked.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class PersonalTokenTests(SharedPlatform platform)
{
    /// <summary>Makes a token for the user and returns its secret.</summary>
    internal static async Task<string> TokenAsync(HttpClient owner, params string[] scopes)
    {
        var response = await owner.PostAsJsonAsync("/api/users/me/tokens", new { name = "script", scopes, expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secret = (await response.BodyAsync()).GetProperty("secret").GetString()!;
        Assert.StartsWith("jcm_pat_", secret, StringComparison.Ordinal);
        return secret;
    }

    [Fact]
    public async Task AToken_ActsForItsUser_WithinItsScopes_OnRestGraphQLAndTheHub()
    {
        var user = await platform.RegisterAsync();
        using var owner = platform.CreateClient(user.AccessToken);
        using var script = platform.CreateClient(await TokenAsync(owner, "profile", "projects:write"));

        var me = await (await script.GetAsync("/api/users/me")).BodyAsync();
        Assert.Equal(user.User.Id.ToString(), me.GetProperty("id").GetString());
        var created = await script.PostAsJsonAsync("/api/projects", new { name = "From a script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var projectId = Guid.Parse((await created.BodyAsync()).GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"/api/projects/{projectId}")).StatusCode); // write includes read

        // Outside its scopes: 403 with the scope it lacks, as RFC 6750 says.
        var releases = await script.GetAsync("/api/releases");
        Assert.Equal(HttpStatusCode.Forbidden, releases.StatusCode);
        Assert.Equal("application/problem+json", releases.Content.Headers.ContentType?.MediaType);
        Assert.Contains("insufficient_scope", releases.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("releases:read", (await releases.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // GraphQL: each root field by its own scope; a refused one is a FORBIDDEN error of its own.
        var body = await GraphQLApiTests.QueryAsync(script, "{ me { id } projects(first: 5) { nodes { name } } }");
        Assert.Equal(user.User.Id.ToString(), body.GetProperty("data").GetProperty("me").GetProperty("id").GetString());
        Assert.Equal("From a script", body.GetProperty("data").GetProperty("projects").GetProperty("nodes")[0].GetProperty("name").GetString());
        body = await GraphQLApiTests.QueryAsync(script, "{ me { id } releases(first: 1) { nodes { id } } }");
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("FORBIDDEN", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("releases", error.GetProperty("path")[0].GetString());

        // The studio hub: join and edit.
        await using (var studio = await StudioClient.ConnectAsync(platform.Server, script.DefaultRequestHeaders.Authorization!.Parameter!))
        {
            await studio.JoinAsync(projectId);
            var acks = await studio.SubmitAsync(projectId, StudioClient.Op("track.add", new { name = "Vox", kind = "audio" }));
            Assert.Equal(OpStatus.Applied, Assert.Single(acks.Acks).Status);
        }

        // A read-only token reads the project, but neither edits it by REST, GraphQL nor the hub.
        using var reader = platform.CreateClient(await TokenAsync(owner, "projects:read"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/projects/{projectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/projects", new { name = "No" })).StatusCode);
        var mutation = await GraphQLApiTests.QueryAsync(reader, "mutation { createProject(name: \"No\") { id } }");
        Assert.Equal("FORBIDDEN", mutation.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        await using var readOnly = await StudioClient.ConnectAsync(platform.Server, reader.DefaultRequestHeaders.Authorization!.Parameter!);
        await readOnly.JoinAsync(projectId);
        var refused = await Assert.ThrowsAsync<HubException>(() => readOnly.SubmitAsync(projectId, StudioClient.Op("track.add", new { name = "No", kind = "audio" })));
        Assert.Contains("projects:write", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_AreListedWithoutSecrets_AndRevokedAtOnce_OverRestAndGraphQL()
    {
        var user = await platform.RegisterAsync();
        using var owner = platform.CreateClient(user.AccessToken);
        var secret = await TokenAsync(owner, "profile");
        using var script = platform.CreateClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/users/me")).StatusCode);

        var listed = await owner.GetStringAsync("/api/users/me/tokens");
        Assert.DoesNotContain(secret[8..], listed, StringComparison.Ordinal);
        var token = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single();
        Assert.Equal("script", token.GetProperty("name").GetString());
        Assert.Equal(["profile"], token.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEqual(JsonValueKind.Null, token.GetProperty("lastUsedAt").ValueKind);

        // GraphQL sees the same, and makes and revokes tokens too.
        var made = await GraphQLApiTests.QueryAsync(owner, "mutation { createPersonalToken(name: \"ci\", scopes: [\"releases:read\"], expiresInDays: 7) { secret token { id scopes expiresAt } } }");
        var graphToken = made.GetProperty("data").GetProperty("createPersonalToken");
        Assert.Equal("releases:read", graphToken.GetProperty("token").GetProperty("scopes")[0].GetString());
        using var ci = platform.CreateClient(graphToken.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/api/releases")).StatusCode);
        var list = await GraphQLApiTests.QueryAsync(owner, "{ personalTokens { name } }");
        Assert.Equal(2, list.GetProperty("data").GetProperty("personalTokens").GetArrayLength());
        var revoked = await GraphQLApiTests.QueryAsync(owner, "mutation($id: ID!) { revokePersonalToken(id: $id) }",
            new { id = graphToken.GetProperty("token").GetProperty("id").GetString() });
        Assert.True(revoked.GetProperty("data").GetProperty("revokePersonalToken").GetBoolean());
        // A public read without a valid token is an anonymous read, as with any expired token; anything personal is 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await ci.GetAsync("/api/notifications")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/users/me/tokens/{token.GetProperty("id").GetString()}")).StatusCode);
        var after = await script.GetAsync("/api/users/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", (await after.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/users/me/tokens/{token.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task BadTokenRequests_Are400_WithTheField()
    {
        using var owner = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { name = "", scopes = new[] { "profile" } }, "name"),
            (new { name = new string('n', 101), scopes = new[] { "profile" } }, "name"),
            (new { name = "x", scopes = Array.Empty<string>() }, "scopes"),
            (new { name = "x", scopes = new[] { "admin" } }, "scopes"),
            (new { name = "x", scopes = new[] { "profile" }, expiresInDays = 0 }, "expiresInDays"),
            (new { name = "x", scopes = new[] { "profile" }, expiresInDays = 10_000 }, "expiresInDays"),
        })
        {
            var response = await owner.PostAsJsonAsync("/api/users/me/tokens", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.BodyAsync()).GetProperty("errors").TryGetProperty(field, out _), field);
        }

        using var wrongType = new StringContent("{\"name\":\"x\",\"scopes\":\"profile\"}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsync("/api/users/me/tokens", wrongType)).StatusCode);
        var scopes = await (await platform.CreateClient().GetAsync("/api/apps/scopes")).BodyAsync();
        Assert.True(scopes.TryGetProperty("projects:write", out _));
    }

    /// <summary>Every GraphQL root field the scope rules name exists: a renamed field is not silently closed to apps.</summary>
    [Fact]
    public async Task EveryClassifiedRootField_IsInTheSchema()
    {
        var schema = await platform.CreateClient().GetStringAsync("/graphql/schema");
        foreach (var field in Apps.ScopeRules.ClassifiedFields)
        {
            Assert.Matches(new System.Text.RegularExpressions.Regex($@"\n  {field}[(:]"), schema);
        }
    }
}
