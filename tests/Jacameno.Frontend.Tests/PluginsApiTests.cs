using System.Net;
using System.Net.Http.Json;
using Jacameno.Audio.Formats;
using Jacameno.Plugins.Tests;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Hosted plugins through the API, with real Debian plugins (LSP, Calf, x42, Dragonfly; the test script installs
/// them): the catalog, ops that add and set plugins, renders that run them in their host processes, presets.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class PluginsApiTests(SharedPlatform platform)
{
    private const string CompressorVst2 = "vst2:/usr/lib/vst/lsp-plugins/compressor-stereo.so";
    private const string CompressorLv2 = "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo";
    private const string EqualizerLv2 = "lv2:http://lsp-plug.in/plugins/lv2/para_equalizer_x16_stereo";
    private const string Monosynth = "lv2:http://calf.sourceforge.net/plugins/Monosynth";
    private const string CalfReverb = "lv2:http://calf.sourceforge.net/plugins/Reverb";

    [Fact]
    public async Task Catalog_ListsInstalledPlugins_WithTheirParameters_OverRestAndGraphQL()
    {
        using var anonymous = platform.CreateClient();
        var compressors = await (await anonymous.GetAsync("/api/plugins?q=compressor%20stereo")).BodyAsync();
        var ids = compressors.EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains(CompressorVst2, ids);
        Assert.Contains(CompressorLv2, ids);

        var instruments = await (await anonymous.GetAsync("/api/plugins?kind=instrument")).BodyAsync();
        Assert.Contains(instruments.EnumerateArray(), p => p.GetProperty("id").GetString() == Monosynth);
        Assert.All(instruments.EnumerateArray(), p => Assert.True(p.GetProperty("isInstrument").GetBoolean()));

        var described = await (await anonymous.GetAsync($"/api/plugins/describe?id={Uri.EscapeDataString(CompressorLv2)}")).BodyAsync();
        var ratio = described.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "cr");
        Assert.Equal((1.0, 100.0, 4.0), (ratio.GetProperty("min").GetDouble(), ratio.GetProperty("max").GetDouble(), ratio.GetProperty("default").GetDouble()));

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/plugins/describe?id=lv2:urn:nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/api/plugins?kind=synth")).StatusCode);

        var graph = await GraphQLApiTests.QueryAsync(anonymous, """
            query($id: String!) {
              plugins(search: "monosynth", kind: "instrument") { id name isInstrument }
              plugin(id: $id) { name parameters { id min max default unit } presets { id name } }
            }
            """, new { id = CalfReverb });
        Assert.Equal(Monosynth, graph.GetProperty("data").GetProperty("plugins")[0].GetProperty("id").GetString());
        Assert.Contains(graph.GetProperty("data").GetProperty("plugin").GetProperty("presets").EnumerateArray(), p => p.GetProperty("name").GetString() == "Ambience");
    }

    [Fact]
    public async Task Ops_AddOnlyInstalledPlugins_WithTheirOwnParameters_InRange()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Plugin checks")).GetProperty("id").GetString()!;
        var (track, effect) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Vocal", kind = "audio" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = effect, type = CompressorLv2, parameters = new { cr = 8.0 } }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, type = "lv2:urn:not-installed" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, type = "vst2:/etc/passwd" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, type = CompressorLv2, parameters = new { cr = 500.0 } }),
            ProjectsApiTests.Op("effect.set", new { effectId = effect, parameters = new { nope = 1.0 } }),
            ProjectsApiTests.Op("effect.state", new { effectId = effect, state = "not base64!" }),
            ProjectsApiTests.Op("effect.set", new { effectId = effect, parameters = new { cr = 2.0 } }));
        Assert.Equal(["applied", "applied", "rejected", "rejected", "rejected", "rejected", "rejected", "applied"],
            acks.Select(a => a.GetProperty("status").GetString()));
        Assert.Contains("No plugin 'lv2:urn:not-installed' is installed", acks[2].GetProperty("reason").GetString());
        Assert.Contains("No plugin 'vst2:/etc/passwd' is installed", acks[3].GetProperty("reason").GetString());
        Assert.Contains("between 1 and 100", acks[4].GetProperty("reason").GetString());
        Assert.Contains("has no parameter 'nope'", acks[5].GetProperty("reason").GetString());
        Assert.Contains("base64", acks[6].GetProperty("reason").GetString());
    }

    /// <summary>
    /// A project with a VST2 compressor and an LV2 equalizer on audio tracks and an LV2 instrument on a MIDI track,
    /// rendered with stems and measured: the instrument's pitch, the EQ's boost and the compressor's reduction.
    /// </summary>
    [Fact]
    public async Task Render_RunsVst2AndLv2EffectsAndAnLv2Instrument_Measured()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var asset = await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-24, 2), "tone.wav");
        var assetId = asset.GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, assetId)).GetProperty("status").GetString());
        var loud = await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-3, 2), "loud.wav");
        var loudId = loud.GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, loudId)).GetProperty("status").GetString());

        var projectId = (await ProjectsApiTests.CreateAsync(client, "Plugins")).GetProperty("id").GetString()!;
        var (eqTrack, compTrack, synthTrack, clip) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = eqTrack, name = "EQ", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = eqTrack, start = 0, length = 96000, assetId }),
            ProjectsApiTests.Op("effect.add", new { trackId = eqTrack, type = EqualizerLv2, parameters = new { ft_0 = 1.0, f_0 = 1000.0, g_0 = Math.Pow(10, 12 / 20.0), q_0 = 1.0 } }),
            ProjectsApiTests.Op("track.add", new { trackId = compTrack, name = "Compressed", kind = "audio" }),
            ProjectsApiTests.Op("clip.add", new { trackId = compTrack, start = 0, length = 96000, assetId = loudId }),
            ProjectsApiTests.Op("effect.add", new { trackId = compTrack, type = CompressorVst2 }),
            ProjectsApiTests.Op("track.add", new { trackId = synthTrack, name = "Synth", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = synthTrack, type = Monosynth, parameters = new { o12_detune = 0.0 } }),
            ProjectsApiTests.Op("clip.add", new { trackId = synthTrack, clipId = clip, start = 0, length = 96000 }),
            ProjectsApiTests.Op("note.add", new { clipId = clip, pitch = 69, velocity = 100, start = 0, length = 72000 }));
        Assert.All(acks, ack => Assert.True(ack.GetProperty("status").GetString() == "applied", ack.GetRawText()));

        var accepted = await (await client.PostAsJsonAsync($"/api/projects/{projectId}/renders", new { format = "wav", bitDepth = 24, stems = true })).BodyAsync();
        var job = await JobsApiTests.FinishedAsync(client, accepted.GetProperty("id").GetString()!, seconds: 180);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.GetRawText());
        var outputs = job.GetProperty("result").GetProperty("outputs");
        Assert.Empty(job.GetProperty("result").GetProperty("report").GetProperty("missingPlugins").EnumerateArray());

        async Task<float[]> Stem(Guid track)
        {
            var bytes = await client.GetByteArrayAsync($"/api/assets/{outputs.GetProperty($"stem:{track}").GetString()}/audio");
            return WavReader.ReadAll(new MemoryStream(bytes)).Samples[0];
        }

        // The EQ's +12 dB bell at 1 kHz lifts the -24 dBFS 1 kHz tone by 12 dB.
        var eq = await Stem(eqTrack);
        Assert.InRange(Signals.RmsDb(eq.AsSpan(48000, 24000)) - (-24 - 3.01), 11.4, 12.6);
        // The compressor (LSP's defaults: threshold -12 dB, ratio 4:1) takes a -3 dBFS tone down by several dB.
        var compressed = await Stem(compTrack);
        Assert.InRange(Signals.RmsDb(compressed.AsSpan(48000, 24000)) - (-3 - 3.01), -12, -3);
        // The synth plays A4.
        var synth = await Stem(synthTrack);
        Assert.True(Signals.RmsDb(synth.AsSpan(12000, 24000)) > -40, "the instrument is silent");
        Assert.InRange(Signals.PeakFrequency(synth.AsSpan(12000, 24000), 48000, 415, 466), 438.5, 441.5);
    }

    /// <summary>An instrument plugin's parameter follows its automation lane in the render: Monosynth's volume, full, then off.</summary>
    [Fact]
    public async Task AnInstrumentPlugins_AutomatedParameter_FollowsItsLane()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Automated synth")).GetProperty("id").GetString()!;
        var (track, synth, clip) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Synth", kind = "midi" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = synth, type = Monosynth }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, clipId = clip, start = 0, length = 96000 }),
            ProjectsApiTests.Op("note.add", new { clipId = clip, pitch = 69, velocity = 100, start = 0, length = 96000 }),
            // Full volume for the first second, none from 1.1 s.
            ProjectsApiTests.Op("automation.set", new
            {
                trackId = track, target = $"effect:{synth}:master",
                points = new[] { new { time = 0L, value = 1.0, curve = "linear" }, new { time = 48000L, value = 1.0, curve = "linear" }, new { time = 52800L, value = 0.0, curve = "linear" } },
            }));
        Assert.All(acks, ack => Assert.True(ack.GetProperty("status").GetString() == "applied", ack.GetRawText()));

        var left = (await JobsApiTests.RenderedMixAsync(client, projectId))[0];
        Assert.True(Signals.RmsDb(left.AsSpan(12000, 24000)) > -40, "the instrument is silent before its lane takes it down");
        Assert.True(Signals.RmsDb(left.AsSpan(60000, 24000)) < -80, $"still playing at {Signals.RmsDb(left.AsSpan(60000, 24000)):F1} dB after its lane took it to 0");
    }

    /// <summary>
    /// The studio hears a plugin track through a server-rendered preview: a window of the track's clips through its own
    /// chain (the LV2 EQ's +12 dB here), before its fader and pan; after an edit the next preview has it. REST and GraphQL.
    /// </summary>
    [Fact]
    public async Task Preview_RendersAWindowOfATrackThroughItsPlugins_BeforeItsFader_AndFollowsEdits()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var asset = await AssetsApiTests.UploadAsync(client, AssetsApiTests.StereoSineWav(-24, 12), "tone.wav");
        var assetId = asset.GetProperty("id").GetString()!;
        Assert.Equal("ready", (await AssetsApiTests.ProcessedAsync(client, assetId)).GetProperty("status").GetString());
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Preview")).GetProperty("id").GetString()!;
        var (track, eq) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "EQ", kind = "audio" }),
            ProjectsApiTests.Op("track.set", new { trackId = track, volumeDb = -6.0, pan = 0.5 }),
            ProjectsApiTests.Op("clip.add", new { trackId = track, start = 0, length = 12 * 48000, assetId }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = eq, type = EqualizerLv2, parameters = new { ft_0 = 1.0, f_0 = 1000.0, g_0 = Math.Pow(10, 12 / 20.0), q_0 = 1.0 } }));
        Assert.All(acks, ack => Assert.True(ack.GetProperty("status").GetString() == "applied", ack.GetRawText()));

        async Task<(float[][] Samples, long Version, TimeSpan Took)> PreviewAsync(long from, double seconds)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await client.GetAsync($"/api/projects/{projectId}/tracks/{track}/preview?from={from}&seconds={seconds}");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            clock.Stop();
            Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(bytes));
            Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("X-Missing-Plugins"));
            return (WavReader.ReadAll(new MemoryStream(bytes)).Samples, long.Parse(response.Headers.GetValues("X-Project-Version").Single(), System.Globalization.CultureInfo.InvariantCulture), clock.Elapsed);
        }

        // The first preview decodes the source and starts a host; the next ones (after edits) reuse the source.
        var (boosted, version, first) = await PreviewAsync(48000, 1);
        Assert.Equal(48000, boosted[0].Length);
        // +12 dB from the plugin; no fader (-6 dB) and no pan: both channels alike.
        Assert.InRange(Signals.RmsDb(boosted[0].AsSpan(4800)) - (-24 - 3.01), 11.4, 12.6);
        Assert.InRange(Signals.RmsDb(boosted[1].AsSpan(4800)) - Signals.RmsDb(boosted[0].AsSpan(4800)), -0.1, 0.1);

        Assert.All(await ProjectsApiTests.SubmitAsync(client, projectId, ProjectsApiTests.Op("effect.set", new { effectId = eq, parameters = new { g_0 = 1.0 } })),
            ack => Assert.True(ack.GetProperty("status").GetString() == "applied", ack.GetRawText()));
        var (flat, after, took) = await PreviewAsync(48000, 10);
        Assert.True(after > version);
        Assert.Equal(480000, flat[0].Length);
        Assert.InRange(Signals.RmsDb(flat[0].AsSpan(4800)) - (-24 - 3.01), -0.6, 0.6);
        Console.WriteLine($"preview: 1 s first in {first.TotalMilliseconds:F0} ms; 10 s after an edit in {took.TotalMilliseconds:F0} ms");

        var graph = await GraphQLApiTests.QueryAsync(client, "query($p: ID!, $t: ID!) { trackPreview(projectId: $p, trackId: $t, from: 0, seconds: 0.5) { version sampleRate wav missingPlugins } }",
            new { p = projectId, t = track });
        var preview = graph.GetProperty("data").GetProperty("trackPreview");
        Assert.Equal((after, 48000), (preview.GetProperty("version").GetInt64(), preview.GetProperty("sampleRate").GetInt32()));
        Assert.Equal(24000, WavReader.ReadAll(new MemoryStream(Convert.FromBase64String(preview.GetProperty("wav").GetString()!))).Samples[0].Length);
    }

    [Fact]
    public async Task Presets_CaptureAFactoryPreset_SaveItAsMine_AndKeepItMine()
    {
        var owner = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        var plugin = await (await client.GetAsync($"/api/plugins/describe?id={Uri.EscapeDataString(CalfReverb)}")).BodyAsync();
        var ambience = plugin.GetProperty("presets").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Ambience").GetProperty("id").GetString();
        var defaults = plugin.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("default").GetDouble());

        var captured = await (await client.PostAsJsonAsync("/api/plugins/state", new { pluginId = CalfReverb, presetId = ambience })).BodyAsync();
        var values = captured.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Contains(values, kv => defaults.TryGetValue(kv.Key, out var d) && Math.Abs(d - kv.Value) > 1e-3);
        Assert.NotEmpty(captured.GetProperty("state").GetString()!);

        var saved = await (await client.PostAsJsonAsync("/api/plugins/presets",
            new { pluginId = CalfReverb, name = "My room", state = captured.GetProperty("state").GetString(), parameters = new { amount = 0.5 } })).BodyAsync();
        var presetId = saved.GetProperty("id").GetString();
        Assert.Equal(0.5, saved.GetProperty("parameters").GetProperty("amount").GetDouble(), 3);
        var mine = await (await client.GetAsync($"/api/plugins/presets?pluginId={Uri.EscapeDataString(CalfReverb)}")).BodyAsync();
        Assert.Equal(presetId, Assert.Single(mine.EnumerateArray()).GetProperty("id").GetString());

        // Applied to a project's effect with ops, the preset is what the effect holds.
        var projectId = (await ProjectsApiTests.CreateAsync(client, "Preset")).GetProperty("id").GetString()!;
        var (track, effect) = (Guid.NewGuid(), Guid.NewGuid());
        var acks = await ProjectsApiTests.SubmitAsync(client, projectId,
            ProjectsApiTests.Op("track.add", new { trackId = track, name = "Room", kind = "audio" }),
            ProjectsApiTests.Op("effect.add", new { trackId = track, effectId = effect, type = CalfReverb }),
            ProjectsApiTests.Op("effect.state", new { effectId = effect, state = saved.GetProperty("state").GetString() }));
        Assert.All(acks, ack => Assert.Equal("applied", ack.GetProperty("status").GetString()));
        var project = await (await client.GetAsync($"/api/projects/{projectId}")).BodyAsync();
        Assert.Equal(saved.GetProperty("state").GetString(), project.GetProperty("tracks")[0].GetProperty("effects")[0].GetProperty("state").GetString());

        var stranger = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/plugins/presets/{presetId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/plugins/presets/{presetId}")).StatusCode);
        Assert.Empty((await (await stranger.GetAsync("/api/plugins/presets")).BodyAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/plugins/presets/{presetId}")).StatusCode);

        var graph = await GraphQLApiTests.QueryAsync(client, """
            mutation($p: String!) { savePluginPreset(pluginId: $p, name: "Tight", parameters: [{ name: "cr", value: 3 }]) { id name parameters { name value } } }
            """, new { p = CompressorLv2 });
        Assert.Equal(3.0, graph.GetProperty("data").GetProperty("savePluginPreset").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "cr").GetProperty("value").GetDouble(), 3);
    }

    [Fact]
    public async Task PresetPacks_CarryPluginPresets_AndTheListingSaysWhichPluginsTheyNeed()
    {
        var seller = await platform.RegisterAsync();
        using var client = platform.CreateClient(seller.AccessToken);
        var captured = await (await client.PostAsJsonAsync("/api/plugins/state", new { pluginId = CompressorLv2, parameters = new { cr = 6.0 } })).BodyAsync();
        var state = captured.GetProperty("state").GetString()!;
        object Pack(params object[] effects) => new
        {
            type = "presetPack", title = "Glue", tiers = new[] { MarketplaceApiTests.Tier("Free", 0, ["wav"]) },
            presets = new[] { new { name = "Bus glue", effects } },
        };
        var eq = new { type = "eq-peak", parameters = new Dictionary<string, double> { ["gainDb"] = 2 }, state = (string?)null };

        var created = await client.PostAsJsonAsync("/api/listings", Pack(new { type = CompressorLv2, parameters = new Dictionary<string, double> { ["cr"] = 6 }, state }, eq));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listing = (await created.BodyAsync()).GetProperty("listing");
        Assert.Equal([CompressorLv2], listing.GetProperty("plugins").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(state, listing.GetProperty("presets")[0].GetProperty("effects")[0].GetProperty("state").GetString());
        var graph = await GraphQLApiTests.QueryAsync(client, "query($id: ID!) { listing(id: $id) { plugins presets { name effects { type state parameters { name value } } } } }",
            new { id = listing.GetProperty("id").GetString() });
        var shown = graph.GetProperty("data").GetProperty("listing");
        Assert.Equal(CompressorLv2, shown.GetProperty("plugins")[0].GetString());
        Assert.Equal(state, shown.GetProperty("presets")[0].GetProperty("effects")[0].GetProperty("state").GetString());

        // Refused with the reason: a plugin not installed here, a parameter out of range or unknown, a state that is not base64, a state on a built-in effect.
        async Task Refused(object effect, string reason)
        {
            var response = await client.PostAsJsonAsync("/api/listings", Pack(effect));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains(reason, text, StringComparison.Ordinal);
        }

        await Refused(new { type = "lv2:urn:nowhere:plugin", parameters = new Dictionary<string, double>() }, "is installed here");
        await Refused(new { type = CompressorLv2, parameters = new Dictionary<string, double> { ["cr"] = 5000 } }, "must be between");
        await Refused(new { type = CompressorLv2, parameters = new Dictionary<string, double> { ["nonsense"] = 1 } }, "has no parameter");
        await Refused(new { type = CompressorLv2, parameters = new Dictionary<string, double>(), state = "not base64!" }, "base64");
        await Refused(new { type = "gain", parameters = new Dictionary<string, double>(), state }, "only a hosted plugin");
    }
}

