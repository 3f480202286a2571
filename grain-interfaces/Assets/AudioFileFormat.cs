namespace Jacameno.Assets;

/// <summary>Compressed formats a render or master can be delivered in, besides WAV.</summary>
public enum AudioFileFormat
{
    Wav,
    Flac,
    Mp3,
    Opus,
    Aac,
}
