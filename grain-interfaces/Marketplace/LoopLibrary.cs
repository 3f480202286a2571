using Jacameno.Common;

namespace Jacameno.Marketplace;

/// <summary>
/// What analysis found in one file of a sample pack. A loop has a tempo (<see cref="Bpm"/>) and a whole number of
/// beats (<see cref="Beats"/>) that its length holds at that tempo exactly; a one-shot has neither. <see cref="Key"/>
/// is there when the file is tonal enough to tell.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.loop-facts")]
public sealed record LoopFacts(
    [property: Id(0)] double DurationSeconds,
    [property: Id(1)] double? Bpm,
    [property: Id(2)] int? Beats,
    [property: Id(3)] string? Key);

/// <summary>
/// The loop library: the files of free sample packs their sellers mark as library content, browsable by instrument,
/// key and tempo in the studio (docs/marketplace.md).
/// </summary>
public static class LoopLibrary
{
    /// <summary>What a library pack is played on; the studio browses by it.</summary>
    public static readonly IReadOnlyList<string> Instruments =
        ["drums", "percussion", "bass", "keys", "guitar", "synth", "strings", "brass", "woodwinds", "vocals", "fx", "other"];

    /// <summary>Instruments without a key: a drum loop's "key" would be noise in the chroma.</summary>
    public static bool Unpitched(string instrument) => instrument is "drums" or "percussion" or "fx";

    /// <summary>A loop's id: the listing's and the file's, hashed, so it stays the same across the listing's rewrites.</summary>
    public static Guid LoopId(Guid listingId, int index) => DerivedIds.Of(listingId.ToByteArray(), BitConverter.GetBytes(index), "loop"u8.ToArray());

    public static string Instrument(string? instrument) =>
        instrument?.Trim().ToLowerInvariant() is { } name && Instruments.Contains(name) ? name
        : throw DomainException.Invalid("instrument", $"instrument is one of {string.Join(", ", Instruments)}.");

    /// <summary>"loop", "one-shot" or null (either), as the API names them.</summary>
    public static bool? KindIsLoop(string? kind) => kind?.ToLowerInvariant() switch
    {
        null or "" => null,
        "loop" => true,
        "one-shot" => false,
        _ => throw DomainException.Invalid("kind", "kind is loop or one-shot."),
    };
}
