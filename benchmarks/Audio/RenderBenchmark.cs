using BenchmarkDotNet.Attributes;
using Jacameno.Audio.Rendering;

namespace Jacameno.Benchmarks;

/// <summary>
/// The render load: 16 tracks × 3 minutes at 48 kHz, an EQ band and a compressor on each track, a
/// limiter on the master, on one thread. Times real time = 180 s / the mean.
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmark
{
    private const int Rate = 48000;
    private RenderProject project = null!;
    private AudioSource source = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        var frames = Rate * 180;
        var left = new float[frames];
        var right = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / Rate;
            left[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 110 * t) + 0.05 * (random.NextDouble() - 0.5));
            right[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 165 * t) + 0.05 * (random.NextDouble() - 0.5));
        }

        source = new AudioSource(Rate, [left, right]);
        var id = Guid.NewGuid();
        var tracks = Enumerable.Range(0, 16).Select(n => new RenderTrack(Guid.NewGuid(), false,
            [new RenderClip(0, frames, id)],
            [
                new RenderEffect("eq-peak", new Dictionary<string, double> { ["frequency"] = 200 + n * 100, ["gainDb"] = 3, ["q"] = 1 }),
                new RenderEffect("compressor", new Dictionary<string, double> { ["thresholdDb"] = -24, ["ratio"] = 3 }),
            ],
            VolumeDb: -12, Pan: (n - 7.5) / 8)).ToList();
        project = new RenderProject(Rate, 120, tracks, [new RenderEffect("limiter", new Dictionary<string, double> { ["ceilingDb"] = -1 })]);
    }

    [Benchmark]
    public float Render16TracksOf3Minutes() => ProjectRenderer.Render(project, _ => source)[0][Rate];
}
