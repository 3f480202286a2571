namespace Jacameno.Audio.Analysis;

/// <summary>A key estimate with its correlation to the key profile (−1..1; above about 0.6 is a clear key).</summary>
public sealed record KeyEstimate(MusicalKey Key, double Confidence);

/// <summary>
/// Key by the Krumhansl–Schmuckler method: a chroma vector (spectral energy folded into 12 pitch classes,
/// C2 to C7, 8192-point frames) correlated with the 24 rotations of the Krumhansl–Kessler major and minor
/// profiles; the best correlation wins.
/// </summary>
public static class KeyEstimator
{
    private static readonly double[] Major = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] Minor = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    public static KeyEstimate? Estimate(float[] mono, int sampleRate)
    {
        var chroma = Chroma(mono, sampleRate);
        if (chroma.Sum() <= 0)
        {
            return null;
        }

        var best = (Key: default(MusicalKey), R: double.MinValue);
        for (var tonic = 0; tonic < 12; tonic++)
        {
            foreach (var minor in new[] { false, true })
            {
                var profile = minor ? Minor : Major;
                var r = Correlation(chroma, i => profile[(i - tonic + 12) % 12]);
                if (r > best.R)
                {
                    best = (new MusicalKey(tonic, minor), r);
                }
            }
        }

        return new KeyEstimate(best.Key, Math.Round(best.R, 3));
    }

    /// <summary>Energy per pitch class; each frame normalised first, so loud passages do not outvote the rest.</summary>
    public static double[] Chroma(float[] mono, int sampleRate)
    {
        var size = 8192 * Math.Max(1, sampleRate / 50000);
        var spectra = Spectrogram.Magnitudes(mono, size, size / 2);
        var (low, high) = ((int)Math.Ceiling(65.4 * size / sampleRate), Math.Min(size / 2, (int)(2093.0 * size / sampleRate)));
        var pitchClass = new int[high + 1];
        for (var k = low; k <= high; k++)
        {
            var midi = 69 + (12 * Math.Log2(k * (double)sampleRate / size / 440));
            pitchClass[k] = ((int)Math.Round(midi) % 12 + 12) % 12;
        }

        var chroma = new double[12];
        var frame = new double[12];
        foreach (var spectrum in spectra)
        {
            Array.Clear(frame);
            for (var k = low; k <= high; k++)
            {
                frame[pitchClass[k]] += spectrum[k] * spectrum[k];
            }

            var total = frame.Sum();
            if (total > 1e-9)
            {
                for (var i = 0; i < 12; i++)
                {
                    chroma[i] += Math.Sqrt(frame[i] / total);
                }
            }
        }

        return chroma;
    }

    private static double Correlation(double[] x, Func<int, double> y)
    {
        var (mx, my) = (x.Average(), Enumerable.Range(0, 12).Average(y));
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < 12; i++)
        {
            var (dx, dy) = (x[i] - mx, y(i) - my);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx <= 0 || syy <= 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
