namespace Jacameno.Frontend.Tests;

/// <summary>
/// Sends through the API: a track feeding a bus besides its output, post-fader or pre-fader, at a level that may be
/// automated; refused where they would loop or lead nowhere; undone; gone with their bus; measured in renders.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class SendsApiTests(SharedPlatform platform)
{
    [Fact]
    public async Task ATrackFeedsABus_PostOrPreFader_AtItsLevel_AutomatedToo()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = (await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-12, 2), "tone.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, assetId);
        var id = (await ProjectsApiTests.CreateAsync(client, "Sends")).GetProperty("id").GetString()!;
        var (tone, bus, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = bus, name = "Parallel", kind = "bus" }),
            ProjectsApiTests.Op("track.add", new { trackId = other, name = "Other bus", kind = "bus" }),
            ProjectsApiTests.Op("track.add", new { trackId = tone, name = "Tone", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = tone, start = 0, length = 96000, assetId }),
            ProjectsApiTests.Op("track.set", new { trackId = tone, volumeDb = -6.0 }),
            ProjectsApiTests.Op("track.send", new { trackId = tone, busId = bus, levelDb = -6.0 }),
            // Refused: to a track that is no bus, a bus into itself, a loop through another bus, a level out of range,
            // removing a send there is not, automating a send there is not.
            ProjectsApiTests.Op("track.send", new { trackId = other, busId = tone }),
            ProjectsApiTests.Op("track.send", new { trackId = bus, busId = bus }),
            ProjectsApiTests.Op("track.set", new { trackId = bus, output = other.ToString() }),
            ProjectsApiTests.Op("track.send", new { trackId = other, busId = bus }),
            ProjectsApiTests.Op("track.send", new { trackId = tone, busId = bus, levelDb = 20.0 }),
            ProjectsApiTests.Op("track.send", new { trackId = tone, busId = other, remove = true }),
            ProjectsApiTests.Op("automation.set", new { trackId = tone, target = $"send:{other}", points = new[] { new { time = 0, value = 0.0, curve = "linear" } } }));
        Assert.Equal(["applied", "applied", "applied", "applied", "applied", "applied", "rejected", "rejected", "applied", "rejected", "rejected", "rejected", "rejected"],
            acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("bus track", acks[6].GetProperty("reason").GetString());
        Assert.Contains("loop", acks[7].GetProperty("reason").GetString());
        Assert.Contains("loop", acks[9].GetProperty("reason").GetString());
        Assert.Contains("levelDb", acks[10].GetProperty("reason").GetString());
        Assert.Contains("no send", acks[11].GetProperty("reason").GetString());
        Assert.Contains("no send", acks[12].GetProperty("reason").GetString());

        async Task<double> PeakAsync()
        {
            var left = (await JobsApiTests.RenderedMixAsync(client, id))[0];
            return left[12000..36000].Max(x => Math.Abs((double)x));
        }

        // -12 dBFS tone: through the fader (-6 dB) to the master, and post-fader at -6 dB through the bus (itself into
        // the other bus, then the master): 0.5 + 0.25 of it.
        var tonePeak = Math.Pow(10, -12 / 20.0);
        Assert.Equal(0.75 * tonePeak, await PeakAsync(), 0.002);
        var pre = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("track.send", new { trackId = tone, busId = bus, preFader = true }));
        // Pre-fader (its level kept) the fader does not touch it: 0.5 + 0.5.
        Assert.Equal(1.0 * tonePeak, await PeakAsync(), 0.002);

        // Read back over REST and GraphQL; undone, it is post-fader again.
        var project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        var send = project.GetProperty("tracks").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == tone).GetProperty("sends")[0];
        Assert.Equal((bus, -6.0, true), (send.GetProperty("bus").GetGuid(), send.GetProperty("levelDb").GetDouble(), send.GetProperty("preFader").GetBoolean()));
        var graph = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { project(id: $id) { tracks { name sends { busId levelDb preFader } } } }", new { id });
        var sends = graph.GetProperty("data").GetProperty("project").GetProperty("tracks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Tone").GetProperty("sends");
        Assert.Equal(bus.ToString(), sends[0].GetProperty("busId").GetString());
        var undo = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("undo", new { }, baseVersion: pre[0].GetProperty("version").GetInt64()));
        Assert.Equal("applied", undo[0].GetProperty("status").GetString());

        // The send's level automated: silent (-96 dB), then 0 dB from 1 s: 0.5 alone, then 0.5 + 0.5 (after the fader).
        var lane = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("automation.set", new
        {
            trackId = tone, target = $"send:{bus}", points = new[] { new { time = 0, value = -96.0, curve = "hold" }, new { time = 48000, value = 0.0, curve = "hold" } },
        }));
        Assert.Equal("applied", lane[0].GetProperty("status").GetString());
        var mix = (await JobsApiTests.RenderedMixAsync(client, id))[0];
        Assert.Equal(0.5 * tonePeak, mix[12000..36000].Max(x => Math.Abs((double)x)), 0.002);
        Assert.Equal(1.0 * tonePeak, mix[60000..84000].Max(x => Math.Abs((double)x)), 0.002);

        // The bus removed, the send into it goes with it; undone, the bus comes back into the other bus and the send
        // with its level, its lane and the mix as they were.
        var before = await JobsApiTests.RenderedMixAsync(client, id);
        var removed = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("track.remove", new { trackId = bus }));
        project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Empty(project.GetProperty("tracks").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == tone).GetProperty("sends").EnumerateArray());
        var back = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("undo", new { }, baseVersion: removed[0].GetProperty("version").GetInt64()));
        Assert.Equal("applied", back[0].GetProperty("status").GetString());
        project = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        var tracks = project.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetGuid());
        Assert.Equal(other.ToString(), tracks[bus].GetProperty("output").GetString());
        send = tracks[tone].GetProperty("sends").EnumerateArray().Single();
        Assert.Equal((bus, -6.0, false), (send.GetProperty("bus").GetGuid(), send.GetProperty("levelDb").GetDouble(), send.GetProperty("preFader").GetBoolean()));
        var after = (await JobsApiTests.RenderedMixAsync(client, id))[0];
        Assert.Equal(before[0].Length, after.Length);
        Assert.True(before[0].Zip(after).All(p => Math.Abs(p.First - p.Second) < 1e-6), "The mix differs after the undo.");
    }
}
