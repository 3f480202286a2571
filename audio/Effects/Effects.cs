using Jacameno.Audio.Loudness;

namespace Jacameno.Audio.Effects;

internal static class Db
{
    public static double ToGain(double db) => Math.Pow(10, db / 20);

    public static double FromGain(double gain) => 20 * Math.Log10(Math.Max(gain, 1e-12));

    /// <summary>A one-pole smoothing coefficient reaching ~63% in <paramref name="milliseconds"/>.</summary>
    public static double Coefficient(double milliseconds, int sampleRate) => Math.Exp(-1000.0 / (milliseconds * sampleRate));
}

internal sealed class Gain(double gainDb) : IEffect, IAutomatable
{
    private float gain = (float)Db.ToGain(gainDb);

    public void Update(IReadOnlyDictionary<string, double> parameters) => gain = (float)Db.ToGain(parameters["gainDb"]);

    public void Process(float[][] planar, int offset, int frames)
    {
        foreach (var channel in planar)
        {
            foreach (ref var sample in channel.AsSpan(offset, frames))
            {
                sample *= gain;
            }
        }
    }
}

internal enum BiquadKind
{
    Peak,
    LowShelf,
    HighShelf,
    LowPass,
    HighPass,
}

/// <summary>RBJ Audio EQ Cookbook biquads, coefficients computed for the actual sample rate.</summary>
internal sealed class Biquad : IEffect, IAutomatable
{
    private readonly BiquadKind kind;
    private readonly EffectContext context;
    private readonly double[] x1, x2, y1, y2;
    private double b0, b1, b2, a1, a2;

    private Biquad(BiquadKind kind, EffectContext context)
    {
        (this.kind, this.context) = (kind, context);
        (x1, x2, y1, y2) = (new double[context.Channels], new double[context.Channels], new double[context.Channels], new double[context.Channels]);
    }

    public static Biquad Create(BiquadKind kind, Parameters p, EffectContext context)
    {
        var biquad = new Biquad(kind, context);
        biquad.Update(p.Values);
        return biquad;
    }

    /// <summary>New coefficients; the filter's memory stays, so a moving frequency or gain does not click.</summary>
    public void Update(IReadOnlyDictionary<string, double> p)
    {
        // Above Nyquist a band means nothing: keep it just under.
        var frequency = Math.Min(p["frequency"], context.SampleRate * 0.49);
        var w0 = 2 * Math.PI * frequency / context.SampleRate;
        var (cos, sin) = (Math.Cos(w0), Math.Sin(w0));
        var alpha = sin / (2 * p["q"]);
        var a = kind is BiquadKind.Peak or BiquadKind.LowShelf or BiquadKind.HighShelf ? Math.Pow(10, p["gainDb"] / 40) : 1;
        var shelf = 2 * Math.Sqrt(a) * alpha;
        var (nb0, nb1, nb2, a0, na1, na2) = kind switch
        {
            BiquadKind.Peak => (1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a),
            BiquadKind.LowShelf => (a * ((a + 1) - (a - 1) * cos + shelf), 2 * a * ((a - 1) - (a + 1) * cos), a * ((a + 1) - (a - 1) * cos - shelf),
                (a + 1) + (a - 1) * cos + shelf, -2 * ((a - 1) + (a + 1) * cos), (a + 1) + (a - 1) * cos - shelf),
            BiquadKind.HighShelf => (a * ((a + 1) + (a - 1) * cos + shelf), -2 * a * ((a - 1) + (a + 1) * cos), a * ((a + 1) + (a - 1) * cos - shelf),
                (a + 1) - (a - 1) * cos + shelf, 2 * ((a - 1) - (a + 1) * cos), (a + 1) - (a - 1) * cos - shelf),
            BiquadKind.LowPass => ((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha),
            _ => ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha),
        };
        (b0, b1, b2, a1, a2) = (nb0 / a0, nb1 / a0, nb2 / a0, na1 / a0, na2 / a0);
    }

    public void Process(float[][] planar, int offset, int frames)
    {
        for (var c = 0; c < planar.Length; c++)
        {
            var (px1, px2, py1, py2) = (x1[c], x2[c], y1[c], y2[c]);
            foreach (ref var sample in planar[c].AsSpan(offset, frames))
            {
                var y = b0 * sample + b1 * px1 + b2 * px2 - a1 * py1 - a2 * py2;
                (px2, px1, py2, py1) = (px1, sample, py1, y);
                sample = (float)y;
            }

            (x1[c], x2[c], y1[c], y2[c]) = (px1, px2, py1, py2);
        }
    }
}

