using Jacameno.Audio.Rendering;

namespace Jacameno.Audio.Tests;

/// <summary>Rubber Band through its C API: lengths exact, pitch kept or moved as asked, level kept.</summary>
public sealed class TimeStretchTests
{
    private const int Rate = 48000;

    private static float[][] Tone(double hz, double seconds) =>
        [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, (int)(Rate * seconds)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / Rate))).ToArray())];

    /// <summary>Frequency from upward zero crossings over the middle half (away from the edges' ramps).</summary>
    private static double Frequency(float[] samples)
    {
        var (from, to) = (samples.Length / 4, samples.Length * 3 / 4);
        var crossings = new List<double>();
        for (var i = from; i < to; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                crossings.Add(i - 1 + (samples[i - 1] / (samples[i - 1] - samples[i])));
            }
        }

        return (crossings.Count - 1) / (crossings[^1] - crossings[0]) * Rate;
    }

    private static double RmsDb(float[] samples) => 10 * Math.Log10(samples[(samples.Length / 4)..(samples.Length * 3 / 4)].Average(s => (double)s * s));

    [Theory]
    [InlineData(1.5, 0, false, 440)]
    [InlineData(0.8, 0, false, 440)]
    [InlineData(1.0, 12, false, 880)]
    [InlineData(1.25, 7, true, 659.255)]
    [InlineData(1.0, -3.5, false, 359.68)]
    public void Stretch_GivesTheAskedLength_AndPitch_AtTheSameLevel(double ratio, double semitones, bool formants, double expectedHz)
    {
        var input = Tone(440, 2);
        var output = TimeStretch.Process(input, Rate, ratio, semitones, formants);
        Assert.Equal(2, output.Length);
        Assert.Equal((int)Math.Round(input[0].Length * ratio), output[0].Length);
        Assert.InRange(Frequency(output[0]) / expectedHz, 0.995, 1.005);
        if (!formants)
        {
            // (Formant preservation reshapes a lone sine's level by design: its envelope is the one partial.)
            Assert.InRange(RmsDb(output[1]) - RmsDb(input[1]), -1.5, 1.5);
        }
    }

    [Fact]
    public void BadRatios_AreRefused_AndEmptyInput_GivesEmptyOutput()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeStretch.Process(Tone(440, 0.1), Rate, 0, 0, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeStretch.Process(Tone(440, 0.1), Rate, 100, 0, false));
        Assert.Empty(TimeStretch.Process([[], []], Rate, 2, 0, false)[0]);
    }

    /// <summary>A vowel-like sound: a 150 Hz pulse train through a resonance at 800 Hz, 100 Hz wide.</summary>
    private static float[][] Vowel(double seconds)
    {
        var x = new float[(int)(Rate * seconds)];
        var r = Math.Exp(-Math.PI * 100 / Rate);
        var (a1, a2) = (2 * r * Math.Cos(2 * Math.PI * 800 / Rate), -r * r);
        var (y1, y2) = (0.0, 0.0);
        for (var i = 0; i < x.Length; i++)
        {
            var y = (i % 320 == 0 ? 1 : 0) + (a1 * y1) + (a2 * y2);
            (y2, y1) = (y1, y);
            x[i] = (float)(0.05 * y);
        }

        return [x, x];
    }

    /// <summary>The harmonic of <paramref name="f0"/> with the most energy between 300 and 2000 Hz, over the middle second.</summary>
    private static double StrongestHarmonic(float[] x, double f0)
    {
        var middle = x[(x.Length / 2 - (Rate / 2))..(x.Length / 2 + (Rate / 2))];
        return Enumerable.Range(1, 40).Select(h => h * f0).Where(hz => hz is >= 300 and < 2000).MaxBy(hz =>
        {
            double re = 0, im = 0;
            for (var i = 0; i < middle.Length; i++)
            {
                re += middle[i] * Math.Cos(2 * Math.PI * hz * i / Rate);
                im += middle[i] * Math.Sin(2 * Math.PI * hz * i / Rate);
            }

            return (re * re) + (im * im);
        });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-7)]
    public void KeptFormants_StayWhereTheyWere_WhenThePitchMoves(double semitones)
    {
        var f0 = 150 * TimeStretch.PitchScale(semitones);
        var plain = TimeStretch.Process(Vowel(3), Rate, 1, semitones, preserveFormants: false);
        var kept = TimeStretch.Process(Vowel(3), Rate, 1, semitones, preserveFormants: true);

        // Transposed plainly the resonance moves with the pitch; kept, the strongest harmonic is the one nearest 800 Hz.
        Assert.Equal(800 * TimeStretch.PitchScale(semitones), StrongestHarmonic(plain[0], f0), f0 / 2 + 1);
        Assert.Equal(800, StrongestHarmonic(kept[0], f0), f0 / 2 + 1);
    }
}
