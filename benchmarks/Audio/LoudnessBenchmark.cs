using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Loudness;

namespace Jacameno.Benchmarks;

/// <summary>
/// Integrated loudness + LRA + true peak of 3 minutes of stereo 44.1 kHz, single thread: our meter on the
/// decoded samples against `ffmpeg -threads 1 -af ebur128=peak=true` on the same file (the baseline; its
/// time includes reading the float WAV, which is a copy).
/// </summary>
[MemoryDiagnoser]
public class LoudnessBenchmark
{
    private const int Rate = 44100;
    private float[][] planar = null!;
    private string file = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var frames = Rate * 180;
        planar = [new float[frames], new float[frames]];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / Rate;
            var music = 0.3 * Math.Sin(2 * Math.PI * 220 * t) * (0.5 + 0.5 * Math.Sin(2 * Math.PI * 0.1 * t)) + 0.05 * (random.NextDouble() - 0.5);
            planar[0][i] = (float)music;
            planar[1][i] = (float)(music * 0.8 + 0.02 * (random.NextDouble() - 0.5));
        }

        file = Path.Combine(Path.GetTempPath(), $"jacameno-bench-{Guid.NewGuid():N}.wav");
        using var stream = File.Create(file);
        WavWriter.Write(stream, planar, Rate, WavSampleFormat.Float32);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(file);

    [Benchmark(Baseline = true)]
    public int Ffmpeg()
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-nostats", "-threads", "1", "-i", file,
            "-af", "ebur128=peak=true", "-f", "null", "-"])
        {
            RedirectStandardError = true,
        })!;
        var output = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        return output.Length;
    }

    [Benchmark]
    public double Jacameno()
    {
        var meter = new LoudnessMeter(Rate, 2);
        for (var offset = 0; offset < planar[0].Length; offset += 4096)
        {
            meter.Process(planar, offset, Math.Min(4096, planar[0].Length - offset));
        }

        var result = meter.Result();
        return result.IntegratedLufs + result.LoudnessRangeLu + result.TruePeakDbtp;
    }
}
