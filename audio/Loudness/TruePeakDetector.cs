using Jacameno.Audio.Dsp;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Jacameno.Audio.Loudness;

/// <summary>
/// True peak per BS.1770-4 Annex 2: the signal is oversampled (4× below 96 kHz, 2× below 192 kHz, as is above)
/// with a polyphase windowed-sinc interpolator and the highest absolute value of the result is the peak.
/// Catches inter-sample peaks that a sample peak meter misses by up to 3 dB.
/// </summary>
/// <remarks>
/// <see cref="Process"/> works in chunks of 64 samples. A chunk whose interpolated points cannot beat the peak
/// found so far (bounded from the range of the samples under the filter, see <see cref="MayExceed"/>) skips the
/// filter; the others are filtered eight outputs per SIMD vector, one multiply-add per tap and phase, over the
/// chunk kept contiguous with the samples before it. <see cref="Next"/>, one sample at a time for the limiter,
/// uses one SIMD lane per phase over a history kept contiguous by writing every sample twice.
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
    private readonly float dcBound; // the largest |sum of taps| of a phase: 1 but for rounding
    private readonly Vector256<float>[]? blockTaps; // phase-major, each tap broadcast, for Process
    private readonly float[] block = [];
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
        dcBound = phases.Max(p => Math.Abs(p.Sum()));
        if ((Factor == 8 && Vector256.IsHardwareAccelerated) || (Factor == 4 && Vector128.IsHardwareAccelerated))
        {
            transposed = [.. Enumerable.Range(0, phaseLength).SelectMany(i => phases.Select(p => p[i]))];
        }

        if (Factor > 1 && Vector256.IsHardwareAccelerated)
        {
            blockTaps = [.. phases.SelectMany(p => p.Select(Vector256.Create))];
            block = new float[phaseLength - 1 + Chunk];
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

    // Optimised from the first call: the tier-0 code of these loops is several times slower, and in a process
    // pinned to one core (the benchmark) the runtime was seen to tier it up only after seconds, or not at all.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(ReadOnlySpan<float> samples)
    {
        if (blockTaps is null)
        {
            ProcessOneByOne(samples);
            return;
        }

        // block = the previous (phaseLength - 1) samples, oldest first, then the chunk: every interpolated point
        // of the chunk reads a contiguous run of it.
        var keep = phaseLength - 1;
        for (var k = 0; k < keep; k++)
        {
            block[keep - 1 - k] = history[head + k];
        }

        var peak = (float)Peak;
        for (var start = 0; start < samples.Length; start += Chunk)
        {
            var chunk = samples.Slice(start, Math.Min(Chunk, samples.Length - start));
            chunk.CopyTo(block.AsSpan(keep));
            var (chunkMin, chunkMax) = SampleRange.Of(chunk);
            var (previousMin, previousMax) = SampleRange.Of(block.AsSpan(0, keep));
            if (MayExceed(Math.Min(chunkMin, previousMin), Math.Max(chunkMax, previousMax), peak))
            {
                peak = Math.Max(peak, FilterBlock(chunk.Length));
            }

            peak = Math.Max(peak, Math.Max(-chunkMin, chunkMax));
            block.AsSpan(chunk.Length, keep).CopyTo(block);
        }

        // The history ring is the state Next and Skip continue from.
        foreach (var sample in samples[Math.Max(0, samples.Length - phaseLength)..])
        {
            Skip(sample);
        }

        Peak = peak;
    }

    /// <summary>
    /// Whether a point interpolated from samples within [<paramref name="min"/>, <paramref name="max"/>] can
    /// exceed <paramref name="peak"/>. Each phase's taps sum to 1 (unity gain at DC), so a point is the window's
    /// mid-range plus the taps applied to the deviations from it: |y| ≤ |mid| · |Σ taps| + Σ|taps| · half-range.
    /// Tighter than (largest |sample|) · Σ|taps| wherever the signal does not swing across the whole window,
    /// which is where peaks are; with a margin far above the rounding of the single-precision sums.
    /// </summary>
    private bool MayExceed(float min, float max, float peak)
    {
        var mid = 0.5 * ((double)max + min);
        var halfRange = 0.5 * ((double)max - min);
        var bound = (Math.Abs(mid) * dcBound + gainBound * halfRange) * (1 + 1e-4);
        return bound > peak;
    }

    /// <summary>The largest |value| of the points interpolated for the <paramref name="count"/> samples in <see cref="block"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float FilterBlock(int count)
    {
        // One vector of consecutive outputs per phase, each tap one multiply-add by a broadcast coefficient:
        // no horizontal sums, two independent accumulators per phase.
        var keep = phaseLength - 1;
        ref var input = ref MemoryMarshal.GetArrayDataReference(block);
        var taps = blockTaps!;
        var width = Vector256<float>.Count;
        var max = Vector256<float>.Zero;
        var j = 0;
        for (; j + 2 * width <= count; j += 2 * width)
        {
            var origin = (nuint)(keep + j);
            for (var p = 0; p < Factor; p++)
            {
                var phase = taps.AsSpan(p * phaseLength, phaseLength);
                Vector256<float> a0 = default, a1 = default;
                for (var t = 0; t < phase.Length; t++)
                {
                    var tap = phase[t];
                    a0 = Vector256.MultiplyAddEstimate(tap, Vector256.LoadUnsafe(ref input, origin - (nuint)t), a0);
                    a1 = Vector256.MultiplyAddEstimate(tap, Vector256.LoadUnsafe(ref input, origin + (nuint)width - (nuint)t), a1);
                }

                max = Vector256.Max(max, Vector256.Max(Vector256.Abs(a0), Vector256.Abs(a1)));
            }
        }

        var result = 0f;
        for (var lane = 0; lane < width; lane++)
        {
            result = Math.Max(result, max[lane]);
        }

        for (; j < count; j++)
        {
            foreach (var phase in phases)
            {
                var sum = 0f;
                for (var t = 0; t < phaseLength; t++)
                {
                    sum += phase[t] * block[keep + j - t];
                }

                result = Math.Max(result, Math.Abs(sum));
            }
        }

        return result;
    }

    /// <summary>Sample by sample, for oversampling 1× or without SIMD.</summary>
    private void ProcessOneByOne(ReadOnlySpan<float> samples)
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
