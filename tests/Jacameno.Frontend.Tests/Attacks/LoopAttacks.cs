using System.Net;
using System.Net.Http.Json;
using Jacameno.Marketplace;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// The loop library as a way to get what is not given away: files of paid or unpublished packs reached by guessing
/// loop ids, taking loops without the right, storage filled by taking one loop many times at once, and searches
/// whose text is SQL or LIKE syntax.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class LoopAttacks(SharedPlatform platform)
{
    private static async Task AllNotFoundAsync(HttpClient client, Guid loopId)
    {
        foreach (var response in new[]
        {
            await client.GetAsync($"/api/loops/{loopId}"), await client.GetAsync($"/api/loops/{loopId}/audio"), await client.PostAsync($"/api/loops/{loopId}/library", null),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var graph = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { loop(id: $id) { name } }", new { id = loopId });
        Assert.Equal("NOT_FOUND", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var take = await GraphQLApiTests.QueryAsync(client, "mutation($id: ID!) { takeLoop(id: $id) { asset { id } } }", new { id = loopId });
        Assert.Equal("NOT_FOUND", take.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task FilesOfPaidDraftOrUnknownPacks_AreNotLoops()
    {
        var seller = await platform.RegisterAsync();
        using var sellerClient = platform.CreateClient(seller.AccessToken);
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var assetId = (await AssetsApiTests.UploadAsync(sellerClient, LoopLibraryApiTests.DrumLoopWav(120, 1), "groove.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(sellerClient, assetId);

        // A paid pack, published: its file's would-be loop id reaches nothing.
        var paid = await (await sellerClient.PostAsJsonAsync("/api/listings", new
        {
            type = "samplePack", title = "Paid kit", assetIds = new[] { assetId }, tiers = new[] { MarketplaceApiTests.Tier("Pack", 999, ["wav"]) },
        })).BodyAsync();
        var paidId = Guid.Parse(paid.GetProperty("listing").GetProperty("id").GetString()!);
        Assert.Equal("succeeded", (await JobsApiTests.FinishedAsync(sellerClient, paid.GetProperty("jobId").GetString()!)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await sellerClient.PostAsync($"/api/listings/{paidId}/publish", null)).StatusCode);
        await AllNotFoundAsync(client, LoopLibrary.LoopId(paidId, 0));

        // A library pack still in draft: not in the library yet, for anyone.
        var draft = await (await sellerClient.PostAsJsonAsync("/api/listings", new
        {
            type = "samplePack", title = "Unreleased kit", assetIds = new[] { assetId }, library = true, tiers = new[] { MarketplaceApiTests.Tier("Free", 0, ["wav"]) },
        })).BodyAsync();
        var draftId = Guid.Parse(draft.GetProperty("listing").GetProperty("id").GetString()!);
        await JobsApiTests.FinishedAsync(sellerClient, draft.GetProperty("jobId").GetString()!);
        await AllNotFoundAsync(client, LoopLibrary.LoopId(draftId, 0));
        await AllNotFoundAsync(sellerClient, LoopLibrary.LoopId(draftId, 0));

        await AllNotFoundAsync(client, Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/loops/not-a-guid")).StatusCode);
    }

    [Fact]
    public async Task TakingALoop_NeedsASignedInCallerWithTheMarketplaceWriteScope()
    {
        var seller = await platform.RegisterAsync();
        using var sellerClient = platform.CreateClient(seller.AccessToken);
        var word = StreamingApiTests.Word();
        await LoopLibraryApiTests.LibraryPackAsync(sellerClient, $"Scoped {word}", "drums", ("groove.wav", LoopLibraryApiTests.DrumLoopWav(120, 1)));
        var loopId = Assert.Single(await LoopLibraryApiTests.LoopsAsync(sellerClient, $"q={word}")).GetProperty("id").GetString();

        using var anonymous = platform.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/loops/{loopId}/library", null)).StatusCode);
        var owner = await platform.RegisterAsync();
        using var reader = platform.CreateClient(await PersonalTokenTests.TokenAsync(platform.CreateClient(owner.AccessToken), "marketplace:read"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/loops/{loopId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/loops/{loopId}/library", null)).StatusCode);
        var graph = await GraphQLApiTests.QueryAsync(reader, "mutation($id: ID!) { takeLoop(id: $id) { asset { id } } }", new { id = loopId });
        Assert.Equal("FORBIDDEN", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task TakingOneLoopManyTimesAtOnce_MakesOneAssetAndOneOrder()
    {
        var seller = await platform.RegisterAsync();
        using var sellerClient = platform.CreateClient(seller.AccessToken);
        var word = StreamingApiTests.Word();
        var pack = await LoopLibraryApiTests.LibraryPackAsync(sellerClient, $"Raced {word}", "drums", ("groove.wav", LoopLibraryApiTests.DrumLoopWav(120, 1)));
        var loopId = Assert.Single(await LoopLibraryApiTests.LoopsAsync(sellerClient, $"q={word}")).GetProperty("id").GetString();
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);

        // Aliases in one request and requests side by side.
        var aliases = string.Join(' ', Enumerable.Range(0, 8).Select(i => $"t{i}: takeLoop(id: $id) {{ asset {{ id }} }}"));
        var batch = GraphQLApiTests.QueryAsync(client, $"mutation($id: ID!) {{ {aliases} }}", new { id = loopId });
        var parallel = Enumerable.Range(0, 8).Select(_ => client.PostAsync($"/api/loops/{loopId}/library", null)).ToList();
        var graph = await batch;
        var ids = graph.GetProperty("data").EnumerateObject().Select(p => p.Value.GetProperty("asset").GetProperty("id").GetString()).ToList();
        foreach (var response in await Task.WhenAll(parallel))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            ids.Add((await response.BodyAsync()).GetProperty("asset").GetProperty("id").GetString());
        }

        Assert.Single(ids.Distinct());
        var assets = await (await client.GetAsync("/api/assets?first=100")).BodyAsync();
        Assert.Single(assets.GetProperty("items").EnumerateArray());
        var orders = await (await client.GetAsync("/api/orders?first=100")).BodyAsync();
        Assert.Equal(pack.GetProperty("id").GetString(), Assert.Single(orders.GetProperty("items").EnumerateArray()).GetProperty("listingId").GetString());
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("' OR 1=1 --")]
    [InlineData("\\")]
    public async Task SearchText_IsText_NotSqlOrPatterns(string q)
    {
        using var client = platform.CreateClient();
        var response = await client.GetAsync($"/api/loops?q={Uri.EscapeDataString(q)}&first=100");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = (await response.BodyAsync()).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("name").GetString() + " " + l.GetProperty("pack").GetString());
        Assert.All(names, n => Assert.Contains(q.Split(' ')[0], n, StringComparison.Ordinal));
    }
}
