using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>The job system through the API, with project renders as the job: real grains, real ffmpeg, real files.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class JobsApiTests(SharedPlatform platform)
{
    internal static async Task<JsonElement> FinishedAsync(HttpClient client, string jobId, int seconds = 90)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/api/jobs/{jobId}")).BodyAsync();
            if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"The job is stuck: {job}");
            await Task.Delay(100);
        }
    }

    /// <summary>Renders the project's mix as 32-bit float WAV, waits for it, and gives its samples, for measuring.</summary>
    internal static async Task<float[][]> RenderedMixAsync(HttpClient client, string projectId)
    {
        var render = await (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { format = "wav", bitDepth = 32 })).BodyAsync();
        var job = await FinishedAsync(client, render.GetProperty("id").GetString()!);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var mixId = job.GetProperty("result").GetProperty("outputs").GetProperty("mix").GetString();
        return Audio.Formats.WavReader.ReadAll(new MemoryStream(await client.GetByteArrayAsync($"/api/assets/{mixId}/audio"))).Samples;
    }

    /// <summary>A project with two audio tracks playing the same 2-second tone, one panned hard left.</summary>
    private static async Task<(string ProjectId, string AssetId)> TwoTrackProjectAsync(HttpClient client)
    {
        var asset = await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-20, 2), "tone.wav");
        var assetId = asset.GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, assetId)).GetProperty("status").GetString());
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Two tones")).GetProperty("id").GetString()!;
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = a, name = "Lead", kind = "audio" }),
            ProjectsApiTests.Op("track.add", new { trackId = b, name = "Double", kind = "audio" }),
            ProjectsApiTests.Op("track.set", new { trackId = b, pan = -1.0, volumeDb = -6.0 }),
            ProjectsApiTests.Op("clip.add", new { trackId = a, start = 0, length = 96000, assetId }),
            ProjectsApiTests.Op("clip.add", new { trackId = b, start = 0, length = 96000, assetId }));
        Assert.All(acks, ack => Assert.Equal("applied", ack.GetProperty("status").GetString()));
        return (projectId, assetId);
    }

    [Fact]
    public async Task Render_MakesAMixAndStems_AsAssets_WithProgressOverSignalR()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var (projectId, _) = await TwoTrackProjectAsync(client);
        await using var studio = await StudioClient.ConnectAsync(platform.Server, owner.AccessToken);

        var accepted = await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { format = "flac", bitDepth = 16, stems = true });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var created = await accepted.BodyAsync();
        var jobId = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/jobs/{jobId}", accepted.Headers.Location?.ToString());
        Assert.Equal(("render", "flac"), (created.GetProperty("kind").GetString(), created.GetProperty("input").GetProperty("format").GetString()));

        var job = await FinishedAsync(client, jobId);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        Assert.Equal((100, 1), (job.GetProperty("progress").GetInt32(), job.GetProperty("attempts").GetInt32()));
        var outputs = job.GetProperty("result").GetProperty("outputs");
        Assert.Equal(3, outputs.EnumerateObject().Count()); // the mix and one stem per track

        var mix = await (await client.GetAsync($"/api/assets/{outputs.GetProperty("mix").GetString()}")).BodyAsync();
        Assert.Equal(("ready", "flac", 48000, 2, 16), (mix.GetProperty("status").GetString(), mix.GetProperty("format").GetString(),
            mix.GetProperty("sampleRate").GetInt32(), mix.GetProperty("channels").GetInt32(), mix.GetProperty("bitDepth").GetInt32()));
        Assert.InRange(mix.GetProperty("durationSeconds").GetDouble(), 1.99, 2.01);
        // Two copies of a -20 LUFS tone, one 6 dB down and panned, sum louder than one.
        Assert.InRange(mix.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), -19.5, -10);
        Assert.Equal("Two tones.flac", mix.GetProperty("fileName").GetString());
        var audio = await (await client.GetAsync($"/api/assets/{mix.GetProperty("id").GetString()}/audio")).Content.ReadAsByteArrayAsync();
        Assert.Equal("fLaC"u8.ToArray(), audio[..4]);

        var zipResponse = await client.GetAsync($"/api/jobs/{jobId}/stems.zip");
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await zipResponse.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["Two tones - Double.flac", "Two tones - Lead.flac"], zip.Entries.Select(e => e.Name).Order());
        await using (var stem = await zip.Entries[0].OpenAsync())
        {
            var magic = new byte[4];
            await stem.ReadExactlyAsync(magic);
            Assert.Equal("fLaC"u8.ToArray(), magic);
        }

        // The owner's connection heard the job finish, with the same result.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Heard(studio, "JobCompleted", jobId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Heard(studio, "JobCompleted", jobId), "JobCompleted never arrived over SignalR.");

        // Counted in the metrics: finished jobs by kind and status, and the ffmpeg processes that encoded them.
        var metrics = await platform.CreateClient().GetStringAsync("/metrics");
        var lines = metrics.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("jacameno_jobs_finished_total{", StringComparison.Ordinal) && l.Contains("kind=\"Render\"") && l.Contains("status=\"Succeeded\""));
        Assert.Contains(lines, l => l.StartsWith("jacameno_processes_running{", StringComparison.Ordinal) && l.Contains("program=\"ffmpeg\""));
        Assert.Contains("jacameno_jobs_slot_wait_seconds_bucket", metrics);

        var list = await (await client.GetAsync("/api/jobs?first=1")).BodyAsync();
        Assert.Equal(jobId, list.GetProperty("items")[0].GetProperty("id").GetString());
        var outsider = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/jobs/{jobId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/jobs/{jobId}/stems.zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.DeleteAsync($"/api/jobs/{jobId}")).StatusCode);
    }

    /// <summary>MIDI clips are heard in renders: their notes play on the built-in voice (audio/Rendering/NoteSynth.cs).</summary>
    [Fact]
    public async Task Render_PlaysMidiNotes()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Keys")).GetProperty("id").GetString()!;
        var (track, clip) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 96000 }),
            ProjectsApiTests.Op("note.add", new { clipId = clip, pitch = 60, velocity = 110, start = 0, length = 48000 }),
            ProjectsApiTests.Op("note.add", new { clipId = clip, pitch = 64, velocity = 110, start = 0, length = 48000 }));
        Assert.All(acks, ack => Assert.Equal("applied", ack.GetProperty("status").GetString()));

        var accepted = await (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).BodyAsync();
        var job = await FinishedAsync(client, accepted.GetProperty("id").GetString()!);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var mix = await (await client.GetAsync($"/api/assets/{job.GetProperty("result").GetProperty("outputs").GetProperty("mix").GetString()}")).BodyAsync();
        Assert.InRange(mix.GetProperty("durationSeconds").GetDouble(), 1.99, 2.01);
        // Two notes for a second out of two: clearly heard, not silence (about -70 LUFS and below would be).
        Assert.InRange(mix.GetProperty("loudness").GetProperty("integratedLufs").GetDouble(), -30, -10);
    }

    private static bool Heard(StudioClient studio, string message, string jobId)
    {
        lock (studio.Received)
        {
            return studio.Received.Any(r => (string)r[0]! == message && r[1] is JsonElement job && job.GetProperty("id").GetString() == jobId);
        }
    }

    [Fact]
    public async Task Render_RejectsBadRequests_AndFailsWithAReason_WhenAClipsAudioIsMissing()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var (projectId, _) = await TwoTrackProjectAsync(client);
        foreach (var body in new object[] { new { format = "wma" }, new { bitDepth = 20 }, new { format = "flac", bitDepth = 32 }, new { sampleRate = 12345 },
                     new { mp3 = "128" }, new { version = 999 }, new { stems = "yes" } })
        {
            var response = await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var outsider = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/jobs/{Guid.NewGuid()}")).StatusCode);

        // A clip whose audio could not be processed (a text file): the job fails at once, with the reason, and is not retried.
        var track = Guid.NewGuid();
        var broken = (await AssetsApiTests.UploadAsync(client, "not audio at all"u8.ToArray(), "fake.wav")).GetProperty("id").GetString();
        await AssetsApiTests.ProcessedAsync(client, broken!);
        await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Ghost", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 4800, assetId = broken }));
        var job = await FinishedAsync(client, (await (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { })).BodyAsync()).GetProperty("id").GetString()!);
        Assert.Equal(("failed", 1), (job.GetProperty("status").GetString(), job.GetProperty("attempts").GetInt32()));
        Assert.Contains("cannot be used", job.GetProperty("error").GetString());

        // An empty project has nothing to render.
        var empty = (await ProjectsApiTests.CreateAsync(client, "Empty")).GetProperty("id").GetString()!;
        job = await FinishedAsync(client, (await (await client.PostAsJsonAsync($"/api/projects/{empty}/renders", new { })).BodyAsync()).GetProperty("id").GetString()!);
        Assert.Equal("The project has no clips to render.", job.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AssetUsedByAProject_IsNotDeleted_UntilItsClipsAreGone()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var (projectId, assetId) = await TwoTrackProjectAsync(client);
        var refused = await client.DeleteAsync($"/api/assets/{assetId}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(projectId, (await refused.BodyAsync()).GetProperty("detail").GetString());

        var project = await (await client.GetAsync($"/api/projects/{projectId}")).BodyAsync();
        foreach (var track in project.GetProperty("tracks").EnumerateArray())
        {
            await ProjectsApiTests.SubmitAsync(client, projectId, ProjectsApiTests.Op("track.remove", new { trackId = track.GetProperty("id").GetString() }));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/assets/{assetId}")).StatusCode);
    }

    [Fact]
    public async Task RenderAndJobs_WorkThroughGraphQL()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var (projectId, _) = await TwoTrackProjectAsync(client);
        var started = await GraphQLApiTests.QueryAsync(client, """
            mutation($p: ID!) { renderProject(projectId: $p, format: "MP3", mp3: "320") { id kind status } }
            """, new { p = projectId });
        var jobId = started.GetProperty("data").GetProperty("renderProject").GetProperty("id").GetString()!;
        await FinishedAsync(client, jobId);
        var read = await GraphQLApiTests.QueryAsync(client, """
            query($id: ID!) { job(id: $id) { status progress outputs { name assetId } reportJson } jobs(first: 5) { nodes { id } } }
            """, new { id = jobId });
        var job = read.GetProperty("data").GetProperty("job");
        Assert.Equal(("succeeded", 100), (job.GetProperty("status").GetString(), job.GetProperty("progress").GetInt32()));
        Assert.Equal("mix", job.GetProperty("outputs")[0].GetProperty("name").GetString());
        Assert.Equal("mp3", JsonDocument.Parse(job.GetProperty("reportJson").GetString()!).RootElement.GetProperty("format").GetString());
        Assert.Equal(jobId, read.GetProperty("data").GetProperty("jobs").GetProperty("nodes")[0].GetProperty("id").GetString());

        var bad = await GraphQLApiTests.QueryAsync(client, """mutation($p: ID!) { renderProject(projectId: $p, format: "wma") { id } }""", new { p = projectId });
        Assert.Equal("BAD_USER_INPUT", bad.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}
