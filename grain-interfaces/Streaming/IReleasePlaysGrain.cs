namespace Jacameno.Streaming;

/// <summary>
/// What one reported play did: counted (the release adds it), still in progress with the seconds left, or
/// refused because the listener's recent plays already counted.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.play-tally")]
public sealed record PlayTally([property: Id(0)] bool Counted, [property: Id(1)] string? PlayId, [property: Id(2)] double CountAfterSeconds);

/// <summary>
/// Decides which plays of one release count, keyed by the release id: a play counts after enough listening, and
/// one listener adds at most one play per <see cref="Threshold"/> and <see cref="MaxPerListenerPerDay"/> a UTC day.
/// Its own grain so that what each listener counted is stored (and survives the release's deactivation) without
/// rewriting the whole release on every play.
/// </summary>
[Alias("jacameno.release-plays-grain")]
public interface IReleasePlaysGrain : IGrainWithGuidKey
{
    /// <summary>Listening that counts as a play, and the least time between two counted plays of one listener.</summary>
    static readonly TimeSpan Threshold = TimeSpan.FromSeconds(30);

    /// <summary>The most plays one listener adds to a release in a UTC day.</summary>
    const int MaxPerListenerPerDay = 20;

    /// <summary>
    /// Starts a play (<paramref name="playId"/> null) or reports one; <paramref name="neededSeconds"/> is the
    /// listening that counts (the threshold, or the whole release when it is shorter).
    /// </summary>
    [Alias("play")]
    Task<PlayTally> PlayAsync(string listenerKey, string? playId, double neededSeconds);
}
