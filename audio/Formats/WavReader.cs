using System.Buffers.Binary;

namespace Jacameno.Audio.Formats;

/// <summary>A file that is not a WAV this reader accepts; the message says what is wrong with it.</summary>
public sealed class WavFormatException(string message) : Exception(message);

public enum WavEncoding
{
    Pcm,
    Float,
}

/// <summary>What the header of a WAV file says, after checking that it holds together.</summary>
public sealed record WavInfo(int SampleRate, int Channels, int BitsPerSample, WavEncoding Encoding, long Frames, long DataOffset, bool IsRf64)
{
    public int BlockAlign => Channels * BitsPerSample / 8;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Frames / SampleRate);
}

/// <summary>
/// Reads RIFF WAVE and RF64: PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE.
/// Every size in the header is checked against the others and against the length of the stream, so a
/// truncated or lying file is refused up front instead of producing noise or a huge allocation. A data chunk of size
/// 0xFFFFFFFF in a plain RIFF file is a streamed one (written before its length was known): it runs to the end of the file.
/// </summary>
public static class WavReader
{
    public const int MaxChannels = 32;
    public const int MinSampleRate = 1_000;
    public const int MaxSampleRate = 768_000;
    private const int MaxChunks = 1_000;
    private const ushort FormatPcm = 1, FormatFloat = 3, FormatExtensible = 0xFFFE;

