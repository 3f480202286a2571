
namespace Jacameno.Frontend.Tests;

/// <summary>Clips that follow the project's tempo and are transposed (clip.stretch, Rubber Band on the server), measured in a render.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class TimeAndPitchApiTests(SharedPlatform platform)
{
    [Fact]
    public async Task AClipFollowsTheProjectTempo_AndIsTransposed_InTheRender_WithItsOpCheckedAndUndoable()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = (await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-6, 2), "tone.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, assetId);
        var id = (await ProjectsApiTests.CreateAsync(client, "Double time")).GetProperty("id").GetString()!;
        var (track, clip, keys, notes) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Tone", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 96000, assetId }),
            ProjectsApiTests.Op("track.add", new { trackId = keys, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("clip.add", new { trackId = keys, clipId = notes, start = 0, length = 4800 }),
            // The two seconds were played at 60 BPM: at the project's 120 they last one second, a fifth up.
            ProjectsApiTests.Op("clip.stretch", new { clipId = clip, sourceTempo = 60.0, transpose = 7 }),
            ProjectsApiTests.Op("clip.stretch", new { clipId = notes, transpose = 2 }),
            ProjectsApiTests.Op("clip.stretch", new { clipId = clip, sourceTempo = 1000.0 }),
            ProjectsApiTests.Op("clip.stretch", new { clipId = clip, transpose = 30 }),
            ProjectsApiTests.Op("clip.stretch", new { clipId = clip, cents = -101 }));
        Assert.Equal(["applied", "applied", "applied", "applied", "applied", "rejected", "rejected", "rejected", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("Only audio clips", acks[5].GetProperty("reason").GetString());

        var left = (await JobsApiTests.RenderedMixAsync(client, id))[0];
        Assert.Equal(96000, left.Length);
        double Peak(int from, int to) => left[from..to].Max(Math.Abs);
        Assert.InRange(Peak(12000, 36000), 0.4, 0.6);  // the tone, at its level
        Assert.InRange(Peak(50000, 96000), 0, 0.01);  // over after one second
        var crossings = Enumerable.Range(12000, 24000).Where(i => left[i - 1] < 0 && left[i] >= 0).ToList();
        var hz = (crossings.Count - 1) * 48000.0 / (crossings[^1] - crossings[0]);
        Assert.InRange(hz, 1000 * Math.Pow(2, 7 / 12.0) * 0.995, 1000 * Math.Pow(2, 7 / 12.0) * 1.005);

        // Shown over GraphQL; undo plays it as recorded again.
        var read = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { project(id: $id) { tracks { clips { sourceTempo transpose cents preserveFormants } } } }", new { id });
        var shown = read.GetProperty("data").GetProperty("project").GetProperty("tracks")[0].GetProperty("clips")[0];
        Assert.Equal((60.0, 7), (shown.GetProperty("sourceTempo").GetDouble(), shown.GetProperty("transpose").GetInt32()));
        var undo = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("undo", new { }, baseVersion: acks[4].GetProperty("version").GetInt64()));
        Assert.True(undo[0].GetProperty("status").GetString() == "applied", undo[0].GetRawText());
        var project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        var clipNow = project.GetProperty("tracks")[0].GetProperty("clips")[0];
        Assert.Equal(0, clipNow.GetProperty("transpose").GetInt32());
    }
}
