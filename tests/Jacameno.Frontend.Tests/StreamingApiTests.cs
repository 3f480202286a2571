using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jacameno.Audio.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>Releases through the API: publish (a renditions job with the real ffmpeg), stream, visibility, artwork.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class StreamingApiTests(SharedPlatform platform)
{
    /// <summary>A word no other test uses, to find this test's releases in the shared catalog.</summary>
    internal static string Word() => "w" + Guid.NewGuid().ToString("N")[..10];

    internal static async Task<string> ReadyAssetAsync(HttpClient client, byte[] wav)
    {
        var id = (await AssetsApiTests.UploadAsync(client, wav, "song.wav")).GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, id)).GetProperty("status").GetString());
        return id;
    }

    /// <summary>Publishes and waits for the renditions; returns the release as its owner sees it.</summary>
    internal static async Task<JsonElement> PublishAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/releases", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var published = await response.BodyAsync();
        var id = published.GetProperty("release").GetProperty("id").GetString()!;
        Assert.Equal($"/api/releases/{id}", response.Headers.Location?.ToString());
        var job = await JobsApiTests.FinishedAsync(client, published.GetProperty("jobId").GetString()!, 120);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        return await (await client.GetAsync($"/api/releases/{id}")).BodyAsync();
    }

    /// <summary>A short public release of a 3-second tone, for tests about everything but the audio.</summary>
    internal static async Task<JsonElement> QuickReleaseAsync(HttpClient client, string title, object? extra = null)
    {
        var assetId = await ReadyAssetAsync(client, AssetsApiTests.StereoSineWav(-18, 3));
        var body = JsonSerializer.SerializeToElement(extra ?? new { }, Json.Options).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value);
        body["assetId"] = assetId;
        body["title"] = title;
        return await PublishAsync(client, body);
    }

    [Fact]
    public async Task Publish_FromAnUpload_MakesLoudnessNormalizedRenditions_StreamedWithRange()
    {
        var owner = await platform.RegisterAsync(displayName: "Stream Artist");
        using var client = platform.CreateClient(owner.AccessToken);
        using var anonymous = platform.CreateClient();
        var word = Word();
        var assetId = await ReadyAssetAsync(client, AiApiTests.Song(gain: 0.15f));

        var release = await PublishAsync(client, new
        {
            assetId, title = $"Night Drive {word}", description = "Synths & drums", genre = "Synth Wave", tags = new[] { "Retro", "night" },
            mood = "dreamy", license = "ccBy", credits = new[] { new { name = "Stream Artist", role = "producer" } }, @explicit = false,
        });
        Assert.Equal(("ready", 1, "public"), (release.GetProperty("status").GetString(), release.GetProperty("audioVersion").GetInt32(),
            release.GetProperty("visibility").GetString()));
        Assert.Equal(("synth wave", "Stream Artist", "ccBy"), (release.GetProperty("genre").GetString(), release.GetProperty("artist").GetString(),
            release.GetProperty("license").GetString()));
        Assert.Equal(["retro", "night"], release.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // Tempo and key come from analysis when the owner gave none.
        Assert.InRange(release.GetProperty("bpm").GetDouble(), 119, 121);
        Assert.Equal("A minor", release.GetProperty("key").GetString());
        Assert.InRange(release.GetProperty("integratedLufs").GetDouble(), -14.3, -13.7);
        Assert.InRange(release.GetProperty("durationSeconds").GetDouble(), 19.9, 20.1);
        Assert.Equal(["aac", "mp3", "opus", "original"], release.GetProperty("formats").EnumerateArray().Select(f => f.GetString()).Order());
        var id = release.GetProperty("id").GetString()!;

        // Everyone gets the stream copies; only the owner the original.
        var streams = await (await anonymous.GetAsync($"/api/releases/{id}/stream")).BodyAsync();
        Assert.Equal(3, streams.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/api/releases/{id}/stream?format=original")).StatusCode);
        var original = (await (await client.GetAsync($"/api/releases/{id}/stream?format=original")).BodyAsync())[0];
        Assert.Equal((await anonymous.GetByteArrayAsync(original.GetProperty("url").GetString())).Length, original.GetProperty("size").GetInt64());

        // Each stream copy sits at -14 LUFS with true peaks at or below -1 dBTP, as ffmpeg's own meter measures it.
        foreach (var stream in streams.EnumerateArray())
        {
            var bytes = await anonymous.GetByteArrayAsync(stream.GetProperty("url").GetString());
            Assert.Equal(stream.GetProperty("size").GetInt64(), bytes.Length);
            var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.{stream.GetProperty("format").GetString()}");
            await File.WriteAllBytesAsync(file, bytes);
            var (integrated, truePeak) = FfmpegMeter.Measure(file);
            File.Delete(file);
            Assert.InRange(integrated, -15, -13);
            Assert.True(truePeak <= -1.0, $"{stream.GetProperty("format")}: true peak {truePeak} dBTP");
        }

        // Range requests work end to end; a signed URL cannot be bent to another object.
        var mp3 = streams.EnumerateArray().Single(s => s.GetProperty("format").GetString() == "mp3");
        var url = mp3.GetProperty("url").GetString()!;
        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(100, 199);
        var part = await anonymous.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(100, (await part.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal($"bytes 100-199/{mp3.GetProperty("size").GetInt64()}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(url.Replace("stream.mp3", "original.wav"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(url[..^4] + (url[^4] == 'a' ? 'b' : 'a') + url[^3..])).StatusCode);

        var redirect = await platform.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync($"/api/releases/{id}/stream?format=opus&redirect=true");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Contains("stream.opus", redirect.Headers.Location?.ToString());

        // The player's waveform, and the release in search by any of its words.
        var peaks = await (await anonymous.GetAsync($"/api/releases/{id}/peaks")).BodyAsync();
        Assert.True(peaks.TryGetProperty("length", out var length) && length.GetInt32() > 100, peaks.GetRawText());
        var found = await (await anonymous.GetAsync($"/api/releases?q=night+{word}")).BodyAsync();
        Assert.Equal(id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Single((await (await anonymous.GetAsync($"/api/releases?q={word}&genre=Synth+Wave&tag=retro&bpmMin=110&bpmMax=130&key=Am")).BodyAsync())
            .GetProperty("items").EnumerateArray());
        Assert.Empty((await (await anonymous.GetAsync($"/api/releases?q={word}&genre=jazz")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await anonymous.GetAsync($"/api/releases?q={word}&bpmMin=130")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await anonymous.GetAsync($"/api/releases?q={word}&key=C+major")).BodyAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task PrivateUnlistedScheduledAndUnpublished_NeverLeak()
    {
        // Premium, since scheduling a release for later is Premium's.
        var owner = await platform.PremiumAsync(await platform.RegisterAsync());
        var other = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using var stranger = platform.CreateClient(other.AccessToken);
        var word = Word();
        var hidden = new Dictionary<string, JsonElement>
        {
            ["private"] = await QuickReleaseAsync(client, $"Secret {word}", new { visibility = "private" }),
            ["unlisted"] = await QuickReleaseAsync(client, $"Link {word}", new { visibility = "unlisted" }),
            ["scheduled"] = await QuickReleaseAsync(client, $"Later {word}", new { releaseAt = DateTimeOffset.UtcNow.AddDays(3) }),
            ["unpublished"] = await QuickReleaseAsync(client, $"Gone {word}"),
        };
        var down = await client.PostAsync($"/api/releases/{hidden["unpublished"].GetProperty("id").GetString()}/unpublish", null);
        Assert.False((await down.BodyAsync()).GetProperty("published").GetBoolean());

        foreach (var (what, release) in hidden)
        {
            var id = release.GetProperty("id").GetString()!;
            foreach (var path in new[] { "", "/stream", "/peaks", "/comments", "/related" })
            {
                Assert.True((await stranger.GetAsync($"/api/releases/{id}{path}")).StatusCode == HttpStatusCode.NotFound, $"{what} {path}");
            }

            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsync($"/api/releases/{id}/like", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/releases/{id}/comments", new { text = "hi" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PatchAsJsonAsync($"/api/releases/{id}", new { title = "mine" })).StatusCode);
            var graph = await GraphQLApiTests.QueryAsync(stranger, "query($id: ID!) { release(id: $id) { title } }", new { id });
            Assert.True(graph.TryGetProperty("data", out var data) && data.GetProperty("release").ValueKind == JsonValueKind.Null, graph.GetRawText());
            Assert.Null(release.GetProperty("error").GetString());
        }

        Assert.Empty((await (await stranger.GetAsync($"/api/releases?q={word}")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await stranger.GetAsync($"/api/users/{owner.User.Id}/releases")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain((await (await stranger.GetAsync("/api/charts?first=100")).BodyAsync()).GetProperty("items").EnumerateArray(),
            r => r.GetProperty("title").GetString()!.Contains(word, StringComparison.Ordinal));
        // The owner sees all of them in their own list.
        Assert.Equal(4, (await (await client.GetAsync($"/api/users/{owner.User.Id}/releases")).BodyAsync()).GetProperty("items").GetArrayLength());

        // The unlisted link opens with its secret (and only with it).
        var unlisted = hidden["unlisted"];
        var secret = unlisted.GetProperty("secret").GetString()!;
        var unlistedId = unlisted.GetProperty("id").GetString()!;
        var opened = await (await stranger.GetAsync($"/api/releases/{unlistedId}?secret={Uri.EscapeDataString(secret)}")).BodyAsync();
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("secret").ValueKind);
        Assert.Equal(3, (await (await stranger.GetAsync($"/api/releases/{unlistedId}/stream?secret={Uri.EscapeDataString(secret)}")).BodyAsync()).GetArrayLength());
        // One character changed (never to itself: a base64 secret starts with 'x' one time in 64).
        var forged = (secret[0] == 'x' ? 'y' : 'x') + secret[1..];
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/releases/{unlistedId}?secret={forged}")).StatusCode);

        // Put back up, the unpublished one is everyone's again; another user still may not change it.
        var unpublishedId = hidden["unpublished"].GetProperty("id").GetString()!;
        await client.PostAsync($"/api/releases/{unpublishedId}/publish", null);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/releases/{unpublishedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PatchAsJsonAsync($"/api/releases/{unpublishedId}", new { title = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.DeleteAsync($"/api/releases/{unpublishedId}")).StatusCode);
    }

    [Fact]
    public async Task Publish_RefusesBadInput_WithReasons()
    {
        var owner = await platform.RegisterAsync();
        var other = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using var stranger = platform.CreateClient(other.AccessToken);
        var assetId = await ReadyAssetAsync(client, AssetsApiTests.StereoSineWav(-18, 2));

        async Task Refused(HttpClient who, object body, HttpStatusCode status, string field)
        {
            var response = await who.PostAsJsonAsync("/api/releases", body);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, problem);
            Assert.Contains(field, problem, StringComparison.OrdinalIgnoreCase);
        }

        await Refused(client, new { title = "x" }, HttpStatusCode.BadRequest, "assetId");
        await Refused(client, new { title = "x", assetId, projectId = Guid.NewGuid() }, HttpStatusCode.BadRequest, "assetId");
        await Refused(client, new { assetId }, HttpStatusCode.BadRequest, "title");
        await Refused(client, new { assetId, title = new string('x', 201) }, HttpStatusCode.BadRequest, "title");
        await Refused(client, new { assetId, title = "x", bpm = 1000 }, HttpStatusCode.BadRequest, "bpm");
        await Refused(client, new { assetId, title = "x", key = "H minor" }, HttpStatusCode.BadRequest, "key");
        await Refused(client, new { assetId, title = "x", tags = Enumerable.Range(0, 11).Select(i => $"t{i}") }, HttpStatusCode.BadRequest, "tags");
        await Refused(client, new { assetId, title = "x", genre = "<b>rock</b>" }, HttpStatusCode.BadRequest, "genre");
        await Refused(client, new { assetId, title = "x", visibility = "secret" }, HttpStatusCode.BadRequest, "visibility");
        await Refused(client, new { assetId, title = "x", bpm = "fast" }, HttpStatusCode.BadRequest, "bpm");
        await Refused(stranger, new { assetId, title = "stolen" }, HttpStatusCode.NotFound, "asset");
        await Refused(client, new { assetId = Guid.NewGuid(), title = "x" }, HttpStatusCode.NotFound, "asset");

        var malformed = await client.PostAsync("/api/releases", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().PostAsJsonAsync("/api/releases", new { assetId, title = "x" })).StatusCode);

        // Search input is checked too.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/releases?sort=loudest")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/releases?bpmMin=140&bpmMax=120")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/releases?after=bm9wZQ")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/releases?first=1000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/releases?key=purple")).StatusCode);
    }

    [Fact]
    public async Task Artwork_IsCheckedAndCroppedToSquares()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var release = await QuickReleaseAsync(client, "Cover " + Word());
        var id = release.GetProperty("id").GetString()!;
        Assert.False(release.GetProperty("hasArtwork").GetBoolean());

        var put = await client.PutAsync($"/api/releases/{id}/artwork", Image(Bmp(640, 400), "image/bmp"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        Assert.True((await put.BodyAsync()).GetProperty("hasArtwork").GetBoolean());
        foreach (var size in new[] { 300, 1000 })
        {
            var image = await platform.CreateClient().GetAsync($"/api/releases/{id}/artwork?size={size}");
            Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
            var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.jpg");
            await File.WriteAllBytesAsync(file, await image.Content.ReadAsByteArrayAsync());
            Assert.Equal($"{size}x{size}", await ProbeSizeAsync(file));
            File.Delete(file);
        }

        var text = await client.PutAsync($"/api/releases/{id}/artwork", Image("not an image at all"u8.ToArray(), "image/png"));
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("not an image", await text.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"/api/releases/{id}/artwork", Image(Bmp(50, 50), "image/bmp"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PutAsync($"/api/releases/{id}/artwork", Image(new byte[11 * 1024 * 1024], "image/png"))).StatusCode);
        var stranger = await platform.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.CreateClient(stranger.AccessToken).PutAsync($"/api/releases/{id}/artwork", Image(Bmp(640, 400), "image/bmp"))).StatusCode);
    }

    [Fact]
    public async Task ReplacingTheAudio_KeepsPlaysLikesAndComments_AndDeleteRemovesEverything()
    {
        var owner = await platform.RegisterAsync();
        var fan = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        var word = Word();
        var release = await QuickReleaseAsync(client, $"Take One {word}");
        var id = release.GetProperty("id").GetString()!;
        await fanClient.PutAsync($"/api/releases/{id}/like", null);
        await fanClient.PostAsJsonAsync($"/api/releases/{id}/comments", new { text = "great", atSeconds = 1.5 });
        var oldUrl = (await (await client.GetAsync($"/api/releases/{id}/stream?format=mp3")).BodyAsync())[0].GetProperty("url").GetString()!;

        var newAsset = await ReadyAssetAsync(client, AssetsApiTests.StereoSineWav(-24, 5));
        var replaced = await client.PutAsJsonAsync($"/api/releases/{id}/audio", new { assetId = newAsset });
        Assert.Equal(HttpStatusCode.Accepted, replaced.StatusCode);
        var job = await JobsApiTests.FinishedAsync(client, (await replaced.BodyAsync()).GetProperty("jobId").GetString()!);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var after = await (await client.GetAsync($"/api/releases/{id}")).BodyAsync();
        Assert.Equal((2, 1L, 1L, false), (after.GetProperty("audioVersion").GetInt32(), after.GetProperty("likes").GetInt64(),
            after.GetProperty("comments").GetInt64(), after.GetProperty("replacingAudio").GetBoolean()));
        Assert.InRange(after.GetProperty("durationSeconds").GetDouble(), 4.9, 5.1);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(oldUrl)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/releases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/releases/{id}")).StatusCode);
        Assert.Empty((await (await client.GetAsync($"/api/releases?q={word}")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await client.GetAsync($"/api/users/{fan.User.Id}/likes")).BodyAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task PublishFromAProject_MixesItAndKeepsTheMixAsTheOriginal()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = await ReadyAssetAsync(client, AssetsApiTests.StereoSineWav(-20, 2));
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Demo")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Lead", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 96000, assetId }));
        var release = await PublishAsync(client, new { projectId, title = "From the studio" });
        Assert.Equal("ready", release.GetProperty("status").GetString());
        var original = (await (await client.GetAsync($"/api/releases/{release.GetProperty("id").GetString()}/stream?format=original")).BodyAsync())[0];
        Assert.Equal("audio/flac", original.GetProperty("contentType").GetString());

        var stranger = await platform.RegisterAsync();
        var refused = await platform.CreateClient(stranger.AccessToken).PostAsJsonAsync("/api/releases", new { projectId, title = "Not mine" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    internal static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    /// <summary>A 24-bit BMP of a gradient: the simplest image a test can write by hand.</summary>
    internal static byte[] Bmp(int width, int height)
    {
        var row = ((width * 3) + 3) & ~3;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("BM"u8);
        writer.Write(54 + (row * height));
        writer.Write(0);
        writer.Write(54);
        writer.Write(40);
        writer.Write(width);
        writer.Write(height);
        writer.Write((short)1);
        writer.Write((short)24);
        writer.Write(0);
        writer.Write(row * height);
        writer.Write(2835);
        writer.Write(2835);
        writer.Write(0);
        writer.Write(0);
        for (var y = 0; y < height; y++)
        {
            var line = new byte[row];
            for (var x = 0; x < width; x++)
            {
                (line[x * 3], line[(x * 3) + 1], line[(x * 3) + 2]) = ((byte)(x * 255 / width), (byte)(y * 255 / height), 128);
            }

            writer.Write(line);
        }

        return stream.ToArray();
    }

    private static async Task<string> ProbeSizeAsync(string file)
    {
        using var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=s=x:p=0", file])
        { RedirectStandardOutput = true })!;
        var output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        return output.Trim();
    }
}
