using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class GraphQLApiTests(SharedPlatform platform)
{
    private static StringContent Body(string query, object? variables = null) =>
        new(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");

    /// <summary>Posts a GraphQL request and returns the whole response body (data and errors).</summary>
    internal static async Task<JsonElement> QueryAsync(HttpClient client, string query, object? variables = null) =>
        await (await client.PostAsync("/graphql", Body(query, variables))).BodyAsync();

    /// <summary>A request that asks for <c>application/graphql-response+json</c>, as current GraphQL clients do.</summary>
    internal static HttpRequestMessage Modern(string query, object? variables = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Body(query, variables) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        return request;
    }

    [Fact]
    public async Task Post_MeAndUsers_GraphQLResponseJson()
    {
        var user = await platform.RegisterAsync(displayName: "Graph Q Lee");
        using var client = platform.CreateClient(user.AccessToken);
        using var request = Modern("query($s: String) { me { id displayName } users(search: $s, first: 5) { nodes { displayName } pageInfo { hasNextPage } } }", new { s = "graph" });
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal(user.User.Id.ToString(), data.GetProperty("me").GetProperty("id").GetString());
        Assert.Contains(data.GetProperty("users").GetProperty("nodes").EnumerateArray(), n => n.GetProperty("displayName").GetString() == "Graph Q Lee");
    }

    [Fact]
    public async Task Me_WithoutToken_ErrorWithUnauthenticatedCode()
    {
        using var client = platform.CreateClient();
        var body = await (await client.PostAsync("/graphql", Body("{ me { id } }"))).BodyAsync();
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RegisterAndLogin_Mutations_ReturnTokens()
    {
        using var client = platform.CreateClient();
        var email = $"gql-{Guid.NewGuid():N}@example.org";
        var registered = await (await client.PostAsync("/graphql", Body(
            "mutation($e: String!) { register(email: $e, password: \"correct horse 9\", displayName: \"GQL\") { email message } }", new { e = email }))).BodyAsync();
        Assert.Equal(email, registered.GetProperty("data").GetProperty("register").GetProperty("email").GetString());
        var login = await (await client.PostAsync("/graphql", Body(
            "mutation($e: String!) { login(email: $e, password: \"wrong password\") { accessToken } }", new { e = email }))).BodyAsync();
        Assert.Equal("UNAUTHENTICATED", login.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var signedIn = await (await client.PostAsync("/graphql", Body(
            "mutation($e: String!) { login(email: $e, password: \"correct horse 9\") { accessToken user { email emailVerified } } }", new { e = email }))).BodyAsync();
        var payload = signedIn.GetProperty("data").GetProperty("login");
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("accessToken").GetString()));
        Assert.Equal((email, false), (payload.GetProperty("user").GetProperty("email").GetString(), payload.GetProperty("user").GetProperty("emailVerified").GetBoolean()));
    }

    [Fact]
    public async Task Get_Query_Works_Mutation_405()
    {
        using var client = platform.CreateClient();
        var query = await client.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ users(first: 1) { pageInfo { hasNextPage } } }"));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        var mutation = await client.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { updateMe(bio: \"x\") { id } }"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
    }

    [Fact]
    public async Task ParseError_400ForGraphQLResponseJson_200ForApplicationJson()
    {
        using var client = platform.CreateClient();
        using var modernRequest = Modern("{ users { ");
        var modern = await client.SendAsync(modernRequest);
        Assert.Equal(HttpStatusCode.BadRequest, modern.StatusCode);
        Assert.True((await modern.BodyAsync()).TryGetProperty("errors", out _));

        using var legacy = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Body("{ users { ") };
        legacy.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var legacyResponse = await client.SendAsync(legacy);
        Assert.Equal(HttpStatusCode.OK, legacyResponse.StatusCode);
        Assert.Equal("application/json", legacyResponse.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, "application/json", 200)]
    [InlineData("*/*", "application/json", 200)]
    [InlineData("application/*", "application/json", 200)]
    [InlineData("application/json", "application/json", 200)]
    [InlineData("application/graphql-response+json", "application/graphql-response+json", 400)]
    [InlineData("application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json", 400)]
    [InlineData("application/graphql-response+json;q=0.5, application/json", "application/json", 200)]
    [InlineData("application/graphql-response+json;q=0, */*", "application/json", 200)]
    public async Task Accept_PicksTheMediaType_WildcardOrNoneIsApplicationJson(string? accept, string mediaType, int invalidStatus)
    {
        using var client = platform.CreateClient();
        foreach (var (query, status) in new[] { ("{ users(first: 1) { pageInfo { hasNextPage } } }", 200), ("{ users { ", invalidStatus) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Body(query) };
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            var response = await client.SendAsync(request);
            Assert.Equal((status, mediaType), ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            Assert.True((await response.BodyAsync()).TryGetProperty(status == 200 && query.EndsWith('}') ? "data" : "errors", out _));
        }

        using var get = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("{ users(first: 1) { nodes { id } } }"));
        if (accept is not null)
        {
            get.Headers.TryAddWithoutValidation("Accept", accept);
        }

        Assert.Equal(mediaType, (await client.SendAsync(get)).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Accept_NothingAcceptable_406()
    {
        using var client = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Body("{ users { nodes { id } } }") };
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("{\"query\": 5}")]
    [InlineData("{\"query\": \"{ me { id } }\", \"variables\": \"nope\"}")]
    [InlineData("not json")]
    [InlineData("{}")]
    public async Task MalformedRequest_400(string json)
    {
        using var client = platform.CreateClient();
        var response = await client.PostAsync("/graphql", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task WrongContentType_415()
    {
        using var client = platform.CreateClient();
        var response = await client.PostAsync("/graphql", new StringContent("{ me { id } }", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task TooDeepQuery_Refused()
    {
        using var client = platform.CreateClient();
        var deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";
        using var request = Modern(deep);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Schema_IsServedAsSdl()
    {
        using var client = platform.CreateClient();
        var sdl = await client.GetStringAsync("/graphql/schema");
        Assert.Contains("type Query", sdl);
        Assert.Contains("users(", sdl);
    }
}

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ProjectsGraphQLTests(SharedPlatform platform)
{
    private static StringContent Body(string query, object? variables = null) =>
        new(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json");

    /// <summary>Posts a GraphQL request and returns the whole response body (data and errors).</summary>
    internal static async Task<JsonElement> QueryAsync(HttpClient client, string query, object? variables = null) =>
        await (await client.PostAsync("/graphql", Body(query, variables))).BodyAsync();

    [Fact]
    public async Task CreateSubmitAndRead_ThroughGraphQL()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var created = (await (await client.PostAsync("/graphql", Body("mutation { createProject(name: \"Graph Song\", tempo: 100) { id version } }"))).BodyAsync())
            .GetProperty("data").GetProperty("createProject");
        var id = created.GetProperty("id").GetString();

        var track = Guid.NewGuid();
        var ops = new[]
        {
            new { clientId = "gql", opId = "1", baseVersion = 0, kind = "track.add", payload = JsonSerializer.Serialize(new { trackId = track, name = "Lead", kind = "midi" }) },
            new { clientId = "gql", opId = "2", baseVersion = 0, kind = "clip.add", payload = JsonSerializer.Serialize(new { trackId = track, start = 48000, length = 96000 }) },
            new { clientId = "gql", opId = "3", baseVersion = 0, kind = "track.remove", payload = JsonSerializer.Serialize(new { trackId = Guid.NewGuid() }) },
        };
        var acks = (await (await client.PostAsync("/graphql", Body("mutation($p: ID!, $ops: [OpInput!]!) { submitOps(projectId: $p, ops: $ops) { opId status version reason } }",
            new { p = id, ops }))).BodyAsync()).GetProperty("data").GetProperty("submitOps").EnumerateArray().ToList();
        Assert.Equal(["applied", "applied", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));

        var whole = await (await client.PostAsync("/graphql", Body("query($id: ID!) { project(id: $id) { name version samplesPerBeat tracks { name kind effects { type parameters { name value } } clips { start startBeats lengthBeats fadeIn { length curve } notes { pitch velocity start length } } } comments { text replies { text } } collaborators { userId role } } }",
            new { id }))).BodyAsync();
        Assert.True(whole.TryGetProperty("data", out var data), whole.GetRawText());
        var project = data.GetProperty("project");
        Assert.Equal(("Graph Song", 2L, 28800.0), (project.GetProperty("name").GetString(), project.GetProperty("version").GetInt64(), project.GetProperty("samplesPerBeat").GetDouble()));
        var clip = project.GetProperty("tracks")[0].GetProperty("clips")[0];
        Assert.Equal((48000L, 48000 / 28800.0, 96000 / 28800.0), (clip.GetProperty("start").GetInt64(), clip.GetProperty("startBeats").GetDouble(), clip.GetProperty("lengthBeats").GetDouble()));
        Assert.Equal("owner", project.GetProperty("collaborators")[0].GetProperty("role").GetString());

        var listed = (await (await client.PostAsync("/graphql", Body("{ projects(first: 10) { nodes { id name role } pageInfo { hasNextPage } } }"))).BodyAsync())
            .GetProperty("data").GetProperty("projects").GetProperty("nodes");
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("id").GetString() == id);

        var outsider = await platform.RegisterAsync();
        using var other = platform.CreateClient(outsider.AccessToken);
        var hidden = await (await other.PostAsync("/graphql", Body("query($id: ID!) { project(id: $id) { name } }", new { id }))).BodyAsync();
        Assert.Equal("NOT_FOUND", hidden.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}

[Collection(EmbeddedPlatformCollection.Name)]
public sealed class EffectTypesApiTests(SharedPlatform platform)
{
    [Fact]
    public async Task EffectTypes_ListedOverRestAndGraphQL_WithRanges()
    {
        using var client = platform.CreateClient();
        var rest = await (await client.GetAsync("/api/effects")).BodyAsync();
        var compressor = rest.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "compressor");
        var ratio = compressor.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "ratio");
        Assert.Equal((1.0, 20.0), (ratio.GetProperty("min").GetDouble(), ratio.GetProperty("max").GetDouble()));

        var body = new StringContent(JsonSerializer.Serialize(new { query = "{ effectTypes { type parameters { name min max default unit } } }" }), Encoding.UTF8, "application/json");
        var response = await (await client.PostAsync("/graphql", body)).BodyAsync();
        Assert.True(response.TryGetProperty("data", out var data), response.GetRawText());
        var types = data.GetProperty("effectTypes");
        Assert.Equal(rest.GetArrayLength(), types.GetArrayLength());
    }
}
