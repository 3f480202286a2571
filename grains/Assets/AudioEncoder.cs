using System.Globalization;

namespace Jacameno.Assets;

/// <summary>Encodes a WAV file with ffmpeg (no shell, with a timeout).</summary>
public static class AudioEncoder
{
    public static (string Extension, string ContentType) Describe(AudioFileFormat format) => format switch
    {
        AudioFileFormat.Wav => ("wav", "audio/wav"),
        AudioFileFormat.Flac => ("flac", "audio/flac"),
        AudioFileFormat.Mp3 => ("mp3", "audio/mpeg"),
        AudioFileFormat.Opus => ("opus", "audio/ogg"),
        AudioFileFormat.Aac => ("m4a", "audio/mp4"),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>
    /// Encodes <paramref name="wavPath"/> into <paramref name="outputPath"/>: FLAC at the WAV's bit depth (16 or 24),
    /// MP3 V0 or 320 kbit/s CBR (<paramref name="mp3Cbr320"/>), Opus at 192 kbit/s (48 kHz), AAC at 256 kbit/s.
    /// </summary>
    public static async Task EncodeAsync(string wavPath, string outputPath, AudioFileFormat format, int bitDepth, bool mp3Cbr320, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string[] codec = format switch
        {
            AudioFileFormat.Flac => ["-c:a", "flac", "-sample_fmt", bitDepth == 16 ? "s16" : "s32", "-bits_per_raw_sample", bitDepth == 16 ? "16" : "24"],
            AudioFileFormat.Mp3 => mp3Cbr320 ? ["-c:a", "libmp3lame", "-b:a", "320k"] : ["-c:a", "libmp3lame", "-q:a", "0"],
            AudioFileFormat.Opus => ["-c:a", "libopus", "-b:a", "192k", "-ar", "48000", "-f", "ogg"],
            AudioFileFormat.Aac => ["-c:a", "aac", "-b:a", "256k", "-movflags", "+faststart", "-f", "mp4"],
            _ => throw new ArgumentOutOfRangeException(nameof(format), "WAV needs no encoding."),
        };
        var (exit, _) = await AudioProbe.RunAsync("ffmpeg", ["-v", "error", "-nostdin", "-y", .. AudioProbe.InputOf(Jacameno.Audio.Formats.AudioContainer.Wav, wavPath), "-map_metadata", "-1", .. codec, outputPath], timeout, cancellationToken);
        if (exit != 0 || !File.Exists(outputPath))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"ffmpeg could not encode {format} (exit {exit})."));
        }
    }
}
