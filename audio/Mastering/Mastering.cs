using Jacameno.Audio.Analysis;
using Jacameno.Audio.Effects;
using Jacameno.Audio.Loudness;

namespace Jacameno.Audio.Mastering;

public enum MasteringStyle
{
    Balanced,
    Warm,
    Bright,
    Loud,
}

/// <summary>What to aim for. Intensity (0-1) scales the tonal correction, compression and widening, not the loudness target.</summary>
public sealed record MasteringTarget(double Lufs = -14, double TruePeakDbtp = -1, MasteringStyle Style = MasteringStyle.Balanced, double Intensity = 0.5);

public sealed record BandGain(double Hz, double GainDb);

public sealed record LoudnessFigures(double IntegratedLufs, double LoudnessRangeLu, double TruePeakDbtp, double SamplePeakDbfs)
{
    public static LoudnessFigures Of(LoudnessResult r) => new(Round(r.IntegratedLufs), Round(r.LoudnessRangeLu), Round(r.TruePeakDbtp), Round(r.SamplePeakDbfs));

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 2) : -999;
}

/// <summary>What the chain did, for the report.</summary>
public sealed record MasteringReport(
    LoudnessFigures Before,
    LoudnessFigures After,
    IReadOnlyList<BandGain> Equalizer,
    double CompressorThresholdDb,
    double CompressorRatio,
    double Width,
    double GainDb,
    int Iterations,
    bool ReferenceMatched);

public sealed record MasteringResult(float[][] Audio, MasteringReport Report);

/// <summary>
/// Automatic mastering: tonal matching (octave-band long-term spectrum against a reference track, or a style's
/// curve; the difference smoothed across bands, scaled by intensity and limited to ±4 dB, applied with
/// peaking EQs), glue compression, stereo width, then gain into a true-peak look-ahead limiter, iterated
/// until the integrated loudness is within 0.1 LU of the target. Built from the engine's own effects.
/// </summary>
public static class Mastering
{
    public const double MaxCorrectionDb = 4;

    private static readonly double[] Bands = OctaveBands.Centres;

    /// <summary>Band levels (dB) of a well-balanced master, relative to each other: about pink, easing off at the top.</summary>
    private static readonly double[] BalancedCurve = [-3, 0, 0, -1, -2, -3, -4.5, -6.5, -9.5, -14];

    public static MasteringResult Master(float[][] input, int sampleRate, MasteringTarget target, float[][]? reference = null)
    {
        if (!double.IsFinite(target.Lufs) || !double.IsFinite(target.TruePeakDbtp) || !double.IsFinite(target.Intensity))
        {
            throw new ArgumentException("The target must be finite.", nameof(target));
        }

        var before = Measure(input, sampleRate, truePeak: true);
        if (!double.IsFinite(before.IntegratedLufs))
        {
            throw new ArgumentException("The audio is silent (below the loudness gate); there is nothing to master.", nameof(input));
        }

        var channels = input.Length;
        var context = new EffectContext(sampleRate, channels);
        var audio = input.Select(c => (float[])c.Clone()).ToArray();
        var intensity = Math.Clamp(target.Intensity, 0, 1);

        // 1. Tonal matching.
        var equalizer = Correction(audio, sampleRate, target.Style, intensity, reference);
        foreach (var band in equalizer.Where(b => Math.Abs(b.GainDb) >= 0.25))
        {
            Apply(audio, EffectCatalog.Create("eq-peak", new Dictionary<string, double> { ["frequency"] = band.Hz, ["gainDb"] = band.GainDb, ["q"] = 1.0 }, context));
        }

        // 2. Glue: gentle, slow compression above the programme's average level.
        var level = Measure(audio, sampleRate, truePeak: false).IntegratedLufs;
        var threshold = Math.Clamp(Math.Round(level + 6, 1), -50, -3);
        var ratio = Math.Round(1 + ((target.Style == MasteringStyle.Loud ? 2.5 : 1.0) * intensity), 2);
        Apply(audio, EffectCatalog.Create("compressor", new Dictionary<string, double>
        {
            ["thresholdDb"] = threshold, ["ratio"] = ratio, ["attackMs"] = 25, ["releaseMs"] = 250, ["kneeDb"] = 6, ["makeupDb"] = 0,
        }, context));

        // 3. Width (stereo only; warm keeps the image as it is).
        var width = channels == 2 ? Math.Round(1 + ((target.Style == MasteringStyle.Warm ? 0 : 0.15) * intensity), 3) : 1;
        if (width != 1)
        {
            Apply(audio, EffectCatalog.Create("width", new Dictionary<string, double> { ["width"] = width }, context));
        }

        // 4. Gain into the limiter, corrected until the result hits the target.
        var (output, gain, iterations) = Normalize(audio, sampleRate, target.Lufs, target.TruePeakDbtp);
        var after = Measure(output, sampleRate, truePeak: true);
        return new MasteringResult(output, new MasteringReport(LoudnessFigures.Of(before), LoudnessFigures.Of(after), equalizer,
            threshold, ratio, width, Math.Round(gain, 2), iterations, reference is not null));
    }

