using Jacameno.Audio.Formats;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The built-in instruments through the API: a sampler and a drum machine built with ops, read back in REST and GraphQL,
/// undone, refused where they do not belong, and rendered (pitch and timing measured in the mix).
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class InstrumentsApiTests(SharedPlatform platform)
{
    /// <summary>A mono WAV of a full-scale sine (a one-sample click when <paramref name="hz"/> is 0) at 48 kHz.</summary>
    internal static byte[] SampleWav(double hz, double seconds)
    {
        var samples = Enumerable.Range(0, (int)(48000 * seconds)).Select(i => hz == 0 ? (i == 0 ? 0.5f : 0f) : (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 48000))).ToArray();
        using var stream = new MemoryStream();
        WavWriter.Write(stream, [samples], 48000, WavSampleFormat.Float32);
        return stream.ToArray();
    }

    internal static async Task<string> SampleAsync(HttpClient client, double hz, double seconds, string name)
    {
        var id = (await AssetsApiTests.UploadAsync(client, SampleWav(hz, seconds), name)).GetProperty("id").GetString()!;
        await AssetsApiTests.ProcessedAsync(client, id);
        return id;
    }

    private static double Frequency(float[] audio, int from, int to) =>
        Enumerable.Range(from, to - from).Count(i => audio[i - 1] < 0 && audio[i] >= 0) / ((to - from) / 48000.0);

    [Fact]
    public async Task ASamplerAndDrums_BuiltWithOps_RenderAtTheirPitch_AndOnTheirSteps()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var tone = await SampleAsync(client, 440, 1, "a4.wav");
        var click = await SampleAsync(client, 0, 0.1, "click.wav");
        var id = (await ProjectsApiTests.CreateAsync(client, "Beat")).GetProperty("id").GetString()!;
        var (keys, drums, sampler, kit, keysClip, drumClip) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = keys, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("track.add", new { trackId = drums, name = "Drums", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = keys, effectId = sampler, type = "sampler", index = 0, parameters = new { attackMs = 0.0, releaseMs = 0.0, velocity = 0.0 } }),
            ProjectsApiTests.Op("effect.zones", new { effectId = sampler, zones = new[] { new { assetId = tone, root = 69, low = 0, high = 127 } } }),
            ProjectsApiTests.Op("effect.add", new { trackId = drums, effectId = kit, type = "drums" }),
            ProjectsApiTests.Op("effect.zones", new { effectId = kit, zones = new[] { new { assetId = click, root = 36, low = 36, high = 36 } } }),
            // An E5 for the first second; a kick on every beat (120 BPM: 24 000 samples) of the second.
            ProjectsApiTests.Op("clip.add", new { trackId = keys, clipId = keysClip, start = 0, length = 48000, notes = new[] { new { pitch = 76, velocity = 100, start = 0, length = 48000 } } }),
            ProjectsApiTests.Op("clip.add", new
            {
                trackId = drums, clipId = drumClip, start = 48000, length = 48000,
                notes = new[] { new { pitch = 36, velocity = 127, start = 0, length = 6000 }, new { pitch = 36, velocity = 127, start = 24000, length = 6000 } },
            }));
        Assert.All(acks, ack => Assert.True(ack.GetProperty("status").GetString() == "applied", ack.GetRawText()));

        var mix = await JobsApiTests.RenderedMixAsync(client, id);
        // E5 is seven semitones over the A4 sample's root: 659 Hz.
        Assert.InRange(Frequency(mix[0], 4800, 28800), 655, 663); // (the one-second sample lasts 2/3 of a second there)
        // Each kick is the click, at its step's sample exactly (the keys' last sample ended at 48 000).
        var hits = Enumerable.Range(48000, 48000).Where(i => Math.Abs(mix[0][i]) > 0.1).ToArray();
        Assert.Equal([48000, 72000], hits);

        // REST and GraphQL show the zones; the catalog lists the instruments.
        var document = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        var zone = document.GetProperty("tracks")[0].GetProperty("effects")[0].GetProperty("zones")[0];
        Assert.Equal((tone, 69, 127), (zone.GetProperty("assetId").GetString(), zone.GetProperty("root").GetInt32(), zone.GetProperty("highVelocity").GetInt32()));
        var read = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { project(id: $id) { tracks { effects { type zones { assetId root low high } } } } effectTypes { type instrument } }", new { id });
        Assert.Equal(36, read.GetProperty("data").GetProperty("project").GetProperty("tracks")[1].GetProperty("effects")[0].GetProperty("zones")[0].GetProperty("low").GetInt32());
        var types = read.GetProperty("data").GetProperty("effectTypes").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!, t => t.GetProperty("instrument").GetBoolean());
        Assert.True(types["sampler"] && types["drums"] && !types["reverb"]);

        // A member hears the samples in the studio: the project plays them.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync($"/api/projects/{id}/assets/{click}/audio")).StatusCode);

        // Undo puts the drums' pads back as they were (none).
        var undo = await ProjectsApiTests.SubmitAsync(client, id, ProjectsApiTests.Op("undo", new { }, baseVersion: acks[5].GetProperty("version").GetInt64()));
        Assert.All(undo, ack => Assert.Equal("applied", ack.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AnInstrumentsLevel_IsAutomated_AndItsEnvelopeIsNot()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var tone = await SampleAsync(client, 440, 2, "a4.wav");
        var id = (await ProjectsApiTests.CreateAsync(client, "Fade the keys")).GetProperty("id").GetString()!;
        var (keys, sampler, clip) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        object Lane(string parameter, params (long Time, double Value)[] points) =>
            new { trackId = keys, target = $"effect:{sampler}:{parameter}", points = points.Select(p => new { time = p.Time, value = p.Value, curve = "linear" }) };
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = keys, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = keys, effectId = sampler, type = "sampler", index = 0, parameters = new { attackMs = 0.0, releaseMs = 0.0, velocity = 0.0 } }),
            ProjectsApiTests.Op("effect.zones", new { effectId = sampler, zones = new[] { new { assetId = tone, root = 69, low = 0, high = 127 } } }),
            ProjectsApiTests.Op("clip.add", new { trackId = keys, clipId = clip, start = 0, length = 96000, notes = new[] { new { pitch = 69, velocity = 127, start = 0, length = 96000 } } }),
            // 0 dB for the first second, −24 dB from 1.5 s.
            ProjectsApiTests.Op("automation.set", Lane("gainDb", (0, 0), (48000, 0), (72000, -24))),
            ProjectsApiTests.Op("automation.set", Lane("attackMs", (0, 10))));
        Assert.Equal(["applied", "applied", "applied", "applied", "applied", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("cannot be automated", acks[5].GetProperty("reason").GetString());
        var spec = (await (await client.GetAsync("/api/effects")).BodyAsync()).EnumerateArray().Single(e => e.GetProperty("type").GetString() == "sampler");
        Assert.True(spec.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "gainDb").GetProperty("automatable").GetBoolean());

        var left = (await JobsApiTests.RenderedMixAsync(client, id))[0];
        double PeakDb(int from, int to) => 20 * Math.Log10(left[from..to].Max(x => Math.Abs((double)x)));
        Assert.InRange(PeakDb(12000, 36000) - PeakDb(78000, 90000), 23.5, 24.5);
    }

    [Fact]
    public async Task Instruments_AreRefused_WhereTheyDoNotBelong_AndZonesOutOfRange_WithAReason()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var tone = await SampleAsync(client, 440, 0.1, "a4.wav");
        var id = (await ProjectsApiTests.CreateAsync(client, "Wrong")).GetProperty("id").GetString()!;
        var (audio, midi, eq, sampler) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = audio, name = "Audio", kind = "audio" }),
            ProjectsApiTests.Op("track.add", new { trackId = midi, name = "Keys", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = midi, effectId = eq, type = "eq-peak" }),
            ProjectsApiTests.Op("effect.add", new { trackId = midi, effectId = sampler, type = "sampler", index = 0 }));
        object Zones(object zone) => ProjectsApiTests.Op("effect.zones", new { effectId = sampler, zones = new[] { zone } });
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("effect.add", new { trackId = audio, type = "sampler" }),
            ProjectsApiTests.Op("effect.add", new { type = "drums" }),
            ProjectsApiTests.Op("effect.zones", new { effectId = eq, zones = new[] { new { assetId = tone } } }),
            ProjectsApiTests.Op("effect.add", new { trackId = midi, type = "sampler", parameters = new { sustain = 2.0 } }),
            Zones(new { assetId = tone, root = 128 }),
            Zones(new { assetId = tone, low = 60, high = 59 }),
            Zones(new { assetId = tone, lowVelocity = 0 }),
            Zones(new { assetId = Guid.Empty }),
            Zones(new { assetId = tone, root = "60" }),
            ProjectsApiTests.Op("effect.zones", new { effectId = sampler, zones = Enumerable.Repeat(new { assetId = tone }, 129).ToArray() }),
            Zones(new { assetId = tone }));
        Assert.Equal(["rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "applied"],
            acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("goes on a MIDI track", acks[0].GetProperty("reason").GetString());
        Assert.Contains("goes on a MIDI track", acks[1].GetProperty("reason").GetString());
        Assert.Contains("Only a sampler or drums", acks[2].GetProperty("reason").GetString());
        Assert.Contains("sustain must be between 0 and 1", acks[3].GetProperty("reason").GetString());
        Assert.All(acks.Skip(4).Take(4), a => Assert.Contains("root 0-127", a.GetProperty("reason").GetString()));
        Assert.Contains("at most 128 zones", acks[9].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task SoundFonts_AreListed_Served_AndPlayed_AtTheirPresetsPitch()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var fonts = await (await client.GetAsync("/api/soundfonts")).BodyAsync();
        var general = fonts.EnumerateArray().Single(f => f.GetProperty("id").GetString() == "TimGM6mb");
        Assert.Contains(general.GetProperty("presets").EnumerateArray(), p => p.GetProperty("bank").GetInt32() == 0 && p.GetProperty("program").GetInt32() == 19);

        // The file, for the studio's player: cached, revalidated by its tag (crafted ids: Attacks/InstrumentAttacks.cs).
        var file = await client.GetAsync("/api/soundfonts/TimGM6mb");
        Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString((await file.Content.ReadAsByteArrayAsync())[..4]));
        Assert.Equal(general.GetProperty("size").GetInt64(), file.Content.Headers.ContentLength);
        Assert.Contains("max-age", file.Headers.CacheControl!.ToString());
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/soundfonts/TimGM6mb");
        again.Headers.IfNoneMatch.Add(file.Headers.ETag!);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        var read = await GraphQLApiTests.QueryAsync(client, "{ soundFonts { id presets { bank program name } } }", new { });
        Assert.Contains(read.GetProperty("data").GetProperty("soundFonts").EnumerateArray(), f => f.GetProperty("id").GetString() == "TimGM6mb");

        // A church organ (bank 0, program 19) playing A3 for a second.
        var id = (await ProjectsApiTests.CreateAsync(client, "Organ")).GetProperty("id").GetString()!;
        var (track, organ, sampler) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, id,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Organ", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = organ, type = "soundfont", index = 0, parameters = new { program = 19.0 } }),
            ProjectsApiTests.Op("effect.soundfont", new { effectId = organ, soundFont = "TimGM6mb" }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 96000, notes = new[] { new { pitch = 57, velocity = 100, start = 0, length = 48000 } } }),
            // Refused: a SoundFont that is not installed, a path (more in Attacks/InstrumentAttacks.cs), one on an instrument that is not a soundfont, a bank out of range.
            ProjectsApiTests.Op("effect.soundfont", new { effectId = organ, soundFont = "missing" }),
            ProjectsApiTests.Op("effect.soundfont", new { effectId = organ, soundFont = "../../etc/passwd" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = sampler, type = "sampler" }),
            ProjectsApiTests.Op("effect.soundfont", new { effectId = sampler, soundFont = "TimGM6mb" }),
            ProjectsApiTests.Op("effect.set", new { effectId = organ, parameters = new { bank = 129.0 } }));
        Assert.Equal(["applied", "applied", "applied", "applied", "rejected", "rejected", "applied", "rejected", "rejected"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("No SoundFont 'missing' is installed", acks[4].GetProperty("reason").GetString());
        Assert.Contains("Only a soundfont instrument", acks[7].GetProperty("reason").GetString());
        var document = await (await client.GetAsync($"/api/projects/{id}")).BodyAsync();
        Assert.Equal("TimGM6mb", document.GetProperty("tracks")[0].GetProperty("effects")[0].GetProperty("soundFont").GetString());

        var mix = await JobsApiTests.RenderedMixAsync(client, id);
        var voiced = Audio.Analysis.PitchTracker.Track(mix[0][4800..43200], 48000).Voiced.Order().ToArray();
        Assert.InRange(1200 * Math.Log2(voiced[voiced.Length / 2] / 220.0), -5, 5); // cents from A3
    }
}
