using Jacameno.Audio.Formats;
using Jacameno.Audio.Loudness;

namespace Jacameno.Audio.Tests;

/// <summary>
/// The meter against the EBU compliance signals (Tech 3341 for loudness, Tech 3342 for range), generated here
/// from their published definitions, and against ffmpeg's ebur128 filter on other material.
/// </summary>
public sealed class LoudnessMeterTests
{
    /// <summary>A 1 kHz stereo sine per segment: (level in dBFS, seconds).</summary>
    private static float[][] Segments(int rate, params (double Dbfs, double Seconds)[] segments)
    {
        var total = segments.Sum(s => (int)Math.Round(s.Seconds * rate));
        var left = new float[total];
        var position = 0;
        foreach (var (dbfs, seconds) in segments)
        {
            var amplitude = Math.Pow(10, dbfs / 20);
            var frames = (int)Math.Round(seconds * rate);
            for (var i = 0; i < frames; i++, position++)
            {
                left[position] = (float)(amplitude * Math.Sin(2 * Math.PI * 1000 * position / rate));
            }
        }

        return [left, (float[])left.Clone()];
    }

    private static LoudnessResult Measure(float[][] planar, int rate)
    {
        var meter = new LoudnessMeter(rate, planar.Length);
        // Odd block sizes: results must not depend on how the stream is cut.
        for (var offset = 0; offset < planar[0].Length; offset += 1777)
        {
            meter.Process(planar, offset, Math.Min(1777, planar[0].Length - offset));
        }

        return meter.Result();
    }

    public static TheoryData<string, (double, double)[], double> Tech3341Cases => new()
    {
        { "1: -23 dBFS, 20 s", [(-23, 20)], -23 },
        { "2: -33 dBFS, 20 s", [(-33, 20)], -33 },
        { "3: relative gate", [(-36, 10), (-23, 60), (-36, 10)], -23 },
        { "4: absolute and relative gates", [(-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)], -23 },
        { "5: -26, -20, -26", [(-26, 20), (-20, 20.1), (-26, 20)], -23 },
    };

