using Jacameno.Audio.Dsp;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Jacameno.Audio.Loudness;

/// <summary>
/// True peak per BS.1770-4 Annex 2: the signal is oversampled (4× below 96 kHz, 2× below 192 kHz, as is above)
/// with a polyphase windowed-sinc interpolator and the highest absolute value of the result is the peak.
/// Catches inter-sample peaks that a sample peak meter misses by up to 3 dB.
/// </summary>
/// <remarks>
/// Fast path: an interpolated value cannot exceed (the largest |sample| under the filter) × (the sum of |taps|),
/// so stretches that cannot beat the peak found so far skip the filter; the rest uses SIMD dot products over
/// a history kept contiguous by writing every sample twice.
/// </remarks>
public sealed class TruePeakDetector
{
    private const int Chunk = 64;

    private readonly float[][] phases;
    private readonly Vector<float>[][] vectorPhases;
    private readonly float[]? transposed; // tap-major: [tap × phase], for the one-lane-per-phase path
    private readonly int phaseLength;
    private readonly float[] history;
    private readonly float gainBound;
    private int head;
    private float previousChunkMax;

    /// <param name="sampleRate">The input rate.</param>
    /// <param name="oversampling">Interpolated points per sample; by default BS.1770's (4× below 96 kHz, 2× below 192 kHz).</param>
    /// <param name="tapsPerPhase">Interpolator length per phase (a multiple of the SIMD width); longer is more exact near Nyquist. Default 16.</param>
    public TruePeakDetector(int sampleRate, int? oversampling = null, int tapsPerPhase = 16)
    {
        phaseLength = tapsPerPhase;
        history = new float[tapsPerPhase * 2];
        Factor = oversampling ?? (sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1);
        phases = Design(Factor);
        vectorPhases = phases.Select(p => MemoryMarshal.Cast<float, Vector<float>>(p).ToArray()).ToArray();
        gainBound = phases.Max(p => p.Sum(Math.Abs));
        if ((Factor == 8 && Vector256.IsHardwareAccelerated) || (Factor == 4 && Vector128.IsHardwareAccelerated))
        {
            transposed = [.. Enumerable.Range(0, phaseLength).SelectMany(i => phases.Select(p => p[i]))];
        }
    }

    public int Factor { get; }

    /// <summary>The highest absolute interpolated value so far (linear, 1.0 = 0 dBTP).</summary>
    public double Peak { get; private set; }

    /// <summary>No interpolated value exceeds the largest |sample| under the filter times this (the sum of |taps| of a phase).</summary>
    public float GainBound => gainBound;

    /// <summary>How many past samples each interpolated value depends on.</summary>
    public int Span => phaseLength;

    /// <summary>Pushes one sample without interpolating, for stretches a caller knows cannot matter (see <see cref="GainBound"/>).</summary>
    public void Skip(float sample)
    {
        head = head == 0 ? phaseLength - 1 : head - 1;
        history[head] = history[head + phaseLength] = sample;
    }

