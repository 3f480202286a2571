using System.Runtime.CompilerServices;
using Jacameno.Audio.Dsp;

namespace Jacameno.Audio.Loudness;

/// <summary>The measurements of a whole programme, per ITU-R BS.1770-4 and EBU R128 / Tech 3342.</summary>
/// <param name="IntegratedLufs">Gated integrated loudness; negative infinity for silence.</param>
/// <param name="LoudnessRangeLu">Loudness range (EBU Tech 3342); 0 for programmes shorter than one short-term window.</param>
/// <param name="TruePeakDbtp">The highest true peak over all channels (BS.1770-4 Annex 2, 4× oversampling below 96 kHz).</param>
/// <param name="SamplePeakDbfs">The highest absolute sample value over all channels.</param>
/// <param name="MaxMomentaryLufs">The loudest 400 ms window.</param>
/// <param name="MaxShortTermLufs">The loudest 3 s window.</param>
public sealed record LoudnessResult(
    double IntegratedLufs,
    double LoudnessRangeLu,
    double TruePeakDbtp,
    double SamplePeakDbfs,
    double MaxMomentaryLufs,
    double MaxShortTermLufs);

/// <summary>
/// Streaming loudness meter: feed planar samples in any block size, read the result at the end. K-weighting
/// coefficients are derived for the actual sample rate (bilinear transform of the BS.1770 analog
/// prototypes), so 44.1 kHz and 96 kHz material measures the same as 48 kHz. Memory grows by one number per
/// 100 ms of audio (the gating blocks), nothing per sample.
/// </summary>
public sealed class LoudnessMeter
{
    private const double AbsoluteGateLufs = -70;
    private const double RelativeGateLu = -10;
    private const double RangeRelativeGateLu = -20;

    private readonly int channels;
    private readonly double[] weights;
    private readonly KWeighting[] filters;
    private readonly TruePeakDetector[]? peaks;
    private readonly int stepLength;

    // Sum of weighted squares per 100 ms step, the last 30 of them (a short-term window).
    private readonly double[] recentSteps = new double[30];
    private readonly List<double> momentaryPowers = [];
    private readonly List<double> shortTermPowers = [];
    private double stepSum;
    private int stepFill;
    private long stepsDone;
    private double samplePeak;

