namespace Jacameno.Rendering;

/// <summary>
/// A window of a track's sound made by the engine, for the studio to play what it cannot make itself (hosted plugins):
/// 16-bit stereo WAV at the project's rate, of the project <see cref="Version"/> it was made from, and the plugins that
/// could not be loaded on this server (bypassed).
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.track-preview")]
public sealed record TrackPreview(
    [property: Id(0)] long Version,
    [property: Id(1)] int SampleRate,
    [property: Id(2)] byte[] Wav,
    [property: Id(3)] IReadOnlyList<string> MissingPlugins)
{
    /// <summary>The longest preview made, in seconds.</summary>
    public const int MaxSeconds = 30;
}

/// <summary>
/// Renders previews of one track (keyed by the track's id): its clips (or instrument) through its own effect chain,
/// before its fader, pan and buses, which the studio applies itself. Placed on a silo that has the track's plugins
/// when one does; keeps the track's decoded sources between previews, since a preview follows edits.
/// </summary>
[Alias("jacameno.track-preview-grain")]
public interface ITrackPreviewGrain : IGrainWithGuidKey
{
    /// <summary>
    /// <paramref name="frames"/> samples from timeline sample <paramref name="from"/> of the track in the project's
    /// current version, as <paramref name="userId"/> (a member; otherwise not found) sees it.
    /// </summary>
    [Alias("render")]
    Task<TrackPreview> RenderAsync(Guid userId, Guid projectId, long from, int frames);
}