    /// <summary>
    /// Loudness normalization (streaming copies, the last step of a master): gain into the true-peak look-ahead
    /// limiter, corrected until the integrated loudness is within 0.1 LU of <paramref name="lufs"/> (at most six
    /// passes). The input is not changed. Silent audio (below the gate) comes back as it is, with no gain.
    /// </summary>
    public static (float[][] Audio, double GainDb, int Iterations) Normalize(float[][] audio, int sampleRate, double lufs, double truePeakDbtp)
    {
        var level = Measure(audio, sampleRate, truePeak: false).IntegratedLufs;
        if (!double.IsFinite(level))
        {
            return (audio.Select(c => (float[])c.Clone()).ToArray(), 0, 0);
        }

        var gain = lufs - level;
        float[][] output = [];
        var iterations = 0;
        while (iterations < 6)
        {
            iterations++;
            output = Limit(audio, sampleRate, gain, truePeakDbtp);
            var error = lufs - Measure(output, sampleRate, truePeak: false).IntegratedLufs;
            if (Math.Abs(error) <= 0.1)
            {
                break;
            }

            gain += error;
        }

        return (output, gain, iterations);
    }

    /// <summary>
    /// Where the loudest <paramref name="seconds"/> start (by short-term loudness), for previews of the part
    /// that matters; 0 for shorter audio.
    /// </summary>
    public static int LoudestPassage(float[][] audio, int sampleRate, double seconds)
    {
        var length = (int)(seconds * sampleRate);
        if (audio[0].Length <= length)
        {
            return 0;
        }

        var meter = new LoudnessMeter(sampleRate, audio.Length, truePeak: false);
        meter.Process(audio);
        var windows = meter.ShortTermPowers;
        var span = (int)(seconds * 10) - 30; // short-term windows (3 s, every 100 ms) inside the passage
        var (best, bestSum) = (0, double.MinValue);
        double sum = 0;
        for (var i = 0; i < windows.Count; i++)
        {
            sum += windows[i];
            if (i >= span)
            {
                sum -= windows[i - span];
            }

            if (i >= span - 1 && sum > bestSum)
            {
                (best, bestSum) = (i - span + 1, sum);
            }
        }

        return Math.Min(best * sampleRate / 10, audio[0].Length - length);
    }

    public static LoudnessResult Measure(IReadOnlyList<float[]> audio, int sampleRate, bool truePeak)
    {
        var meter = new LoudnessMeter(sampleRate, audio.Count, truePeak);
        meter.Process(audio);
        return meter.Result();
    }

    private static void Apply(float[][] audio, IEffect effect)
    {
        const int block = 8192;
        for (var offset = 0; offset < audio[0].Length; offset += block)
        {
            effect.Process(audio, offset, Math.Min(block, audio[0].Length - offset));
        }
    }

    /// <summary>Gain, then the limiter; its look-ahead delay is taken off again so the output lines up with the input.</summary>
    private static float[][] Limit(float[][] audio, int sampleRate, double gainDb, double ceilingDb)
    {
        const double lookaheadMs = 5;
        var delay = Math.Max(1, (int)(lookaheadMs * sampleRate / 1000));
        var scale = (float)Math.Pow(10, gainDb / 20);
        var work = audio.Select(c =>
        {
            var copy = new float[c.Length + delay];
            for (var i = 0; i < c.Length; i++)
            {
                copy[i] = c[i] * scale;
            }

            return copy;
        }).ToArray();
        Apply(work, EffectCatalog.Create("limiter", new Dictionary<string, double>
        {
            ["ceilingDb"] = Math.Clamp(ceilingDb, -12, 0), ["releaseMs"] = 80, ["lookaheadMs"] = lookaheadMs,
        }, new EffectContext(sampleRate, audio.Length)));
        return [.. work.Select(c => c[delay..])];
    }

    /// <summary>The EQ that moves the audio's octave-band spectrum toward the reference's (or the style's curve).</summary>
    private static List<BandGain> Correction(float[][] audio, int sampleRate, MasteringStyle style, double intensity, float[][]? reference)
    {
        var usable = OctaveBands.Usable(sampleRate);
        var have = OctaveBands.Levels(audio, sampleRate);
        var want = reference is null ? StyleCurve(style) : OctaveBands.Levels(reference, sampleRate);

        // Compare shapes, not levels: both are aligned on their mean over 125 Hz - 4 kHz.
        var difference = new double[usable];
        var (haveMid, wantMid) = (Enumerable.Range(2, 4).Average(i => have[i]), Enumerable.Range(2, 4).Average(i => want[i]));
        for (var i = 0; i < usable; i++)
        {
            difference[i] = double.IsFinite(have[i]) ? (want[i] - wantMid) - (have[i] - haveMid) : 0;
        }

        var gains = new List<BandGain>();
        for (var i = 0; i < usable; i++)
        {
            var smoothed = (0.25 * difference[Math.Max(0, i - 1)]) + (0.5 * difference[i]) + (0.25 * difference[Math.Min(usable - 1, i + 1)]);
            gains.Add(new BandGain(Bands[i], Math.Round(Math.Clamp(smoothed * intensity, -MaxCorrectionDb, MaxCorrectionDb), 2)));
        }

        return gains;
    }

    private static double[] StyleCurve(MasteringStyle style) => [.. BalancedCurve.Select((db, i) => db + style switch
    {
        MasteringStyle.Warm => Bands[i] <= 250 ? 1.5 : Bands[i] >= 4000 ? -1.5 : 0,
        MasteringStyle.Bright => Bands[i] >= 4000 ? 2 : Bands[i] <= 63 ? -0.5 : 0,
        MasteringStyle.Loud => Bands[i] is >= 63 and <= 125 ? 1 : 0,
        _ => 0,
    })];
}
