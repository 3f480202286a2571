namespace Jacameno.Audio.Loudness;

/// <summary>
/// True peak per BS.1770-4 Annex 2: the signal is oversampled (4× below 96 kHz, 2× below 192 kHz, as is above)
/// with a polyphase windowed-sinc interpolator and the highest absolute value of the result is the peak.
/// Catches inter-sample peaks that a sample peak meter misses by up to 3 dB.
/// </summary>
public sealed class TruePeakDetector
{
    private const int TapsPerPhase = 16;

    private readonly float[][] phases;
    private readonly float[] history = new float[TapsPerPhase];
    private int head;

    public TruePeakDetector(int sampleRate)
    {
        Factor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1;
        phases = Design(Factor);
    }

    public int Factor { get; }

    /// <summary>The highest absolute interpolated value so far (linear, 1.0 = 0 dBTP).</summary>
    public double Peak { get; private set; }

    public void Process(ReadOnlySpan<float> samples)
    {
        var peak = Peak;
        foreach (var sample in samples)
        {
            head = (head + 1) % TapsPerPhase;
            history[head] = sample;
            if (Factor == 1)
            {
                peak = Math.Max(peak, Math.Abs(sample));
                continue;
            }

            foreach (var phase in phases)
            {
                // Convolve the last TapsPerPhase samples with this phase's taps, newest first.
                var sum = 0f;
                for (int t = 0, i = head; t < TapsPerPhase; t++, i = i == 0 ? TapsPerPhase - 1 : i - 1)
                {
                    sum += phase[t] * history[i];
                }

                peak = Math.Max(peak, Math.Abs(sum));
            }
        }

        Peak = peak;
    }

    /// <summary>
    /// A low-pass at the original Nyquist frequency for the oversampled rate (windowed sinc, Kaiser β 8),
    /// split into <paramref name="factor"/> phases, each normalised to unity gain at DC.
    /// </summary>
    private static float[][] Design(int factor)
    {
        var length = TapsPerPhase * factor;
        var taps = new double[length];
        var centre = (length - 1) / 2.0;
        for (var n = 0; n < length; n++)
        {
            var x = (n - centre) / factor;
            var sinc = x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
            var r = (n - centre) / centre;
            taps[n] = sinc * Kaiser(r, 8);
        }

        return Enumerable.Range(0, factor).Select(p =>
        {
            var phase = Enumerable.Range(0, TapsPerPhase).Select(t => taps[t * factor + p]).ToArray();
            var gain = phase.Sum();
            return phase.Select(v => (float)(v / gain)).ToArray();
        }).ToArray();
    }

    private static double Kaiser(double r, double beta) => BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / BesselI0(beta);

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (var k = 1; k < 50; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
        }

        return sum;
    }
}