    /// <summary>
    /// Pushes one sample and returns the largest |value| of the interpolated points it completes (for a
    /// limiter's per-sample decision); does not touch <see cref="Peak"/>.
    /// </summary>
    public float Next(float sample)
    {
        head = head == 0 ? phaseLength - 1 : head - 1;
        history[head] = history[head + phaseLength] = sample;
        if (Factor == 1)
        {
            return Math.Abs(sample);
        }

        if (transposed is not null)
        {
            // One lane per phase: each tap is one multiply-add for all phases at once, no horizontal sums;
            // four accumulators so the adds do not wait on each other.
            var samples = history.AsSpan(head, phaseLength);
            if (Factor == 8)
            {
                var taps = MemoryMarshal.Cast<float, Vector256<float>>(transposed);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var i = 0; i < samples.Length; i += 4)
                {
                    a0 += taps[i] * Vector256.Create(samples[i]);
                    a1 += taps[i + 1] * Vector256.Create(samples[i + 1]);
                    a2 += taps[i + 2] * Vector256.Create(samples[i + 2]);
                    a3 += taps[i + 3] * Vector256.Create(samples[i + 3]);
                }

                var abs = Vector256.Abs((a0 + a1) + (a2 + a3));
                return Math.Max(Math.Max(Math.Max(abs[0], abs[1]), Math.Max(abs[2], abs[3])), Math.Max(Math.Max(abs[4], abs[5]), Math.Max(abs[6], abs[7])));
            }
            else
            {
                var taps = MemoryMarshal.Cast<float, Vector128<float>>(transposed);
                Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var i = 0; i < samples.Length; i += 4)
                {
                    a0 += taps[i] * Vector128.Create(samples[i]);
                    a1 += taps[i + 1] * Vector128.Create(samples[i + 1]);
                    a2 += taps[i + 2] * Vector128.Create(samples[i + 2]);
                    a3 += taps[i + 3] * Vector128.Create(samples[i + 3]);
                }

                var abs = Vector128.Abs((a0 + a1) + (a2 + a3));
                return Math.Max(Math.Max(abs[0], abs[1]), Math.Max(abs[2], abs[3]));
            }
        }

        // Load the window once as vectors and reuse it for every phase.
        var window = MemoryMarshal.Cast<float, Vector<float>>(history.AsSpan(head, phaseLength));
        var max = 0f;
        foreach (var phase in vectorPhases)
        {
            var sum = Vector<float>.Zero;
            for (var i = 0; i < window.Length; i++)
            {
                sum += phase[i] * window[i];
            }

            max = Math.Max(max, Math.Abs(Vector.Sum(sum)));
        }

        return max;
    }

    public void Process(ReadOnlySpan<float> samples)
    {
        var peak = (float)Peak;
        for (var start = 0; start < samples.Length; start += Chunk)
        {
            var chunk = samples.Slice(start, Math.Min(Chunk, samples.Length - start));
            var chunkMax = MaxAbs(chunk);
            var mustFilter = Factor > 1 && Math.Max(chunkMax, previousChunkMax) * gainBound > peak;
            foreach (var sample in chunk)
            {
                // The newest phaseLength samples are always history[head .. head + phaseLength), newest first.
                head = head == 0 ? phaseLength - 1 : head - 1;
                history[head] = history[head + phaseLength] = sample;
                if (mustFilter)
                {
                    var window = history.AsSpan(head, phaseLength);
                    foreach (var phase in phases)
                    {
                        peak = Math.Max(peak, Math.Abs(Dot(phase, window)));
                    }
                }
            }

            peak = Math.Max(peak, chunkMax);
            previousChunkMax = chunkMax;
        }

        Peak = peak;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var sum = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }

        var total = Vector.Sum(sum);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static float MaxAbs(ReadOnlySpan<float> samples)
    {
        var max = 0f;
        foreach (var s in samples)
        {
            max = Math.Max(max, Math.Abs(s));
        }

        return max;
    }

    /// <summary>
    /// A low-pass at the original Nyquist frequency for the oversampled rate (windowed sinc, Kaiser β 8),
    /// split into <paramref name="factor"/> phases, each normalised to unity gain at DC. Tap t of a phase
    /// multiplies the sample t steps in the past, matching the newest-first history window.
    /// </summary>
    private float[][] Design(int factor)
    {
        var length = phaseLength * factor;
        var taps = new double[length];
        var centre = (length - 1) / 2.0;
        for (var n = 0; n < length; n++)
        {
            var x = (n - centre) / factor;
            var sinc = x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
            var r = (n - centre) / centre;
            taps[n] = sinc * KaiserWindow.At(r, 8);
        }

        return Enumerable.Range(0, factor).Select(p =>
        {
            var phase = Enumerable.Range(0, phaseLength).Select(t => taps[t * factor + p]).ToArray();
            var gain = phase.Sum();
            return phase.Select(v => (float)(v / gain)).ToArray();
        }).ToArray();
    }

}
