namespace Jacameno.Plugins.Tests;

/// <summary>Test audio and the measurements the plugin tests make on it.</summary>
internal static class Signals
{
    /// <summary>A stereo sine whose level steps between quiet and loud every half second.</summary>
    public static float[][] SteppedSine(int rate, double seconds, double frequency = 440)
    {
        var length = (int)(rate * seconds);
        var left = new float[length];
        for (var i = 0; i < length; i++)
        {
            var level = (i / (rate / 2)) % 2 == 0 ? 0.05 : 0.9;
            left[i] = (float)(level * Math.Sin(2 * Math.PI * frequency * i / rate));
        }

        return [left, (float[])left.Clone()];
    }

    public static double RmsDb(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return 10 * Math.Log10(Math.Max(sum / Math.Max(1, samples.Length), 1e-20));
    }

    /// <summary>RMS level in dB of consecutive windows.</summary>
    public static double[] WindowLevels(float[] samples, int window) =>
        [.. Enumerable.Range(0, samples.Length / window).Select(w => RmsDb(samples.AsSpan(w * window, window)))];

    /// <summary>The strongest frequency between <paramref name="from"/> and <paramref name="to"/> Hz, in 0.1 Hz steps (Goertzel).</summary>
    public static double PeakFrequency(ReadOnlySpan<float> x, int rate, double from, double to)
    {
        var (best, bestPower) = (from, -1.0);
        for (var f = from; f <= to; f += 0.1)
        {
            var coefficient = 2 * Math.Cos(2 * Math.PI * f / rate);
            double s1 = 0, s2 = 0;
            foreach (var v in x)
            {
                (s2, s1) = (s1, v + (coefficient * s1) - s2);
            }

            var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
            if (power > bestPower)
            {
                (best, bestPower) = (f, power);
            }
        }

        return best;
    }
}
