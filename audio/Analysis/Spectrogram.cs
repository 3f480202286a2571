using NWaves.Transforms;
using NWaves.Windows;

namespace Jacameno.Audio.Analysis;

/// <summary>Magnitude spectra of Hann-windowed frames (NWaves' real FFT), one row per hop.</summary>
public static class Spectrogram
{
    /// <summary>Frames of <paramref name="size"/> samples every <paramref name="hop"/> samples; each row holds size/2 + 1 magnitudes.</summary>
    public static float[][] Magnitudes(float[] signal, int size, int hop)
    {
        var count = signal.Length < size ? 1 : 1 + ((signal.Length - size) / hop);
        var fft = new RealFft(size);
        var window = Window.Hann(size);
        var frame = new float[size];
        var rows = new float[count][];
        for (var f = 0; f < count; f++)
        {
            var start = f * hop;
            var available = Math.Min(size, signal.Length - start);
            for (var i = 0; i < size; i++)
            {
                frame[i] = i < available ? signal[start + i] * window[i] : 0;
            }

            rows[f] = new float[(size / 2) + 1];
            fft.MagnitudeSpectrum(frame, rows[f]);
        }

        return rows;
    }

    /// <summary>The channels averaged to one.</summary>
    public static float[] Mono(IReadOnlyList<float[]> channels)
    {
        var mono = new float[channels[0].Length];
        var scale = 1f / channels.Count;
        foreach (var channel in channels)
        {
            for (var i = 0; i < mono.Length; i++)
            {
                mono[i] += channel[i] * scale;
            }
        }

        return mono;
    }

    /// <summary>
    /// Lowers the rate by an integer factor behind a windowed-sinc low-pass (63 taps, Kaiser β 8), for analyses
    /// that need no high frequencies (pitch), so they do a fraction of the work.
    /// </summary>
    public static float[] Decimate(float[] signal, int factor)
    {
        if (factor <= 1)
        {
            return signal;
        }

        const int half = 31;
        var taps = new float[(2 * half) + 1];
        var cutoff = 0.45 / factor; // cycles per input sample, under the new Nyquist
        double sum = 0;
        for (var i = -half; i <= half; i++)
        {
            var sinc = i == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * i) / (Math.PI * i);
            taps[i + half] = (float)(sinc * Dsp.KaiserWindow.At((double)Math.Abs(i) / half, 8));
            sum += taps[i + half];
        }

        for (var i = 0; i < taps.Length; i++)
        {
            taps[i] /= (float)sum;
        }

        var output = new float[signal.Length / factor];
        for (var n = 0; n < output.Length; n++)
        {
            var centre = n * factor;
            float acc = 0;
            if (centre >= half && centre + half < signal.Length)
            {
                acc = System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(signal, centre - half, taps.Length), taps);
            }
            else
            {
                for (var k = -half; k <= half; k++)
                {
                    var i = centre + k;
                    if (i >= 0 && i < signal.Length)
                    {
                        acc += signal[i] * taps[k + half];
                    }
                }
            }

            output[n] = acc;
        }

        return output;
    }
}
