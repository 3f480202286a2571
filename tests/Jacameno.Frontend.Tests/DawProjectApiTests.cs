using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Xml.Linq;

namespace Jacameno.Frontend.Tests;

/// <summary>DAWproject export and import through the API: the round trip keeps the arrangement, the mixer and the audio.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class DawProjectApiTests(SharedPlatform platform)
{
    private static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    private static byte[] ZipOf(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return stream.ToArray();
    }

    [Fact]
    public async Task Export_ThenImport_KeepsArrangementMixerAndAudio()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var wav = AssetsApiTests.StereoSineWav(-20, 2);
        var assetId = (await AssetsApiTests.UploadAsync(client, wav, "tone.wav")).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, assetId);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Round trip")).GetProperty("id").GetString()!;
        await client.PatchAsJsonAsync($"/api/projects/{projectId}", new { tempo = 100, timeSignature = new { numerator = 3, denominator = 4 } });
        var (lead, synth, bus, clip) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = lead, name = "Lead", kind = "audio", color = "#ff8800" }),
            ProjectsApiTests.Op("track.add", new { trackId = synth, name = "Synth", kind = "midi" }),
            ProjectsApiTests.Op("track.add", new { trackId = bus, name = "Verb", kind = "bus" }),
            ProjectsApiTests.Op("track.set", new { trackId = lead, volumeDb = -6.0, pan = -0.5, output = bus.ToString() }),
            ProjectsApiTests.Op("track.set", new { trackId = synth, mute = true }),
            ProjectsApiTests.Op("clip.add", new { trackId = lead, clipId = clip, start = 24000, length = 48000, assetId, offset = 4800 }),
            ProjectsApiTests.Op("clip.set", new { clipId = clip, fadeIn = new { length = 2400 }, fadeOut = new { length = 4800 } }),
            // A muted clip (a take not chosen) goes over as a clip that does not play.
            ProjectsApiTests.Op("clip.add", new { trackId = lead, start = 24000, length = 48000, assetId }),
            ProjectsApiTests.Op("clip.set", new { clipId = clip, muted = true }),
            ProjectsApiTests.Op("clip.add", new { trackId = synth, start = 0, length = 96000, notes = new[] { new { pitch = 64, velocity = 100, start = 12000, length = 6000 } } }));
        Assert.All(acks, a => Assert.Equal("applied", a.GetProperty("status").GetString()));

        var export = await client.GetAsync($"/api/projects/{projectId}/dawproject");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            var xml = XDocument.Load(zip.GetEntry("project.xml")!.Open());
            Assert.Equal("100", xml.Root!.Element("Transport")!.Element("Tempo")!.Attribute("value")!.Value);
            Assert.Equal("3", xml.Root.Element("Transport")!.Element("TimeSignature")!.Attribute("numerator")!.Value);
            Assert.Equal(["Lead", "Synth", "Verb", "Master"], xml.Root.Element("Structure")!.Elements("Track").Select(t => t.Attribute("name")!.Value));
            Assert.Equal(["false", null], xml.Descendants("Clip").Where(c => c.Element("Audio") is not null).Select(c => c.Attribute("enable")?.Value));
            var path = xml.Descendants("File").Select(f => f.Attribute("path")!.Value).Distinct().Single();
            using var audio = new MemoryStream();
            zip.GetEntry(path)!.Open().CopyTo(audio);
            Assert.Equal(wav, audio.ToArray());
            Assert.Equal("Round trip", XDocument.Load(zip.GetEntry("metadata.xml")!.Open()).Root!.Element("Title")!.Value);
        }

        var imported = await client.PostAsync("/api/projects/dawproject", Zip(bytes));
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var body = await imported.BodyAsync();
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
        var copy = body.GetProperty("project");
        Assert.Equal(("Round trip", 100.0, 3), (copy.GetProperty("name").GetString(), copy.GetProperty("tempo").GetDouble(), copy.GetProperty("timeSignature").GetProperty("numerator").GetInt32()));
        var tracks = copy.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(("audio", "midi", "bus"), (tracks["Lead"].GetProperty("kind").GetString(), tracks["Synth"].GetProperty("kind").GetString(), tracks["Verb"].GetProperty("kind").GetString()));
        Assert.Equal((-6.0, -0.5, "#ff8800"), (tracks["Lead"].GetProperty("volumeDb").GetDouble(), tracks["Lead"].GetProperty("pan").GetDouble(), tracks["Lead"].GetProperty("color").GetString()));
        Assert.Equal(tracks["Verb"].GetProperty("id").GetString(), tracks["Lead"].GetProperty("output").GetString());
        Assert.True(tracks["Synth"].GetProperty("mute").GetBoolean());
        var leadClip = tracks["Lead"].GetProperty("clips").EnumerateArray().Single(c => c.GetProperty("muted").GetBoolean());
        Assert.False(tracks["Lead"].GetProperty("clips").EnumerateArray().Single(c => c.GetProperty("offset").GetInt64() == 0).GetProperty("muted").GetBoolean());
        Assert.Equal((24000L, 48000L, 4800L, 2400L, 4800L), (leadClip.GetProperty("start").GetInt64(), leadClip.GetProperty("length").GetInt64(), leadClip.GetProperty("offset").GetInt64(),
            leadClip.GetProperty("fadeIn").GetProperty("length").GetInt64(), leadClip.GetProperty("fadeOut").GetProperty("length").GetInt64()));
        var note = tracks["Synth"].GetProperty("clips")[0].GetProperty("notes")[0];
        Assert.Equal((64, 100, 12000L, 6000L), (note.GetProperty("pitch").GetInt32(), note.GetProperty("velocity").GetInt32(), note.GetProperty("start").GetInt64(), note.GetProperty("length").GetInt64()));

        // The audio came along as a new asset of the importer, byte for byte.
        var newAsset = leadClip.GetProperty("assetId").GetString()!;
        Assert.NotEqual(assetId, newAsset);
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, newAsset)).GetProperty("status").GetString());
        Assert.Equal(wav, await client.GetByteArrayAsync($"/api/assets/{newAsset}/audio"));

        var outsider = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/projects/{projectId}/dawproject")).StatusCode);
    }

    [Fact]
    public async Task Import_RefusesWhatIsNotADawProject_WithAReason()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var cases = new (byte[] Body, string Reason)[]
        {
            (Encoding.UTF8.GetBytes("not a zip at all"), "not a zip"),
            (ZipOf(("readme.txt", "hello")), "no project.xml"),
            (ZipOf(("project.xml", "<Project><Structure>")), "malformed"),
            (ZipOf(("project.xml", "<!DOCTYPE Project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Project>&x;</Project>")), "malformed"),
            (ZipOf(("project.xml", "<Song/>")), "not a DAWproject"),
        };
        foreach (var (body, reason) in cases)
        {
            var response = await client.PostAsync("/api/projects/dawproject", Zip(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, (await response.BodyAsync()).GetProperty("detail").GetString());
        }

        // A file the project names but the archive lacks: imported without those clips, and said so.
        var missing = ZipOf(("project.xml", """
            <Project version="1.0"><Transport><Tempo value="90"/></Transport>
              <Structure><Track id="t1" name="Drums" contentType="audio"><Channel id="c1" role="regular"/></Track></Structure>
              <Arrangement><Lanes timeUnit="beats"><Lanes track="t1"><Clips><Clip time="4" duration="4"><Audio><File path="audio/drums.wav"/></Audio></Clip></Clips></Lanes></Lanes></Arrangement>
            </Project>
            """));
        var partial = await client.PostAsync("/api/projects/dawproject", Zip(missing));
        Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
        var result = await partial.BodyAsync();
        Assert.Contains("audio/drums.wav", result.GetProperty("warnings")[0].GetString());
        Assert.Equal(90, result.GetProperty("project").GetProperty("tempo").GetDouble());
    }
}
