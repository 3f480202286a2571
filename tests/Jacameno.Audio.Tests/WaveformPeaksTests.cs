using System.Buffers.Binary;
using System.Text.Json;
using Jacameno.Audio.Waveforms;

namespace Jacameno.Audio.Tests;

public sealed class WaveformPeaksTests
{
    // Left: a ramp from -1 to 1; right: a constant 0.5. Four pixels of 256 samples.
    private static float[][] Signal() =>
    [
        Enumerable.Range(0, 1024).Select(i => -1f + 2f * i / 1023).ToArray(),
        Enumerable.Repeat(0.5f, 1024).ToArray(),
    ];

    [Fact]
    public void Peaks_AreMinAndMaxPerPixel_PerChannel_InterleavedAsAudiowaveform()
    {
        var peaks = WaveformPeaks.Compute(Signal(), 48000, 256);
        Assert.Equal((2, 4, 16), (peaks.Channels, peaks.Length, peaks.Data.Length));
        // Pixel 0: left min -127 (clamped -1 → -127 at 8 bits), right 64/64; last pixel: left max 127.
        Assert.Equal(-127, peaks.Data[0]);
        Assert.Equal(((short)64, (short)64), (peaks.Data[2], peaks.Data[3]));
        Assert.Equal(127, peaks.Data[3 * 4 + 1]);
        Assert.All(Enumerable.Range(0, 4), p => Assert.True(peaks.Data[p * 4] <= peaks.Data[p * 4 + 1]));
    }

    [Fact]
    public void Zoom_EqualsComputingAtTheCoarserLevel()
    {
        var fine = WaveformPeaks.Compute(Signal(), 48000, 128, bits: 16);
        var zoomed = fine.Zoom(4);
        var direct = WaveformPeaks.Compute(Signal(), 48000, 512, bits: 16);
        Assert.Equal(direct.SamplesPerPixel, zoomed.SamplesPerPixel);
        Assert.Equal(direct.Data, zoomed.Data);
    }

    [Fact]
    public void Json_And_Dat_HaveTheAudiowaveformVersion2Layout()
    {
        var peaks = WaveformPeaks.Compute(Signal(), 44100, 256, bits: 16);
        using var json = new MemoryStream();
        peaks.WriteJson(json);
        var doc = JsonDocument.Parse(json.ToArray()).RootElement;
        Assert.Equal((2, 2, 44100, 256, 16, 4), (doc.GetProperty("version").GetInt32(), doc.GetProperty("channels").GetInt32(),
            doc.GetProperty("sample_rate").GetInt32(), doc.GetProperty("samples_per_pixel").GetInt32(), doc.GetProperty("bits").GetInt32(),
            doc.GetProperty("length").GetInt32()));
        Assert.Equal(peaks.Data.Select(v => (int)v), doc.GetProperty("data").EnumerateArray().Select(v => v.GetInt32()));

        using var dat = new MemoryStream();
        peaks.WriteDat(dat);
        var bytes = dat.ToArray();
        Assert.Equal(24 + 16 * 2, bytes.Length);
        Assert.Equal((2, 0u, 44100, 256, 4u, 2), (BinaryPrimitives.ReadInt32LittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)),
            BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20))));
        Assert.Equal(peaks.Data[1], BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(24 + 2)));

        using var dat8 = new MemoryStream();
        WaveformPeaks.Compute(Signal(), 44100, 256, bits: 8).WriteDat(dat8);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(dat8.ToArray().AsSpan(4)));
        Assert.Equal(24 + 16, dat8.Length);
    }
}
