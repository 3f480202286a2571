using NWaves.Transforms;

namespace Jacameno.Audio.Analysis;

/// <summary>A pitch contour: one value per frame (Hz, or NaN where unvoiced).</summary>
public sealed record PitchContour(double FrameSeconds, float[] Hz)
{
    public IEnumerable<float> Voiced => Hz.Where(float.IsFinite);
}

/// <summary>
/// Monophonic pitch by YIN (de Cheveigné and Kawahara, 2002): the cumulative mean normalised difference
/// function, its first dip under the threshold, parabolic interpolation. The difference function comes from
/// FFT cross-correlation (NWaves' real FFT), so a frame costs three FFTs rather than a quadratic sum.
/// The signal is decimated to about 11 kHz first (a voice's pitch and the harmonics YIN needs lie well below 5 kHz);
/// frames every 10 ms, a 25 ms integration window.
/// A frame is voiced when its aperiodicity is under the threshold and it is louder than -50 dBFS.
/// </summary>
public static class PitchTracker
{
    public const double MinHz = 60;
    public const double MaxHz = 1100;
    public const double FrameSeconds = 0.01;
    private const float Threshold = 0.15f;
    private const float SilenceRms = 0.00316f; // -50 dBFS

    public static PitchContour Track(float[] mono, int sampleRate)
    {
        var factor = Math.Max(1, sampleRate / 11025);
        var signal = Spectrogram.Decimate(mono, factor);
        signal = ReferenceEquals(signal, mono) ? (float[])mono.Clone() : signal;
        var rate = (double)sampleRate / factor;
        var hop = rate * FrameSeconds;
        var tauMin = (int)(rate / MaxHz);
        var tauMax = (int)Math.Ceiling(rate / MinHz);
        var window = (int)(rate * 0.025);
        var size = 1;
        while (size < window + tauMax + window)
        {
            size <<= 1;
        }

        // One frame per 10 ms of the whole signal; the last frames read into zero padding.
        var frames = (int)Math.Ceiling(mono.Length / (double)sampleRate / FrameSeconds);
        Array.Resize(ref signal, (int)(frames * hop) + window + tauMax + 1);
        var hz = new float[frames];
        var fft = new RealFft(size);
        var (head, whole) = (new float[size], new float[size]);
        var (reA, imA, reB, imB) = (new float[(size / 2) + 1], new float[(size / 2) + 1], new float[(size / 2) + 1], new float[(size / 2) + 1]);
        var correlation = new float[size];
        var cmnd = new float[tauMax + 2];
        var energy = new double[window + tauMax + 1]; // running sums of squares over the frame
        for (var f = 0; f < frames; f++)
        {
            var start = (int)(f * hop);
            double sumSquares = 0;
            energy[0] = 0;
            for (var i = 0; i < window + tauMax; i++)
            {
                var x = signal[start + i];
                energy[i + 1] = energy[i] + (x * x);
                if (i < window)
                {
                    sumSquares += x * x;
                }
            }

            if (Math.Sqrt(sumSquares / window) < SilenceRms)
            {
                hz[f] = float.NaN;
                continue;
            }

            Array.Clear(head);
            Array.Clear(whole);
            Array.Copy(signal, start, head, 0, window);
            Array.Copy(signal, start, whole, 0, window + tauMax);
            fft.Direct(head, reA, imA);
            fft.Direct(whole, reB, imB);
            for (var k = 0; k < reA.Length; k++)
            {
                // conj(A)·B: r(τ) = Σ head[j]·whole[j + τ]
                var (re, im) = ((reA[k] * reB[k]) + (imA[k] * imB[k]), (reA[k] * imB[k]) - (imA[k] * reB[k]));
                (reA[k], imA[k]) = (re, im);
            }

            fft.Inverse(reA, imA, correlation);
            var scale = 1f / size; // NWaves' inverse is unnormalised
            var r0 = energy[window];
            double running = 0;
            cmnd[0] = 1;
            var found = -1;
            for (var tau = 1; tau <= tauMax; tau++)
            {
                var d = (float)(r0 + (energy[tau + window] - energy[tau]) - (2 * correlation[tau] * scale));
                running += d;
                cmnd[tau] = running <= 0 ? 1 : d * tau / (float)running;
                if (found < 0 && tau > tauMin + 1 && cmnd[tau - 1] < Threshold && cmnd[tau - 1] <= cmnd[tau] && cmnd[tau - 1] <= cmnd[tau - 2])
                {
                    found = tau - 1;
                    break;
                }
            }

            if (found < 0)
            {
                hz[f] = float.NaN;
                continue;
            }

            // Parabolic interpolation around the dip for a fractional period.
            var (a, b, c) = (cmnd[found - 1], cmnd[found], cmnd[found + 1]);
            var denominator = a - (2 * b) + c;
            var offset = Math.Abs(denominator) < 1e-12 ? 0 : 0.5 * (a - c) / denominator;
            hz[f] = (float)(rate / (found + Math.Clamp(offset, -1, 1)));
        }

        return new PitchContour(FrameSeconds, hz);
    }

