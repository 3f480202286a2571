using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Jacameno.Frontend.Hosting;

namespace Jacameno.Frontend.Tests;

/// <summary>"Not ready yet" (an upload still being processed) is one answer everywhere: 409, one problem type, Retry-After.</summary>
public sealed class NotReadyTests : IAsyncLifetime
{
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        // One file processed at a time: a long file first keeps the next one waiting while the requests are made.
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Assets:ProcessingPerSilo"] = "1",
            ["Jacameno:Assets:ProcessingPerUser"] = "1",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task AnAssetStillBeingProcessed_IsNotReady_OnEveryEndpoint()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var longFile = await LongFlacAsync();
        var ahead = new[]
        {
            (await AssetsApiTests.UploadAsync(client, longFile, "long.flac", "audio/flac")).GetProperty("id").GetString()!,
            (await AssetsApiTests.UploadAsync(client, longFile, "longer.flac", "audio/flac")).GetProperty("id").GetString()!,
        };
        var id = (await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-18, 2), "next.wav")).GetProperty("id").GetString()!;

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["analysis"] = await client.PostAsJsonAsync("/api/ai/analysis", new { assetId = id }),
            ["publish"] = await client.PostAsJsonAsync("/api/releases", new { assetId = id, title = "Too soon" }),
            ["listing"] = await client.PostAsJsonAsync("/api/listings", new
            {
                type = "beat", title = "Too soon", genre = "trap", assetId = id, tiers = new[] { MarketplaceApiTests.Tier("MP3 lease", 2999, ["mp3"]) },
            }),
            ["peaks"] = await client.GetAsync($"/api/assets/{id}/peaks"),
        };
        Assert.Equal("processing", (await (await client.GetAsync($"/api/assets/{id}")).BodyAsync()).GetProperty("status").GetString());
        foreach (var (what, response) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{what}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var problem = await response.BodyAsync();
            Assert.Equal(Problems.NotReadyType, problem.GetProperty("type").GetString());
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, what);
        }

        var graph = await GraphQLApiTests.QueryAsync(client, "mutation($a: ID!) { analyzeAsset(assetId: $a) { id } }", new { a = id });
        Assert.Equal("NOT_READY", graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        // Everything processed before the platform stops (a silo stopping mid-way through 40 minutes of audio overruns
        // the host's shutdown time); then the same asset is ready everywhere.
        foreach (var asset in ahead.Append(id))
        {
            Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, asset)).GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/assets/{id}/peaks")).StatusCode);
    }

    /// <summary>Twenty minutes of a tone as mono FLAC (16 MB): one to two seconds of processing each.</summary>
    private static async Task<byte[]> LongFlacAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jacameno-long-{Guid.NewGuid():N}.flac");
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:d=1200:r=48000", "-ac", "1", path])
            {
                RedirectStandardError = true,
            })!;
            await ffmpeg.WaitForExitAsync();
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
