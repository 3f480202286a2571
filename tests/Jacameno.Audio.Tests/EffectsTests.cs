using Jacameno.Audio.Effects;
using Jacameno.Audio.Loudness;

namespace Jacameno.Audio.Tests;

public sealed class EffectsTests
{
    private static float[][] Sine(double frequency, double amplitude, int rate, double seconds = 1, int channels = 2) =>
        Enumerable.Range(0, channels).Select(_ => Enumerable.Range(0, (int)(rate * seconds))
            .Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray()).ToArray();

    private static float[][] Run(string type, Dictionary<string, double> parameters, float[][] audio, int rate, double tempo = 120)
    {
        var effect = EffectCatalog.Create(type, parameters, new EffectContext(rate, audio.Length, tempo));
        for (var offset = 0; offset < audio[0].Length; offset += 1000)
        {
            effect.Process(audio, offset, Math.Min(1000, audio[0].Length - offset));
        }

        return audio;
    }

    /// <summary>Peak level in dB of the second half (after the filters settle).</summary>
    private static double SettledPeakDb(float[] samples) => 20 * Math.Log10(samples.Skip(samples.Length / 2).Max(Math.Abs));

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void Eq_ResponseIsRightAtEverySampleRate(int rate)
    {
        var peak = new Dictionary<string, double> { ["frequency"] = 1000, ["gainDb"] = 6, ["q"] = 1 };
        Assert.InRange(SettledPeakDb(Run("eq-peak", peak, Sine(1000, 0.25, rate), rate)[0]) - 20 * Math.Log10(0.25), 5.9, 6.1);
        Assert.InRange(SettledPeakDb(Run("eq-peak", peak, Sine(60, 0.25, rate), rate)[0]) - 20 * Math.Log10(0.25), -0.1, 0.2);

        var lowpass = new Dictionary<string, double> { ["frequency"] = 1000, ["q"] = 0.707 };
        Assert.InRange(SettledPeakDb(Run("eq-lowpass", lowpass, Sine(1000, 1, rate), rate)[0]), -3.2, -2.8); // -3 dB at the corner
        Assert.True(SettledPeakDb(Run("eq-lowpass", lowpass, Sine(10000, 1, rate), rate)[0]) < -38);
        Assert.True(SettledPeakDb(Run("eq-highpass", lowpass, Sine(100, 1, rate), rate)[0]) < -38);

        var shelf = new Dictionary<string, double> { ["frequency"] = 200, ["gainDb"] = -12, ["q"] = 0.707 };
        Assert.InRange(SettledPeakDb(Run("eq-lowshelf", shelf, Sine(30, 1, rate), rate)[0]), -12.3, -11.5);
        Assert.InRange(SettledPeakDb(Run("eq-lowshelf", shelf, Sine(5000, 1, rate), rate)[0]), -0.2, 0.1);
    }

    [Fact]
    public void Gain_And_Width_DoExactlyWhatTheySay()
    {
        var audio = Run("gain", new() { ["gainDb"] = -6.0206 }, Sine(440, 0.8, 48000), 48000);
        Assert.InRange(audio[0].Max(), 0.3999, 0.4001);

        var stereo = new[] { new[] { 1f, 0.5f }, new[] { 0f, 0.5f } };
        Run("width", new() { ["width"] = 0 }, stereo, 48000);
        Assert.Equal(stereo[0], stereo[1]);
    }

    [Fact]
    public void Compressor_FollowsItsStaticCurve()
    {
        // -6 dBFS in, threshold -20, 4:1, hard knee: 14 dB over becomes 3.5 dB over, so -16.5 dBFS out.
        var parameters = new Dictionary<string, double> { ["thresholdDb"] = -20, ["ratio"] = 4, ["kneeDb"] = 0, ["attackMs"] = 1, ["releaseMs"] = 500 };
        var output = Run("compressor", parameters, Sine(1000, Math.Pow(10, -6 / 20.0), 48000, seconds: 2), 48000);
        Assert.InRange(SettledPeakDb(output[0]), -17.2, -15.8);
        // Below the threshold nothing changes.
        var quiet = Run("compressor", parameters, Sine(1000, Math.Pow(10, -30 / 20.0), 48000, seconds: 2), 48000);
        Assert.InRange(SettledPeakDb(quiet[0]), -30.1, -29.9);
    }

    [Fact]
    public void Limiter_KeepsTheTruePeakUnderTheCeiling()
    {
        const int rate = 48000;
        var loud = Sine(997, 2.0, rate, seconds: 2); // +6 dBFS
        var output = Run("limiter", new() { ["ceilingDb"] = -1, ["lookaheadMs"] = 5, ["releaseMs"] = 50 }, loud, rate);
        var meter = new LoudnessMeter(rate, 2);
        meter.Process(output);
        Assert.True(meter.Result().TruePeakDbtp <= -0.9, $"true peak {meter.Result().TruePeakDbtp:F2} dBTP");
        Assert.True(meter.Result().TruePeakDbtp > -3, "the limiter should not crush the level");
    }

    [Fact]
    public void Delay_EchoesAtTheRightSample_AndSyncsToTempo()
    {
        var impulse = new[] { new float[48000] };
        impulse[0][0] = 1;
        Run("delay", new() { ["timeMs"] = 100, ["feedback"] = 0.5, ["mix"] = 0.5 }, impulse, 48000);
        Assert.Equal(0.5f, impulse[0][0]);
        Assert.Equal(0.5f, impulse[0][4800]);
        Assert.Equal(0.25f, impulse[0][9600]);

        var synced = new[] { new float[48000] };
        synced[0][0] = 1;
        Run("delay", new() { ["beats"] = 0.5, ["feedback"] = 0, ["mix"] = 1 }, synced, 48000, tempo: 120); // an eighth at 120 BPM: 250 ms
        Assert.Equal(1f, synced[0][12000]);
    }

    [Fact]
    public void Reverb_Decays_AndMixZeroIsDry()
    {
        var impulse = new[] { new float[96000], new float[96000] };
        impulse[0][0] = impulse[1][0] = 1;
        Run("reverb", new() { ["roomSize"] = 0.6, ["mix"] = 1 }, impulse, 48000);
        var early = impulse[0].Skip(2000).Take(8000).Sum(Math.Abs);
        var late = impulse[0].Skip(80000).Take(8000).Sum(Math.Abs);
        Assert.True(early > 0 && late < early / 4, $"early {early}, late {late}");
        Assert.All(impulse[0], s => Assert.True(float.IsFinite(s)));

        var dry = Sine(440, 0.5, 48000);
        var copy = dry.Select(c => (float[])c.Clone()).ToArray();
        Run("reverb", new() { ["mix"] = 0 }, dry, 48000);
        Assert.Equal(copy[0], dry[0]);
    }

    [Theory]
    [InlineData("nope", "x", 1, "Unknown effect type")]
    [InlineData("gain", "volume", 1, "has no parameter")]
    [InlineData("gain", "gainDb", 40, "between -96 and 24")]
    [InlineData("compressor", "ratio", double.NaN, "between 1 and 20")]
    public void BadParameters_AreRefusedWithTheRange(string type, string name, double value, string expected)
    {
        var error = Assert.Throws<EffectParameterException>(() => EffectCatalog.Validate(type, new Dictionary<string, double> { [name] = value }));
        Assert.Contains(expected, error.Message);
    }
}
