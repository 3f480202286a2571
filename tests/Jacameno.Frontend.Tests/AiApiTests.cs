using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>Analysis and mastering through the API, as jobs, on uploaded audio with known answers; outputs measured by ffmpeg.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AiApiTests(SharedPlatform platform)
{
    /// <summary>20 s of drums at 120 BPM over chords in A minor, stereo 44.1 kHz, at a modest level.</summary>
    internal static byte[] Song(float gain = 0.3f)
    {
        var drums = MusicSignals.Rhythm(MusicSignals.Pattern.RockDrums, 120, 20);
        var chords = MusicSignals.Progression(9, true);
        var left = drums.Select((d, i) => gain * (d + (0.8f * chords[i % chords.Length]))).ToArray();
        using var stream = new MemoryStream();
        WavWriter.Write(stream, [left, left.Select(x => 0.9f * x).ToArray()], 44100, WavSampleFormat.Pcm24);
        return stream.ToArray();
    }

    private static async Task<string> ReadyAssetAsync(HttpClient client, byte[] wav, string name)
    {
        var id = (await AssetsApiTests.UploadAsync(client, wav, name)).GetProperty("id").GetString()!;
        var asset = await AssetsApiTests.ProcessedAsync(client, id);
        Assert.True(asset.GetProperty("status").GetString() == "ready", asset.GetRawText());
        return id;
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await JobsApiTests.FinishedAsync(client, (await response.BodyAsync()).GetProperty("id").GetString()!, 120);
    }

    [Fact]
    public async Task Analysis_ReportsTempoKeyAndLoudness_OfASong()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = await ReadyAssetAsync(client, Song(), "song.wav");
        var job = await RunAsync(client, "/api/ai/analysis", new { assetId });
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var report = job.GetProperty("result").GetProperty("report");
        Assert.InRange(report.GetProperty("tempoBpm").GetDouble(), 119, 121);
        Assert.Equal("A minor", report.GetProperty("key").GetString());
        var asset = await (await client.GetAsync($"/api/assets/{assetId}")).BodyAsync();
        Assert.Equal(asset.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), report.GetProperty("integratedLufs").GetDouble(), 1);
        Assert.InRange(report.GetProperty("beats").GetArrayLength(), 38, 41);
        Assert.Equal(2000, report.GetProperty("pitch").GetProperty("contourHz").GetArrayLength());
        Assert.Equal(0, report.GetProperty("clippingCount").GetInt32());
        Assert.True(report.GetProperty("stereo").GetProperty("correlation").GetDouble() > 0.99);
        Assert.Empty(job.GetProperty("result").GetProperty("outputs").EnumerateObject());
    }

    [Fact]
    public async Task Analysis_OfALoop_GivesTheTempoItsLengthHolds()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        // Two bars at 100 BPM: 4.8 s. The studio's Detect fills a clip's tempo from this.
        var assetId = await ReadyAssetAsync(client, LoopLibraryApiTests.DrumLoopWav(100, 2), "groove.wav");
        var job = await RunAsync(client, "/api/ai/analysis", new { assetId });
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var loop = job.GetProperty("result").GetProperty("report").GetProperty("loop");
        Assert.Equal((100.0, 8), (loop.GetProperty("bpm").GetDouble(), loop.GetProperty("beats").GetInt32()));
    }

    [Fact]
    public async Task Analysis_BadInput_IsRefusedOrFailsWithAReason()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = await ReadyAssetAsync(client, Song(), "song.wav");
        var outsider = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync("/api/ai/analysis", new { assetId })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/ai/analysis", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/ai/analysis", new { assetId, key = "H minor" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/ai/analysis", new StringContent("{\"assetId\": 12", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/ai/analysis", new { assetId = Guid.NewGuid() })).StatusCode);

        // Silence, and a file too short to analyse: the job fails at once with the reason.
        using (var silent = new MemoryStream())
        {
            WavWriter.Write(silent, [new float[44100 * 3]], 44100, WavSampleFormat.Pcm16);
            var job = await RunAsync(client, "/api/ai/analysis", new { assetId = await ReadyAssetAsync(client, silent.ToArray(), "silence.wav") });
            Assert.Equal(("failed", 1), (job.GetProperty("status").GetString(), job.GetProperty("attempts").GetInt32()));
            Assert.Contains("silent", job.GetProperty("error").GetString());
        }

        using (var tiny = new MemoryStream())
        {
            WavWriter.Write(tiny, [[0.5f]], 44100, WavSampleFormat.Pcm16);
            var job = await RunAsync(client, "/api/ai/analysis", new { assetId = await ReadyAssetAsync(client, tiny.ToArray(), "one-sample.wav") });
            Assert.Equal("failed", job.GetProperty("status").GetString());
            Assert.Contains("at least 1 s", job.GetProperty("error").GetString());
        }

        // A deleted asset is gone for the AI tools too.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/assets/{assetId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/ai/analysis", new { assetId })).StatusCode);
    }

    [Fact]
    public async Task Mastering_HitsTheTarget_MeasuredByFfmpeg_WithLoudnessMatchedPreviews()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = await ReadyAssetAsync(client, Song(0.05f), "quiet song.wav");
        var job = await RunAsync(client, "/api/ai/mastering", new { assetId, target = new { lufs = -12, truePeakDbtp = -1.5 }, style = "bright", intensity = 0.8 });
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var outputs = job.GetProperty("result").GetProperty("outputs");
        Assert.Equal(["master", "masterMp3", "previewAfter", "previewBefore"], outputs.EnumerateObject().Select(o => o.Name).Order());

        var master = await (await client.GetAsync($"/api/assets/{outputs.GetProperty("master").GetString()}")).BodyAsync();
        Assert.Equal(("wav", 24, 44100), (master.GetProperty("format").GetString(), master.GetProperty("bitDepth").GetInt32(), master.GetProperty("sampleRate").GetInt32()));
        var file = Path.Combine(Path.GetTempPath(), $"jacameno-master-{Guid.NewGuid():N}.wav");
        try
        {
            await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync($"/api/assets/{master.GetProperty("id").GetString()}/audio"));
            var (integrated, truePeak) = FfmpegMeter.Measure(file);
            Assert.InRange(integrated, -12.5, -11.5);
            Assert.True(truePeak <= -1.5, $"true peak {truePeak} dBTP");
        }
        finally
        {
            File.Delete(file);
        }

        var mp3 = await (await client.GetAsync($"/api/assets/{outputs.GetProperty("masterMp3").GetString()}")).BodyAsync();
        Assert.Equal("mp3", mp3.GetProperty("format").GetString());
        var before = await (await client.GetAsync($"/api/assets/{outputs.GetProperty("previewBefore").GetString()}")).BodyAsync();
        var after = await (await client.GetAsync($"/api/assets/{outputs.GetProperty("previewAfter").GetString()}")).BodyAsync();
        Assert.Equal(before.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), after.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), 0.5);
        Assert.InRange(after.GetProperty("durationSeconds").GetDouble(), 19.5, 20.2); // the whole 20 s song, as it is shorter than 30 s

        var report = job.GetProperty("result").GetProperty("report");
        Assert.Equal(-12, report.GetProperty("after").GetProperty("integratedLufs").GetDouble(), 0.5);
        Assert.True(report.GetProperty("before").GetProperty("integratedLufs").GetDouble() < -25);
        Assert.Equal("bright", report.GetProperty("style").GetString());
    }

    [Fact]
    public async Task Mastering_BadInput_IsRefusedWithAReason()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = await ReadyAssetAsync(client, Song(), "song.wav");
        var text = (await AssetsApiTests.UploadAsync(client, Encoding.UTF8.GetBytes("not audio at all, just text"), "fake.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, text);
        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { assetId, target = new { lufs = -40 } }, "target.lufs"),
                     (new { assetId, target = new { truePeakDbtp = 3 } }, "target.truePeakDbtp"),
                     (new { assetId, intensity = 1.5 }, "intensity"),
                     (new { assetId, projectId = Guid.NewGuid() }, "assetId"),
                     (new { }, "assetId"),
                     (new { assetId, referenceAssetId = text }, "referenceAssetId"),
                 })
        {
            var response = await client.PostAsJsonAsync("/api/ai/mastering", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
            Assert.Contains(field, (await response.Content.ReadAsStringAsync()));
        }

        foreach (var raw in new[] { $"{{\"assetId\":\"{assetId}\",\"target\":{{\"lufs\":NaN}}}}", $"{{\"assetId\":\"{assetId}\",\"style\":\"epic\"}}", $"{{\"assetId\":\"{assetId}\",\"intensity\":\"Infinity\"}}" })
        {
            var response = await client.PostAsync("/api/ai/mastering", new StringContent(raw, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{raw}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Mastering_AProjectsMix_AndThroughGraphQL()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = await ReadyAssetAsync(client, Song(), "song.wav");
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Mix me")).GetProperty("id").GetString()!;
        var track = Guid.NewGuid();
        await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Song", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 48000 * 10, assetId }));
        var started = await GraphQLApiTests.QueryAsync(client, """
            mutation($p: ID!) { masterAudio(projectId: $p, lufs: -16, style: "WARM") { id kind status } }
            """, new { p = projectId });
        var jobId = started.GetProperty("data").GetProperty("masterAudio").GetProperty("id").GetString()!;
        var job = await JobsApiTests.FinishedAsync(client, jobId, 120);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        Assert.Equal(-16, job.GetProperty("result").GetProperty("report").GetProperty("after").GetProperty("integratedLufs").GetDouble(), 0.5);
        Assert.Equal("Mix me (master).wav", (await (await client.GetAsync($"/api/assets/{job.GetProperty("result").GetProperty("outputs").GetProperty("master").GetString()}")).BodyAsync()).GetProperty("fileName").GetString());

        var analysis = await GraphQLApiTests.QueryAsync(client, "mutation($a: ID!) { analyzeAsset(assetId: $a, key: \"A minor\") { id kind } }", new { a = assetId });
        var analysed = await JobsApiTests.FinishedAsync(client, analysis.GetProperty("data").GetProperty("analyzeAsset").GetProperty("id").GetString()!);
        Assert.Equal("succeeded", analysed.GetProperty("status").GetString());
    }
}

/// <summary>Auto-mix through the API: a proposal, then the same ops applied live as the assistant, and undone by an editor.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AutoMixApiTests(SharedPlatform platform)
{
    private static byte[] Wav(float[] mono)
    {
        using var stream = new MemoryStream();
        WavWriter.Write(stream, [mono, mono], 48000, WavSampleFormat.Pcm24);
        return stream.ToArray();
    }

    [Fact]
    public async Task AutoMix_ProposesBalancedSettings_AppliesThemAsTheAssistant_AndAnEditorCanUndo()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        const int rate = 48000;
        var bass = Enumerable.Range(0, rate * 8).Select(i => 0.5f * MathF.Sin(2 * MathF.PI * 55 * i / rate)).ToArray();
        var keys = MusicSignals.Progression(9, true, rate).Select(x => 0.2f * x).ToArray();
        var guitar = MusicSignals.Progression(9, true, rate).Select(x => 0.6f * x).ToArray();
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Rough mix")).GetProperty("id").GetString()!;
        var ids = new Dictionary<string, Guid>();
        foreach (var (name, audio) in new[] { ("Bass", bass), ("Keys", keys), ("Guitar", guitar) })
        {
            var asset = (await AssetsApiTests.UploadAsync(client, Wav(audio), $"{name}.wav")).GetProperty("id").GetString()!;
            await AssetsApiTests.ProcessedAsync(client, asset);
            ids[name] = Guid.NewGuid();
            await ProjectsApiTests.SubmitAsync(client, projectId,
                ProjectsApiTests.Op("track.add", new { trackId = ids[name], name, kind = "audio" }),
                ProjectsApiTests.Op("clip.add", new { trackId = ids[name], start = 0, length = rate * 8, assetId = asset }));
        }

        var proposal = await JobsApiTests.FinishedAsync(client, (await (await client.PostAsJsonAsync("/api/ai/mix", new { projectId })).BodyAsync()).GetProperty("id").GetString()!);
        Assert.True(proposal.GetProperty("status").GetString() == "succeeded", proposal.GetRawText());
        var report = proposal.GetProperty("result").GetProperty("report");
        var tracks = report.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal("bass", tracks["Bass"].GetProperty("role").GetString());
        Assert.Equal(0, tracks["Bass"].GetProperty("pan").GetDouble());
        Assert.Equal(JsonValueKind.Null, tracks["Bass"].GetProperty("highPassHz").ValueKind);
        Assert.Equal(100, tracks["Keys"].GetProperty("highPassHz").GetInt32());
        // Gain staging: loudness plus proposed volume lands every track within 0.5 dB of the same level.
        var staged = tracks.Values.Select(t => t.GetProperty("loudnessLufs").GetDouble() + t.GetProperty("volumeDb").GetDouble()).ToList();
        Assert.True(staged.Max() - staged.Min() <= 0.5, string.Join(", ", staged));
        Assert.True(tracks["Keys"].GetProperty("volumeDb").GetDouble() > tracks["Guitar"].GetProperty("volumeDb").GetDouble());
        Assert.True(report.GetProperty("master").GetProperty("glueCompressor").GetBoolean());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("applied").ValueKind);
        Assert.Equal(0, (await (await client.GetAsync($"/api/projects/{projectId}")).BodyAsync()).GetProperty("master").GetProperty("effects").GetArrayLength());

        // Applied: the same ops, live to a collaborator's connection, authored by the assistant.
        await using var studio = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);
        var start = (await studio.JoinAsync(Guid.Parse(projectId))).Snapshot!.Version; // read now: the replica moves on as ops arrive
        var applied = await JobsApiTests.FinishedAsync(client, (await (await client.PostAsJsonAsync("/api/ai/mix", new { projectId, apply = true })).BodyAsync()).GetProperty("id").GetString()!);
        var result = applied.GetProperty("result").GetProperty("report").GetProperty("applied");
        var count = report.GetProperty("ops").GetArrayLength();
        Assert.Equal(count, result.GetProperty("ops").GetInt32());
        await studio.WaitForVersionAsync(start + count);
        Assert.Single(studio.Replica.Master.Effects, e => e.Type == "compressor");
        Assert.Equal(tracks["Keys"].GetProperty("volumeDb").GetDouble(), studio.Replica.Tracks.Single(t => t.Name == "Keys").VolumeDb);
        var ops = await (await client.GetAsync($"/api/projects/{projectId}/ops?since={start}")).BodyAsync();
        Assert.All(ops.GetProperty("ops").EnumerateArray(), op => Assert.Equal(Jacameno.Common.SystemUsers.Assistant.ToString(), op.GetProperty("userId").GetString()));

        // An editor undoes the assistant's last change (the bus compressor).
        var undo = await ProjectsApiTests.SubmitAsync(client, projectId, ProjectsApiTests.Op("undo", new { of = "assistant" }, baseVersion: start + count));
        Assert.True(undo[0].GetProperty("status").GetString() == "applied", undo[0].GetRawText());
        Assert.Equal(0, (await (await client.GetAsync($"/api/projects/{projectId}")).BodyAsync()).GetProperty("master").GetProperty("effects").GetArrayLength());

        // A viewer may ask for a proposal but not apply one.
        var viewer = await platform.RegisterAsync();
        await client.PutAsJsonAsync($"/api/projects/{projectId}/collaborators/{viewer.User.Id}", new { role = "viewer" });
        using var viewerClient = platform.CreateClient(viewer.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerClient.PostAsJsonAsync("/api/ai/mix", new { projectId, apply = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await viewerClient.PostAsJsonAsync("/api/ai/mix", new { projectId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient((await platform.RegisterAsync()).AccessToken).PostAsJsonAsync("/api/ai/mix", new { projectId })).StatusCode);
    }
}

/// <summary>Limits, on a platform of its own with small ones: jobs a day, audio length for AI tools, upload size.</summary>
public sealed class PlatformLimitsTests : IAsyncLifetime
{
    private readonly EmbeddedPlatform platform = new(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
    {
        ["Jacameno:Jobs:UserJobsPerDay"] = "2",
        ["Jacameno:Jobs:MaxAudioMinutes"] = "1",
        ["Jacameno:Assets:MaxUploadBytes"] = "2000000",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task JobsPerDay_AreCounted_AndTheNextIs429WithAReason_ButAdminsAreUnlimited()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Empty")).GetProperty("id").GetString()!;
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).StatusCode);
        }

        var refused = await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("2 jobs a day", (await refused.BodyAsync()).GetProperty("detail").GetString());

        var admin = await platform.RegisterAsync("admin@example.org");
        using var adminClient = platform.CreateClient(admin.AccessToken);
        var adminProject = (await ProjectsApiTests.CreateAsync(adminClient, "Admin's")).GetProperty("id").GetString()!;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await adminClient.PostAsJsonAsync($"/api/projects/{adminProject}/renders", new { })).StatusCode);
        }
    }

    [Fact]
    public async Task AudioLongerThanTheAiLimit_And_UploadsOverTheSizeLimit_AreRefusedWithAReason()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using (var wav = new MemoryStream())
        {
            WavWriter.Write(wav, [new float[8000 * 61]], 8000, WavSampleFormat.Pcm16); // 61 s, about 1 MB
            var assetId = (await AssetsApiTests.UploadAsync(client, wav.ToArray(), "long.wav")).GetProperty("id").GetString()!;
            await AssetsApiTests.ProcessedAsync(client, assetId);
            var refused = await client.PostAsJsonAsync("/api/ai/analysis", new { assetId });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("at most 1", (await refused.BodyAsync()).GetProperty("detail").GetString());
        }

        // 3 MB against a 2 MB limit, with and without a Content-Length: 413, and nothing is kept.
        var big = new byte[3_000_000];
        var response = await client.PostAsync("/api/assets?fileName=big.wav", new ByteArrayContent(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var chunked = new StreamContent(new MemoryStream(big));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assets?fileName=big.wav") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(request)).StatusCode);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(platform.DataDirectory, "blobs"), "*", SearchOption.AllDirectories),
            f => new FileInfo(f).Length >= 2_000_000);
    }
}
