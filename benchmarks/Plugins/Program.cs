using System.Diagnostics;
using System.Runtime.InteropServices;
using Jacameno.Audio.Effects;
using Jacameno.Audio.Rendering;
using Jacameno.Plugins;
using Jacameno.Plugins.Host.Lv2;

// Plugin hosting, measured (benchmarks/README.md). Run pinned to one core, as the figures are quoted:
//   taskset -c 0 dotnet run -c Release --project benchmarks/Plugins [rounds] [block frames]
// The host processes inherit the pinning, so the render and its plugins share that one core.
// 1. Overhead per block: LSP's stereo compressor (LV2) on blocks of the renderer's size (8192 frames) at 48 kHz, called in this process (the
//    baseline: the host's own plugin class) and through a host process (copy into the shared block, the command
//    over the pipe, the answer, copy out), in alternating rounds of the same run.
// 2. Render: 16 tracks × 3 min at 48 kHz with that compressor on every track, all in one host process, as a job
//    renders (the host started and ended inside the measurement); times real time. The baseline, in the same run:
//    the same render with the 16 compressors called in this process (what the plugins alone cost).
const string Compressor = "lv2:http://lsp-plug.in/plugins/lv2/compressor_stereo";
const int Rate = 48_000;
var Block = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : ProjectRenderer.BlockFrames;
var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;

var signal = new float[Block];
var random = new Random(3);
for (var i = 0; i < Block; i++)
{
    signal[i] = (float)((0.5 * Math.Sin(2 * Math.PI * 220 * i / (double)Rate)) + (0.05 * (random.NextDouble() - 0.5)));
}

var local = Lv2Plugin.Load(Compressor, Rate, Block);
var buffers = Enumerable.Range(0, 4).Select(_ => Marshal.AllocHGlobal(Block * sizeof(float))).ToArray();
using var hosted = PluginInstance.Start(new PluginHostOptions(), Compressor, Rate, 120, Block);
var bundle = hosted.Info.Bundle;
var parameters = new Dictionary<string, double> { ["al"] = 0.1, ["cr"] = 3 };
foreach (var (name, value) in parameters)
{
    local.Set(name, value);
}

hosted.Set(parameters);

unsafe double InProcess(int blocks)
{
    var inL = (float*)buffers[0];
    var inR = (float*)buffers[1];
    var inputs = new[] { inL, inR };
    var outputs = new[] { (float*)buffers[2], (float*)buffers[3] };
    var clock = Stopwatch.StartNew();
    for (var b = 0; b < blocks; b++)
    {
        signal.CopyTo(new Span<float>(inL, Block));
        signal.CopyTo(new Span<float>(inR, Block));
        local.Process(inputs, outputs, Block, default);
    }

    return clock.Elapsed.TotalMicroseconds / blocks;
}

double Hosted(int blocks)
{
    var clock = Stopwatch.StartNew();
    for (var b = 0; b < blocks; b++)
    {
        signal.CopyTo(hosted.Input(0));
        signal.CopyTo(hosted.Input(1));
        hosted.Process(Block);
    }

    return clock.Elapsed.TotalMicroseconds / blocks;
}

InProcess(500);
Hosted(500);
var (inProcess, inHost) = (new List<double>(), new List<double>());
for (var r = 0; r < rounds; r++)
{
    inProcess.Add(InProcess(2000));
    inHost.Add(Hosted(2000));
}

var (a, b2) = (Median(inProcess), Median(inHost));
Console.WriteLine($"per {Block}-frame block: in-process {a:0.0} µs, in a host process {b2:0.0} µs (median of {rounds} rounds of 2000 blocks)");
Console.WriteLine($"host overhead: {b2 - a:0.0} µs per block = {(b2 - a) / a:P1} of the in-process time (target < 10 %)");

// Starting a host and loading the plugin into it, as each track of a render does.
var starts = new List<double>();
for (var r = 0; r < 8; r++)
{
    var clock = Stopwatch.StartNew();
    using (PluginInstance.Start(new PluginHostOptions(), Compressor, Rate, 120, Block, bundle))
    {
    }

    starts.Add(clock.Elapsed.TotalMilliseconds);
}

Console.WriteLine($"starting a host with the plugin: {Median(starts):0} ms (median of 8)");

