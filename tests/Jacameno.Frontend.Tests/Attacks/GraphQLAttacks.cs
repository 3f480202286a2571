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

    private static string Logins(int count) =>
        "mutation($e: String!, $p: String!) { " + string.Join(" ", Enumerable.Range(0, count).Select(i => $"l{i}:login(email:$e,password:$p){{accessToken}}")) + " }";

    /// <summary>Asks for application/graphql-response+json, where a request refused before it runs is a 400.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string query, object? variables = null)
    {
        using var request = GraphQLApiTests.Modern(query, variables);
        return await client.SendAsync(request);
    }
}
