using System.Buffers.Binary;
using System.Text.Json;

namespace Jacameno.Audio.Waveforms;

/// <summary>
/// Min/max peaks per pixel in BBC audiowaveform's version 2 layout, so peaks.js and wavesurfer.js read them
/// as they are: for each pixel, for each channel, a min and a max, as 8-bit (-128..127) or 16-bit
/// (-32768..32767) integers.
/// </summary>
public sealed class WaveformPeaks
{
    private WaveformPeaks(int channels, int sampleRate, int samplesPerPixel, int bits, int length, short[] data)
    {
        (Channels, SampleRate, SamplesPerPixel, Bits, Length, Data) = (channels, sampleRate, samplesPerPixel, bits, length, data);
    }

    public int Channels { get; }

    public int SampleRate { get; }

    public int SamplesPerPixel { get; }

    public int Bits { get; }

    /// <summary>Number of pixels.</summary>
    public int Length { get; }

    /// <summary>pixel-major, then channel, then (min, max).</summary>
    public short[] Data { get; }

    /// <summary>Peaks of a stream fed block by block (see <see cref="Builder"/>), without holding the audio.</summary>
    public sealed class Builder
    {
        private readonly int channels, sampleRate, samplesPerPixel, bits;
        private readonly List<short> data = [];
        private readonly float[] min, max;
        private int filled;

