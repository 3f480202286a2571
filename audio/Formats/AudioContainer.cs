namespace Jacameno.Audio.Formats;

/// <summary>
/// An audio container the platform accepts: <see cref="Demuxer"/> is ffmpeg's name for it (passed as <c>-f</c>, so
/// ffmpeg never guesses), <see cref="Extension"/> and <see cref="ContentType"/> are what a stored copy is named
/// and served as.
/// </summary>
public sealed record AudioContainer(string Demuxer, string Extension, string ContentType)
{
    public static readonly AudioContainer Wav = new("wav", ".wav", "audio/wav");
    public static readonly AudioContainer Aiff = new("aiff", ".aiff", "audio/aiff");
    public static readonly AudioContainer Flac = new("flac", ".flac", "audio/flac");
    public static readonly AudioContainer Mp3 = new("mp3", ".mp3", "audio/mpeg");
    public static readonly AudioContainer Ogg = new("ogg", ".ogg", "audio/ogg");
    public static readonly AudioContainer Mp4 = new("mov", ".m4a", "audio/mp4");
    public static readonly AudioContainer Aac = new("aac", ".aac", "audio/aac");
    public static readonly AudioContainer WebM = new("matroska", ".webm", "audio/webm");

    /// <summary>How many leading bytes <see cref="Sniff"/> wants (fewer are fine for short files).</summary>
    public const int HeadLength = 16;

    public static readonly IReadOnlyList<AudioContainer> All = [Wav, Aiff, Flac, Mp3, Ogg, Mp4, Aac, WebM];

    /// <summary>
    /// The container the file's first bytes announce, or null when they are none of the accepted ones. Only magic
    /// bytes count: a name or a media type from the client says nothing, and a text file (an HLS playlist, an
    /// ffconcat list, HTML) never gets as far as ffmpeg, whose own guessing would follow what such files name.
    /// </summary>
    public static AudioContainer? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[8..12].SequenceEqual("WAVE"u8)
            && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8) || head[..4].SequenceEqual("BW64"u8)))
        {
            return Wav;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("FORM"u8) && (head[8..12].SequenceEqual("AIFF"u8) || head[8..12].SequenceEqual("AIFC"u8)))
        {
            return Aiff;
        }

        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return Mp4;
        }

        if (head.Length < 4)
        {
            return null;
        }

        if (head[..4].SequenceEqual("fLaC"u8))
        {
            return Flac;
        }

        if (head[..4].SequenceEqual("OggS"u8))
        {
            return Ogg;
        }

        if (head[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return WebM;
        }

        if (head[..3].SequenceEqual("ID3"u8))
        {
            return Mp3;
        }

        // An MPEG audio frame header: 11 sync bits, then version, layer, and a bitrate and rate that exist.
        // Layer bits 00 are not MPEG audio but ADTS, the framing of raw AAC.
        if (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            var layer = (head[1] >> 1) & 3;
            var version = (head[1] >> 3) & 3;
            if (layer == 0)
            {
                return (head[1] & 0x10) != 0 && ((head[2] >> 2) & 0xF) < 13 ? Aac : null;
            }

            var bitrate = head[2] >> 4;
            var rate = (head[2] >> 2) & 3;
            return version != 1 && bitrate is > 0 and < 15 && rate != 3 ? Mp3 : null;
        }

        return null;
    }

    /// <summary>The container of a stored file by its demuxer name (as an asset records it), or null.</summary>
    public static AudioContainer? FromDemuxer(string? demuxer) => All.FirstOrDefault(c => c.Demuxer == demuxer);
}
