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

    /// <summary>
    /// "tone": a modulated tone with a little noise, the original case; after its first loud swell most stretches
    /// cannot beat the true peak found so far, so the true-peak interpolator is skipped over them. "rising noise":
    /// full-band noise getting steadily louder (-40 to -1 dBFS over the 3 minutes), where nearly every stretch can
    /// hold a new peak and the interpolator runs nearly everywhere: the worst case for the meter.
    /// </summary>
    [Params("tone", "rising noise")]
    public string Signal { get; set; } = "tone";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var frames = Rate * 180;
        planar = [new float[frames], new float[frames]];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / Rate;
            if (Signal == "tone")
            {
                var music = 0.3 * Math.Sin(2 * Math.PI * 220 * t) * (0.5 + 0.5 * Math.Sin(2 * Math.PI * 0.1 * t)) + 0.05 * (random.NextDouble() - 0.5);
                planar[0][i] = (float)music;
                planar[1][i] = (float)(music * 0.8 + 0.02 * (random.NextDouble() - 0.5));
            }
            else
            {
                var level = Math.Pow(10, (-40 + 39 * t / 180) / 20);
                planar[0][i] = (float)(level * (random.NextDouble() * 2 - 1));
                planar[1][i] = (float)(level * (random.NextDouble() * 2 - 1));
            }
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
