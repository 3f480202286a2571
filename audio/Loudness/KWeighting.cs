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
    public double ProcessSumOfSquares(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            var y = highPass.Process(shelf.Process(sample));
            sum += y * y;
        }

        return sum;
    }

    /// <summary>Direct form I biquad in double precision: stable at the very low relative frequencies of the high-pass.</summary>
    private sealed class Biquad(double b0, double b1, double b2, double a1, double a2)
    {
        private double x1, x2, y1, y2;

        public double Process(double x)
        {
            var y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            (x2, x1, y2, y1) = (x1, x, y1, y);
            return y;
        }
    }
}