/// <summary>
/// Feed-forward compressor: a peak envelope (attack/release) of the loudest channel drives one gain for all
/// channels (so the stereo image holds); soft knee per Giannoulis, Massberg and Reiss (2012). The gain is
/// computed at control rate (every 16 samples, ramped linearly between), which keeps log/exp off the
/// per-sample path.
/// </summary>
internal sealed class Compressor : IEffect, ISidechained, IAutomatable
{
    private const int ControlBlock = 16;

    private readonly int sampleRate;
    private double threshold, ratio, knee, makeup, attack, release;
    private double envelopeDb = -120;
    private float gain;

    public Compressor(Parameters p, EffectContext context)
    {
        sampleRate = context.SampleRate;
        Update(p.Values);
        gain = (float)Db.ToGain(makeup);
    }

    public float[][]? Key { get; set; }

    public void Update(IReadOnlyDictionary<string, double> p)
    {
        (threshold, ratio, knee, makeup) = (p["thresholdDb"], p["ratio"], p["kneeDb"], p["makeupDb"]);
        attack = Math.Pow(Db.Coefficient(p["attackMs"], sampleRate), ControlBlock);
        release = Math.Pow(Db.Coefficient(p["releaseMs"], sampleRate), ControlBlock);
    }

    public void Process(float[][] planar, int offset, int frames)
    {
        for (var start = offset; start < offset + frames; start += ControlBlock)
        {
            var count = Math.Min(ControlBlock, offset + frames - start);
            var peak = 0f;
            foreach (var channel in Key ?? planar)
            {
                foreach (var sample in channel.AsSpan(start, count))
                {
                    peak = Math.Max(peak, Math.Abs(sample));
                }
            }

            var levelDb = Db.FromGain(peak);
            var coefficient = levelDb > envelopeDb ? attack : release;
            envelopeDb = coefficient * envelopeDb + (1 - coefficient) * levelDb;
            var target = (float)Db.ToGain(Curve(envelopeDb) - envelopeDb + makeup);
            var step = (target - gain) / count;
            foreach (var channel in planar)
            {
                var g = gain;
                foreach (ref var sample in channel.AsSpan(start, count))
                {
                    g += step;
                    sample *= g;
                }
            }

            gain = target;
        }
    }

    /// <summary>The static curve: output level for an input level.</summary>
    private double Curve(double input)
    {
        var over = input - threshold;
        if (2 * over < -knee)
        {
            return input;
        }

        if (knee > 0 && 2 * Math.Abs(over) <= knee)
        {
            return input + (1 / ratio - 1) * Math.Pow(over + knee / 2, 2) / (2 * knee);
        }

        return threshold + over / ratio;
    }
}

/// <summary>
/// Look-ahead limiter on true peaks: each sample's inter-sample peak is estimated with the 4× interpolator
/// of the loudness meter, the gain needed to keep it under the ceiling is taken as the minimum over the
/// look-ahead window (so it is already down when the peak arrives), and recovers with the release.
/// The output is delayed by the look-ahead.
/// </summary>
internal sealed class Limiter : IEffect
{
    private readonly double ceiling, release;
    private readonly int lookahead;
    private readonly float[][] delayLine;
    private const int Chunk = 64;
    private readonly TruePeakDetector[] estimators;
    private readonly float gainBound;
    private float previousChunkMax;
    private float previousStandardMax;
    private readonly float fineGate;
    private readonly float[][] peaks;

    // Sliding minimum of the required gain over the look-ahead window: a deque of (sample index, gain)
    // with increasing gains, so each step is O(1) on average however long the window.
    private readonly (long Index, double Gain)[] window;
    private int windowHead, windowCount;
    private long index;
    private int position;
    private double gain = 1;

