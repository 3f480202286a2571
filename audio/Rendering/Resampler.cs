using Jacameno.Audio.Dsp;

namespace Jacameno.Audio.Rendering;

/// <summary>
/// Band-limited sample-rate conversion: windowed-sinc interpolation (32 zero crossings each side, Kaiser β 9),
/// with the cutoff lowered to the target's Nyquist when converting down, so nothing folds back.
/// </summary>
public static class Resampler
{
    private const int ZeroCrossings = 32;
    private const int TableResolution = 512;

    private static readonly Lazy<double[]> Window = new(() =>
    {
        var table = new double[ZeroCrossings * TableResolution + 1];
        for (var i = 0; i < table.Length; i++)
        {
            var r = (double)i / (table.Length - 1);
            table[i] = KaiserWindow.At(r, 9);
        }

        return table;
    });

    public static float[] Resample(float[] input, int fromRate, int toRate)
    {
        if (fromRate == toRate)
        {
            return (float[])input.Clone();
        }

        var ratio = (double)toRate / fromRate;
        var cutoff = Math.Min(1.0, ratio) * 0.97;
        var output = new float[(long)Math.Floor(input.Length * ratio)];
        var window = Window.Value;
        var reach = ZeroCrossings / cutoff; // input samples on each side
        for (var n = 0; n < output.Length; n++)
        {
            var centre = n / ratio;
            var first = Math.Max(0, (int)Math.Ceiling(centre - reach));
            var last = Math.Min(input.Length - 1, (int)Math.Floor(centre + reach));
            double sum = 0;
            for (var k = first; k <= last; k++)
            {
                var x = (k - centre) * cutoff;
                var at = Math.Abs(x) / ZeroCrossings * (window.Length - 1);
                var w = window[Math.Min(window.Length - 1, (int)at)];
                var sinc = x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                sum += input[k] * sinc * w;
            }

            output[n] = (float)(sum * cutoff);
        }

        return output;
    }
}
