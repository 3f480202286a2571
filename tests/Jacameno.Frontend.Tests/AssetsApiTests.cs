using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jacameno.Audio.Formats;

namespace Jacameno.Frontend.Tests;

/// <summary>Uploads through the API, processed by the asset grain with the real ffmpeg.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AssetsApiTests(SharedPlatform platform)
{
    internal static byte[] StereoSineWav(double dbfs, int seconds, int rate = 48000)
    {
        var amplitude = (float)Math.Pow(10, dbfs / 20);
        var left = Enumerable.Range(0, rate * seconds).Select(i => amplitude * (float)Math.Sin(2 * Math.PI * 1000 * i / rate)).ToArray();
        using var stream = new MemoryStream();
        WavWriter.Write(stream, [left, (float[])left.Clone()], rate, WavSampleFormat.Pcm16);
        return stream.ToArray();
    }

    internal static async Task<JsonElement> UploadAsync(HttpClient client, byte[] bytes, string name, string contentType = "audio/wav")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await client.PostAsync($"/api/assets?fileName={Uri.EscapeDataString(name)}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    internal static async Task<JsonElement> ProcessedAsync(HttpClient client, string id)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var asset = await (await client.GetAsync($"/api/assets/{id}")).BodyAsync();
            if (asset.GetProperty("status").GetString() != "processing" || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                return asset;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>"My audio": the caller's files newest first, paged, over REST and GraphQL; no one else's; a deleted one is gone.</summary>
    [Fact]
    public async Task List_ShowsTheCallersFiles_NewestFirst_AndNotDeletedOnes()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        using var other = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var wav = StereoSineWav(-20, 1);
        var ids = new List<string>();
        foreach (var name in new[] { "one.wav", "two.wav", "three.wav" })
        {
            ids.Add((await UploadAsync(client, wav, name)).GetProperty("id").GetString()!);
        }

        var theirs = (await UploadAsync(other, wav, "theirs.wav")).GetProperty("id").GetString();

        var page = await (await client.GetAsync("/api/assets?first=2")).BodyAsync();
        Assert.Equal([ids[2], ids[1]], page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal("three.wav", page.GetProperty("items")[0].GetProperty("fileName").GetString());
        var rest = await (await client.GetAsync(page.GetProperty("next").GetString())).BodyAsync();
        Assert.Equal([ids[0]], rest.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
        Assert.Equal([theirs], (await (await other.GetAsync("/api/assets")).BodyAsync()).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()));

        await ProcessedAsync(client, ids[1]);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/assets/{ids[1]}")).StatusCode);
        var graph = await GraphQLApiTests.QueryAsync(client, "{ assets(first: 10) { nodes { id fileName status } pageInfo { hasNextPage } } }");
        var nodes = graph.GetProperty("data").GetProperty("assets").GetProperty("nodes");
        Assert.Equal([ids[2], ids[0]], nodes.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.False(graph.GetProperty("data").GetProperty("assets").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/assets?first=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/assets?after=not-a-cursor")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().GetAsync("/api/assets")).StatusCode);
    }

    [Fact]
    public async Task Wav_IsProbedMeasuredAndServed_WithRangesAndPeaks()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var wav = StereoSineWav(-20, 5);
        var created = await UploadAsync(client, wav, "sine.wav");
        Assert.Equal(("processing", "sine.wav", (long)wav.Length), (created.GetProperty("status").GetString(), created.GetProperty("fileName").GetString(), created.GetProperty("size").GetInt64()));
        var id = created.GetProperty("id").GetString()!;

        var asset = await ProcessedAsync(client, id);
        Assert.Equal("ready", asset.GetProperty("status").GetString());
        Assert.Equal(("wav", "pcm_s16le", 5.0, 48000, 2, 16), (asset.GetProperty("format").GetString(), asset.GetProperty("codec").GetString(),
            asset.GetProperty("durationSeconds").GetDouble(), asset.GetProperty("sampleRate").GetInt32(), asset.GetProperty("channels").GetInt32(), asset.GetProperty("bitDepth").GetInt32()));
        // A stereo 1 kHz sine at -20 dBFS reads -20 LUFS (EBU Tech 3341's construction).
        Assert.InRange(asset.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), -20.2, -19.8);

        var whole = await client.GetAsync($"/api/assets/{id}/audio");
        Assert.Equal(wav, await whole.Content.ReadAsByteArrayAsync());
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{id}/audio");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        var part = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{wav.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(wav[100..200], await part.Content.ReadAsByteArrayAsync());
        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/assets/{id}/audio");
        beyond.Headers.Range = new RangeHeaderValue(wav.Length + 10, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await client.SendAsync(beyond)).StatusCode);

        var peaks = await (await client.GetAsync($"/api/assets/{id}/peaks?samplesPerPixel=512")).BodyAsync();
        Assert.Equal((2, 2, 48000, 512, 8), (peaks.GetProperty("version").GetInt32(), peaks.GetProperty("channels").GetInt32(),
            peaks.GetProperty("sample_rate").GetInt32(), peaks.GetProperty("samples_per_pixel").GetInt32(), peaks.GetProperty("bits").GetInt32()));
        Assert.Equal((48000 * 5 + 511) / 512, peaks.GetProperty("length").GetInt32());
        Assert.InRange(peaks.GetProperty("data").EnumerateArray().Max(v => v.GetInt32()), 12, 14); // 0.1 × 127
        var dat = await (await client.GetAsync($"/api/assets/{id}/peaks?format=dat")).Content.ReadAsByteArrayAsync();
        Assert.Equal(2, BitConverter.ToInt32(dat, 0));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/assets/{id}/peaks?samplesPerPixel=300")).StatusCode);

        var outsider = await platform.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient(outsider.AccessToken).GetAsync($"/api/assets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().GetAsync($"/api/assets/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/assets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/assets/{id}")).StatusCode);
    }

    [Fact]
    public async Task ProjectMembers_ReadTheAudioAndPeaksOfItsClips_NoOneElseDoes()
    {
        var owner = await platform.RegisterAsync();
        var member = await platform.RegisterAsync();
        var outsider = await platform.RegisterAsync();
        using var ownerClient = platform.CreateClient(owner.AccessToken);
        using var memberClient = platform.CreateClient(member.AccessToken);
        using var outsiderClient = platform.CreateClient(outsider.AccessToken);
        var asset = await ProcessedAsync(ownerClient, (await UploadAsync(ownerClient, StereoSineWav(-12, 2), "shared.wav")).GetProperty("id").GetString()!);
        var assetId = asset.GetProperty("id").GetString();
        var other = (await UploadAsync(ownerClient, StereoSineWav(-12, 1), "unused.wav")).GetProperty("id").GetString();
        var project = (await ProjectsApiTests.CreateAsync(ownerClient, "Shared audio")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.PutAsJsonAsync($"/api/projects/{project}/collaborators/{member.User.Id}", new { role = "viewer" })).StatusCode);
        var path = $"/api/projects/{project}/assets/{assetId}";

        // Not yet on a clip: nobody reaches it through the project.
        Assert.Equal(HttpStatusCode.NotFound, (await memberClient.GetAsync(path)).StatusCode);
        var trackId = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(ownerClient, project,
            ProjectsApiTests.Op("track.add", new { trackId }), ProjectsApiTests.Op("clip.add", new { trackId, start = 0, length = 48000, assetId }));

        var seen = await (await memberClient.GetAsync(path)).BodyAsync();
        Assert.Equal(("shared.wav", "ready"), (seen.GetProperty("fileName").GetString(), seen.GetProperty("status").GetString()));
        var part = await memberClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{path}/audio") { Headers = { Range = new RangeHeaderValue(0, 43) } });
        Assert.Equal((HttpStatusCode.PartialContent, 44L), (part.StatusCode, part.Content.Headers.ContentLength));
        Assert.Equal(await (await ownerClient.GetAsync($"/api/assets/{assetId}/audio")).Content.ReadAsByteArrayAsync(), await memberClient.GetByteArrayAsync($"{path}/audio"));
        var peaks = await (await memberClient.GetAsync($"{path}/peaks?format=json&samplesPerPixel=512")).BodyAsync();
        Assert.Equal(512, peaks.GetProperty("samples_per_pixel").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await memberClient.GetAsync($"{path}/peaks?samplesPerPixel=300")).StatusCode);

        // The asset itself stays its owner's; outsiders and assets no clip plays are not found.
        Assert.Equal(HttpStatusCode.NotFound, (await memberClient.GetAsync($"/api/assets/{assetId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsiderClient.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsiderClient.GetAsync($"{path}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await memberClient.GetAsync($"/api/projects/{project}/assets/{other}/peaks")).StatusCode);
    }

    [Fact]
    public async Task Processing_IsPushedToTheOwner_AsProgressThenTheResult()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        await using var studio = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        var id = (await UploadAsync(client, StereoSineWav(-20, 30), "long sine.wav")).GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<object?[]> Heard()
        {
            lock (studio.Received)
            {
                return [.. studio.Received.Where(r => r[1] is JsonElement e && (e.TryGetProperty("assetId", out var a) ? a : e.GetProperty("id")).GetString() == id)];
            }
        }

        while (!Heard().Any(r => (string)r[0]! == "AssetProcessed") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var events = Heard();
        var progress = events.Where(r => (string)r[0]! == "AssetProgress").Select(r => (JsonElement)r[1]!).ToList();
        Assert.NotEmpty(progress);
        Assert.Contains(progress, p => p.GetProperty("stage").GetString() == "measuring");
        var percents = progress.Select(p => p.GetProperty("progress").GetInt32()).ToList();
        Assert.Equal(percents.Order(), percents); // only forward
        var done = (JsonElement)events.Last()[1]!;
        Assert.Equal(("AssetProcessed", "ready"), ((string)events.Last()[0]!, done.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Mp3_ThroughMultipart_IsDecodedByFfmpeg()
    {
        var file = Path.Combine(Path.GetTempPath(), $"jacameno-{Guid.NewGuid():N}.mp3");
        using (var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3",
            "-ac", "2", "-b:a", "128k", file]))!)
        {
            await ffmpeg.WaitForExitAsync();
        }

        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(file)), "file", "tone.mp3" } };
        File.Delete(file);
        var created = await client.PostAsync("/api/assets", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var asset = await ProcessedAsync(client, (await created.BodyAsync()).GetProperty("id").GetString()!);
        Assert.True(asset.GetProperty("status").GetString() == "ready", asset.GetRawText());
        Assert.Equal(("ready", "mp3", "mp3", "tone.mp3", 44100, 2), (asset.GetProperty("status").GetString(), asset.GetProperty("format").GetString(),
            asset.GetProperty("codec").GetString(), asset.GetProperty("fileName").GetString(), asset.GetProperty("sampleRate").GetInt32(), asset.GetProperty("channels").GetInt32()));
        Assert.InRange(asset.GetProperty("durationSeconds").GetDouble(), 2.9, 3.2);
    }

    [Fact]
    public async Task BadFiles_FailWithAReason_AndKeepNoBytes()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);

        var text = await UploadAsync(client, Encoding.UTF8.GetBytes("this is not audio at all, just text\n"), "song.wav");
        var failed = await ProcessedAsync(client, text.GetProperty("id").GetString()!);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failed.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/assets/{text.GetProperty("id").GetString()}/audio")).StatusCode);

        // A WAV whose data chunk claims far more than the file holds.
        var lying = StereoSineWav(-20, 1);
        BitConverter.GetBytes(2_000_000_000u).CopyTo(lying, 40);
        var truncated = await ProcessedAsync(client, (await UploadAsync(client, lying, "lying.wav")).GetProperty("id").GetString()!);
        Assert.Equal("failed", truncated.GetProperty("status").GetString());
        Assert.Contains("claims", truncated.GetProperty("error").GetString());

        var empty = await client.PostAsync("/api/assets?fileName=empty.wav", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class AssetQuotaTests
{
    [Fact]
    public async Task Uploads_CountAgainstTheRoleQuota_AndDeletingGivesItBack()
    {
        await using var platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(),
            new Dictionary<string, string?> { ["Jacameno:Assets:UserQuotaBytes"] = "150000" });
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var file = new byte[100_000];
        var wav = new MemoryStream();
        Jacameno.Audio.Formats.WavWriter.Write(wav, [new float[24_000]], 48000, Jacameno.Audio.Formats.WavSampleFormat.Float32);
        wav.ToArray().CopyTo(file, 0);

        async Task<HttpResponseMessage> Upload() => await client.PostAsync("/api/assets?fileName=a.wav", new ByteArrayContent(file));
        var first = await Upload();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var refused = await Upload();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("in use", (await refused.BodyAsync()).GetProperty("detail").GetString());

        var id = (await first.BodyAsync()).GetProperty("id").GetString();
        for (var i = 0; i < 100 && (await (await client.GetAsync($"/api/assets/{id}")).BodyAsync()).GetProperty("status").GetString() == "processing"; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/assets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Upload()).StatusCode);
    }
}