    private static IEnumerable<double[]> SteadyResiduals(List<double> cents, int reach)
    {
        var trend = new double[cents.Count];
        var window = new double[(2 * reach) + 1];
        for (var i = reach; i < cents.Count - reach; i++)
        {
            cents.CopyTo(i - reach, window, 0, window.Length);
            Array.Sort(window);
            trend[i] = window[reach];
        }

        var segment = new List<double>();
        for (var i = 2 * reach; i <= cents.Count - (2 * reach); i++)
        {
            var steady = i < cents.Count - (2 * reach) && Math.Abs(trend[i + reach] - trend[i - reach]) <= 30;
            if (steady)
            {
                segment.Add(cents[i] - trend[i]);
            }
            else if (segment.Count > 0)
            {
                if (segment.Count >= 3 * reach)
                {
                    yield return [.. segment];
                }

                segment.Clear();
            }
        }
    }

    /// <summary>The MIDI note nearest a frequency (A4 = 440 Hz = 69), and its name ("A4").</summary>
    public static (int Midi, string Name) Note(double hz)
    {
        var midi = (int)Math.Round(69 + (12 * Math.Log2(hz / 440)));
        return (midi, $"{MusicalKey.PitchNames[((midi % 12) + 12) % 12]}{(midi / 12) - 1}");
    }

    /// <summary>Cents from <paramref name="hz"/> to the nearest pitch class of <paramref name="scale"/> (−600..600).</summary>
    public static double CentsFromScale(double hz, IEnumerable<int> scale)
    {
        var cents = (1200 * Math.Log2(hz / 440)) + 900; // cents above C
        var best = double.MaxValue;
        foreach (var pc in scale)
        {
            var delta = ((cents - (pc * 100)) % 1200 + 1200) % 1200;
            delta = delta > 600 ? delta - 1200 : delta;
            best = Math.Abs(delta) < Math.Abs(best) ? delta : best;
        }

        return best;
    }

    /// <summary>
    /// Vibrato over the steady parts of notes: the contour in cents less its 310 ms moving median (which follows
    /// note changes); frames where that median moves more than 30 cents within ±150 ms (glides, note changes)
    /// are left out. Rate from the residual's autocorrelation peak between 3.5 and 9 Hz, extent as the
    /// sinusoid amplitude (√2 × RMS). Null when no periodic modulation of at least ±10 cents stands out.
    /// </summary>
    public static (double RateHz, double ExtentCents)? Vibrato(PitchContour contour)
    {
        var reach = (int)Math.Round(0.15 / contour.FrameSeconds);
        var residuals = new List<double[]>();
        var run = new List<double>();
        foreach (var value in contour.Hz.Append(float.NaN))
        {
            if (float.IsFinite(value))
            {
                run.Add(1200 * Math.Log2(value / 440.0));
                continue;
            }

            if (run.Count > 2 * reach)
            {
                residuals.AddRange(SteadyResiduals(run, reach));
            }

            run.Clear();
        }

        if (residuals.Count == 0)
        {
            return null;
        }

        var (minLag, maxLag) = ((int)(1 / 9.0 / contour.FrameSeconds), (int)Math.Ceiling(1 / 3.5 / contour.FrameSeconds));
        double zero = 0, total = 0;
        var acf = new double[maxLag + 1];
        foreach (var r in residuals)
        {
            for (var lag = 0; lag <= maxLag; lag++)
            {
                for (var i = 0; i + lag < r.Length; i++)
                {
                    acf[lag] += r[i] * r[i + lag];
                }
            }

            zero += r.Sum(x => x * x);
            total += r.Length;
        }

        var best = Enumerable.Range(minLag, maxLag - minLag + 1).MaxBy(lag => acf[lag]);
        if (zero <= 0 || acf[best] / zero < 0.3 || best == minLag || best == maxLag)
        {
            return null;
        }

        var (a, b, c) = (acf[best - 1], acf[best], acf[best + 1]);
        var denominator = a - (2 * b) + c;
        var lagExact = best + (Math.Abs(denominator) < 1e-12 ? 0 : 0.5 * (a - c) / denominator);
        // Under ±10 cents is the wobble of any held note, not vibrato.
        var extent = Math.Sqrt(2 * zero / total);
        return extent < 10 ? null : (Math.Round(1 / (lagExact * contour.FrameSeconds), 2), Math.Round(extent, 1));
    }
}