    // The tail every WAVE_FORMAT_EXTENSIBLE sub-format GUID shares (KSDATAFORMAT_SUBTYPE_*).
    private static readonly byte[] GuidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Parses and checks the header; leaves the stream at the first sample.</summary>
    public static WavInfo ReadHeader(Stream stream)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The WAV reader needs a seekable stream (it checks sizes against the length).", nameof(stream));
        }

        var length = stream.Length;
        Span<byte> head = stackalloc byte[12];
        Fill(stream, head, "the RIFF header");
        var rf64 = head[..4].SequenceEqual("RF64"u8);
        if (!rf64 && !head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException("Not a WAV file: it does not start with RIFF/RF64 ... WAVE.");
        }

        long? dataSize64 = null;
        (int Rate, int Channels, int Bits, WavEncoding Encoding)? format = null;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> ds64 = stackalloc byte[24];
        for (var chunks = 0; chunks < MaxChunks; chunks++)
        {
            Fill(stream, chunk, "a chunk header (no data chunk found)");
            var id = chunk[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            var bodyStart = stream.Position;

            if (id.SequenceEqual("ds64"u8))
            {
                if (!rf64 || size < 24 || size > 1024)
                {
                    throw new WavFormatException("A ds64 chunk belongs only in RF64 files and holds at least 24 bytes.");
                }

                Fill(stream, ds64, "the ds64 chunk");
                dataSize64 = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(ds64[8..]), long.MaxValue);
            }
            else if (id.SequenceEqual("fmt "u8))
            {
                if (size is < 16 or > 1024)
                {
                    throw new WavFormatException($"The fmt chunk has {size} bytes; it needs 16 to 40.");
                }

                var body = new byte[size];
                Fill(stream, body, "the fmt chunk");
                format = ParseFormat(body);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } f)
                {
                    throw new WavFormatException("The data chunk comes before the fmt chunk.");
                }

                if (rf64 && size == uint.MaxValue)
                {
                    size = dataSize64 ?? throw new WavFormatException("An RF64 data chunk needs the size from a ds64 chunk.");
                }
                else if (size == uint.MaxValue)
                {
                    // A streamed WAV (a recording sent as it was made): its writer did not know the size yet, and the
                    // samples run to the end of the file, as ffmpeg and sox read it too.
                    size = length - bodyStart;
                }

                var available = length - bodyStart;
                if (size > available)
                {
                    throw new WavFormatException($"The data chunk claims {size} bytes but the file has {available} after its header (truncated or a lying size).");
                }

                var blockAlign = f.Channels * f.Bits / 8;
                var frames = size / blockAlign;
                if (frames == 0)
                {
                    throw new WavFormatException("The data chunk holds no complete sample frame.");
                }

                return new WavInfo(f.Rate, f.Channels, f.Bits, f.Encoding, frames, bodyStart, rf64);
            }

            // Skip this chunk (and its pad byte), without reading past the end.
            var next = bodyStart + size + (size & 1);
            if (next > length)
            {
                throw new WavFormatException($"A '{Printable(id)}' chunk claims {size} bytes, more than the file holds.");
            }

            stream.Position = next;
        }

        throw new WavFormatException($"More than {MaxChunks} chunks before the data chunk.");
    }

    /// <summary>Reads the whole file into planar float samples (-1..1), refusing more than <paramref name="maxFrames"/>.</summary>
    public static (WavInfo Info, float[][] Samples) ReadAll(Stream stream, long maxFrames = 48_000L * 60 * 30)
    {
        var info = ReadHeader(stream);
        if (info.Frames > maxFrames)
        {
            throw new WavFormatException($"The file holds {info.Frames} frames; at most {maxFrames} are read at once.");
        }

        var planar = Enumerable.Range(0, info.Channels).Select(_ => new float[info.Frames]).ToArray();
        long at = 0;
        ReadBlocks(stream, info, (block, frames) =>
        {
            for (var c = 0; c < info.Channels; c++)
            {
                Array.Copy(block[c], 0, planar[c], at, frames);
            }

            at += frames;
        });
        return (info, planar);
    }

    /// <summary>
    /// Streams the samples after <see cref="ReadHeader"/> in planar blocks of up to <paramref name="blockFrames"/>
    /// frames (the arrays are reused between calls), so a file of any length decodes in constant memory.
    /// </summary>
    public static void ReadBlocks(Stream stream, WavInfo info, Action<float[][], int> block, int blockFrames = 8192)
    {
        var bytesPerSample = info.BitsPerSample / 8;
        var buffer = new byte[blockFrames * info.BlockAlign];
        var planar = Enumerable.Range(0, info.Channels).Select(_ => new float[blockFrames]).ToArray();
        for (long frame = 0; frame < info.Frames;)
        {
            var framesNow = (int)Math.Min(blockFrames, info.Frames - frame);
            Fill(stream, buffer.AsSpan(0, framesNow * info.BlockAlign), "the samples");
            for (var i = 0; i < framesNow; i++)
            {
                for (var c = 0; c < info.Channels; c++)
                {
                    planar[c][i] = Decode(buffer.AsSpan((i * info.Channels + c) * bytesPerSample, bytesPerSample), info.Encoding);
                }
            }

            block(planar, framesNow);
            frame += framesNow;
        }
    }

    private static float Decode(ReadOnlySpan<byte> sample, WavEncoding encoding) => (sample.Length, encoding) switch
    {
        (1, WavEncoding.Pcm) => (sample[0] - 128) / 128f, // 8-bit WAV is unsigned
        (2, WavEncoding.Pcm) => BinaryPrimitives.ReadInt16LittleEndian(sample) / 32768f,
        (3, WavEncoding.Pcm) => ((sample[0] | sample[1] << 8 | (sbyte)sample[2] << 16)) / 8388608f,
        (4, WavEncoding.Pcm) => (float)(BinaryPrimitives.ReadInt32LittleEndian(sample) / 2147483648.0),
        (4, WavEncoding.Float) => Finite(BinaryPrimitives.ReadSingleLittleEndian(sample)),
        (8, WavEncoding.Float) => Finite((float)BinaryPrimitives.ReadDoubleLittleEndian(sample)),
        _ => throw new WavFormatException("Unsupported sample size."),
    };

    /// <summary>Float samples beyond this (+60 dB over full scale) are clipped to it.</summary>
    public const float MaxFloatSample = 1000;

    // NaN or infinity in a float file would poison every measurement downstream: read it as silence; absurd
    // magnitudes (a corrupt file) are clipped so that sums of squares stay finite.
    private static float Finite(float value) => float.IsFinite(value) ? Math.Clamp(value, -MaxFloatSample, MaxFloatSample) : 0;

    private static (int Rate, int Channels, int Bits, WavEncoding Encoding) ParseFormat(ReadOnlySpan<byte> body)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        var byteRate = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);

        if (tag == FormatExtensible)
        {
            if (body.Length < 40 || BinaryPrimitives.ReadUInt16LittleEndian(body[16..]) < 22)
            {
                throw new WavFormatException("A WAVE_FORMAT_EXTENSIBLE fmt chunk needs 40 bytes.");
            }

            var subFormat = body.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(GuidTail))
            {
                throw new WavFormatException("The extensible sub-format is neither PCM nor IEEE float.");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        var encoding = tag switch
        {
            FormatPcm => WavEncoding.Pcm,
            FormatFloat => WavEncoding.Float,
            _ => throw new WavFormatException($"Format tag {tag} is not PCM or IEEE float (compressed WAV is not supported)."),
        };
        if (channels is < 1 or > MaxChannels)
        {
            throw new WavFormatException($"{channels} channels; 1 to {MaxChannels} are supported.");
        }

        if (rate is < MinSampleRate or > MaxSampleRate)
        {
            throw new WavFormatException($"A sample rate of {rate} Hz; {MinSampleRate} to {MaxSampleRate} Hz are supported.");
        }

        if (encoding == WavEncoding.Pcm ? bits is not (8 or 16 or 24 or 32) : bits is not (32 or 64))
        {
            throw new WavFormatException($"{bits}-bit {encoding} samples are not supported (PCM 8/16/24/32, float 32/64).");
        }

        if (blockAlign != channels * bits / 8 || byteRate != rate * (uint)blockAlign)
        {
            throw new WavFormatException("The fmt chunk's block align or byte rate does not match its channels, rate and bit depth.");
        }

        return ((int)rate, channels, bits, encoding);
    }

    private static void Fill(Stream stream, Span<byte> buffer, string what)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw new WavFormatException($"The file ends inside {what}.");
        }
    }

    private static string Printable(ReadOnlySpan<byte> id) =>
        new([.. id.ToArray().Select(b => b is >= 0x20 and < 0x7F ? (char)b : '?')]);
}
