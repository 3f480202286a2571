using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Jacameno.Audio.Loudness;

/// <summary>
/// The BS.1770 K-weighting: a high shelf (+4 dB above ~1.7 kHz, the head's acoustic effect) followed by the
/// RLB high-pass (~38 Hz). The standard gives coefficients for 48 kHz only; these come from the analog
/// prototypes behind them (centre frequency, gain, Q) through the bilinear transform with prewarping, so they
/// match the published 48 kHz values and are right at every other rate.
/// </summary>
public sealed class KWeighting
{
    private readonly Biquad shelf;
    private readonly Biquad highPass;

    public KWeighting(int sampleRate)
    {
        // Stage 1: high shelf, f0 1681.97 Hz, +3.99984 dB, Q 0.70718.
        {
            const double f0 = 1681.974450955533, gainDb = 3.999843853973347, q = 0.7071752369554196;
            var k = Math.Tan(Math.PI * f0 / sampleRate);
            var vh = Math.Pow(10, gainDb / 20);
            var vb = Math.Pow(vh, 0.4996667741545416);
            var a0 = 1 + k / q + k * k;
            shelf = new Biquad(
                (vh + vb * k / q + k * k) / a0,
                2 * (k * k - vh) / a0,
                (vh - vb * k / q + k * k) / a0,
                2 * (k * k - 1) / a0,
                (1 - k / q + k * k) / a0);
        }

        // Stage 2: RLB high-pass, f0 38.135 Hz, Q 0.50033 (unity numerator 1, -2, 1 as in the standard).
        {
            const double f0 = 38.13547087602444, q = 0.5003270373238773;
            var k = Math.Tan(Math.PI * f0 / sampleRate);
            var a0 = 1 + k / q + k * k;
            highPass = new Biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        }
    }

    /// <summary>Filters the samples (keeping state across calls) and returns the sum of the squared output.</summary>
    // Optimised from the first call: the tier-0 code of these loops is several times slower, and in a process
    // pinned to one core (the benchmark) the runtime was seen to tier it up only after seconds, or not at all.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double ProcessSumOfSquares(ReadOnlySpan<float> samples)
    {
        // State in locals for the loop: through the fields every sample would wait on a store and a reload.
        var (s, h) = (shelf, highPass);
        double sx1 = s.X1, sx2 = s.X2, sy1 = s.Y1, sy2 = s.Y2;
        double hx1 = h.X1, hx2 = h.X2, hy1 = h.Y1, hy2 = h.Y2;
        var sum = 0.0;
        foreach (var sample in samples)
        {
            double x = sample;
            var y = s.B0 * x + s.B1 * sx1 + s.B2 * sx2 - s.A1 * sy1 - s.A2 * sy2;
            (sx2, sx1, sy2, sy1) = (sx1, x, sy1, y);
            var z = h.B0 * y + h.B1 * hx1 + h.B2 * hx2 - h.A1 * hy1 - h.A2 * hy2;
            (hx2, hx1, hy2, hy1) = (hx1, y, hy1, z);
            sum += z * z;
        }

        (s.X1, s.X2, s.Y1, s.Y2) = (sx1, sx2, sy1, sy2);
        (h.X1, h.X2, h.Y1, h.Y2) = (hx1, hx2, hy1, hy2);
        return sum;
    }

    /// <summary>
    /// <see cref="ProcessSumOfSquares(ReadOnlySpan{float})"/> for two channels at once, one per SIMD lane: the
    /// same operations in the same order as one channel at a time, so the same results, for the cost of one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double First, double Second) ProcessSumOfSquares(
        KWeighting first, KWeighting second, ReadOnlySpan<float> firstSamples, ReadOnlySpan<float> secondSamples)
    {
        if (firstSamples.Length != secondSamples.Length)
        {
            throw new ArgumentException("Both channels must have the same length.", nameof(secondSamples));
        }

        if (!Vector128.IsHardwareAccelerated)
        {
            return (first.ProcessSumOfSquares(firstSamples), second.ProcessSumOfSquares(secondSamples));
        }

        var (s1, s2, h1, h2) = (first.shelf, second.shelf, first.highPass, second.highPass);
        var (sb0, sb1, sb2, sa1, sa2) = Coefficients(s1, s2);
        var (hb0, hb1, hb2, ha1, ha2) = Coefficients(h1, h2);
        Vector128<double> sx1 = Vector128.Create(s1.X1, s2.X1), sx2 = Vector128.Create(s1.X2, s2.X2);
        Vector128<double> sy1 = Vector128.Create(s1.Y1, s2.Y1), sy2 = Vector128.Create(s1.Y2, s2.Y2);
        Vector128<double> hx1 = Vector128.Create(h1.X1, h2.X1), hx2 = Vector128.Create(h1.X2, h2.X2);
        Vector128<double> hy1 = Vector128.Create(h1.Y1, h2.Y1), hy2 = Vector128.Create(h1.Y2, h2.Y2);
        var sum = Vector128<double>.Zero;
        for (var i = 0; i < firstSamples.Length; i++)
        {
            var x = Vector128.Create(firstSamples[i], (double)secondSamples[i]);
            var y = sb0 * x + sb1 * sx1 + sb2 * sx2 - sa1 * sy1 - sa2 * sy2;
            (sx2, sx1, sy2, sy1) = (sx1, x, sy1, y);
            var z = hb0 * y + hb1 * hx1 + hb2 * hx2 - ha1 * hy1 - ha2 * hy2;
            (hx2, hx1, hy2, hy1) = (hx1, y, hy1, z);
            sum += z * z;
        }

        (s1.X1, s2.X1, s1.X2, s2.X2, s1.Y1, s2.Y1, s1.Y2, s2.Y2) = (sx1[0], sx1[1], sx2[0], sx2[1], sy1[0], sy1[1], sy2[0], sy2[1]);
        (h1.X1, h2.X1, h1.X2, h2.X2, h1.Y1, h2.Y1, h1.Y2, h2.Y2) = (hx1[0], hx1[1], hx2[0], hx2[1], hy1[0], hy1[1], hy2[0], hy2[1]);
        return (sum[0], sum[1]);
    }

    private static (Vector128<double> B0, Vector128<double> B1, Vector128<double> B2, Vector128<double> A1, Vector128<double> A2) Coefficients(
        Biquad first, Biquad second) => (
            Vector128.Create(first.B0, second.B0),
            Vector128.Create(first.B1, second.B1),
            Vector128.Create(first.B2, second.B2),
            Vector128.Create(first.A1, second.A1),
            Vector128.Create(first.A2, second.A2));

    /// <summary>Direct form I biquad in double precision: stable at the very low relative frequencies of the high-pass.</summary>
    private sealed class Biquad(double b0, double b1, double b2, double a1, double a2)
    {
        public double B0 { get; } = b0;
        public double B1 { get; } = b1;
        public double B2 { get; } = b2;
        public double A1 { get; } = a1;
        public double A2 { get; } = a2;

        // State: the last two inputs and outputs.
        public double X1 { get; set; }
        public double X2 { get; set; }
        public double Y1 { get; set; }
        public double Y2 { get; set; }
    }
}
