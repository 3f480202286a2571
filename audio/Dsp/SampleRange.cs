using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Jacameno.Audio.Dsp;

/// <summary>The smallest and largest sample of a block, in one vectorised pass.</summary>
/// <remarks>
/// Not TensorPrimitives.Min and Max: they are two passes, and their generic cores run unoptimised for seconds
/// in a process pinned to one core (tier-0 code, tiering up late), where the meters are measured.
/// </remarks>
internal static class SampleRange
{
    /// <summary>(0, 0) for an empty block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Min, float Max) Of(ReadOnlySpan<float> samples)
    {
        var width = Vector256<float>.Count;
        if (samples.Length < width)
        {
            var (min, max) = samples.IsEmpty ? (0f, 0f) : (samples[0], samples[0]);
            foreach (var sample in samples)
            {
                (min, max) = (Math.Min(min, sample), Math.Max(max, sample));
            }

            return (min, max);
        }

        ref var start = ref MemoryMarshal.GetReference(samples);
        var low = Vector256.LoadUnsafe(ref start);
        var high = low;
        for (var i = width; i < samples.Length; i += width)
        {
            // The last vector overlaps the one before it rather than leaving a tail.
            var v = Vector256.LoadUnsafe(ref start, (nuint)Math.Min(i, samples.Length - width));
            (low, high) = (Vector256.Min(low, v), Vector256.Max(high, v));
        }

        var (lowest, highest) = (low[0], high[0]);
        for (var lane = 1; lane < width; lane++)
        {
            (lowest, highest) = (Math.Min(lowest, low[lane]), Math.Max(highest, high[lane]));
        }

        return (lowest, highest);
    }

    /// <summary>The largest |sample|; 0 for an empty block.</summary>
    public static float MaxAbs(ReadOnlySpan<float> samples)
    {
        var (min, max) = Of(samples);
        return Math.Max(-min, max);
    }
}