// The render.
var frames = Rate * 180;
var (left, right) = (new float[frames], new float[frames]);
for (var i = 0; i < frames; i++)
{
    var t = (double)i / Rate;
    left[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 110 * t)) + (0.05 * (random.NextDouble() - 0.5)));
    right[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 165 * t)) + (0.05 * (random.NextDouble() - 0.5)));
}

var source = new AudioSource(Rate, [left, right]);
var clipSource = Guid.NewGuid();
var project = new RenderProject(Rate, 120, [.. Enumerable.Range(0, 16).Select(n => new RenderTrack(Guid.NewGuid(), false,
    [new RenderClip(0, frames, clipSource)], [new RenderEffect(Compressor, parameters)], VolumeDb: -12, Pan: (n - 7.5) / 8))], []);
var info = hosted.Info;
var renders = new List<double>();
for (var r = 0; r < Math.Max(1, rounds / 2); r++)
{
    var clock = Stopwatch.StartNew();
    ProjectRenderer.Render(project, _ => source, new HostedPluginRack(new PluginHostOptions(), id => id == Compressor ? info : null));
    renders.Add(clock.Elapsed.TotalSeconds);
}

var seconds = Median(renders);
var inProcessRenders = new List<double>();
for (var r = 0; r < Math.Max(1, rounds / 2); r++)
{
    var clock = Stopwatch.StartNew();
    ProjectRenderer.Render(project, _ => source, new InProcessRack(Block));
    inProcessRenders.Add(clock.Elapsed.TotalSeconds);
}

var plain = new List<double>();
for (var r = 0; r < Math.Max(1, rounds / 2); r++)
{
    var clock = Stopwatch.StartNew();
    ProjectRenderer.Render(project with { Tracks = [.. project.Tracks.Select(t => t with { Effects = [] })] }, _ => source);
    plain.Add(clock.Elapsed.TotalSeconds);
}

var baseline = Median(inProcessRenders);
Console.WriteLine($"the same render without plugins: {Median(plain):0.00} s (the renderer's own share)");
Console.WriteLine($"the same render, the compressors in this process (baseline): {baseline:0.00} s = {180 / baseline:0.0}× real time");
Console.WriteLine($"render of 16 tracks × 3 min with a hosted LSP compressor each: {seconds:0.00} s = {180 / seconds:0.0}× real time (median of {renders.Count}; target ≥ 30×); {seconds / baseline:0.00}× the in-process render");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

/// <summary>The baseline rack: each plugin loaded into this process, no host between (what the plugins alone cost).</summary>
internal sealed class InProcessRack(int block) : IPluginRack
{
    public IEffect? CreateEffect(RenderEffect effect, EffectContext context) => new InProcessEffect(effect, context, block);

    public IInstrument? CreateInstrument(RenderEffect instrument, EffectContext context) => null;

    private sealed unsafe class InProcessEffect : IEffect, IDisposable
    {
        private readonly Lv2Plugin plugin;
        private readonly float*[] inputs;
        private readonly float*[] outputs;
        private readonly int block;

        public InProcessEffect(RenderEffect spec, EffectContext context, int block)
        {
            this.block = block;
            plugin = Lv2Plugin.Load(spec.Type, context.SampleRate, block);
            foreach (var (name, value) in spec.Parameters)
            {
                plugin.Set(name, value);
            }

            inputs = [(float*)NativeMemory.Alloc((nuint)(block * sizeof(float))), (float*)NativeMemory.Alloc((nuint)(block * sizeof(float)))];
            outputs = [(float*)NativeMemory.Alloc((nuint)(block * sizeof(float))), (float*)NativeMemory.Alloc((nuint)(block * sizeof(float)))];
        }

        public void Process(float[][] planar, int offset, int frames)
        {
            for (var done = 0; done < frames;)
            {
                var count = Math.Min(block, frames - done);
                for (var c = 0; c < 2; c++)
                {
                    planar[c].AsSpan(offset + done, count).CopyTo(new Span<float>(inputs[c], count));
                }

                plugin.Process(inputs, outputs, count, default);
                for (var c = 0; c < 2; c++)
                {
                    new Span<float>(outputs[c], count).CopyTo(planar[c].AsSpan(offset + done, count));
                }

                done += count;
            }
        }

        public void Dispose()
        {
            plugin.Dispose();
            for (var c = 0; c < 2; c++)
            {
                NativeMemory.Free(inputs[c]);
                NativeMemory.Free(outputs[c]);
            }
        }
    }
}
