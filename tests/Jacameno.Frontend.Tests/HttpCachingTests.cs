using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>ETags with If-None-Match, ?fields=, and the short output cache of public reads that writes evict.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class HttpCachingTests(SharedPlatform platform)
{
    [Fact]
    public async Task Reads_CarryAnETag_ARepeatGets304_AndAChangeAFreshOne()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await StreamingApiTests.QuickReleaseAsync(client, "Tagged " + StreamingApiTests.Word())).GetProperty("id").GetString()!;

        var first = await client.GetAsync($"/api/releases/{id}");
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, first.Headers.CacheControl?.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/releases/{id}");
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/releases/{id}", new { title = "Renamed" })).StatusCode);
        using var afterChange = new HttpRequestMessage(HttpMethod.Get, $"/api/releases/{id}");
        afterChange.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(afterChange);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal("Renamed", (await changed.BodyAsync()).GetProperty("title").GetString());

        // Files are neither buffered nor trimmed: audio streams as before, ranges included.
        var assetId = await StreamingApiTests.ReadyAssetAsync(client, AssetsApiTests.StereoSineWav(-18, 1));
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{assetId}/audio?fields=id");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        var partial = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Fields_TrimAnswers_ToWhatWasAskedFor()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var id = (await StreamingApiTests.QuickReleaseAsync(client, "Trimmed " + StreamingApiTests.Word())).GetProperty("id").GetString()!;
        var one = await (await client.GetAsync($"/api/releases/{id}?fields=id,title")).BodyAsync();
        Assert.Equal(["id", "title"], one.EnumerateObject().Select(p => p.Name).Order());

        var page = await (await client.GetAsync($"/api/users/{owner.User.Id}/releases?fields=id,plays")).BodyAsync();
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(["id", "plays"], item.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(page.TryGetProperty("nextCursor", out _)); // the page itself is whole
    }

    [Fact]
    public async Task AnonymousPublicReads_AreCachedBriefly_AndAWriteEvictsThem_PagesToo()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var title = "Cached " + StreamingApiTests.Word();
        var id = (await StreamingApiTests.QuickReleaseAsync(client, title)).GetProperty("id").GetString()!;
        using var anonymous = platform.CreateClient();

        var fresh = await anonymous.GetAsync($"/api/releases/{id}");
        Assert.Equal("public, max-age=15", fresh.Headers.CacheControl!.ToString());
        var cached = await anonymous.GetAsync($"/api/releases/{id}");
        Assert.NotNull(cached.Headers.Age); // served by the output cache
        Assert.Equal(fresh.Headers.ETag, cached.Headers.ETag);
        Assert.Contains(title, await anonymous.GetStringAsync($"/releases/{id}"), StringComparison.Ordinal);
        Assert.NotNull((await anonymous.GetAsync($"/releases/{id}")).Headers.Age);

        // A signed-in read is never the cache's: it may hold what only its user sees.
        Assert.Null((await client.GetAsync($"/api/releases/{id}")).Headers.Age);

        // The owner renames it: the API answer and the public page change at once.
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/releases/{id}", new { title = "Evicted title" })).StatusCode);
        var after = await anonymous.GetAsync($"/api/releases/{id}");
        Assert.Null(after.Headers.Age);
        Assert.Equal("Evicted title", (await after.BodyAsync()).GetProperty("title").GetString());
        Assert.Contains("Evicted title", await anonymous.GetStringAsync($"/releases/{id}"), StringComparison.Ordinal);
    }
}
