using System.Diagnostics;

namespace Jacameno.Plugins.Tests;

/// <summary>
/// Real plugins from Debian's packages (lsp-plugins-vst, lsp-plugins-lv2, dragonfly-reverb, calf-plugins, x42),
/// which the test script installs, run in the plugin host process as a render runs them.
/// </summary>
public sealed class PluginHostTests
{
    internal const int Rate = 48_000;
    internal const string LspCompressorVst2 = "vst2:/usr/lib/vst/lsp-plugins/compressor-stereo.so";
    internal const string LspCompressorLv2 = "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo";
    internal const string LspEqualizerLv2 = "lv2:http://lsp-plug.in/plugins/lv2/para_equalizer_x16_stereo";
    internal const string DragonflyRoomLv2 = "lv2:urn:dragonfly:room";
    internal const string CalfMonosynth = "lv2:http://calf.sourceforge.net/plugins/Monosynth";

    internal static readonly PluginHostOptions Options = new();

    [Fact]
    public void LspCompressor_Vst2AndLv2Builds_GiveTheSameOutput_WithinATenthOfADecibel()
    {
        var input = Signals.SteppedSine(Rate, 3);
        var vst = Run(LspCompressorVst2, input);
        var lv2 = Run(LspCompressorLv2, input);

        var window = Rate / 20;
        var (vstLevels, lv2Levels, inLevels) = (Signals.WindowLevels(vst[0], window), Signals.WindowLevels(lv2[0], window), Signals.WindowLevels(input[0], window));
        var worst = vstLevels.Zip(lv2Levels).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst < 0.1, $"VST2 and LV2 differ by up to {worst:0.000} dB");
        // And it compresses: the loud half-seconds come out quieter than they went in.
        var reduction = inLevels.Zip(vstLevels).Where((_, i) => (i / 10) % 2 == 1).Max(p => p.First - p.Second);
        Assert.True(reduction > 3, $"the compressor reduced the loud parts by only {reduction:0.0} dB");
    }

    [Fact]
    public void LspEqualizer_BoostsTheBandItIsSetTo()
    {
        // Band 0 as a bell at 1 kHz, +12 dB: a 1 kHz tone gains 12 dB, a 100 Hz tone nothing.
        var parameters = new Dictionary<string, double> { ["ft_0"] = 1, ["f_0"] = 1000, ["g_0"] = Math.Pow(10, 12 / 20.0), ["q_0"] = 1 };
        double Gain(double frequency)
        {
            var tone = Signals.SteppedSine(Rate, 1, frequency).Select(c => c.Select(s => s * 0.1f).ToArray()).ToArray();
            var output = Run(LspEqualizerLv2, tone, parameters);
            return Signals.RmsDb(output[0].AsSpan(Rate / 2)) - Signals.RmsDb(tone[0].AsSpan(Rate / 2));
        }

        Assert.InRange(Gain(1000), 11.5, 12.5);
        Assert.InRange(Gain(100), -0.5, 0.5);
    }

    [Fact]
    public void DragonflyRoom_TailFollowsItsDecayTime()
    {
        double Rt60(double decay)
        {
            var impulse = new[] { new float[Rate * 4], new float[Rate * 4] };
            impulse[0][100] = impulse[1][100] = 1;
            var output = Run(DragonflyRoomLv2, impulse, new Dictionary<string, double> { ["decay"] = decay, ["dry_level"] = 0, ["early_level"] = 0, ["late_level"] = 100 });
            return Schroeder(output[0]);
        }

        var (short1, long3) = (Rt60(1), Rt60(3));
        Assert.InRange(short1, 0.6, 1.5);
        Assert.InRange(long3, 2, 4.2);
    }

    [Fact]
    public void CalfMonosynth_PlaysTheNotesItIsSent_AtTheirPitch()
    {
        using var synth = PluginInstance.Start(Options, CalfMonosynth, Rate, 120);
        Assert.True(synth.Info.IsInstrument);
        synth.Set([new("o12_detune", 0)]); // the two oscillators in tune (10 cents apart by default)
        var output = new List<float>();
        for (var block = 0; block < 24; block++)
        {
            // A4 (440 Hz) from the first block, released after 0.75 s of the 1 s.
            Audio.Rendering.MidiEvent[] events = block switch
            {
                0 => [new(10, 0x90, 69, 100)],
                18 => [new(0, 0x80, 69, 0)],
                _ => [],
            };
            synth.Process(2000, events);
            output.AddRange(synth.Output(0)[..2000].ToArray());
        }

        var sound = output.ToArray();
        Assert.True(Signals.RmsDb(sound.AsSpan(Rate / 4, Rate / 4)) > -40, "the synth is silent");
        // The strongest partial within a semitone either side of A4 is A4, within 6 cents (a 0.5 s window resolves ~2 Hz).
        Assert.InRange(Signals.PeakFrequency(sound.AsSpan(Rate / 4, Rate / 2), Rate, 415, 466), 438.5, 441.5);
    }

    [Theory]
    [InlineData(LspCompressorLv2, "al", 0.1)]
    [InlineData(LspCompressorVst2, "1", 0.6)]
    public void SavedState_RestoredInANewHost_GivesBitExactOutput(string id, string parameter, double value)
    {
        var input = Signals.SteppedSine(Rate, 1);
        byte[] state;
        float[][] first;
        using (var plugin = PluginInstance.Start(Options, id, Rate, 120))
        {
            plugin.Set([new(parameter, value)]);
            state = plugin.SaveState();
            first = Process(plugin, input);
        }

        using var restored = PluginInstance.Start(Options, id, Rate, 120);
        restored.RestoreState(state);
        Assert.Equal(value, restored.Parameters()[parameter], 4);
        var second = Process(restored, input);
        Assert.Equal(first[0], second[0]);
        Assert.Equal(first[1], second[1]);
    }

    [Fact]
    public void APluginThatCrashes_FailsWithItsName_AndTheCallerCarriesOn()
    {
        var path = BrokenPlugins.Build("crash");
        using var plugin = PluginInstance.Start(Options, "vst2:" + path, Rate, 120);
        Assert.Equal("Broken crash", plugin.Name);
        var error = Assert.Throws<PluginException>(() => plugin.Process(512));
        Assert.Contains("Broken crash", error.Message);
        Assert.Contains("crashed", error.Message);

        // The next plugin starts in a new host as if nothing happened.
        Assert.Equal(2, Run(LspCompressorLv2, Signals.SteppedSine(Rate, 0.2)).Length);
    }

    [Fact]
    public void OneHost_HoldsSeveralPlugins_EachAsIfAlone_AndACrashNamesThePluginThatCrashed()
    {
        var input = Signals.SteppedSine(Rate, 1);
        var settings = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            [LspCompressorLv2] = new Dictionary<string, double> { ["al"] = 0.1 },
            [LspCompressorVst2] = new Dictionary<string, double> { ["1"] = 0.6 },
            [LspEqualizerLv2] = new Dictionary<string, double> { ["ft_0"] = 1, ["f_0"] = 1000, ["g_0"] = 2 },
        };
        var alone = settings.ToDictionary(s => s.Key, s => Run(s.Key, input, s.Value));

        // A render's way: one host, its plugins called in turn, block by block.
        var host = PluginHost.Start(Options, "test");
        var plugins = settings.Keys.Select(id => host.Load(id, Rate, 120)).ToList();
        try
        {
            Assert.Single(plugins.Select(p => p.ProcessId).Distinct());
            foreach (var plugin in plugins)
            {
                plugin.Set(settings[plugin.Id]);
            }

            var outputs = plugins.ToDictionary(p => p.Id, _ => new[] { new float[input[0].Length], new float[input[0].Length] });
            for (var at = 0; at < input[0].Length; at += 4096)
            {
                var count = Math.Min(4096, input[0].Length - at);
                foreach (var plugin in plugins)
                {
                    input[0].AsSpan(at, count).CopyTo(plugin.Input(0));
                    input[1].AsSpan(at, count).CopyTo(plugin.Input(1));
                    plugin.Process(count);
                    plugin.Output(0)[..count].CopyTo(outputs[plugin.Id][0].AsSpan(at));
                    plugin.Output(1)[..count].CopyTo(outputs[plugin.Id][1].AsSpan(at));
                }
            }

            foreach (var (id, output) in outputs)
            {
                Assert.Equal(alone[id][0], output[0]);
                Assert.Equal(alone[id][1], output[1]);
            }

            // One plugin unloaded, the others go on; then one that crashes takes the host down, and each call says whose it was.
            plugins[2].Dispose();
            plugins[0].Process(512);
            var broken = host.Load("vst2:" + BrokenPlugins.Build("crash"), Rate, 120);
            plugins.Add(broken);
            var error = Assert.Throws<PluginException>(() => broken.Process(512));
            Assert.Contains("Plugin 'Broken crash'", error.Message);
            Assert.Contains("crashed", error.Message);
            Assert.Contains("Plugin 'LSP Compressor Stereo'", Assert.Throws<PluginException>(() => plugins[0].Process(512)).Message);
        }
        finally
        {
            plugins.ForEach(p => p.Dispose());
        }

        Assert.True(host.HasEnded, "the host ends with its last plugin");
    }

    [Fact]
    public void APluginThatHangs_IsStoppedAtTheTimeout_WithTheReason()
    {
        var path = BrokenPlugins.Build("hang");
        var options = new PluginHostOptions { CallTimeout = TimeSpan.FromSeconds(1) };
        using var plugin = PluginInstance.Start(options, "vst2:" + path, Rate, 120);
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<PluginException>(() => plugin.Process(512));
        Assert.Contains("did not answer within 1 s", error.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
    }

    [Fact]
    public void AKilledHost_IsReportedAsACrash()
    {
        using var plugin = PluginInstance.Start(Options, LspCompressorLv2, Rate, 120);
        System.Diagnostics.Process.GetProcessById(plugin.ProcessId).Kill();
        var error = Assert.Throws<PluginException>(() => plugin.Process(512));
        Assert.Contains("LSP Compressor Stereo", error.Message);
    }

    [Fact]
    public void APluginNeedingAFeatureTheHostLacks_IsRefusedWithTheReason()
    {
        // A bundle written here whose plugin requires a feature nobody provides (its binary is never loaded).
        var bundles = Path.Combine(Path.GetTempPath(), $"jacameno-lv2-{Guid.NewGuid():N}");
        var bundle = Directory.CreateDirectory(Path.Combine(bundles, "needy.lv2")).FullName;
        File.WriteAllText(Path.Combine(bundle, "manifest.ttl"), """
            @prefix lv2: <http://lv2plug.in/ns/lv2core#> .
            @prefix doap: <http://usefulinc.com/ns/doap#> .
            <urn:jacameno:test:needy> a lv2:Plugin ; lv2:binary <needy.so> ; doap:name "Needy" ;
                lv2:requiredFeature <urn:jacameno:test:unprovided> ;
                lv2:port [ a lv2:AudioPort , lv2:InputPort ; lv2:index 0 ; lv2:symbol "in" ; lv2:name "In" ] ,
                         [ a lv2:AudioPort , lv2:OutputPort ; lv2:index 1 ; lv2:symbol "out" ; lv2:name "Out" ] .
            """);
        var options = new PluginHostOptions { Lv2Path = bundles };
        var error = Assert.Throws<PluginException>(() => PluginInstance.Start(options, "lv2:urn:jacameno:test:needy", Rate, 120).Dispose());
        Assert.Contains("Needy cannot run here: it requires urn:jacameno:test:unprovided", error.Message);
        Directory.Delete(bundles, recursive: true);
    }

    [Fact]
    public void OutOfRangeParametersAndUnknownIds_AreRefusedWithTheRange()
    {
        using var plugin = PluginInstance.Start(Options, LspCompressorLv2, Rate, 120);
        Assert.Contains("between", Assert.Throws<PluginException>(() => plugin.Set([new("al", 5000)])).Message);
        Assert.Contains("no parameter", Assert.Throws<PluginException>(() => plugin.Set([new("nope", 1)])).Message);
        Assert.Contains("No LV2 plugin", Assert.Throws<PluginException>(() => PluginInstance.Start(Options, "lv2:urn:missing", Rate, 120).Dispose()).Message);
        Assert.Contains("No VST2 plugin", Assert.Throws<PluginException>(() => PluginInstance.Start(Options, "vst2:/etc/passwd", Rate, 120).Dispose()).Message);
    }

    internal static float[][] Run(string id, float[][] input, IReadOnlyDictionary<string, double>? parameters = null)
    {
        using var plugin = PluginInstance.Start(Options, id, Rate, 120);
        plugin.Set(parameters ?? new Dictionary<string, double>());
        return Process(plugin, input);
    }

    private static float[][] Process(PluginInstance plugin, float[][] input)
    {
        var output = new[] { new float[input[0].Length], new float[input[0].Length] };
        for (var at = 0; at < input[0].Length; at += plugin.MaxBlock)
        {
            var count = Math.Min(plugin.MaxBlock, input[0].Length - at);
            for (var c = 0; c < 2; c++)
            {
                input[c].AsSpan(at, count).CopyTo(plugin.Input(c));
            }

            plugin.Process(count);
            for (var c = 0; c < 2; c++)
            {
                plugin.Output(c)[..count].CopyTo(output[c].AsSpan(at, count));
            }
        }

        return output;
    }

    // RT60 by Schroeder backward integration, extrapolated from the -5 to -25 dB stretch of the decay.
    private static double Schroeder(float[] response)
    {
        var energy = new double[response.Length];
        var sum = 0.0;
        for (var i = response.Length - 1; i >= 0; i--)
        {
            sum += response[i] * response[i];
            energy[i] = sum;
        }

        var db = energy.Select(e => 10 * Math.Log10(Math.Max(e / energy[0], 1e-30))).ToArray();
        var from = Array.FindIndex(db, d => d <= -5);
        var to = Array.FindIndex(db, d => d <= -25);
        return (to - from) / (double)Rate * 60 / 20;
    }
}
