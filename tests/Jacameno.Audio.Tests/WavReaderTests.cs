using System.Buffers.Binary;
using System.Diagnostics;
using Jacameno.Audio.Formats;

namespace Jacameno.Audio.Tests;

public sealed class WavReaderTests
{
    private static float[][] Tone(int channels, int frames) =>
        Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, frames).Select(i => (float)(0.5 * Math.Sin(i * (0.05 + c * 0.01)))).ToArray()).ToArray();

    private static byte[] Written(float[][] planar, int rate, WavSampleFormat format)
    {
        using var stream = new MemoryStream();
        WavWriter.Write(stream, planar, rate, format);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 1 / 32768.0)]
    [InlineData(WavSampleFormat.Pcm24, 1 / 8388608.0)]
    [InlineData(WavSampleFormat.Float32, 0)]
    public void RoundTrip_ThroughTheWriter(WavSampleFormat format, double tolerance)
    {
        var tone = Tone(2, 1001);
        var (info, samples) = WavReader.ReadAll(new MemoryStream(Written(tone, 44100, format)));
        Assert.Equal((44100, 2, 1001L, false), (info.SampleRate, info.Channels, info.Frames, info.IsRf64));
        for (var c = 0; c < 2; c++)
        {
            for (var i = 0; i < 1001; i++)
            {
                Assert.InRange(samples[c][i] - tone[c][i], -tolerance - 1e-7, tolerance + 1e-7);
            }
        }
    }

    /// <summary>A hand-made WAV: 8-bit unsigned PCM, 32-bit PCM, 64-bit float, extensible, RF64, extra chunks.</summary>
    private static byte[] Build(ushort tag, int bits, byte[] samples, bool extensible = false, bool rf64 = false, bool junk = true, int channels = 1, int rate = 8000)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(rf64 ? "RF64"u8 : "RIFF"u8);
        w.Write(rf64 ? uint.MaxValue : 0u);
        w.Write("WAVE"u8);
        if (rf64)
        {
            w.Write("ds64"u8);
            w.Write(28u);
            w.Write(0UL);
            w.Write((ulong)samples.Length);
            w.Write((ulong)(samples.Length / (bits / 8 * channels)));
            w.Write(0u);
        }

        if (junk)
        {
            w.Write("LIST"u8);
            w.Write(3u);
            w.Write("abc"u8);
            w.Write((byte)0); // pad to even
        }

        w.Write("fmt "u8);
        w.Write(extensible ? 40u : 16u);
        w.Write(extensible ? (ushort)0xFFFE : tag);
        w.Write((ushort)channels);
        w.Write((uint)rate);
        w.Write((uint)(rate * channels * bits / 8));
        w.Write((ushort)(channels * bits / 8));
        w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)bits);
            w.Write(4u);
            w.Write(tag);
            w.Write(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }

        w.Write("data"u8);
        w.Write(rf64 ? uint.MaxValue : (uint)samples.Length);
        w.Write(samples);
        return stream.ToArray();
    }

    [Fact]
    public void Reads_8BitUnsigned_32BitPcm_64BitFloat_Extensible_AndRf64()
    {
        Assert.Equal([-1f, 0f, 127 / 128f], WavReader.ReadAll(new MemoryStream(Build(1, 8, [0, 128, 255]))).Samples[0]);

        var pcm32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(pcm32, int.MinValue);
        BinaryPrimitives.WriteInt32LittleEndian(pcm32.AsSpan(4), 1 << 30);
        Assert.Equal([-1f, 0.5f], WavReader.ReadAll(new MemoryStream(Build(1, 32, pcm32, extensible: true))).Samples[0]);

        var float64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(float64, 0.25);
        BinaryPrimitives.WriteDoubleLittleEndian(float64.AsSpan(8), double.NaN);
        var (info, samples) = WavReader.ReadAll(new MemoryStream(Build(3, 64, float64, rf64: true)));
        Assert.True(info.IsRf64);
        Assert.Equal([0.25f, 0f], samples[0]);
    }

    [Fact]
    public void Reads_AStreamedWav_WhoseSizesWereUnknown_ToTheEndOfTheFile()
    {
        // As a recording is sent while it is made: RIFF and data sizes 0xFFFFFFFF, then the samples, cut mid-frame.
        var samples = new byte[13];
        BinaryPrimitives.WriteSingleLittleEndian(samples, 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(samples.AsSpan(4), -0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(samples.AsSpan(8), 1f);
        var streamed = Build(3, 32, samples, junk: false);
        BinaryPrimitives.WriteUInt32LittleEndian(streamed.AsSpan(4), uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(streamed.AsSpan(streamed.Length - samples.Length - 4), uint.MaxValue);

        var (info, read) = WavReader.ReadAll(new MemoryStream(streamed));
        Assert.Equal(3, info.Frames);
        Assert.Equal([0.5f, -0.25f, 1f], read[0]);
    }

    [Theory]
    [InlineData("empty", new byte[0])]
    [InlineData("text renamed .wav", new byte[] { 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x21, 0x0a })]
    public void Rejects_NotAWav(string name, byte[] bytes)
    {
        var error = Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(bytes)));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), name);
    }

    [Fact]
    public void Rejects_LyingSizes_AbsurdValues_NoData_AndCompressedFormats()
    {
        var good = Build(1, 16, new byte[400]);
        var dataSize = good.Length - 400 - 4;

        var lying = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(dataSize), 4_000_000_000u);
        Assert.Contains("claims", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(lying))).Message);

        Assert.Contains("ends inside", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(good[..30]))).Message);
        Assert.Contains("channels", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(Build(1, 16, new byte[64], channels: 0)))).Message);
        Assert.Contains("sample rate", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(Build(1, 16, new byte[64], rate: 5_000_000)))).Message);
        Assert.Contains("no complete", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(Build(1, 16, new byte[1])))).Message);
        Assert.Contains("not PCM", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(Build(0x55, 16, new byte[64])))).Message);
        Assert.Contains("bit", Assert.Throws<WavFormatException>(() => WavReader.ReadHeader(new MemoryStream(Build(1, 12, new byte[64])))).Message);
        // An RF64 file whose ds64 claims hours of audio that are not there (a "decompression bomb" of WAV).
        var bomb = Build(1, 16, new byte[64], rf64: true);
        BinaryPrimitives.WriteUInt64LittleEndian(bomb.AsSpan(20 + 8), 1UL << 40);
        Assert.Contains("claims", Assert.Throws<WavFormatException>(() => WavReader.ReadAll(new MemoryStream(bomb))).Message);
    }

    [Fact]
    public void Fuzz_MutatedFiles_EitherReadOrRejectCleanly_InBoundedTime()
    {
        var seeds = new[]
        {
            Written(Tone(2, 300), 44100, WavSampleFormat.Pcm16),
            Written(Tone(1, 300), 48000, WavSampleFormat.Pcm24),
            Written(Tone(2, 100), 96000, WavSampleFormat.Float32),
            Build(1, 32, new byte[256], extensible: true, channels: 2),
            Build(3, 64, new byte[256], rf64: true),
        };
        var random = new Random(1234);
        var clock = Stopwatch.StartNew();
        var (accepted, rejected) = (0, 0);
        for (var round = 0; round < 5000; round++)
        {
            var bytes = (byte[])seeds[round % seeds.Length].Clone();
            var mutations = random.Next(1, 9);
            for (var m = 0; m < mutations; m++)
            {
                // Mostly the header, where the sizes and formats live.
                var at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(96, bytes.Length));
                bytes[at] = (byte)random.Next(256);
            }

            if (random.Next(5) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            try
            {
                var (info, samples) = WavReader.ReadAll(new MemoryStream(bytes));
                Assert.True(info.Frames * info.BlockAlign <= bytes.Length);
                Assert.All(samples, channel => Assert.All(channel, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= WavReader.MaxFloatSample)));
                accepted++;
            }
            catch (WavFormatException)
            {
                rejected++;
            }
        }

        Assert.True(accepted > 100 && rejected > 100, $"accepted {accepted}, rejected {rejected}: the mutations should exercise both");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }
}
