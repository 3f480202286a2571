using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Jacameno.Frontend.GraphQL;
using Microsoft.Extensions.Hosting.Internal;

namespace Jacameno.Frontend.Tests;

/// <summary>Persisted queries as Apollo's clients send them: the hash alone, then the hash with the query.</summary>
public sealed class GraphQLPersistedQueryTests : IAsyncLifetime
{
    internal const string Stored = "query EffectNames { effectTypes { type } }";
    internal const string StoredWithVariables = "query Users($s: String) { users(search: $s, first: 1) { nodes { displayName } } }";
    internal const string NotStored = "{ effectTypes { type parameters { name } } }";

    private EmbeddedPlatform platform = null!;

    /// <summary>A list file of the two stored documents, as <c>Jacameno:GraphQL:PersistedQueries</c> takes it.</summary>
    internal static string WriteList()
    {
        var path = Path.Combine(Path.GetTempPath(), $"persisted-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new[] { Stored, StoredWithVariables }.ToDictionary(PersistedQueries.Sha256)));
        return path;
    }

    internal static object Extensions(string hash) => new { persistedQuery = new { version = 1, sha256Hash = hash } };

    internal static StringContent Body(string? query, object? extensions, object? variables = null) =>
        new(JsonSerializer.Serialize(new { query, variables, extensions }), Encoding.UTF8, "application/json");

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:GraphQL:PersistedQueries"] = WriteList(),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task KnownHashWithoutQuery_RunsTheStoredDocument_OverPostAndGet()
    {
        using var client = platform.CreateClient();
        var posted = await (await client.PostAsync("/graphql", Body(null, Extensions(PersistedQueries.Sha256(Stored))))).BodyAsync();
        Assert.True(posted.GetProperty("data").GetProperty("effectTypes").GetArrayLength() > 0, posted.GetRawText());

        var extensions = Uri.EscapeDataString(JsonSerializer.Serialize(Extensions(PersistedQueries.Sha256(StoredWithVariables).ToUpperInvariant())));
        var variables = Uri.EscapeDataString(JsonSerializer.Serialize(new { s = "nobodyiscallednothing" }));
        var got = await client.GetAsync($"/graphql?extensions={extensions}&variables={variables}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal(0, (await got.BodyAsync()).GetProperty("data").GetProperty("users").GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task UnknownHash_PersistedQueryNotFound_ThenTheQueryWithItsHashRuns()
    {
        using var client = platform.CreateClient();
        var hash = PersistedQueries.Sha256(NotStored);
        var legacy = await client.PostAsync("/graphql", Body(null, Extensions(hash)));
        Assert.Equal((HttpStatusCode.OK, "application/json"), (legacy.StatusCode, legacy.Content.Headers.ContentType?.MediaType));
        var error = Assert.Single((await legacy.BodyAsync()).GetProperty("errors").EnumerateArray());
        Assert.Equal(("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"),
            (error.GetProperty("message").GetString(), error.GetProperty("extensions").GetProperty("code").GetString()));

        using var modern = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Body(null, Extensions(hash)) };
        modern.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(modern)).StatusCode);

        // Apollo's link then sends the query with its hash: it runs (this server does not require persisted queries).
        var retried = await (await client.PostAsync("/graphql", Body(NotStored, Extensions(hash)))).BodyAsync();
        Assert.True(retried.GetProperty("data").GetProperty("effectTypes").GetArrayLength() > 0, retried.GetRawText());
    }

    [Fact]
    public async Task HashThatIsNotTheQuerys_400()
    {
        using var client = platform.CreateClient();
        var response = await client.PostAsync("/graphql", Body(NotStored, Extensions(PersistedQueries.Sha256(Stored))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not the SHA-256 of the query", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_PersistedOnlyWithoutAList_OrAWrongHash_RefusedAtStart()
    {
        var environment = new HostingEnvironment { ContentRootPath = Path.GetTempPath() };
        var validator = new GraphQLOptionsValidator(environment);
        Assert.Contains("PersistedOnly needs", validator.Validate(null, new GraphQLOptions { PersistedOnly = true }).FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new GraphQLOptions { PersistedQueries = WriteList(), PersistedOnly = true }).Succeeded);

        var wrong = Path.Combine(Path.GetTempPath(), $"persisted-{Guid.NewGuid():N}.json");
        File.WriteAllText(wrong, JsonSerializer.Serialize(new Dictionary<string, string> { [new string('a', 64)] = Stored }));
        Assert.Contains("is not the SHA-256 of its query", validator.Validate(null, new GraphQLOptions { PersistedQueries = wrong }).FailureMessage, StringComparison.Ordinal);
        File.WriteAllText(wrong, "[1, 2]");
        Assert.False(validator.Validate(null, new GraphQLOptions { PersistedQueries = Path.GetFileName(wrong) }).Succeeded);
        Assert.False(validator.Validate(null, new GraphQLOptions { PersistedQueries = "no-such-file.json" }).Succeeded);
    }
}

/// <summary><c>Jacameno:GraphQL:PersistedOnly</c>: a locked-down deployment runs its persisted queries and nothing else.</summary>
public sealed class GraphQLPersistedOnlyTests : IAsyncLifetime
{
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:GraphQL:PersistedQueries"] = GraphQLPersistedQueryTests.WriteList(),
            ["Jacameno:GraphQL:PersistedOnly"] = "true",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task OtherDocuments_Refused_PersistedOnesRunByHashOrInFull()
    {
        using var client = platform.CreateClient();
        foreach (var body in new[]
        {
            GraphQLPersistedQueryTests.Body(GraphQLPersistedQueryTests.NotStored, null),
            GraphQLPersistedQueryTests.Body(GraphQLPersistedQueryTests.NotStored, GraphQLPersistedQueryTests.Extensions(PersistedQueries.Sha256(GraphQLPersistedQueryTests.NotStored))),
            GraphQLPersistedQueryTests.Body("{ __schema { types { name } } }", null),
        })
        {
            var refused = await (await client.PostAsync("/graphql", body)).BodyAsync();
            Assert.False(refused.TryGetProperty("data", out _), refused.GetRawText());
            Assert.Equal("QUERY_NOT_IN_SAFELIST", refused.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        }

        var byGet = await client.GetAsync("/graphql?query=" + Uri.EscapeDataString(GraphQLPersistedQueryTests.NotStored));
        Assert.Equal("QUERY_NOT_IN_SAFELIST", (await byGet.BodyAsync()).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var unknown = await (await client.PostAsync("/graphql", GraphQLPersistedQueryTests.Body(null,
            GraphQLPersistedQueryTests.Extensions(PersistedQueries.Sha256(GraphQLPersistedQueryTests.NotStored))))).BodyAsync();
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var hash = PersistedQueries.Sha256(GraphQLPersistedQueryTests.Stored);
        foreach (var body in new[]
        {
            GraphQLPersistedQueryTests.Body(null, GraphQLPersistedQueryTests.Extensions(hash)),
            GraphQLPersistedQueryTests.Body(GraphQLPersistedQueryTests.Stored, GraphQLPersistedQueryTests.Extensions(hash)),
            GraphQLPersistedQueryTests.Body(GraphQLPersistedQueryTests.Stored, null),
        })
        {
            var ran = await (await client.PostAsync("/graphql", body)).BodyAsync();
            Assert.True(ran.GetProperty("data").GetProperty("effectTypes").GetArrayLength() > 0, ran.GetRawText());
        }
    }
}
