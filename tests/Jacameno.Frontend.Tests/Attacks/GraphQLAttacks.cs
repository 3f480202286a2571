using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>GraphQL as a way around the limits REST has: aliases, batching many root fields, many guesses in one request.</summary>
public sealed class GraphQLAttacks : IAsyncLifetime
{
    private const int AuthPerMinute = 5;
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:RateLimits:AuthPerMinute"] = AuthPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task AliasedLogins_DrawFromTheSameBudgetAsRest_OneAttemptPerField()
    {
        using var client = platform.CreateClient();
        const string email = "victim@example.org";

        // 600 guesses in one request: refused before any resolver runs, so no attempt is spent.
        var flood = await PostAsync(client, Logins(600), new { e = email, p = "guess" });
        Assert.Equal(HttpStatusCode.BadRequest, flood.StatusCode);
        Assert.Contains("root fields", await flood.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Ten guesses under the caps: five are checked (the budget), five refused as too many.
        var ten = await (await PostAsync(client, Logins(10), new { e = email, p = "guess" })).BodyAsync();
        var codes = ten.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()).ToList();
        Assert.Equal(AuthPerMinute, codes.Count(c => c == "UNAUTHENTICATED"));
        Assert.Equal(10 - AuthPerMinute, codes.Count(c => c == "TOO_MANY_REQUESTS"));

        // REST shares the budget, and says when to come back.
        var rest = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "guess number eleven" });
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.True(rest.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("TOO_MANY_REQUESTS", await AuthAttacks.GraphQLErrorCodeAsync(client, "mutation { register(email: \"n@example.org\", password: \"long enough 1\", displayName: \"N\") { email } }"));
    }

    [Fact]
    public async Task ManyAliasesOfACheapField_AndFragmentsThatMultiplyRootFields_AreRefused()
    {
        using var client = platform.CreateClient();
        var aliases = string.Join(" ", Enumerable.Range(0, 51).Select(i => $"a{i}: __typename"));
        var response = await PostAsync(client, $"{{ me {{ {aliases} }} }}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("aliases", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var fragments = "query { ...A ...A } fragment A on Query { " + string.Join(" ", Enumerable.Range(0, 11).Select(i => $"r{i}: releases(first: 1) {{ nodes {{ id }} }}")) + " }";
        var spread = await PostAsync(client, fragments);
        Assert.Equal(HttpStatusCode.BadRequest, spread.StatusCode);
    }

    [Theory]
    [InlineData("first: 1000000")]
    [InlineData("first: 2147483647")]
    public async Task PagedField_HugeFirst_RefusedAsTooComplexBeforeItRuns(string argument)
    {
        using var client = platform.CreateClient();
        var response = await PostAsync(client, $"{{ users({argument}) {{ edges {{ cursor node {{ id }} }} }} }}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.BodyAsync()).GetProperty("errors").EnumerateArray());
        Assert.Contains("complex", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("first: 101")]
    [InlineData("first: 0")]
    [InlineData("first: -5")]
    [InlineData("after: \"not a cursor\"")]
    [InlineData("after: \"eA\"")]
    [InlineData("after: \"\"")]
    [InlineData("after: \"%%%\"")]
    public async Task PagedField_FirstOutOfRangeOrForgedCursor_BadUserInputNamingTheArgument(string argument)
    {
        using var client = platform.CreateClient();
        var response = await PostAsync(client, $"{{ users({argument}) {{ edges {{ cursor node {{ id }} }} pageInfo {{ endCursor }} }} }}");
        var body = await response.BodyAsync();
        if (argument == "after: \"\"")
        {
            // An empty cursor is the start of the list, as no cursor is.
            Assert.True(body.TryGetProperty("data", out _), body.GetRawText());
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("BAD_USER_INPUT", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains(argument.StartsWith("first", StringComparison.Ordinal) ? "first must be between 1 and 100" : "cursor is not one this API returned",
            error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedCursors_LongOrBuiltByHand_NeverA500()
    {
        using var client = platform.CreateClient();
        var handMade = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"zzz' OR 1=1 --\n{Guid.NewGuid():N}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        foreach (var after in new[] { new string('A', 30_000), handMade, "\u0000\n", "eyJ9" })
        {
            var response = await PostAsync(client, "query($a: String) { users(after: $a) { edges { cursor } pageInfo { hasNextPage } } }", new { a = after });
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            var body = await response.BodyAsync();
            Assert.True(body.TryGetProperty("data", out _) || body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString() == "BAD_USER_INPUT",
                body.GetRawText()[..Math.Min(500, body.GetRawText().Length)]);
        }

        var wrongType = await PostAsync(client, "{ users(first: 99999999999, after: 5) { edges { cursor } } }");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Fact]
    public async Task AliasesOfAPagedField_CappedLikeAnyOther()
    {
        using var client = platform.CreateClient();
        var roots = await PostAsync(client, "{ " + string.Join(" ", Enumerable.Range(0, 21).Select(i => $"u{i}: users(first: 100) {{ edges {{ cursor node {{ id }} }} }}")) + " }");
        Assert.Equal(HttpStatusCode.BadRequest, roots.StatusCode);
        Assert.Contains("root fields", await roots.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var edges = await PostAsync(client, "{ users(first: 100) { " + string.Join(" ", Enumerable.Range(0, 51).Select(i => $"e{i}: edges {{ cursor node {{ id }} }}")) + " } }");
        Assert.Equal(HttpStatusCode.BadRequest, edges.StatusCode);
        Assert.Contains("aliases", await edges.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"persistedQuery\": {\"version\": 1, \"sha256Hash\": \"not hex at all, but sixty-four characters long, padded out to 64..\"}}")]
    [InlineData("{\"persistedQuery\": {\"version\": 1, \"sha256Hash\": \"abc\"}}")]
    [InlineData("{\"persistedQuery\": {\"version\": 1, \"sha256Hash\": \"LONG\"}}")]
    [InlineData("{\"persistedQuery\": {\"version\": 1, \"sha256Hash\": 12345}}")]
    [InlineData("{\"persistedQuery\": {\"version\": 2, \"sha256Hash\": \"0000000000000000000000000000000000000000000000000000000000000000\"}}")]
    [InlineData("{\"persistedQuery\": {\"sha256Hash\": \"0000000000000000000000000000000000000000000000000000000000000000\"}}")]
    [InlineData("{\"persistedQuery\": \"0000000000000000000000000000000000000000000000000000000000000000\"}")]
    [InlineData("{\"persistedQuery\": null}")]
    public async Task PersistedQuery_MalformedHashOrShape_400SayingWhatItTakes(string extensions)
    {
        using var client = platform.CreateClient();
        extensions = extensions.Replace("LONG", new string('f', 10_000), StringComparison.Ordinal);
        var post = await client.PostAsync("/graphql", new StringContent($"{{\"extensions\": {extensions}}}", System.Text.Encoding.UTF8, "application/json"));
        var get = await client.GetAsync("/graphql?extensions=" + Uri.EscapeDataString(extensions));
        foreach (var response in new[] { post, get })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<64 hexadecimal digits>\"}.",
                (await response.BodyAsync()).GetProperty("detail").GetString());
        }
    }

    private static string Logins(int count) =>
        "mutation($e: String!, $p: String!) { " + string.Join(" ", Enumerable.Range(0, count).Select(i => $"l{i}:login(email:$e,password:$p){{accessToken}}")) + " }";

    /// <summary>Asks for application/graphql-response+json, where a request refused before it runs is a 400.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string query, object? variables = null)
    {
        using var request = GraphQLApiTests.Modern(query, variables);
        return await client.SendAsync(request);
    }
}
