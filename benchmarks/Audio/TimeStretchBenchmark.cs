using BenchmarkDotNet.Attributes;
using Jacameno.Audio.Rendering;

namespace Jacameno.Benchmarks;

/// <summary>
/// Time-stretching 3 minutes of stereo 44.1 kHz (a chord with a beat and noise) with Rubber Band, offline, one
/// thread: to 110% length (a clip following a slower project), and transposed a minor third at its own length, plainly
/// and keeping formants (the finer engine). Times real time = 180 s / the mean.
/// </summary>
[MemoryDiagnoser]
public class TimeStretchBenchmark
{
    private const int Rate = 44100;
    private float[][] input = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var frames = Rate * 180;
        input = [new float[frames], new float[frames]];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / Rate;
            var beat = Math.Exp(-8 * (t % 0.5));
            var chord = Math.Sin(2 * Math.PI * 220 * t) + (0.6 * Math.Sin(2 * Math.PI * 277.18 * t)) + (0.5 * Math.Sin(2 * Math.PI * 329.63 * t));
            input[0][i] = (float)((0.15 * chord) + (0.3 * beat * (random.NextDouble() - 0.5)));
            input[1][i] = (float)((0.15 * chord) + (0.3 * beat * (random.NextDouble() - 0.5)));
        }
    }

    [Benchmark]
    public int Stretch110Percent() => TimeStretch.Process(input, Rate, 1.1, 0, preserveFormants: false)[0].Length;

    [Benchmark]
    public int TransposeMinorThird() => TimeStretch.Process(input, Rate, 1, 3, preserveFormants: false)[0].Length;

    [Benchmark]
    public int TransposeMinorThirdKeepingFormants() => TimeStretch.Process(input, Rate, 1, 3, preserveFormants: true)[0].Length;
}
