using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Jacameno.Audio.Analysis;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Mastering;
using Jacameno.Audio.Tests;

namespace Jacameno.Benchmarks;

/// <summary>
/// The AI tools on 3 minutes of stereo 44.1 kHz music (drums, chords, a sung line), one thread: mastering to
/// -14 LUFS / -1 dBTP against ffmpeg's loudnorm in two passes (measure, then normalise with the measured
/// values; the baseline, reading the same float WAV, output discarded), and the full analysis.
/// </summary>
[MemoryDiagnoser]
public partial class AiBenchmark
{
    private const int Rate = 44100;
    private float[][] song = null!;
    private string file = null!;

    [GlobalSetup]
    public void Setup()
    {
        var band = MusicSignals.Rhythm(MusicSignals.Pattern.Band, 120, 180, Rate);
        var phrases = Enumerable.Range(0, 36).Select(i => new MusicSignals.Phrase(i * 5 + 0.5, [(57, 1.0), (60, 1.0), (64, 1.5)])).ToArray();
        var (voice, _) = MusicSignals.Voice(phrases, 180, 5.5, 40, rate: Rate);
        song = [new float[band.Length], new float[band.Length]];
        for (var i = 0; i < band.Length; i++)
        {
            song[0][i] = 0.25f * (band[i] + voice[i]);
            song[1][i] = 0.25f * ((0.9f * band[i]) + voice[i]);
        }

        file = Path.Combine(Path.GetTempPath(), $"jacameno-bench-{Guid.NewGuid():N}.wav");
        using var stream = File.Create(file);
        WavWriter.Write(stream, song, Rate, WavSampleFormat.Float32);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(file);

    [Benchmark(Baseline = true)]
    public int FfmpegLoudnormTwoPass()
    {
        var first = Ffmpeg("loudnorm=I=-14:TP=-1:LRA=11:print_format=json");
        string Measured(string key) => Regex.Match(first, $"\"{key}\"\\s*:\\s*\"(-?[0-9.]+|-?inf)\"").Groups[1].Value;
        var second = Ffmpeg(string.Create(CultureInfo.InvariantCulture,
            $"loudnorm=I=-14:TP=-1:LRA=11:measured_I={Measured("input_i")}:measured_TP={Measured("input_tp")}:measured_LRA={Measured("input_lra")}:measured_thresh={Measured("input_thresh")}:offset={Measured("target_offset")}:linear=true:print_format=summary"));
        return first.Length + second.Length;
    }

    [Benchmark]
    public double JacamenoMastering() =>
        Mastering.Master(song, Rate, new MasteringTarget(-14, -1, MasteringStyle.Balanced, 0.5)).Report.After.IntegratedLufs;

    [Benchmark]
    public double JacamenoAnalysis() => AudioAnalyzer.Analyze(song, Rate).TempoBpm ?? 0;

    private string Ffmpeg(string filter)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-nostats", "-threads", "1", "-filter_threads", "1", "-i", file,
            "-af", filter, "-f", "null", "-"])
        {
            RedirectStandardError = true,
        })!;
        var output = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        return output;
    }
}
