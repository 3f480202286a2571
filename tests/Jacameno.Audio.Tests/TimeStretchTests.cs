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
}