    public Limiter(Parameters p, EffectContext context)
    {
        // A little under the ceiling: the estimate of the interpolated peak is not the reconstruction itself.
        ceiling = Db.ToGain(p["ceilingDb"] - 0.05);
        release = Db.Coefficient(p["releaseMs"], context.SampleRate);
        lookahead = Math.Max(1, (int)(p["lookaheadMs"] * context.SampleRate / 1000));
        delayLine = Enumerable.Range(0, context.Channels).Select(_ => new float[lookahead + 1]).ToArray();
        window = new (long, double)[lookahead + 2];
        // Interpolators disagree by tenths of a dB on content near Nyquist, so the limiter listens to two: the
        // loudness meter's (BS.1770, 4× at 44.1/48 kHz, 16 taps a phase) and a finer one (8×, 48 taps a phase) like the
        // reconstruction of meters that resample to 192 kHz (ffmpeg's ebur128). Neither then reads over the ceiling.
        var oversampling = context.SampleRate < 96_000 ? 8 : context.SampleRate < 192_000 ? 4 : 2;
        estimators = [.. Enumerable.Range(0, context.Channels).SelectMany(_ =>
            new[] { new TruePeakDetector(context.SampleRate), new TruePeakDetector(context.SampleRate, oversampling, tapsPerPhase: 48) })];
        gainBound = estimators.Max(e => e.GainBound);
        fineGate = (float)(ceiling * Db.ToGain(-2));
        peaks = [.. Enumerable.Range(0, context.Channels).Select(_ => new float[Chunk])];
        if (estimators.Max(e => e.Span) > Chunk)
        {
            throw new InvalidOperationException("The skip test assumes the filters reach back less than a chunk.");
        }
    }

    public void Process(float[][] planar, int offset, int frames)
    {
        for (var chunk = offset; chunk < offset + frames; chunk += Chunk)
        {
            var end = Math.Min(chunk + Chunk, offset + frames);
            var chunkMax = 0f;
            foreach (var channel in planar)
            {
                foreach (var sample in channel.AsSpan(chunk, end - chunk))
                {
                    chunkMax = Math.Max(chunkMax, Math.Abs(sample));
                }
            }

            // Exact skip: no interpolated value can exceed the largest sample the filters reach (this chunk and
            // the last, a chunk being longer than a filter) times their gain bound; under the ceiling, nothing to do.
            var quiet = Math.Max(chunkMax, previousChunkMax) * gainBound <= ceiling;
            previousChunkMax = chunkMax;
            var standardMax = 0f;
            for (var f = chunk; f < end; f++)
            {
                for (var c = 0; c < planar.Length; c++)
                {
                    var sample = planar[c][f];
                    if (quiet)
                    {
                        estimators[2 * c].Skip(sample);
                        peaks[c][f - chunk] = 0;
                    }
                    else
                    {
                        peaks[c][f - chunk] = estimators[2 * c].Next(sample);
                        standardMax = Math.Max(standardMax, peaks[c][f - chunk]);
                    }
                }
            }

            // The finer estimate matters only near the ceiling. The two disagree by tenths of a dB at one instant, but
            // their delays differ by less than a chunk, so the standard estimates of this chunk and the last decide.
            var fine = Math.Max(standardMax, previousStandardMax) >= fineGate;
            previousStandardMax = standardMax;
            for (var f = chunk; f < end; f++)
            {
                var peak = 0f;
                for (var c = 0; c < planar.Length; c++)
                {
                    var sample = planar[c][f];
                    peak = Math.Max(peak, fine ? Math.Max(peaks[c][f - chunk], estimators[(2 * c) + 1].Next(sample)) : peaks[c][f - chunk]);
                    if (!fine)
                    {
                        estimators[(2 * c) + 1].Skip(sample);
                    }
                }

                Step(planar, f, peak);
            }
        }
    }

    private void Step(float[][] planar, int f, float peak)
    {
        for (var c = 0; c < planar.Length; c++)
        {
            delayLine[c][position] = planar[c][f];
        }

        Push(peak > ceiling ? ceiling / peak : 1);
        var target = window[windowHead].Gain;
        gain = target < gain ? target : release * gain + (1 - release) * target;
        var read = (position + 1) % delayLine[0].Length; // the oldest: lookahead samples ago
        for (var c = 0; c < planar.Length; c++)
        {
            planar[c][f] = (float)(delayLine[c][read] * gain);
        }

        position = read;
        index++;
    }

    private void Push(double required)
    {
        // Drop gains that the new, smaller (or equal) one makes irrelevant, then entries that left the window.
        while (windowCount > 0 && window[(windowHead + windowCount - 1) % window.Length].Gain >= required)
        {
            windowCount--;
        }

        window[(windowHead + windowCount) % window.Length] = (index, required);
        windowCount++;
        while (window[windowHead].Index <= index - delayLine[0].Length)
        {
            windowHead = (windowHead + 1) % window.Length;
            windowCount--;
        }
    }
}

internal sealed class Delay : IEffect, IAutomatable
{
    private readonly float[][] lines;
    private float feedback, mix;
    private int position;

