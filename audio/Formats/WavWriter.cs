using System.Buffers.Binary;

namespace Jacameno.Audio.Formats;

public enum WavSampleFormat
{
    Pcm16,
    Pcm24,
    Float32,
}

/// <summary>Writes RIFF WAVE: PCM 16/24-bit or IEEE float 32-bit, interleaved, from planar samples.</summary>
public static class WavWriter
{
    /// <param name="output">Where the file goes.</param>
    /// <param name="planar">Samples per channel, all the same length.</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="format">PCM 16/24-bit or float 32-bit.</param>
    /// <param name="dither">
    /// For PCM: add TPDF dither (two uniform random values, ±1 LSB triangular) before rounding, which turns
    /// quantisation distortion into a constant, signal-independent noise floor. Seeded, so a render is repeatable.
    /// </param>
    public static void Write(Stream output, IReadOnlyList<float[]> planar, int sampleRate, WavSampleFormat format, bool dither = false)
    {
        var random = new Random(1);
        double Noise() => dither ? random.NextDouble() - random.NextDouble() : 0;
        var channels = planar.Count;
        var frames = planar[0].Length;
        var bytesPerSample = format switch { WavSampleFormat.Pcm16 => 2, WavSampleFormat.Pcm24 => 3, _ => 4 };
        var dataBytes = (long)frames * channels * bytesPerSample;
        if (dataBytes > uint.MaxValue - 44)
        {
            throw new ArgumentException("More than 4 GiB of samples: RIFF cannot hold it.", nameof(planar));
        }

        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], (ushort)(format == WavSampleFormat.Float32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(bytesPerSample * 8));
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        output.Write(header);

        var buffer = new byte[4096 * channels * bytesPerSample];
        for (var start = 0; start < frames; start += 4096)
        {
            var count = Math.Min(4096, frames - start);
            var position = 0;
            for (var f = start; f < start + count; f++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var sample = planar[c][f];
                    switch (format)
                    {
                        case WavSampleFormat.Pcm16:
                            BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(position), (short)Math.Clamp(Math.Round(sample * 32767.0 + Noise()), -32768, 32767));
                            break;
                        case WavSampleFormat.Pcm24:
                            var value = (int)Math.Clamp(Math.Round(sample * 8388607.0 + Noise()), -8388608, 8388607);
                            buffer[position] = (byte)value;
                            buffer[position + 1] = (byte)(value >> 8);
                            buffer[position + 2] = (byte)(value >> 16);
                            break;
                        default:
                            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(position), sample);
                            break;
                    }

                    position += bytesPerSample;
                }
            }

            output.Write(buffer, 0, position);
        }

        if (dataBytes % 2 == 1)
        {
            output.WriteByte(0); // RIFF chunks are padded to an even size.
        }
    }
}
