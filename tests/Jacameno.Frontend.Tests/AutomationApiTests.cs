using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Automation lanes through the API: the op's checks, undo, GraphQL, and a rendered volume ramp measured.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class AutomationApiTests(SharedPlatform platform)
{
    private static object Points(params (long Time, double Value, string Curve)[] points) => points.Select(p => new { time = p.Time, value = p.Value, curve = p.Curve }).ToArray();

    [Fact]
    public async Task AVolumeRamp_IsRenderedAsDrawn_AndLanesAreChecked_Undoable_AndReadableInGraphQL()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = (await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-6, 2), "tone.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, assetId);
        var id = (await ProjectsApiTests.CreateAsync(client, "Swell")).GetProperty("id").GetString()!;
        var (track, eq, delay) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var setup = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Tone", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 96000, assetId }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = eq, type = "eq-peak" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = delay, type = "delay", parameters = new { mix = 0.0 } }));
        Assert.All(setup, ack => Assert.Equal("applied", ack.GetProperty("status").GetString()));

        // Volume from -30 dB to 0 dB over the two seconds; an EQ gain and the pan held, for the lanes' variety.
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "volume", points = Points((0, -30, "linear"), (96000, 0, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = $"effect:{eq}:gainDb", points = Points((0, 0, "hold"), (48000, 3, "sCurve")) }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "pan", points = Points((0, 0, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { target = "volume", points = Points((0, 0, "linear")) }),
            // Refused: a fixed parameter, out of range, out of order, another chain's effect, an unknown target, pan on the master.
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = $"effect:{delay}:timeMs", points = Points((0, 100, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "volume", points = Points((0, 40, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "pan", points = Points((10, 0, "linear"), (5, 0, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { target = $"effect:{eq}:gainDb", points = Points((0, 0, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "tempo", points = Points((0, 0, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { target = "pan", points = Points((0, 0, "linear")) }),
            ProjectsApiTests.Op("automation.set", new { trackId = track, target = "volume", points = Points((0, 0, "wobbly")) }));
        Assert.Equal(["applied", "applied", "applied", "applied", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected"],
            acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("cannot be automated", acks[4].GetProperty("reason").GetString());
        Assert.Contains("between -96 and 12", acks[5].GetProperty("reason").GetString());
        Assert.Contains("in order", acks[6].GetProperty("reason").GetString());
        Assert.Contains("not on this chain", acks[7].GetProperty("reason").GetString());

        var mix = await JobsApiTests.RenderedMixAsync(client, id);

        // The tone's level follows the drawn line, -36 dBFS peak at the start to -6 at the end, linear in dB (the peak of a
        // 100 ms window is where the window ends, as the level rises through it), and from one second on the EQ's lane
        // has raised its band, at the tone's 1 kHz, by 3 dB.
        double PeakDb(int from) => 20 * Math.Log10(mix[0].AsSpan(from, 4800).ToArray().Max(Math.Abs));
        foreach (var at in new[] { 0, 24000, 43200, 91200 })
        {
            var expected = -36 + (30.0 * (at + 4800) / 96000) + (at >= 48000 ? 3 : 0);
            Assert.InRange(PeakDb(at), expected - 0.1, expected + 0.1);
        }

        // GraphQL shows the lanes; undo of the last applied op (the master's lane) removes it.
        var read = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { project(id: $id) { masterAutomation { target } tracks { automation { target points { time value curve } } } } }", new { id });
        var lanes = read.GetProperty("data").GetProperty("project").GetProperty("tracks")[0].GetProperty("automation");
        Assert.Equal(["volume", $"effect:{eq}:gainDb", "pan"], lanes.EnumerateArray().Select(l => l.GetProperty("target").GetString()));
        Assert.Equal("sCurve", lanes[1].GetProperty("points")[1].GetProperty("curve").GetString());
        Assert.Equal(1, read.GetProperty("data").GetProperty("project").GetProperty("masterAutomation").GetArrayLength());
        var undo = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("undo", new { }, baseVersion: acks[3].GetProperty("version").GetInt64()));
        Assert.True(undo[0].GetProperty("status").GetString() == "applied", undo[0].GetRawText());
        var project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(0, project.GetProperty("master").GetProperty("automation").GetArrayLength());
        Assert.Equal(3, project.GetProperty("tracks")[0].GetProperty("automation").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, project.GetProperty("tracks")[0].GetProperty("automation")[0].GetProperty("points")[1].GetProperty("time").ValueKind);
    }
}
