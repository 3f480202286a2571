using Jacameno.Audio.Formats;
using Jacameno.Audio.Mastering;
using Xunit.Abstractions;

namespace Jacameno.Audio.Tests;

/// <summary>Masters of varied material, measured by ffmpeg's ebur128 filter: on target within ±0.5 LU, true peak under the ceiling.</summary>
public sealed class MasteringTests(ITestOutputHelper output)
{
    /// <summary>Drums and chords, 20 s, shaped per case.</summary>
    internal static float[][] Material(string kind, int rate = 44100)
    {
        var drums = MusicSignals.Rhythm(MusicSignals.Pattern.RockDrums, 100, 20, rate);
        var chords = MusicSignals.Progression(9, true, rate);
        var left = new float[drums.Length];
        var right = new float[drums.Length];
        for (var i = 0; i < left.Length; i++)
        {
            var t = (double)i / rate;
            var music = drums[i] + (0.8f * chords[i % chords.Length]);
            var (gain, bass) = kind switch
            {
                "quiet" => (0.02, 0.0),
                "loud" => (2.5, 0.0),
                "dynamic" => ((int)(t / 5) % 2 == 0 ? 0.03 : 0.9, 0.0),
                "bass-heavy" => (0.4, 0.5 * Math.Sin(2 * Math.PI * 50 * t)),
                _ => (0.5, 0.0),
            };
            left[i] = (float)Math.Clamp((gain * music) + bass, -1, 1);
            right[i] = (float)Math.Clamp((gain * music * 0.9) + bass, -1, 1);
        }

        return kind == "mono" ? [left] : [left, right];
    }

    [Theory]
    [InlineData("quiet", -14, -1, MasteringStyle.Balanced)]
    [InlineData("loud", -14, -1, MasteringStyle.Warm)]
    [InlineData("dynamic", -14, -1, MasteringStyle.Bright)]
    [InlineData("bass-heavy", -9, -1, MasteringStyle.Loud)]
    [InlineData("mono", -23, -2, MasteringStyle.Balanced)]
    public void Master_HitsTheTarget_MeasuredByFfmpeg(string kind, double lufs, double ceiling, MasteringStyle style)
    {
        var input = Material(kind);
        var result = Mastering.Mastering.Master(input, 44100, new MasteringTarget(lufs, ceiling, style, 0.7));
        var file = Path.Combine(Path.GetTempPath(), $"jacameno-master-{Guid.NewGuid():N}.wav");
        try
        {
            using (var stream = File.Create(file))
            {
                WavWriter.Write(stream, result.Audio, 44100, WavSampleFormat.Pcm24, dither: true);
            }

            var (integrated, truePeak) = FfmpegMeter.Measure(file);
            output.WriteLine($"{kind}: before {result.Report.Before.IntegratedLufs} LUFS, after (ffmpeg) {integrated} LUFS {truePeak} dBTP, ours {result.Report.After.IntegratedLufs} / {result.Report.After.TruePeakDbtp}, {result.Report.Iterations} iterations");
            Assert.InRange(integrated, lufs - 0.5, lufs + 0.5);
            Assert.True(truePeak <= ceiling, $"true peak {truePeak} dBTP over the {ceiling} ceiling");
            Assert.True(result.Report.After.TruePeakDbtp <= ceiling, $"our meter reads {result.Report.After.TruePeakDbtp} dBTP, over the {ceiling} ceiling");
            Assert.Equal(input.Length, result.Audio.Length);
            Assert.Equal(input[0].Length, result.Audio[0].Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Reference_PullsTheSpectrumTowardIt_WithinTheLimit()
    {
        var input = Material("plain");
        // A reference with much more top end: the same music through a strong high shelf.
        var reference = Material("plain").Select(c => (float[])c.Clone()).ToArray();
        var shelf = Effects.EffectCatalog.Create("eq-highshelf", new Dictionary<string, double> { ["frequency"] = 3000, ["gainDb"] = 12, ["q"] = 0.7 },
            new Effects.EffectContext(44100, 2));
        shelf.Process(reference, 0, reference[0].Length);
        var report = Mastering.Mastering.Master(input, 44100, new MasteringTarget(Intensity: 1), reference).Report;
        Assert.True(report.ReferenceMatched);
        Assert.True(report.Equalizer.Single(b => b.Hz == 8000).GainDb >= 3, string.Join(", ", report.Equalizer));
        Assert.All(report.Equalizer, b => Assert.InRange(b.GainDb, -Mastering.Mastering.MaxCorrectionDb, Mastering.Mastering.MaxCorrectionDb));
        Assert.True(report.Equalizer.Single(b => b.Hz == 125).GainDb < report.Equalizer.Single(b => b.Hz == 8000).GainDb);
    }

    [Fact]
    public void Silence_AndNonFiniteTargets_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Mastering.Mastering.Master([new float[44100 * 5]], 44100, new MasteringTarget()));
        Assert.Throws<ArgumentException>(() => Mastering.Mastering.Master(Material("plain"), 44100, new MasteringTarget(double.NaN)));
    }

    [Fact]
    public void LoudestPassage_FindsTheLoudPart()
    {
        var dynamic = Material("dynamic"); // quiet 0-5 s, loud 5-10 s, quiet 10-15 s, loud 15-20 s
        var start = Mastering.Mastering.LoudestPassage(dynamic, 44100, 4) / 44100.0;
        Assert.True(start is >= 5 and <= 6 or >= 15 and <= 16, $"{start}");
    }
}