    /// <param name="sampleRate">8 000 to 768 000 Hz.</param>
    /// <param name="channels">1 to 8; 5 channels are L, R, C, Ls, Rs and 6 are L, R, C, LFE, Ls, Rs (the LFE is not measured).</param>
    /// <param name="truePeak">Whether to measure true peak (4× oversampling, most of the cost); without it the result's true peak is the sample peak.</param>
    public LoudnessMeter(int sampleRate, int channels, bool truePeak = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 768_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 8);
        SampleRate = sampleRate;
        this.channels = channels;
        weights = ChannelWeights(channels);
        filters = Enumerable.Range(0, channels).Select(_ => new KWeighting(sampleRate)).ToArray();
        peaks = truePeak ? Enumerable.Range(0, channels).Select(_ => new TruePeakDetector(sampleRate)).ToArray() : null;
        stepLength = (int)Math.Round(sampleRate / 10.0);
    }

    public int SampleRate { get; }

    /// <summary>Mean-square power of each 3 s window so far, one every 100 ms (for finding the loudest passage).</summary>
    public IReadOnlyList<double> ShortTermPowers => shortTermPowers;

    /// <summary>Adds one block: <paramref name="planar"/>[channel][frame], every channel the same length.</summary>
    public void Process(IReadOnlyList<float[]> planar) => Process(planar, 0, planar[0].Length);

    // Optimised from the first call: the tier-0 code of these loops is several times slower, and in a process
    // pinned to one core (the benchmark) the runtime was seen to tier it up only after seconds, or not at all.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(IReadOnlyList<float[]> planar, int offset, int frames)
    {
        if (planar.Count != channels)
        {
            throw new ArgumentException($"Expected {channels} channels, got {planar.Count}.", nameof(planar));
        }

        for (var frame = offset; frame < offset + frames;)
        {
            // Up to the end of the current 100 ms step; K-weighting two channels at a time (one per SIMD lane),
            // adding to the step in channel order as one at a time would.
            var run = Math.Min(stepLength - stepFill, offset + frames - frame);
            var c = 0;
            for (; c + 1 < channels; c += 2)
            {
                var (first, second) = KWeighting.ProcessSumOfSquares(
                    filters[c], filters[c + 1], planar[c].AsSpan(frame, run), planar[c + 1].AsSpan(frame, run));
                stepSum += weights[c] * first;
                stepSum += weights[c + 1] * second;
            }

            if (c < channels)
            {
                stepSum += weights[c] * filters[c].ProcessSumOfSquares(planar[c].AsSpan(frame, run));
            }

            for (c = 0; c < channels; c++)
            {
                var input = planar[c].AsSpan(frame, run);
                samplePeak = Math.Max(samplePeak, SampleRange.MaxAbs(input));
                peaks?[c].Process(input);
            }

            stepFill += run;
            frame += run;
            if (stepFill == stepLength)
            {
                CompleteStep();
            }
        }
    }

    public LoudnessResult Result()
    {
        var integrated = Integrated(momentaryPowers);
        var truePeak = peaks?.Max(p => p.Peak) ?? samplePeak;
        return new LoudnessResult(
            integrated,
            Range(shortTermPowers),
            Decibels(truePeak),
            Decibels(samplePeak),
            momentaryPowers.Count == 0 ? double.NegativeInfinity : Lufs(momentaryPowers.Max()),
            shortTermPowers.Count == 0 ? double.NegativeInfinity : Lufs(shortTermPowers.Max()));
    }

    /// <summary>Loudness of a mean-square power: -0.691 + 10 log10(power) (BS.1770-4 eq. 2).</summary>
    public static double Lufs(double power) => power <= 0 ? double.NegativeInfinity : -0.691 + 10 * Math.Log10(power);

    private static double Power(double lufs) => Math.Pow(10, (lufs + 0.691) / 10);

    private static double Decibels(double amplitude) => amplitude <= 0 ? double.NegativeInfinity : 20 * Math.Log10(amplitude);

    private void CompleteStep()
    {
        recentSteps[stepsDone % recentSteps.Length] = stepSum;
        stepsDone++;
        (stepSum, stepFill) = (0, 0);

        // A 400 ms gating block every 100 ms (75% overlap), a 3 s short-term window every 100 ms.
        if (stepsDone >= 4)
        {
            momentaryPowers.Add(Window(4));
        }

        if (stepsDone >= recentSteps.Length)
        {
            shortTermPowers.Add(Window(recentSteps.Length));
        }
    }

    private double Window(int steps)
    {
        var sum = 0.0;
        for (var i = 1; i <= steps; i++)
        {
            sum += recentSteps[(stepsDone - i) % recentSteps.Length];
        }

        return sum / (steps * (double)stepLength);
    }

    /// <summary>Absolute gate at -70 LUFS, then relative gate 10 LU below the loudness of what passed it.</summary>
    private static double Integrated(List<double> blocks)
    {
        var absolute = Power(AbsoluteGateLufs);
        var passed = blocks.Where(p => p > absolute).ToList();
        if (passed.Count == 0)
        {
            return double.NegativeInfinity;
        }

        var relative = Power(Lufs(passed.Average()) + RelativeGateLu);
        var gated = passed.Where(p => p > relative).ToList();
        return gated.Count == 0 ? double.NegativeInfinity : Lufs(gated.Average());
    }

    /// <summary>EBU Tech 3342: short-term values gated at -70 LUFS and 20 LU below their mean; LRA = L95 - L10.</summary>
    private static double Range(List<double> shortTerm)
    {
        var absolute = Power(AbsoluteGateLufs);
        var passed = shortTerm.Where(p => p > absolute).ToList();
        if (passed.Count == 0)
        {
            return 0;
        }

        var relative = Power(Lufs(passed.Average()) + RangeRelativeGateLu);
        var levels = passed.Where(p => p > relative).Select(Lufs).Order().ToArray();
        return levels.Length == 0 ? 0 : Percentile(levels, 0.95) - Percentile(levels, 0.10);
    }

    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>BS.1770-4 channel weights: 1.0 for L, R, C; 1.41 (+1.5 dB) for the surrounds; the LFE is left out.</summary>
    private static double[] ChannelWeights(int channels) => channels switch
    {
        5 => [1, 1, 1, 1.41, 1.41],
        6 => [1, 1, 1, 0, 1.41, 1.41],
        _ => Enumerable.Repeat(1.0, channels).ToArray(),
    };
}