        public Builder(int channels, int sampleRate, int samplesPerPixel, int bits = 16)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerPixel, 2);
            (this.channels, this.sampleRate, this.samplesPerPixel, this.bits) = (channels, sampleRate, samplesPerPixel, bits);
            (min, max) = (new float[channels], new float[channels]);
            Reset();
        }

        public void Add(IReadOnlyList<float[]> planar, int offset, int frames)
        {
            for (var f = offset; f < offset + frames; f++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var s = planar[c][f];
                    (min[c], max[c]) = (Math.Min(min[c], s), Math.Max(max[c], s));
                }

                if (++filled == samplesPerPixel)
                {
                    Flush();
                }
            }
        }

        public WaveformPeaks Build()
        {
            if (filled > 0)
            {
                Flush();
            }

            return new WaveformPeaks(channels, sampleRate, samplesPerPixel, bits, data.Count / (channels * 2), [.. data]);
        }

        private void Flush()
        {
            var scale = bits == 8 ? 127.0 : 32767.0;
            for (var c = 0; c < channels; c++)
            {
                data.Add(Quantize(min[c], scale, bits));
                data.Add(Quantize(max[c], scale, bits));
            }

            Reset();
        }

        private void Reset()
        {
            filled = 0;
            Array.Fill(min, float.MaxValue);
            Array.Fill(max, float.MinValue);
        }
    }

    /// <summary>Reads a .dat written by <see cref="WriteDat"/> (or by audiowaveform, version 2).</summary>
    public static WaveformPeaks ReadDat(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 24 || BinaryPrimitives.ReadInt32LittleEndian(bytes) != 2)
        {
            throw new InvalidDataException("Not a version 2 waveform .dat.");
        }

        var bits = (BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) & 1) == 1 ? 8 : 16;
        var rate = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var samplesPerPixel = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
        var channels = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        var count = (long)length * channels * 2;
        if (channels is < 1 or > 32 || bytes.Length - 24 != count * (bits / 8))
        {
            throw new InvalidDataException("The waveform .dat's header does not match its size.");
        }

        var data = new short[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = bits == 8 ? (sbyte)bytes[24 + i] : BinaryPrimitives.ReadInt16LittleEndian(bytes[(24 + i * 2)..]);
        }

        return new WaveformPeaks(channels, rate, samplesPerPixel, bits, length, data);
    }

    public static WaveformPeaks Compute(IReadOnlyList<float[]> planar, int sampleRate, int samplesPerPixel, int bits = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerPixel, 2);
        if (bits is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), "Peaks are 8 or 16 bits.");
        }

        var channels = planar.Count;
        var frames = planar[0].Length;
        var length = (int)((frames + (long)samplesPerPixel - 1) / samplesPerPixel);
        var scale = bits == 8 ? 127.0 : 32767.0;
        var data = new short[length * channels * 2];
        for (var c = 0; c < channels; c++)
        {
            var samples = planar[c];
            for (var pixel = 0; pixel < length; pixel++)
            {
                var span = samples.AsSpan(pixel * samplesPerPixel, Math.Min(samplesPerPixel, frames - pixel * samplesPerPixel));
                float min = span[0], max = span[0];
                foreach (var s in span)
                {
                    (min, max) = (Math.Min(min, s), Math.Max(max, s));
                }

                var at = (pixel * channels + c) * 2;
                data[at] = Quantize(min, scale, bits);
                data[at + 1] = Quantize(max, scale, bits);
            }
        }

        return new WaveformPeaks(channels, sampleRate, samplesPerPixel, bits, length, data);
    }

    /// <summary>A coarser zoom level from this one: every <paramref name="factor"/> pixels become one.</summary>
    public WaveformPeaks Zoom(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 2);
        var length = (Length + factor - 1) / factor;
        var data = new short[length * Channels * 2];
        for (var pixel = 0; pixel < length; pixel++)
        {
            for (var c = 0; c < Channels; c++)
            {
                short min = short.MaxValue, max = short.MinValue;
                for (var p = pixel * factor; p < Math.Min(Length, (pixel + 1) * factor); p++)
                {
                    min = Math.Min(min, Data[(p * Channels + c) * 2]);
                    max = Math.Max(max, Data[(p * Channels + c) * 2 + 1]);
                }

                data[(pixel * Channels + c) * 2] = min;
                data[(pixel * Channels + c) * 2 + 1] = max;
            }
        }

        return new WaveformPeaks(Channels, SampleRate, SamplesPerPixel * factor, Bits, length, data);
    }

    /// <summary>The same peaks at another resolution (8 or 16 bits).</summary>
    public WaveformPeaks WithBits(int bits)
    {
        if (bits == Bits)
        {
            return this;
        }

        if (bits is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), "Peaks are 8 or 16 bits.");
        }

        var (from, to) = (Bits == 8 ? 127.0 : 32767.0, bits == 8 ? 127.0 : 32767.0);
        var data = Data.Select(v => (short)Math.Clamp(Math.Round(v / from * to), bits == 8 ? -128 : -32768, bits == 8 ? 127 : 32767)).ToArray();
        return new WaveformPeaks(Channels, SampleRate, SamplesPerPixel, bits, Length, data);
    }

    /// <summary>audiowaveform's JSON, version 2.</summary>
    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteNumber("version", 2);
        json.WriteNumber("channels", Channels);
        json.WriteNumber("sample_rate", SampleRate);
        json.WriteNumber("samples_per_pixel", SamplesPerPixel);
        json.WriteNumber("bits", Bits);
        json.WriteNumber("length", Length);
        json.WriteStartArray("data");
        foreach (var value in Data)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>audiowaveform's binary .dat, version 2 (little-endian header of 24 bytes, then the data).</summary>
    public void WriteDat(Stream output)
    {
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteInt32LittleEndian(header, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Bits == 8 ? 1u : 0u);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], SamplesPerPixel);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], Channels);
        output.Write(header);
        var body = new byte[Data.Length * (Bits / 8)];
        for (var i = 0; i < Data.Length; i++)
        {
            if (Bits == 8)
            {
                body[i] = (byte)(sbyte)Data[i];
            }
            else
            {
                BinaryPrimitives.WriteInt16LittleEndian(body.AsSpan(i * 2), Data[i]);
            }
        }

        output.Write(body);
    }

    private static short Quantize(float value, double scale, int bits)
    {
        var scaled = Math.Round(Math.Clamp(value, -1f, 1f) * scale);
        return (short)Math.Clamp(scaled, bits == 8 ? -128 : -32768, bits == 8 ? 127 : 32767);
    }
}