    /// <summary>Feedback and mix move; the time is the line's length, fixed when the render starts.</summary>
    public void Update(IReadOnlyDictionary<string, double> p) => (feedback, mix) = ((float)p["feedback"], (float)p["mix"]);

    public Delay(Parameters p, EffectContext context)
    {
        var seconds = p["beats"] > 0 ? p["beats"] * 60 / context.Tempo : p["timeMs"] / 1000;
        var length = Math.Clamp((int)Math.Round(seconds * context.SampleRate), 1, context.SampleRate * 16);
        lines = Enumerable.Range(0, context.Channels).Select(_ => new float[length]).ToArray();
        (feedback, mix) = ((float)p["feedback"], (float)p["mix"]);
    }

    public void Process(float[][] planar, int offset, int frames)
    {
        for (var f = offset; f < offset + frames; f++)
        {
            for (var c = 0; c < planar.Length; c++)
            {
                var echo = lines[c][position];
                var dry = planar[c][f];
                lines[c][position] = dry + echo * feedback;
                planar[c][f] = dry * (1 - mix) + echo * mix;
            }

            position = (position + 1) % lines[0].Length;
        }
    }
}

/// <summary>Schroeder/Moorer style: eight damped feedback combs in parallel, then four allpasses, per channel.</summary>
internal sealed class Reverb : IEffect, IAutomatable
{
    private static readonly int[] CombTunings = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
    private static readonly int[] AllpassTunings = [556, 441, 341, 225];

    private readonly float[][][] combs, allpasses;
    private readonly int[][] combPositions, allpassPositions;
    private readonly float[][] combFilters;
    private float feedback, damping, mix;

    public Reverb(Parameters p, EffectContext context)
    {
        var scale = context.SampleRate / 44100.0;
        var channels = context.Channels;
        // Right channels get slightly longer lines for a wider image.
        combs = Enumerable.Range(0, channels).Select(c => CombTunings.Select(t => new float[(int)((t + c * 23) * scale)]).ToArray()).ToArray();
        allpasses = Enumerable.Range(0, channels).Select(c => AllpassTunings.Select(t => new float[(int)((t + c * 23) * scale)]).ToArray()).ToArray();
        combPositions = Enumerable.Range(0, channels).Select(_ => new int[CombTunings.Length]).ToArray();
        allpassPositions = Enumerable.Range(0, channels).Select(_ => new int[AllpassTunings.Length]).ToArray();
        combFilters = Enumerable.Range(0, channels).Select(_ => new float[CombTunings.Length]).ToArray();
        Update(p.Values);
    }

    public void Update(IReadOnlyDictionary<string, double> p) =>
        (feedback, damping, mix) = ((float)(0.7 + 0.28 * p["roomSize"]), (float)(p["damping"] * 0.4), (float)p["mix"]);

    public void Process(float[][] planar, int offset, int frames)
    {
        for (var c = 0; c < planar.Length; c++)
        {
            for (var f = offset; f < offset + frames; f++)
            {
                var input = planar[c][f] * 0.015f;
                var wet = 0f;
                for (var k = 0; k < combs[c].Length; k++)
                {
                    var line = combs[c][k];
                    ref var pos = ref combPositions[c][k];
                    var output = line[pos];
                    combFilters[c][k] = output * (1 - damping) + combFilters[c][k] * damping;
                    line[pos] = input + combFilters[c][k] * feedback;
                    pos = (pos + 1) % line.Length;
                    wet += output;
                }

                for (var k = 0; k < allpasses[c].Length; k++)
                {
                    var line = allpasses[c][k];
                    ref var pos = ref allpassPositions[c][k];
                    var buffered = line[pos];
                    line[pos] = wet + buffered * 0.5f;
                    wet = buffered - wet;
                    pos = (pos + 1) % line.Length;
                }

                planar[c][f] = planar[c][f] * (1 - mix) + wet * mix * 3;
            }
        }
    }
}

internal sealed class StereoWidth(double initialWidth) : IEffect, IAutomatable
{
    private double width = initialWidth;

    public void Update(IReadOnlyDictionary<string, double> p) => width = p["width"];

    public void Process(float[][] planar, int offset, int frames)
    {
        if (planar.Length != 2)
        {
            return; // width is a stereo notion; other layouts pass through
        }

        var (left, right) = (planar[0], planar[1]);
        for (var f = offset; f < offset + frames; f++)
        {
            var mid = (left[f] + right[f]) / 2;
            var side = (left[f] - right[f]) / 2 * (float)width;
            (left[f], right[f]) = (mid + side, mid - side);
        }
    }
}
