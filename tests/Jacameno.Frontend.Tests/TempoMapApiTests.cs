using System.IO.Compression;
using System.Net;
using System.Xml.Linq;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Tempo changes (tempo.set): checked, undoable, in REST and GraphQL (clips' beats through the changes), honoured by
/// the render (a clip that follows the tempo after a change is stretched to that tempo) and by DAWproject both ways.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class TempoMapApiTests(SharedPlatform platform)
{
    private static object Changes(params (long Position, double Tempo)[] changes) => changes.Select(c => new { position = c.Position, tempo = c.Tempo }).ToArray();

    [Fact]
    public async Task TempoChanges_AreChecked_Undoable_Shown_Rendered_AndCarriedByDawProject()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var assetId = (await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-6, 2), "tone.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, assetId);
        var id = (await ProjectsApiTests.CreateAsync(client, "Slowing down")).GetProperty("id").GetString()!;
        var (track, clip) = (Guid.NewGuid(), Guid.NewGuid());
        // 120 BPM for two bars (192 000 samples), then 60 BPM.
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("tempo.set", new { changes = Changes((192_000, 60)) }),
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Tone", kind = "audio" }),
            // Two seconds played at 120 BPM, placed after the change: at 60 BPM they last four (of the clip's six).
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 240_000, length = 288_000, assetId }),
            ProjectsApiTests.Op("clip.stretch", new { clipId = clip, sourceTempo = 120.0 }),
            // Refused: out of order, at 0, out of range, too many.
            ProjectsApiTests.Op("tempo.set", new { changes = Changes((96_000, 90), (48_000, 100)) }),
            ProjectsApiTests.Op("tempo.set", new { changes = Changes((0, 90)) }),
            ProjectsApiTests.Op("tempo.set", new { changes = Changes((96_000, 1000)) }),
            ProjectsApiTests.Op("tempo.set", new { changes = Enumerable.Range(1, 1001).Select(i => new { position = (long)i, tempo = 100.0 }).ToArray() }),
            ProjectsApiTests.Op("tempo.set", new { changes = new[] { new { position = 96_000, tempo = "fast" } } }));
        Assert.Equal(["applied", "applied", "applied", "applied", "rejected", "rejected", "rejected", "rejected", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("in order", acks[4].GetProperty("reason").GetString());
        Assert.Contains("between 20 and 999", acks[6].GetProperty("reason").GetString());
        Assert.Contains("at most 1000", acks[7].GetProperty("reason").GetString());

        // The clip starts 1 beat after the change (48 000 samples at 60 BPM): beat 8 + 1 = 9; it spans 6 beats.
        var read = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { project(id: $id) { tempo tempoChanges { position tempo } tracks { clips { startBeats lengthBeats } } } }", new { id });
        var project = read.GetProperty("data").GetProperty("project");
        Assert.Equal((192_000, 60.0), (project.GetProperty("tempoChanges")[0].GetProperty("position").GetInt64(), project.GetProperty("tempoChanges")[0].GetProperty("tempo").GetDouble()));
        var shown = project.GetProperty("tracks")[0].GetProperty("clips")[0];
        Assert.Equal((9.0, 6.0), (Math.Round(shown.GetProperty("startBeats").GetDouble(), 6), Math.Round(shown.GetProperty("lengthBeats").GetDouble(), 6)));

        // Rendered: the tone lasts four seconds from 5 s (stretched by 120/60), not two.
        var left = (await JobsApiTests.RenderedMixAsync(client, id))[0];
        double Peak(int from, int to) => left[from..to].Max(Math.Abs);
        Assert.InRange(Peak(240_000 + 24_000, 240_000 + 168_000), 0.4, 0.6);
        Assert.InRange(Peak(240_000 + 200_000, 528_000), 0, 0.05);
        Assert.Equal(0, Peak(0, 239_000));

        // DAWproject: the changes go out as the arrangement's tempo automation and come back as tempo changes.
        var export = await client.GetByteArrayAsync($"/api/projects/{id}/dawproject");
        using (var zip = new ZipArchive(new MemoryStream(export)))
        {
            var points = XDocument.Load(zip.GetEntry("project.xml")!.Open()).Descendants("TempoAutomation").Single().Elements("RealPoint")
                .Select(p => (p.Attribute("time")!.Value, p.Attribute("value")!.Value)).ToList();
            Assert.Equal([("0", "120"), ("4", "60")], points);
        }

        var content = new ByteArrayContent(export);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        var imported = await client.PostAsync("/api/projects/dawproject", content);
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var copy = (await imported.BodyAsync()).GetProperty("project");
        Assert.Equal((192_000L, 60.0), (copy.GetProperty("tempoChanges")[0].GetProperty("position").GetInt64(), copy.GetProperty("tempoChanges")[0].GetProperty("tempo").GetDouble()));

        // Undo puts the map back as it was; none at all makes the tempo constant again.
        var changed = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("tempo.set", new { changes = Changes((96_000, 90)) }));
        var undo = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("undo", new { }, baseVersion: changed[0].GetProperty("version").GetInt64()));
        Assert.All(undo, a => Assert.Equal("applied", a.GetProperty("status").GetString()));
        var now = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal(192_000, now.GetProperty("tempoChanges")[0].GetProperty("position").GetInt64());
        var cleared = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("tempo.set", new { changes = Array.Empty<object>() }));
        Assert.Equal("applied", cleared[0].GetProperty("status").GetString());
        Assert.Equal(0, (await (await client.GetAsync($"/api/projects/{id}")).BodyAsync()).GetProperty("tempoChanges").GetArrayLength());
    }
}
