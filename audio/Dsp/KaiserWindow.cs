namespace Jacameno.Audio.Dsp;

/// <summary>The Kaiser window, used by the true-peak interpolator and the resampler's sinc.</summary>
public static class KaiserWindow
{
    /// <summary>The window at <paramref name="r"/> (-1..1 across its length) for shape <paramref name="beta"/>.</summary>
    public static double At(double r, double beta) => BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / BesselI0(beta);

    // The zeroth-order modified Bessel function of the first kind, by its power series.
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