    [Theory]
    [MemberData(nameof(Tech3341Cases))]
    public void Tech3341_IntegratedLoudness_WithinATenthOfALu(string name, (double, double)[] segments, double expected)
    {
        var result = Measure(Segments(48000, segments), 48000);
        Assert.True(Math.Abs(result.IntegratedLufs - expected) <= 0.1, $"{name}: {result.IntegratedLufs:F3} LUFS, expected {expected}");
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    [InlineData(192000)]
    public void Tech3341_Case1_AtEverySampleRate_MomentaryShortTermAndIntegrated(int rate)
    {
        var result = Measure(Segments(rate, (-23, 20)), rate);
        Assert.InRange(result.IntegratedLufs, -23.1, -22.9);
        Assert.InRange(result.MaxMomentaryLufs, -23.1, -22.9);
        Assert.InRange(result.MaxShortTermLufs, -23.1, -22.9);
    }

    public static TheoryData<string, (double, double)[], double> Tech3342Cases => new()
    {
        { "1: -20 then -30", [(-20, 20), (-30, 20)], 10 },
        { "2: -20 then -15", [(-20, 20), (-15, 20)], 5 },
        { "3: -40 then -20", [(-40, 20), (-20, 20)], 20 },
        { "4: -50 -35 -20 -35 -50", [(-50, 20), (-35, 20), (-20, 20), (-35, 20), (-50, 20)], 15 },
    };

    [Theory]
    [MemberData(nameof(Tech3342Cases))]
    public void Tech3342_LoudnessRange_WithinOneLu(string name, (double, double)[] segments, double expected)
    {
        var result = Measure(Segments(48000, segments), 48000);
        Assert.True(Math.Abs(result.LoudnessRangeLu - expected) <= 1, $"{name}: LRA {result.LoudnessRangeLu:F2} LU, expected {expected}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(45)]
    [InlineData(60)]
    [InlineData(67.5)]
    public void TruePeak_FindsThePeakBetweenSamples(double phaseDegrees)
    {
        // A quarter-rate sine at -6 dBFS (as in Tech 3341 cases 15-18): at 45° every sample sits 3 dB under the crest.
        const int rate = 48000;
        var amplitude = Math.Pow(10, -6.0 / 20);
        var samples = Enumerable.Range(0, rate).Select(i => (float)(amplitude * Math.Sin(Math.PI / 2 * i + phaseDegrees * Math.PI / 180))).ToArray();
        var result = Measure([samples, samples], rate);
        Assert.InRange(result.TruePeakDbtp, -6.4, -5.8);
        Assert.True(result.SamplePeakDbfs <= result.TruePeakDbtp + 0.01);
    }

    [Fact]
    public void Silence_IsMinusInfinity_WithNoRange()
    {
        var result = Measure([new float[48000 * 5]], 48000);
        Assert.Equal(double.NegativeInfinity, result.IntegratedLufs);
        Assert.Equal(0, result.LoudnessRangeLu);
        Assert.Equal(double.NegativeInfinity, result.TruePeakDbtp);
    }

    [Fact]
    public void Surround_ChannelsCarryTheirWeights_AndTheLfeIsIgnored()
    {
        // The same sine in Ls alone reads 1.5 dB (weight 1.41) above the same sine in L alone; in the LFE it reads nothing.
        const int rate = 48000;
        var sine = Segments(rate, (-20, 10))[0];
        var silent = new float[sine.Length];
        float[][] Only(int channel) => Enumerable.Range(0, 6).Select(c => c == channel ? sine : silent).ToArray();
        var left = Measure(Only(0), rate).IntegratedLufs;
        var surround = Measure(Only(4), rate).IntegratedLufs;
        Assert.InRange(surround - left, 1.45, 1.55);
        Assert.Equal(double.NegativeInfinity, Measure(Only(3), rate).IntegratedLufs);
    }

    /// <summary>Material unlike the test tones: noise bursts, a decaying chord, unequal channels, 44.1 kHz.</summary>
    public static TheoryData<string> Material => ["noise bursts", "decaying chord", "unbalanced stereo"];

    [Theory]
    [MemberData(nameof(Material))]
    public void Integrated_AgreesWithFfmpegEbur128_WithinATenthOfALu(string material)
    {
        const int rate = 44100;
        var planar = Generate(material, rate, seconds: 30);
        var ours = Measure(planar, rate);

        var file = Path.Combine(Path.GetTempPath(), $"jacameno-loudness-{Guid.NewGuid():N}.wav");
        try
        {
            using (var stream = File.Create(file))
            {
                WavWriter.Write(stream, planar, rate, WavSampleFormat.Float32);
            }

            var (integrated, truePeak) = FfmpegMeter.Measure(file);
            Assert.True(Math.Abs(ours.IntegratedLufs - integrated) <= 0.1, $"{material}: ours {ours.IntegratedLufs:F3}, ffmpeg {integrated:F3} LUFS");
            Assert.True(Math.Abs(ours.TruePeakDbtp - truePeak) <= 0.5, $"{material}: true peak ours {ours.TruePeakDbtp:F2}, ffmpeg {truePeak:F2}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static float[][] Generate(string material, int rate, int seconds)
    {
        var random = new Random(7);
        var frames = rate * seconds;
        var left = new float[frames];
        var right = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / rate;
            switch (material)
            {
                case "noise bursts":
                    // 2 s on, 1 s off, each burst at another level, low-passed a little.
                    var level = Math.Pow(10, (-30 + 15 * ((int)(t / 3) % 3) / 2.0) / 20);
                    var on = t % 3 < 2 ? 1 : 0;
                    var noise = (random.NextDouble() * 2 - 1) * level * on;
                    left[i] = (float)(0.7 * noise + 0.3 * (i > 0 ? left[i - 1] : 0));
                    right[i] = (float)(0.6 * noise + 0.4 * (i > 0 ? right[i - 1] : 0));
                    break;
                case "decaying chord":
                    var envelope = Math.Exp(-(t % 4) * 1.2) * 0.5;
                    var chord = Math.Sin(2 * Math.PI * 220 * t) + 0.7 * Math.Sin(2 * Math.PI * 277.18 * t) + 0.5 * Math.Sin(2 * Math.PI * 329.63 * t) + 0.2 * Math.Sin(2 * Math.PI * 3520 * t);
                    left[i] = right[i] = (float)(envelope * chord / 2.4);
                    break;
                default:
                    left[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 100 * t) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 0.25 * t)));
                    right[i] = (float)(0.05 * (random.NextDouble() * 2 - 1) + 0.1 * Math.Sin(2 * Math.PI * 5000 * t));
                    break;
            }
        }

        return [left, right];
    }
}
