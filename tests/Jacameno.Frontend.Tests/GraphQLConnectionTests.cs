using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Every list is a Relay cursor connection: what Relay's and Apollo's pagination helpers read, page after page.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class GraphQLConnectionTests(SharedPlatform platform)
{
    private const string Page = "edges { cursor node { name } } nodes { name } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

    [Fact]
    public async Task Projects_FollowingEndCursor_EveryNodeOnceInOrder()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        string[] names = ["Relay A", "Relay B", "Relay C", "Relay D", "Relay E"];
        foreach (var name in names)
        {
            var created = await GraphQLApiTests.QueryAsync(client, "mutation($n: String!) { createProject(name: $n) { id } }", new { n = name });
            Assert.True(created.TryGetProperty("data", out _), created.GetRawText());
        }

        var pages = await AllPagesAsync(client, "query($a: String) { list: projects(first: 2, after: $a) { " + Page + " } }", null);

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("edges").GetArrayLength()));
        Assert.Equal(names, pages.SelectMany(p => p.GetProperty("edges").EnumerateArray()).Select(e => e.GetProperty("node").GetProperty("name").GetString()));
        Assert.Equal([true, true, false], pages.Select(p => p.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()));
        foreach (var page in pages)
        {
            AssertRelayPage(page, n => n.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Users_EachEdgeCursor_ContinuesRightAfterItsNode()
    {
        var word = "relay" + Guid.NewGuid().ToString("N")[..8];
        string[] names = [$"{word} Ada", $"{word} Bea", $"{word} Cy", $"{word} Dot"];
        foreach (var name in names)
        {
            await platform.RegisterAsync(displayName: name);
        }

        using var client = platform.CreateClient();
        const string query = "query($s: String, $a: String, $f: Int) { list: users(search: $s, first: $f, after: $a) { "
            + "edges { cursor node { displayName } } nodes { displayName } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
        var all = await PageAsync(client, query, new { s = word, f = 10, a = (string?)null });
        AssertRelayPage(all, n => n.GetProperty("displayName").GetString());
        var edges = all.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(names, edges.Select(e => e.GetProperty("node").GetProperty("displayName").GetString()));
        Assert.False(all.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        for (var i = 0; i < edges.Count; i++)
        {
            var rest = await PageAsync(client, query, new { s = word, f = 10, a = edges[i].GetProperty("cursor").GetString() });
            Assert.Equal(names[(i + 1)..], rest.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("displayName").GetString()));
        }

        var pages = await AllPagesAsync(client, query, new Dictionary<string, object?> { ["s"] = word, ["f"] = 3 });
        Assert.Equal(names, pages.SelectMany(p => p.GetProperty("nodes").EnumerateArray()).Select(n => n.GetProperty("displayName").GetString()));
        Assert.Equal([true, false], pages.Select(p => p.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()));
    }

    [Fact]
    public async Task EmptyList_NoEdges_NullCursors()
    {
        using var client = platform.CreateClient();
        var page = await PageAsync(client, "{ list: users(search: \"nobodyiscallednothing\") { edges { cursor } pageInfo { hasNextPage startCursor endCursor } } }", null);
        Assert.Equal(0, page.GetProperty("edges").GetArrayLength());
        var info = page.GetProperty("pageInfo");
        Assert.Equal((false, JsonValueKind.Null, JsonValueKind.Null),
            (info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("startCursor").ValueKind, info.GetProperty("endCursor").ValueKind));
    }

    /// <summary>Nodes and edges agree, the page info names the first and last edge, and paging is forward only.</summary>
    private static void AssertRelayPage(JsonElement page, Func<JsonElement, string?> key)
    {
        var edges = page.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(page.GetProperty("nodes").EnumerateArray().Select(key), edges.Select(e => key(e.GetProperty("node"))));
        Assert.All(edges, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("cursor").GetString())));
        var info = page.GetProperty("pageInfo");
        Assert.False(info.GetProperty("hasPreviousPage").GetBoolean());
        Assert.Equal(edges[0].GetProperty("cursor").GetString(), info.GetProperty("startCursor").GetString());
        Assert.Equal(edges[^1].GetProperty("cursor").GetString(), info.GetProperty("endCursor").GetString());
    }

    private static async Task<JsonElement> PageAsync(HttpClient client, string query, object? variables)
    {
        var body = await GraphQLApiTests.QueryAsync(client, query, variables);
        Assert.False(body.TryGetProperty("errors", out _), body.GetRawText());
        return body.GetProperty("data").GetProperty("list");
    }

    /// <summary>Follows <c>endCursor</c> as <c>after</c> while <c>hasNextPage</c>, as a client's pagination helper does.</summary>
    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string query, Dictionary<string, object?>? variables)
    {
        var pages = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await PageAsync(client, query, new Dictionary<string, object?>(variables ?? []) { ["a"] = after });
            pages.Add(page);
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        }
        while (after is not null && pages.Count < 10);

        return pages;
    }
}
