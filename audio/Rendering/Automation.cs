namespace Jacameno.Audio.Rendering;

/// <summary>How a control travels from an automation point to the next.</summary>
public enum AutomationShape
{
    Linear,
    Hold,
    Exponential,
    Logarithmic,
    SCurve,
}

/// <summary>One automation point: a value at a time (samples at the project rate) and the shape of the way to the next.</summary>
public readonly record struct EnvelopePoint(long Time, double Value, AutomationShape Shape = AutomationShape.Linear);

/// <summary>
/// A control's course over time, read sample by sample: before the first point it holds the first value, after the
/// last the last. Exponential starts slow and ends fast, logarithmic the reverse, an S-curve eases at both ends.
/// </summary>
public sealed class AutomationEnvelope
{
    private readonly EnvelopePoint[] points;

    /// <param name="points">At least one, in time order.</param>
    public AutomationEnvelope(IEnumerable<EnvelopePoint> points)
    {
        this.points = [.. points];
        if (this.points.Length == 0)
        {
            throw new ArgumentException("An automation lane needs at least one point.", nameof(points));
        }
    }

    /// <summary>The value at one time.</summary>
    public double At(long time)
    {
        Span<double> one = stackalloc double[1];
        Fill(time, one);
        return one[0];
    }

    /// <summary>The values of <paramref name="output"/>.Length consecutive samples from <paramref name="start"/>.</summary>
    public void Fill(long start, Span<double> output)
    {
        // The segment holding the first sample, then walk forward: a block crosses few points.
        var segment = LastAtOrBefore(start);
        for (var i = 0; i < output.Length; i++)
        {
            var time = start + i;
            while (segment + 1 < points.Length && points[segment + 1].Time <= time)
            {
                segment++;
            }

            output[i] = segment < 0 ? points[0].Value
                : segment == points.Length - 1 ? points[^1].Value
                : Between(points[segment], points[segment + 1], time);
        }
    }

    private int LastAtOrBefore(long time)
    {
        var (low, high) = (0, points.Length - 1);
        var found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (points[middle].Time <= time)
            {
                (found, low) = (middle, middle + 1);
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private static double Between(EnvelopePoint from, EnvelopePoint to, long time)
    {
        var t = (double)(time - from.Time) / (to.Time - from.Time);
        var shaped = from.Shape switch
        {
            AutomationShape.Hold => 0,
            AutomationShape.Exponential => t * t,
            AutomationShape.Logarithmic => 1 - ((1 - t) * (1 - t)),
            AutomationShape.SCurve => t * t * (3 - (2 * t)),
            _ => t,
        };
        return from.Value + ((to.Value - from.Value) * shaped);
    }
}
